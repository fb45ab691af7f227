/**
 * The classification table (src/http/classify.ts), row by row: what each response status and each
 * failed exchange comes to, with the Service Layer's own rows for the statuses it words itself
 * (SAP error codes such as -1002 for an unknown entity set and 301 for an ended session).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectorError, configError, transientError } from '../../src/errors.js';
import { classifyFailure, classifyResponse, type CallTraits, type Outcome, type Service } from '../../src/http/classify.js';
import { ExchangeFailure, UNDECODABLE_BODY, UNSUPPORTED_ENCODING } from '../../src/http/exchange.js';
import { headerValue, type HttpRequest, type HttpResponse } from '../../src/http/message.js';
import { describeErrorResponse, nonRetryableStatusError, ServiceLayerHttpError } from '../../src/service-layer/errors.js';

const serviceLayer: Service = {
  name: 'the Service Layer',
  urlSetting: 'service_layer_url',
  timeoutSetting: 'request_timeout_seconds',
  tlsSetting: 'tls',
  untrustedCertificateAdvice: 'Pin it in tls.certificate_pem.',
  describeError: describeErrorResponse,
};

const NOW = Date.UTC(2026, 0, 15, 9, 0, 0);

function get(url = 'https://b1:50000/b1s/v2/Items'): HttpRequest {
  return { method: 'GET', url: new URL(url), headers: {} };
}

/** A data request of the Service Layer client: idempotent, with the Service Layer's wording for the statuses it refuses. */
function dataRequest(overrides: Partial<CallTraits> = {}): CallTraits {
  return {
    description: 'GET Items',
    service: serviceLayer,
    idempotent: true,
    refuse: (r) => nonRetryableStatusError(r.status, 'GET', 'Items', r.body, headerValue(r.headers, 'content-type'), headerValue(r.headers, 'location')),
    ...overrides,
  };
}

function answer(status: number, body: object | string = '', headers: Record<string, string> = {}): HttpResponse {
  return typeof body === 'string'
    ? { status, body, headers }
    : { status, body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } };
}

const sapError = (code: string, message: string) => ({ error: { code, message } });

function failed(outcome: Outcome): ConnectorError {
  assert.equal(outcome.kind, 'fail', JSON.stringify(outcome));
  return (outcome as { error: ConnectorError }).error;
}

function retried(outcome: Outcome): Extract<Outcome, { kind: 'retry' }> {
  assert.equal(outcome.kind, 'retry', JSON.stringify(outcome));
  return outcome as Extract<Outcome, { kind: 'retry' }>;
}

