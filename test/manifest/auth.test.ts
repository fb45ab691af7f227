/**
 * Signing in from the manifest: the session login the image does, and the OAuth client
 * credentials grant with HTTP Basic, rendered as the engine renders them.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { authenticator, sessionRenewalDuration } from '../../src/manifest/auth.js';
import { DEFAULT_SESSION_TIMEOUT_MINUTES, loginBody } from '../../src/service-layer/session.js';
import { interpolate, interpolateOption } from '../helpers/declarative/interpolation.js';
import { durationMs } from '../helpers/declarative/engine.js';

type Any = Record<string, any>;
const selective = authenticator() as Any;

describe('session login', () => {
  const session = selective['authenticators']['session_login'] as Any;
  const config = { service_layer_url: 'https://b1.example.com/b1s/v2/', credentials: { auth_type: 'session_login', company_db: 'SBO_1', username: 'manager', password: '007' } };

  test('is chosen by credentials.auth_type', () => {
    assert.deepEqual(selective['authenticator_selection_path'], ['credentials', 'auth_type']);
    assert.deepEqual(Object.keys(selective['authenticators']).sort(), ['oauth2_client_credentials', 'session_login']);
  });

  test('posts the JSON body the image posts to Login, text kept text', () => {
    const login = session['login_requester'];
    assert.equal(login.http_method, 'POST');
    assert.equal(login.path, 'Login');
    const body = Object.fromEntries(Object.entries(login.request_body.value as Record<string, string>).map(([k, v]) => [k, interpolate(v, { config })]));
    assert.deepEqual(body, loginBody({ company_db: 'SBO_1', username: 'manager', password: '007' }));
    assert.equal(typeof body['Password'], 'string');
  });

  test('sends the session id from SessionId as the B1SESSION cookie', () => {
    assert.deepEqual(session['session_token_path'], ['SessionId']);
    const auth = session['request_authentication'];
    assert.equal(auth.type, 'ApiKey');
    assert.deepEqual(auth.inject_into, { type: 'RequestOption', inject_into: 'header', field_name: 'Cookie' });
    assert.equal(interpolate(auth.api_token, { config, session_token: '8d1a-4c2e' }), 'B1SESSION=8d1a-4c2e');
  });

  test('signs in again before the default idle timeout ends the session', () => {
    const renewal = durationMs(sessionRenewalDuration());
    assert.equal(session['expiration_duration'], sessionRenewalDuration());
    assert.ok(renewal < DEFAULT_SESSION_TIMEOUT_MINUTES * 60_000 && renewal >= (DEFAULT_SESSION_TIMEOUT_MINUTES - 5) * 60_000);
  });

  test('a refused sign-in fails as a config error, without a retry', () => {
    const filters = session['login_requester'].error_handler.response_filters as Any[];
    const refused = filters.find((f) => f.http_codes.includes(401))!;
    assert.equal(refused.action, 'FAIL');
    assert.equal(refused.failure_type, 'config_error');
    assert.match(String(interpolate(refused.error_message, { config, response: { error: { code: '100000027', message: 'Login failed' } } })), /Login failed\). Check credentials\.company_db/);
    assert.match(String(interpolate(refused.error_message, { config, response: { error: { code: 100000027, message: { lang: 'en-us', value: 'Login failed' } } } })), /\(Login failed\)/);
  });
});

describe('OAuth 2.0 client credentials', () => {
  const oauth = selective['authenticators']['oauth2_client_credentials'] as Any;
  const config = { credentials: { auth_type: 'oauth2_client_credentials', token_url: 'https://idp.example.com/token', client_id: 'b1 client/1', client_secret: 's3cr:t~*', scope: '' } };

  test('asks for the client credentials grant at the configured token URL', () => {
    assert.equal(oauth.grant_type, 'client_credentials');
    assert.equal(interpolate(oauth.token_refresh_endpoint, { config }), 'https://idp.example.com/token');
  });

  test('authenticates the client with HTTP Basic over the form-encoded id and secret (RFC 6749 2.3.1)', () => {
    const header = interpolateOption(oauth.refresh_request_headers.Authorization, { config });
    // Form encoding of "b1 client/1" is "b1+client%2F1", of "s3cr:t~*" is "s3cr%3At%7E*".
    assert.equal(header, `Basic ${Buffer.from('b1+client%2F1:s3cr%3At%7E*').toString('base64')}`);
  });

  test('sends a scope only when one is set', () => {
    assert.equal(interpolateOption(oauth.refresh_request_body.scope, { config }), null);
    assert.equal(interpolateOption(oauth.refresh_request_body.scope, { config: { credentials: { scope: ' b1.read ' } } }), 'b1.read');
  });

  test('a refused client is a config error', () => {
    assert.deepEqual(oauth.refresh_token_error_status_codes, [400, 401]);
    assert.ok(oauth.refresh_token_error_values.includes('invalid_client'));
  });
});
