/**
 * One exchange (src/http/exchange.ts): the whole body, decompressed; and, when it fails, the facts
 * the classification table needs (how far it got, a timeout, an http:// port that speaks TLS).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import { errorCodes, exchange, ExchangeFailure, UNDECODABLE_BODY, UNSUPPORTED_ENCODING } from '../../src/http/exchange.js';
import type { HttpRequest } from '../../src/http/message.js';
import { scriptedDispatcher } from '../helpers/scripted-dispatcher.js';
import { refusedPort } from '../helpers/unreachable.js';
import { startFakeServer } from '../service-layer/helpers.js';
import { Agent } from 'undici';

const request: HttpRequest = { method: 'GET', url: new URL('https://api.test/things'), headers: {} };

async function failureOf(work: Promise<unknown>): Promise<ExchangeFailure> {
  const error = await work.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(error instanceof ExchangeFailure, String(error));
  return error;
}

test('gzip, deflate and brotli bodies are decompressed; identity and no encoding are read as they are', async () => {
  const text = JSON.stringify({ value: ['Ä', 'ö', '€'] });
  const encodings: [string | undefined, Buffer][] = [
    ['gzip', gzipSync(text)],
    ['x-gzip', gzipSync(text)],
    ['deflate', deflateSync(text)],
    ['br', brotliCompressSync(text)],
    ['identity', Buffer.from(text)],
    [undefined, Buffer.from(text)],
  ];
  for (const [encoding, body] of encodings) {
    const dispatcher = scriptedDispatcher(() => new Response(body, { headers: encoding ? { 'content-encoding': encoding } : {} }));
    const response = await exchange(dispatcher, request, { timeoutMs: 1_000 });
    assert.equal(response.status, 200);
    assert.equal(response.body, text, String(encoding));
  }
});

test('a body in an unknown encoding, or one that does not decompress, fails after the answer came, with a code of its own', async () => {
  const unknown = await failureOf(exchange(scriptedDispatcher(() => new Response('x', { headers: { 'content-encoding': 'zstd-ish' } })), request, { timeoutMs: 1_000 }));
  assert.deepEqual(errorCodes(unknown.error), [UNSUPPORTED_ENCODING]);
  assert.equal(unknown.facts.answered, true);
  const cut = gzipSync('{"value": [1, 2, 3]}').subarray(0, 12);
  const undecodable = await failureOf(exchange(scriptedDispatcher(() => new Response(cut, { headers: { 'content-encoding': 'gzip' } })), request, { timeoutMs: 1_000 }));
  assert.equal(errorCodes(undecodable.error)[0], UNDECODABLE_BODY);
  assert.equal(undecodable.facts.answered, true);
});

test('no answer within the timeout is a failure that says how long it waited and that nothing came back', async () => {
  const hanging = scriptedDispatcher(() => new Promise<Response>(() => undefined));
  const failure = await failureOf(exchange(hanging, request, { timeoutMs: 50 }));
  assert.deepEqual(failure.facts, { answered: false, timedOutAfterMs: 50 });
});

test('the caller’s abort is not a failure of the exchange: its reason is thrown as it is', async () => {
  const controller = new AbortController();
  const hanging = scriptedDispatcher(() => new Promise<Response>(() => undefined));
  const reason = new Error('stop now');
  setTimeout(() => controller.abort(reason), 20);
  await assert.rejects(exchange(hanging, request, { timeoutMs: 5_000, signal: controller.signal }), (error) => error === reason);
});

test('a network error is kept with its codes, and a refused port on http:// is not mistaken for a TLS port', async (t) => {
  const pool = new Agent();
  t.after(() => pool.close());
  const port = await refusedPort();
  const failure = await failureOf(exchange(pool, { ...request, url: new URL(`http://127.0.0.1:${port}/things`) }, { timeoutMs: 2_000 }));
  assert.ok(errorCodes(failure.error).includes('ECONNREFUSED'));
  assert.equal(failure.facts.answered, false);
  assert.equal(failure.facts.tlsPort, undefined);
});

test('an http:// request that a TLS port closes without an answer is found out by a TLS probe', async (t) => {
  const { default: selfsigned } = await import('selfsigned');
  const pems = await selfsigned.generate([{ name: 'commonName', value: 'localhost' }], { keyType: 'ec', algorithm: 'sha256' });
  const tlsServer = await startFakeServer(() => ({ body: 'never sent in plain HTTP' }), { key: pems.private, cert: pems.cert });
  t.after(() => tlsServer.close());
  const pool = new Agent();
  t.after(() => pool.close());
  const failure = await failureOf(exchange(pool, { ...request, url: new URL(`${tlsServer.origin.replace('https:', 'http:')}/things`) }, { timeoutMs: 2_000 }));
  assert.equal(failure.facts.tlsPort, true);
});
