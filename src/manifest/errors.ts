/**
 * What the engine does with an error answer. The engine already retries 429 and 5xx with backoff
 * when no filter matches (default_error_handler.py falls back to DefaultHttpResponseFilter); these
 * filters add the Service Layer's own meaning and the message a person can act on. A refused
 * sign-in is never retried: a retry storm can lock the SAP user.
 */
import type { Component } from './components.js';
import { configPath, template } from './jinja.js';

/** Retries per request after 429/5xx, the image's default (schemas/spec.json max_retries). */
const MAX_RETRIES = 8;

/** The Service Layer error text in both dialects: v2 {"error": {"message": "..."}}, v1 {"error": {"message": {"value": "..."}}}. */
const SERVICE_LAYER_MESSAGE =
  "{% set error = response.get('error', {}) if response is mapping else {} %}{% set message = error.get('message') if error is mapping else none %}" +
  "{{ message.get('value') if message is mapping else (message or 'no error message') }}";

function errorHandler(responseFilters: Component[]): Component {
  return {
    type: 'DefaultErrorHandler',
    max_retries: MAX_RETRIES,
    backoff_strategies: [
      { type: 'WaitTimeFromHeader', header: 'Retry-After', regex: '([-+]?\\d+)' },
      { type: 'ExponentialBackoffStrategy', factor: 2 },
    ],
    response_filters: responseFilters,
  };
}

function fail(httpCodes: number[], failureType: 'config_error' | 'transient_error', errorMessage: string): Component {
  return { type: 'HttpResponseFilter', http_codes: httpCodes, action: 'FAIL', failure_type: failureType, error_message: errorMessage };
}

export function loginErrorHandler(): Component {
  const who = `as ${template(configPath('credentials', 'username'))} in company database ${template(configPath('credentials', 'company_db'))}`;
  return errorHandler([
    fail(
      [400, 401, 403],
      'config_error',
      `Signing in to the Service Layer ${who} failed (${SERVICE_LAYER_MESSAGE}). Check credentials.company_db, credentials.username and ` +
        'credentials.password; the user must be allowed to use the Service Layer and must not be locked.',
    ),
    fail(
      [404, 405],
      'config_error',
      'There is no Service Layer login at this address. Check that service_layer_url is the Service Layer root, ending in /b1s/v1 or /b1s/v2.',
    ),
  ]);
}

export function dataErrorHandler(): Component {
  return errorHandler([
    // The engine cannot sign in again before the session's renewal time (a forced refresh is only
    // wired for OAuth tokens), so the attempt ends and Airbyte's next attempt signs in anew.
    fail(
      [401],
      'transient_error',
      `The Service Layer ended the session (${SERVICE_LAYER_MESSAGE}); the next attempt signs in again. If this repeats, the Service Layer ` +
        'may run on several nodes behind a load balancer that does not keep sessions on one node: the manifest cannot send the ROUTEID cookie.',
    ),
    fail(
      [400, 403, 404],
      'config_error',
      `The Service Layer refused the request (${SERVICE_LAYER_MESSAGE}). Check that the user may read this object and that the entity set exists on this server.`,
    ),
  ]);
}