describe('responses', () => {
  test('2xx is done, and so is a status the call accepts', () => {
    for (const status of [200, 201, 204]) assert.deepEqual(classifyResponse(answer(status), get(), dataRequest(), NOW), { kind: 'done' });
    const logout = dataRequest({ accepts: (status) => status === 401 });
    assert.deepEqual(classifyResponse(answer(401, sapError('301', 'Invalid session')), get(), logout, NOW), { kind: 'done' });
  });

  test('3xx is the call’s own config_error naming where the server redirects to, not followed and not retried', () => {
    for (const status of [301, 302, 307, 308]) {
      const error = failed(classifyResponse(answer(status, '', { location: 'https://b1:50000/b1s/v2/Items' }), get('http://b1:50000/b1s/v2/Items'), dataRequest(), NOW));
      assert.equal(error.failureType, 'config_error');
      assert.match(error.message, /redirect \(HTTP 3\d\d to https:\/\/b1:50000\/b1s\/v2\/Items\)/);
    }
  });

  test('400 with SAP error -1002 is an unknown entity set, a config_error; any other 400 is a system_error', () => {
    const unknown = failed(classifyResponse(answer(400, sapError('-1002', 'Unrecognized resource path.')), get(), dataRequest(), NOW));
    assert.ok(unknown instanceof ServiceLayerHttpError);
    assert.equal(unknown.failureType, 'config_error');
    assert.equal(unknown.sapCode, '-1002');
    assert.match(unknown.message, /entity set name/);
    const other = failed(classifyResponse(answer(400, sapError('-1000', "Invalid property 'Nope'")), get(), dataRequest(), NOW));
    assert.equal(other.failureType, 'system_error');
    assert.match(other.message, /SAP error -1000: "Invalid property 'Nope'"/);
  });

  test("400 with Apache's or nginx's plain-HTTP page, to http://, ends the run with a config_error saying to use https://", () => {
    const page = '<html><head><title>400 The plain HTTP request was sent to HTTPS port</title></head></html>';
    const plain = failed(classifyResponse(answer(400, page, { 'content-type': 'text/html' }), get('http://b1:50000/b1s/v2/Items'), dataRequest(), NOW));
    assert.equal(plain.failureType, 'config_error');
    assert.ok(plain.endsRun);
    assert.match(plain.message, /b1 speaks HTTPS on port 50000, but service_layer_url starts with http:\/\/\. Use https:\/\/b1:50000\/\.\.\. instead.*also set tls/);
    // The same page over https:// is no such thing: the server's own 400.
    const overTls = failed(classifyResponse(answer(400, page, { 'content-type': 'text/html' }), get(), dataRequest(), NOW));
    assert.equal(overTls.failureType, 'system_error');
    assert.ok(!overTls.endsRun);
  });

  test('401 (SAP error 301) to a signed-in call renews the session once; a 401 after renewing is the authenticator’s error', () => {
    const expired = answer(401, sapError('301', 'Invalid session or session already timeout.'));
    const persisting = transientError('refused even after a new sign-in');
    const signedIn = (renewed: boolean) => dataRequest({ signedIn: { renewed, refusedAfterRenewal: () => persisting } });
    assert.deepEqual(classifyResponse(expired, get(), signedIn(false), NOW), { kind: 'renew' });
    assert.equal(failed(classifyResponse(expired, get(), signedIn(true), NOW)), persisting);
  });

  test('401 to a call that is not signed in (a login) is the call’s own error', () => {
    const refusal = configError('Signing in failed; check credentials.password', { endsRun: true });
    const login = dataRequest({ description: 'POST Login', refuse: (response) => (response.status === 401 ? refusal : configError('other')) });
    assert.equal(failed(classifyResponse(answer(401, sapError('100000027', 'Login failed')), get(), login, NOW)), refusal);
  });

  test('403 and 404 are config_errors with the SAP code and text, not retried', () => {
    const denied = failed(classifyResponse(answer(403, sapError('-2028', 'No permission')), get(), dataRequest(), NOW));
    assert.equal(denied.failureType, 'config_error');
    assert.match(denied.message, /HTTP 403, SAP error -2028: "No permission".*read access/);
    const missing = failed(classifyResponse(answer(404, sapError('-2028', 'Resource not found')), get(), dataRequest(), NOW));
    assert.equal(missing.failureType, 'config_error');
    assert.match(missing.message, /nothing at GET Items/);
  });

  test('408, 409, 422, 501 and 505 are not among the statuses that say "not now": the call’s own error, not retried', () => {
    for (const status of [408, 409, 422, 501, 505]) {
      const error = failed(classifyResponse(answer(status, 'Request Timeout'), get(), dataRequest(), NOW));
      assert.equal(error.failureType, 'system_error', String(status));
    }
  });

  test('429 and 503 are retried, even for a call that is not idempotent: the server did not act on it', () => {
    for (const status of [429, 503]) {
      for (const idempotent of [true, false]) {
        const retry = retried(classifyResponse(answer(status, sapError('-5002', 'Busy'), { 'retry-after': '7' }), get(), dataRequest({ idempotent }), NOW));
        assert.equal(retry.reason, `HTTP ${status} (SAP error -5002: "Busy")`);
        assert.equal(retry.retryAfterMs, 7_000);
        assert.equal(retry.network, false);
        assert.equal(retry.reachability, undefined, 'the server answered: it is reachable');
      }
    }
  });

  test('Retry-After as an HTTP-date counts from the response’s Date header; without one, from our clock', () => {
    const withDate = answer(429, '', { 'retry-after': 'Thu, 15 Jan 2026 09:00:30 GMT', date: 'Thu, 15 Jan 2026 09:00:10 GMT' });
    assert.equal(retried(classifyResponse(withDate, get(), dataRequest(), NOW - 3_600_000)).retryAfterMs, 20_000);
    const withoutDate = answer(429, '', { 'retry-after': 'Thu, 15 Jan 2026 09:00:30 GMT' });
    assert.equal(retried(classifyResponse(withoutDate, get(), dataRequest(), NOW)).retryAfterMs, 30_000);
    assert.equal(retried(classifyResponse(answer(429), get(), dataRequest(), NOW)).retryAfterMs, undefined);
  });

  test('500, 502 and 504 are retried when the call is idempotent; otherwise they fail as transient, not repeated', () => {
    const proxyPage = '<html><head><title>502 Proxy Error</title></head><body><h1>Proxy Error</h1></body></html>';
    for (const status of [500, 502, 504]) {
      const response = answer(status, proxyPage, { 'content-type': 'text/html' });
      assert.match(retried(classifyResponse(response, get(), dataRequest(), NOW)).reason, new RegExp(`HTTP ${status} \\("502 Proxy Error: Proxy Error"\\)`));
      const error = failed(classifyResponse(response, get(), dataRequest({ idempotent: false, description: 'POST run_once' }), NOW));
      assert.equal(error.failureType, 'transient_error');
      assert.match(error.message, new RegExp(`The Service Layer request POST run_once failed: HTTP ${status} .*It was not repeated: POST run_once may have started its work already`));
    }
  });
});

