/**
 * The request every stream of one entity set sends: the entity set in key order, the properties
 * its streams need ($select, collections included), the cursor policy's $filter, and the page size
 * preference. The parent stream and its line streams send the same request, so that each line's
 * copy of its parent is the very record the parent stream hashed (see fields.ts).
 *
 * The URL is url_base + path rather than `url`: a next link is joined to url_base
 * (http_requester.py, _get_url and _join_url), and only the service root makes a relative link
 * resolve where the Service Layer means it. The query options are request_parameters; on the pages
 * after the first, the engine drops those the next link already carries with the same value
 * (HttpClient._dedupe_query_params, which compares the decoded link query with the parameters).
 */
import { pageSizePreference } from '../service-layer/odata.js';
import type { StreamDefinition } from '../streams/definitions.js';
import { definitionRef, type Component } from './components.js';
import { configPath, configSetting, template } from './jinja.js';
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

export function requester(request: EntitySetRequest): Component {
  const parameters: Record<string, string> = {
    $select: request.select.join(','),
    $orderby: `${request.definition.key} asc`,
  };
  if (request.filter !== undefined) parameters['$filter'] = request.filter;
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
