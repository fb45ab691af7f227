/**
 * The request every stream of one entity set sends: the entity set in key order, the properties
 * its streams need ($select, collections included), the cursor policy's $filter, and the page size
 * preference. The parent stream and its line streams send the same request, so that each line's
 * copy of its parent is the very record the parent stream hashed (see fields.ts).
 *
 * The URL is url_base + path rather than `url`: a next link is joined to url_base
 * (http_requester.py, _get_url and _join_url), and only the service root makes a relative link
 * resolve where the Service Layer means it. The query options go on the first page only: a next
 * link already carries the whole query, so it is followed verbatim, as the image follows it. (The
 * engine would drop an option the link repeats with the same decoded value,
 * HttpClient._dedupe_query_params, but a server that spells an option differently in its link
 * would then get it twice.) An option that renders empty is dropped
 * (interpolated_request_input_provider.py), and next_page_token is empty on the first page only.
 */
import { pageSizePreference } from '../service-layer/odata.js';
import type { StreamDefinition } from '../streams/definitions.js';
import { definitionRef, type Component } from './components.js';
import { configPath, configSetting, template } from './jinja.js';
import { specDefault } from './spec.js';

export function serviceRootTemplate(): string {
  return template(configPath('service_layer_url'));
}

function firstPageOnly(value: string): string {
  return `{% if not next_page_token %}${value}{% endif %}`;
}

export interface EntitySetRequest {
  definition: StreamDefinition;
  /** The properties to $select, in order, without duplicates. */
  select: string[];
  /** The cursor policy's $filter template, or undefined to read every record. */
  filter: string | undefined;
}

export function requester(request: EntitySetRequest): Component {
  const options: Record<string, string> = {
    $select: request.select.join(','),
    $orderby: `${request.definition.key} asc`,
  };
  if (request.filter !== undefined) options['$filter'] = request.filter;
  const parameters = Object.fromEntries(Object.entries(options).map(([name, value]) => [name, firstPageOnly(value)]));
  return {
    type: 'HttpRequester',
    url_base: serviceRootTemplate(),
    path: request.definition.entitySet,
    http_method: 'GET',
    authenticator: definitionRef('authenticator'),
    request_headers: { accept: 'application/json', ...pageSizePreference(template(configSetting('page_size', specDefault('page_size')))) },
    request_parameters: parameters,
    error_handler: definitionRef('error_handler'),
  };
}
