/**
 * The request every stream of one entity set sends: the entity set in key order, the properties
 * its streams need ($select, collections included), the cursor policy's $filter and, after the
 * first page, the key condition that pages by key (paginator.ts), and the page size preference.
 * The parent stream and its line streams send the same requests, so that each line's copy of its
 * parent is the very record the parent stream hashed (see fields.ts).
 *
 * Every page is url_base + path with the same query options, as the image asks for each page
 * (streams/engine.ts, cursor/pass.ts pageFilter): `<bound> and <key> gt <last key>`. The policy's
 * bound may render empty (a first sync without start_date reads everything); the key condition is
 * then the whole filter, and an option that renders empty is dropped
 * (interpolated_request_input_provider.py drops None, and JinjaInterpolation evaluates an empty
 * rendering to its default, None). A bound whose top level is an `or` is parenthesized by its
 * policy, as the image's bound filters are.
 */
import { pageSizePreference } from '../service-layer/odata.js';
import type { StreamDefinition } from '../streams/definitions.js';
import { definitionRef, type Component } from './components.js';
import { configPath, configSetting, template } from './jinja.js';
import { afterPreviousKeyCondition } from './paginator.js';
import { specDefault } from './spec.js';

export function serviceRootTemplate(): string {
  return template(configPath('service_layer_url'));
}

export interface EntitySetRequest {
  definition: StreamDefinition;
  /** The properties to $select, in order, without duplicates. */
  select: string[];
  /** The cursor policy's $filter template, or undefined to read every record. */
  filter: string | undefined;
}

/** The $filter template of every page: the policy's bound, and after the first page the key condition. */
export function pageFilterTemplate(key: string, bound: string | undefined): string {
  const after = afterPreviousKeyCondition(key);
  if (bound === undefined) return `{% if next_page_token %}${after}{% endif %}`;
  return `{% set bound %}${bound}{% endset %}{% if not next_page_token %}{{ bound }}{% elif bound %}{{ bound }} and ${after}{% else %}${after}{% endif %}`;
}

export function requester(request: EntitySetRequest): Component {
  const { key } = request.definition;
  return {
    type: 'HttpRequester',
    url_base: serviceRootTemplate(),
    path: request.definition.entitySet,
    http_method: 'GET',
    authenticator: definitionRef('authenticator'),
    request_headers: { accept: 'application/json', ...pageSizePreference(template(configSetting('page_size', specDefault('page_size')))) },
    request_parameters: {
      $select: request.select.join(','),
      $orderby: `${key} asc`,
      $filter: pageFilterTemplate(key, request.filter),
    },
    error_handler: definitionRef('error_handler'),
  };
}