describe('failed exchanges', () => {
  const url = 'http://no-such-host.invalid:50000/b1s/v2/Login';
  const coded = (code: string, message: string) => Object.assign(new Error(message), { code });
  const failure = (error: unknown, facts: ConstructorParameters<typeof ExchangeFailure>[1] = { answered: false }) => new ExchangeFailure(error, facts);

  test('a host that does not resolve ends the run with a config_error naming the host and the setting', () => {
    // Built like the errors undici throws, so the test does not depend on the machine's DNS resolver.
    const notFound = Object.assign(new Error('getaddrinfo ENOTFOUND no-such-host.invalid'), { code: 'ENOTFOUND', syscall: 'getaddrinfo' });
    const error = failed(classifyFailure(failure(notFound), get(url), dataRequest()));
    assert.equal(error.failureType, 'config_error');
    assert.match(error.message, /"no-such-host\.invalid" of http:\/\/no-such-host\.invalid:50000 does not resolve.*service_layer_url/);
    assert.ok(error.endsRun, 'a host that does not resolve ends the run');
  });

  test('a refused connection on every address is retried and counts as refused; the reason names host, port and both causes', () => {
    const refusedOnAllAddresses = new AggregateError([coded('ECONNREFUSED', 'connect ECONNREFUSED ::1:50000'), coded('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:50000')]);
    const retry = retried(classifyFailure(failure(new TypeError('fetch failed', { cause: refusedOnAllAddresses })), get(url), dataRequest()));
    assert.match(retry.reason, /connection refused by host no-such-host\.invalid on port 50000 \(connect ECONNREFUSED ::1:50000 \[ECONNREFUSED\]\)/);
    assert.match(retry.reason, /server is down \(the Service Layer is not running, or is restarting\) or 50000 is the wrong port/);
    assert.equal(retry.reachability, 'refused');
    assert.equal(retry.network, true);
  });

  test('every retryable network error is retried, those that show the host unreachable count as such, and each names its code', () => {
    // What each code means for reaching the host, written out here rather than read from the table.
    const expected: Record<string, 'unreachable' | undefined> = {
      ECONNRESET: undefined,
      ECONNABORTED: undefined,
      EPIPE: undefined,
      UND_ERR_SOCKET: undefined,
      UND_ERR_CLOSED: undefined,
      UND_ERR_BODY_TIMEOUT: undefined,
      UND_ERR_RES_CONTENT_LENGTH_MISMATCH: undefined,
      ERR_STREAM_PREMATURE_CLOSE: undefined,
      ETIMEDOUT: 'unreachable',
      EHOSTUNREACH: 'unreachable',
      ENETUNREACH: 'unreachable',
      ENETDOWN: 'unreachable',
      EHOSTDOWN: 'unreachable',
      EAI_AGAIN: 'unreachable',
      UND_ERR_CONNECT_TIMEOUT: 'unreachable',
      UND_ERR_HEADERS_TIMEOUT: 'unreachable',
    };
    for (const [code, reachability] of Object.entries(expected)) {
      const retry = retried(classifyFailure(failure(coded(code, `${code.toLowerCase()} happened`)), get(), dataRequest()));
      assert.equal(retry.reachability, reachability, code);
      assert.match(retry.reason, new RegExp(`\\(b1:50000: ${code.toLowerCase()} happened \\[${code}\\]\\)$`), code);
    }
  });

  test('a network error after the headers came is a body cut short: retried, and the host was reached', () => {
    const retry = retried(classifyFailure(failure(coded('UND_ERR_SOCKET', 'other side closed'), { answered: true }), get(), dataRequest()));
    assert.match(retry.reason, /^response body cut short: connection closed by the server/);
    assert.equal(retry.reachability, undefined);
    const undecodable = retried(classifyFailure(failure(coded(UNDECODABLE_BODY, 'a gzip body that does not decompress (unexpected end of file)'), { answered: true }), get(), dataRequest()));
    assert.match(undecodable.reason, /^response body cut short: a gzip body that does not decompress/);
  });

  test('no complete response within the request timeout is retried; only a server that sent nothing counts as unreachable', () => {
    const silent = retried(classifyFailure(failure(new Error('request timeout'), { answered: false, timedOutAfterMs: 300 }), get(), dataRequest()));
    assert.equal(silent.reason, 'no complete response within 0.3 s (request_timeout_seconds)');
    assert.equal(silent.reachability, 'unreachable');
    const slowBody = retried(classifyFailure(failure(new Error('request timeout'), { answered: true, timedOutAfterMs: 300 }), get(), dataRequest()));
    assert.equal(slowBody.reachability, undefined);
  });

  test('certificates that cannot be trusted end the run with a config_error that says which setting fixes it', () => {
    const cases: [string, RegExp][] = [
      ['DEPTH_ZERO_SELF_SIGNED_CERT', /the TLS certificate is not trusted \(self-signed certificate\)\. Pin it in tls\.certificate_pem\./],
      ['UNABLE_TO_VERIFY_LEAF_SIGNATURE', /the TLS certificate is not trusted/],
      ['CERT_HAS_EXPIRED', /outside its validity period/],
      ['ERR_TLS_CERT_ALTNAME_INVALID', /not issued for host "b1".*service_layer_url/],
      ['ERR_SSL_WRONG_VERSION_NUMBER', /does not speak HTTPS on this port.*service_layer_url/],
    ];
    for (const [code, message] of cases) {
      const error = failed(classifyFailure(failure(coded(code, 'self-signed certificate')), get(), dataRequest()));
      assert.equal(error.failureType, 'config_error', code);
      assert.ok(error.endsRun, code);
      assert.match(error.message, message, code);
    }
    // Without TLS a wrong protocol version is not about certificates.
    assert.equal(failed(classifyFailure(failure(coded('ERR_SSL_WRONG_VERSION_NUMBER', 'x')), get('http://b1:50000/b1s/v2/Items'), dataRequest())).failureType, 'system_error');
  });

  test('an http:// connection closed without an answer by a port that speaks TLS ends the run: use https://', () => {
    const error = failed(classifyFailure(failure(coded('UND_ERR_SOCKET', 'other side closed'), { answered: false, tlsPort: true }), get('http://b1:50000/b1s/v2/Login'), dataRequest()));
    assert.equal(error.failureType, 'config_error');
    assert.ok(error.endsRun);
    assert.match(error.message, /speaks HTTPS on port 50000.*Use https:\/\/b1:50000/);
  });

  test('a client closed during the request, a body in an unknown encoding and anything unknown are system_errors', () => {
    assert.match(failed(classifyFailure(failure(coded('UND_ERR_DESTROYED', 'destroyed')), get(), dataRequest())).message, /Service Layer client was closed while this request was still running/);
    const encoding = failed(classifyFailure(failure(coded(UNSUPPORTED_ENCODING, 'a body in an unsupported encoding "zstd"'), { answered: true }), get(), dataRequest()));
    assert.equal(encoding.failureType, 'system_error');
    assert.match(encoding.message, /The Service Layer sent a body in an unsupported encoding "zstd"/);
    const unknown = failed(classifyFailure(failure(new Error('something else')), get(), dataRequest()));
    assert.equal(unknown.failureType, 'system_error');
    assert.match(unknown.message, /Request to b1:50000 failed: something else/);
  });

  test('a retryable failure of a call that is not idempotent fails as transient, not repeated: it may have started its work', () => {
    const call = dataRequest({ idempotent: false, description: 'POST /scheduled_plans/1/run_once' });
    const error = failed(classifyFailure(failure(new TypeError('fetch failed', { cause: coded('ECONNRESET', 'read ECONNRESET') })), get(), call));
    assert.equal(error.failureType, 'transient_error');
    assert.match(error.message, /^Could not reach the Service Layer \(POST \/scheduled_plans\/1\/run_once\): connection reset \(b1:50000: read ECONNRESET \[ECONNRESET\]\)\. It was not repeated/);
    // What retrying cannot fix stays what it is.
    assert.equal(failed(classifyFailure(failure(coded('ENOTFOUND', 'getaddrinfo ENOTFOUND b1')), get(), call)).failureType, 'config_error');
  });
});
