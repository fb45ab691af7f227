/**
 * How the manifest signs in: the Service Layer's own session login, or an OAuth 2.0 client
 * credentials token, chosen by credentials.auth_type exactly as the image chooses
 * (SelectiveAuthenticator, airbyte_cdk/sources/declarative/auth/selective_authenticator.py).
 */
import {
  DEFAULT_SESSION_TIMEOUT_MINUTES,
  LOGIN_PATH,
  SESSION_COOKIE,
  idleMarginMs,
  loginBody,
} from '../service-layer/session.js';
import type { Component } from './components.js';
import { configPath, exactValue, template } from './jinja.js';
import { loginErrorHandler } from './errors.js';
import { serviceRootTemplate } from './requester.js';

/**
 * How long the engine keeps a session before it signs in again. SessionTokenProvider counts from
 * the moment the token was obtained, not from its last use (airbyte_cdk/sources/declarative/auth/
 * token_provider.py, _refresh_if_necessary / _token_has_expired). The Service Layer's idle clock
 * restarts with every request, so a session younger than its idle timeout can never have been idle
 * that long: renewing one margin before the default idle timeout (the margin the image uses)
 * means no request is ever sent on a session the server has ended for idleness.
 */
export function sessionRenewalDuration(): string {
  const timeoutMs = DEFAULT_SESSION_TIMEOUT_MINUTES * 60_000;
  const seconds = Math.floor((timeoutMs - idleMarginMs(timeoutMs)) / 1000);
  return seconds % 60 === 0 ? `PT${seconds / 60}M` : `PT${seconds}S`;
}

function credential(name: string): string {
  return configPath('credentials', name);
}

/**
 * POST Login with the JSON body the image sends (session.ts loginBody, without the optional
 * Language), the session id read from the answer's SessionId, and sent on every data request as
 * the B1SESSION cookie. `api_token` is a template over the session token (InterpolatedSessionToken-
 * Provider in token_provider.py, airbyte-python-cdk 7.7.0 and later).
 */
export function sessionLoginAuthenticator(): Component {
  const body = loginBody({
    // Each value is rendered as a Python literal, so that a numeric password stays text.
    company_db: exactValue(credential('company_db')),
    username: exactValue(credential('username')),
    password: exactValue(credential('password')),
  });
  return {
    type: 'SessionTokenAuthenticator',
    login_requester: {
      type: 'HttpRequester',
      url_base: serviceRootTemplate(),
      path: LOGIN_PATH,
      http_method: 'POST',
      authenticator: { type: 'NoAuth' },
      request_headers: { accept: 'application/json' },
      request_body: { type: 'RequestBodyJsonObject', value: body },
      error_handler: loginErrorHandler(),
    },
    session_token_path: ['SessionId'],
    expiration_duration: sessionRenewalDuration(),
    request_authentication: {
      type: 'ApiKey',
      inject_into: { type: 'RequestOption', inject_into: 'header', field_name: 'Cookie' },
      api_token: `${SESSION_COOKIE}={{ session_token }}`,
    },
  };
}

/**
 * application/x-www-form-urlencoded of a value, as RFC 6749 section 2.3.1 asks for the client id
 * and secret before they are joined for HTTP Basic (the image uses URLSearchParams). Jinja's
 * urlencode is Python's quote with '/' safe, so the characters the two disagree on are fixed up.
 */
function formEncoded(expression: string): string {
  return `(${expression}|urlencode|replace('/', '%2F')|replace('~', '%7E')|replace('%2A', '*')|replace('%20', '+'))`;
}

/**
 * The client credentials grant with HTTP Basic client authentication, as the image does
 * (oauth.ts): with an Authorization refresh header the engine leaves client_id and client_secret
 * out of the body (abstract_oauth.py, _build_standard_refresh_args), so the secret travels once.
 * A refused client or scope is a config error, not retried.
 */
export function clientCredentialsAuthenticator(): Component {
  return {
    type: 'OAuthAuthenticator',
    token_refresh_endpoint: template(credential('token_url')),
    grant_type: 'client_credentials',
    client_id: template(credential('client_id')),
    client_secret: template(credential('client_secret')),
    refresh_request_headers: {
      Authorization: `Basic ${template(`(${formEncoded(credential('client_id'))} ~ ':' ~ ${formEncoded(credential('client_secret'))})|base64encode`)}`,
    },
    // An empty scope renders to nothing, and the engine drops empty body values.
    refresh_request_body: { scope: template(`config['credentials'].get('scope', '')|trim`) },
    refresh_token_error_status_codes: [400, 401],
    refresh_token_error_key: 'error',
    refresh_token_error_values: ['invalid_client', 'unauthorized_client', 'invalid_scope', 'invalid_grant', 'unsupported_grant_type'],
  };
}

export function authenticator(): Component {
  return {
    type: 'SelectiveAuthenticator',
    authenticator_selection_path: ['credentials', 'auth_type'],
    authenticators: {
      session_login: sessionLoginAuthenticator(),
      oauth2_client_credentials: clientCredentialsAuthenticator(),
    },
  };
}
