import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import { ConnectorError } from '../../src/errors.js';
import { ServiceLayerClient } from '../../src/service-layer/client.js';
import { SecretRedactor } from '../../src/logging.js';
import { ServiceLayerHttpError } from '../../src/service-layer/errors.js';
import {
  assertNoSecrets,
  captureLogger,
  fakeTime,
  PASSWORD,
  sapError,
  sessionConfig,
  startFakeServer,
  startFakeServiceLayer,
  type Reply,
} from './helpers.js';

const PROXY_ERROR_PAGE = `<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">
<html><head>
<title>502 Proxy Error</title>
</head><body>
<h1>Proxy Error</h1>
<p>The proxy server received an invalid
response from an upstream server.<br />
The proxy server could not handle the request <em><a href="/b1s/v2/Invoices">GET&nbsp;/b1s/v2/Invoices</a></em>.</p>
</body></html>`;

const OK: Reply = { body: { value: [{ DocEntry: 7 }] } };

/** A Service Layer whose data requests first fail in the given ways, then answer OK. */
async function flakyServiceLayer(failures: Reply[], t: { after: (fn: () => Promise<void>) => void }) {
  const queue = [...failures];
  const sl = await startFakeServiceLayer({ data: () => queue.shift() ?? OK });
  t.after(() => sl.close());
  return sl;
}

const retryable: [string, Reply, RegExp][] = [
  ['429 with Retry-After in seconds', { status: 429, headers: { 'retry-after': '7' }, body: sapError('v2', 429, 'Too many requests') }, /HTTP 429/],
  ['500', { status: 500, body: sapError('v2', -1, 'Internal error') }, /HTTP 500.*SAP error -1/],
  ['502 Apache proxy HTML page', { status: 502, headers: { 'content-type': 'text/html; charset=iso-8859-1' }, body: PROXY_ERROR_PAGE }, /HTTP 502.*502 Proxy Error/],
  ['503', { status: 503, body: 'Service Unavailable' }, /HTTP 503/],
  ['504', { status: 504, body: '' }, /HTTP 504/],
  ['connection reset', { fault: 'reset' }, /connection|closed|reset/i],
  ['body cut short', { fault: 'truncate', body: { value: [{ DocEntry: 1, CardName: 'x'.repeat(200) }] } }, /cut short|closed/i],
  ['200 with a body that is not JSON', { status: 200, body: '{"value": [{"DocEntry": 1}, {"Doc' }, /does not parse/],
  ['200 with an HTML page', { status: 200, headers: { 'content-type': 'text/html' }, body: '<html><body>Please log in</body></html>' }, /markup instead of JSON/],
];

for (const [name, failure, reason] of retryable) {
  test(`retries after ${name}, then succeeds`, async (t) => {
    const sl = await flakyServiceLayer([failure, failure], t);
    const logger = captureLogger();
    const time = fakeTime();
    const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: sessionConfig(sl.root), logger, ...time.options });
    t.after(() => client.close());
    assert.deepEqual(await client.getJson('Invoices'), { value: [{ DocEntry: 7 }] });
    assert.equal(client.stats.retries, 2);
    assert.equal(client.stats.signIns, 1);
    const warnings = logger.lines.filter((l) => l.level === 'WARN');
    assert.equal(warnings.length, 2);
    for (const warning of warnings) {
      assert.match(warning.message, /GET Invoices/);
      assert.match(warning.message, reason);
    }
    assertNoSecrets(logger, [PASSWORD, ...sl.issuedSessions]);
  });
}

test('Retry-After in seconds and as an HTTP date decides the wait', async (t) => {
  const time = fakeTime();
  const date = new Date(time.now() + 42_000).toUTCString();
  const sl = await flakyServiceLayer(
    [
      { status: 429, headers: { 'retry-after': '7' } },
      // The server's own clock, which a Retry-After date is counted from: 7 s on, as the client's.
      { status: 503, headers: { 'retry-after': date, date: new Date(time.now() + 7_000).toUTCString() } },
    ],
    t,
  );
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: sessionConfig(sl.root), logger: captureLogger(), ...time.options });
  t.after(() => client.close());
  await client.getJson('Invoices');
  assert.equal(time.sleeps[0], 7_000);
  // The date has a one-second resolution; the clock advanced 7 s already.
  assert.ok(Math.abs(time.sleeps[1]! - 35_000) <= 1_000, `waited ${time.sleeps[1]} ms`);
});

