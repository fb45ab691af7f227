import { after, before, beforeEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { startServiceLayerSimulator, type ServiceLayerSimulator } from '../index.js';
import { errorOf, TestClient } from './client.js';

/** A raw GET that reports what the socket saw: status, the Content-Length promised and the bytes received. */
function rawGet(url: string, cookie: string): Promise<{ status?: number; promised?: number; received: number; error?: string }> {
  return new Promise((resolve) => {
    let received = 0;
    let status: number | undefined;
    let promised: number | undefined;
    const req = request(url, { headers: { cookie, connection: 'close' } }, (res) => {
      status = res.statusCode;
      promised = Number(res.headers['content-length']);
      res.on('data', (chunk: Buffer) => (received += chunk.length));
      res.on('end', () => resolve({ status, promised, received }));
      res.on('error', (e) => resolve({ status, promised, received, error: e.message }));
    });
    req.on('error', (e) => resolve({ status, promised, received, error: (e as NodeJS.ErrnoException).code ?? e.message }));
    req.end();
  });
}

describe('faults', () => {
  let sim: ServiceLayerSimulator;
  let c: TestClient;
  before(async () => {
    sim = await startServiceLayerSimulator();
    c = new TestClient(sim);
    await c.login();
  });
  beforeEach(() => {
    sim.faults.clear();
    sim.clearRequestLog();
  });
  after(() => sim.stop());

  test('status429 with Retry-After, after N matching requests, for `times` requests', async () => {
    sim.faults.add({ kind: 'status429', retryAfterSeconds: 7, match: { pathIncludes: 'Items' }, after: 2, times: 2 });
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const reply = await c.get('Items?$top=1');
      statuses.push(reply.status);
      if (reply.status === 429) assert.equal(reply.headers.get('retry-after'), '7');
    }
    assert.deepEqual(statuses, [200, 200, 429, 429, 200]);
    assert.equal((await c.get('Warehouses')).status, 200, 'other paths do not match');
    assert.deepEqual(sim.requestLog.map((e) => e.fault ?? null), [null, null, 'status429', 'status429', null, null]);
  });

  test('bursts of Apache HTML "502 Proxy Error"', async () => {
    sim.faults.add({ kind: 'proxy502', match: { method: 'GET', pathIncludes: 'Invoices' }, times: 3 });
    for (let i = 0; i < 3; i++) {
      const reply = await c.get('Invoices?$top=1');
      assert.equal(reply.status, 502);
      assert.match(reply.headers.get('content-type') ?? '', /^text\/html/);
      assert.match(reply.text, /<title>502 Proxy Error<\/title>/);
      assert.match(reply.text, /Reason: <strong>Error reading from remote server<\/strong>/);
    }
    assert.equal((await c.get('Invoices?$top=1')).status, 200);
  });

  test('503, 504 (HTML gateway pages) and 500 (Service Layer error body)', async () => {
    sim.faults.add({ kind: 'status503', match: { pathIncludes: 'Dimensions' } });
    sim.faults.add({ kind: 'status504', match: { pathIncludes: 'Warehouses' } });
    sim.faults.add({ kind: 'status500', match: { pathIncludes: 'ItemGroups' } });
    const unavailable = await c.get('Dimensions');
    assert.equal(unavailable.status, 503);
    assert.match(unavailable.text, /503 Service Unavailable/);
    const timeout = await c.get('Warehouses');
    assert.equal(timeout.status, 504);
    assert.match(timeout.text, /504 Gateway Timeout/);
    const failed = await c.get('ItemGroups');
    assert.equal(failed.status, 500);
    assert.equal(typeof errorOf(failed).message, 'string');
  });

  test('latency: a fault delays one request; latencyMs delays every request', async () => {
    sim.faults.add({ kind: 'latency', ms: 200, match: { pathIncludes: 'Dimensions' } });
    let started = performance.now();
    assert.equal((await c.get('Dimensions')).status, 200);
    assert.ok(performance.now() - started >= 190);
    started = performance.now();
    await c.get('Dimensions');
    assert.ok(performance.now() - started < 190);
    const slow = await startServiceLayerSimulator({ latencyMs: 120 });
    try {
      const sc = new TestClient(slow);
      started = performance.now();
      await sc.login();
      await sc.get('Dimensions');
      assert.ok(performance.now() - started >= 230);
    } finally {
      await slow.stop();
    }
  });

  test('reset destroys the connection without a response', async () => {
    sim.faults.add({ kind: 'reset', match: { pathIncludes: 'Items' } });
    const result = await rawGet(`${sim.baseUrl}/Items?$top=3`, c.cookie);
    assert.equal(result.status, undefined);
    assert.ok(result.error, 'the client sees a connection error');
    assert.equal((await c.get('Items?$top=3')).status, 200, 'only the first matching request is reset');
    assert.equal(sim.requestLog[0]!.fault, 'reset');
    assert.equal(sim.requestLog[0]!.status, 0);
  });

  test('truncate sends part of the body, then closes: Content-Length promises more', async () => {
    sim.faults.add({ kind: 'truncate', match: { pathIncludes: 'Invoices' } });
    const result = await rawGet(`${sim.baseUrl}/Invoices?$top=5`, c.cookie);
    assert.equal(result.status, 200);
    assert.ok(result.promised! > 0);
    assert.ok(result.received < result.promised!, `received ${result.received} of ${result.promised}`);
    const whole = await c.get('Invoices?$top=5');
    assert.equal(Buffer.byteLength(whole.text), result.promised);
  });

  test('expire_session: the session of the request is expired before it is served (401, code 301)', async () => {
    const own = new TestClient(sim);
    await own.login();
    sim.faults.add({ kind: 'expire_session', match: { pathIncludes: 'Invoices' }, after: 2 });
    assert.equal((await own.get('Invoices?$top=1')).status, 200);
    assert.equal((await own.get('Invoices?$top=1')).status, 200);
    const third = await own.get('Invoices?$top=1');
    assert.equal(third.status, 401);
    assert.equal(errorOf(third).code, '301');
    assert.equal((await own.get('Items?$top=1')).status, 401, 'the session stays expired');
    assert.equal((await c.get('Items?$top=1')).status, 200, 'other sessions live on');
    await own.login();
    assert.equal((await own.get('Invoices?$top=1')).status, 200);
  });

  test('faults can target Login too, and a rule with a method filter ignores other methods', async () => {
    sim.faults.add({ kind: 'status503', match: { method: 'POST', pathIncludes: 'Login' } });
    const fresh = new TestClient(sim);
    assert.equal((await fresh.login()).status, 503);
    assert.equal((await fresh.login()).status, 200);
  });

  test('unknown fault kinds and bad counts are refused', () => {
    assert.throws(() => sim.faults.add({ kind: 'explode' } as never), /Unknown fault kind/);
    assert.throws(() => sim.faults.add({ kind: 'reset', after: -1 }), /non-negative/);
  });
});