test('a request that keeps failing ends, after max_retries, in a transient_error saying what failed', async (t) => {
  const sl = await startFakeServiceLayer({ data: () => ({ status: 503, body: sapError('v2', -5002, 'Server busy') }) });
  t.after(() => sl.close());
  const time = fakeTime();
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: sessionConfig(sl.root, { max_retries: 3 }), logger: captureLogger(), ...time.options });
  t.after(() => client.close());
  await assert.rejects(client.getJson('Invoices'), (error: unknown) => {
    assert.ok(error instanceof ConnectorError);
    assert.equal(error.failureType, 'transient_error');
    assert.match(error.message, /GET Invoices/);
    assert.match(error.message, /HTTP 503/);
    assert.match(error.message, /Server busy/);
    assert.match(error.message, /4 attempts/);
    return true;
  });
  assert.equal(sl.requests.filter((r) => r.url.endsWith('/Invoices')).length, 4);
  assert.deepEqual(time.sleeps, [500, 1_000, 2_000]);
});

test('max_retry_seconds bounds the time spent retrying, waits included', async (t) => {
  const sl = await startFakeServiceLayer({ data: () => ({ status: 429, headers: { 'retry-after': '40' } }) });
  t.after(() => sl.close());
  const time = fakeTime();
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(),
    config: sessionConfig(sl.root, { max_retries: 50, max_retry_seconds: 100 }),
    logger: captureLogger(),
    ...time.options,
  });
  t.after(() => client.close());
  await assert.rejects(client.getJson('Invoices'), (error: unknown) => {
    assert.ok(error instanceof ConnectorError);
    assert.equal(error.failureType, 'transient_error');
    assert.match(error.message, /HTTP 429/);
    assert.match(error.message, /max_retry_seconds/);
    return true;
  });
  assert.deepEqual(time.sleeps, [40_000, 40_000]);
});

test('a request slower than request_timeout_seconds is abandoned and retried', async (t) => {
  let calls = 0;
  const sl = await startFakeServiceLayer({ data: () => (++calls === 1 ? { fault: 'hang' } : OK) });
  t.after(() => sl.close());
  const logger = captureLogger();
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: sessionConfig(sl.root, { request_timeout_seconds: 0.3 }), logger, ...fakeTime().options });
  t.after(() => client.close());
  const started = Date.now();
  assert.deepEqual(await client.getJson('Invoices'), { value: [{ DocEntry: 7 }] });
  assert.ok(Date.now() - started < 3_000);
  assert.equal(client.stats.retries, 1);
  assert.ok(logger.lines.some((l) => l.level === 'WARN' && /request_timeout_seconds/.test(l.message)));
});

const notRetried: [number, object, string, RegExp][] = [
  [400, sapError('v1', -1000, "Invalid property name 'Nope'"), 'system_error', /HTTP 400, SAP error -1000: "Invalid property name 'Nope'"/],
  [403, sapError('v2', -2028, 'No permission to read this object'), 'config_error', /HTTP 403, SAP error -2028: "No permission.*read access/],
  [404, sapError('v2', -2028, "Resource not found for the segment 'DeliveryNotesX'"), 'config_error', /nothing at GET DeliveryNotesX.*HTTP 404.*Resource not found/],
];

for (const [status, body, failureType, message] of notRetried) {
  test(`HTTP ${status} is not retried and raises a ${failureType} with the SAP code and text`, async (t) => {
    const sl = await startFakeServiceLayer({ data: () => ({ status, body }) });
    t.after(() => sl.close());
    const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: sessionConfig(sl.root), logger: captureLogger(), ...fakeTime().options });
    t.after(() => client.close());
    await assert.rejects(client.getJson('DeliveryNotesX'), (error: unknown) => {
      assert.ok(error instanceof ServiceLayerHttpError);
      assert.equal(error.failureType, failureType);
      assert.equal(error.status, status);
      assert.match(error.message, message);
      return true;
    });
    assert.equal(sl.requests.filter((r) => r.method === 'GET').length, 1);
    assert.equal(client.stats.retries, 0);
  });
}

test('a refused connection is retried, then reported as a transient_error', async (t) => {
  const closed = await startFakeServer(() => OK);
  const root = `${closed.origin}/b1s/v2/`;
  await closed.close();
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: sessionConfig(root, { max_retries: 2 }), logger: captureLogger(), ...fakeTime().options });
  t.after(() => client.close());
  await assert.rejects(client.connect(), (error: unknown) => {
    assert.ok(error instanceof ConnectorError);
    assert.equal(error.failureType, 'transient_error');
    assert.match(error.message, /connection refused by host 127\.0\.0\.1 on port \d+/);
    return true;
  });
  assert.equal(client.stats.retries, 2);
});

test('gzip-compressed answers are decompressed', async (t) => {
  const sl = await startFakeServiceLayer({
    data: (request) => {
      assert.match(String(request.headers['accept-encoding']), /gzip/);
      return { headers: { 'content-encoding': 'gzip', 'content-type': 'application/json' }, body: gzipSync(JSON.stringify({ value: [1, 2] })) };
    },
  });
  t.after(() => sl.close());
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: sessionConfig(sl.root), logger: captureLogger(), ...fakeTime().options });
  t.after(() => client.close());
  assert.deepEqual(await client.getJson('Items'), { value: [1, 2] });
});
