/**
 * The retry loop (src/http/client.ts) against scripted answers on a virtual clock: what it waits
 * (jitter, Retry-After), when it stops (retries, time, Retry-After beyond the budget, the run's
 * connectivity budget), session renewal as one of its outcomes, a body cut short, and what it
 * counts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectorError, configError, systemError, transientError } from '../../src/errors.js';
import type { Service } from '../../src/http/classify.js';
import { HttpClient, type Call, type CallBase, type ReadOutcome, type RequestCounters } from '../../src/http/client.js';
import { NEVER_REACHED_REFUSED_BUDGET_MS } from '../../src/http/connectivity.js';
import type { HttpResponse } from '../../src/http/message.js';
import type { RetryPolicy } from '../../src/http/retry.js';
import type { Authenticator } from '../../src/http/sign-in.js';
import { scriptedDispatcher, type Script } from '../helpers/scripted-dispatcher.js';
import { captureLogger } from '../service-layer/helpers.js';

const service: Service = {
  name: 'the test service',
  urlSetting: 'test.url',
  untrustedCertificateAdvice: 'Trust it.',
  describeError: (response) => `"${response.body}"`,
};

function setup(script: Script, options: { random?: number; policy?: RetryPolicy; onSleep?: () => void } = {}) {
  let now = Date.UTC(2026, 0, 15, 9, 0, 0);
  const sleeps: number[] = [];
  const counters: RequestCounters = { requests: 0, retries: 0, signIns: 0 };
  const logger = captureLogger();
  const http = new HttpClient({
    dispatcher: scriptedDispatcher(script),
    service,
    policy: options.policy ?? { maxRetries: 8, maxRetryMs: 600_000 },
    requestTimeoutMs: 5_000,
    clock: {
      now: () => now,
      sleep: async (ms) => {
        sleeps.push(ms);
        now += ms;
        options.onSleep?.();
      },
      random: () => options.random ?? 0.5,
    },
    logger,
    counters,
  });
  return { http, sleeps, counters, logger, now: () => now };
}

function call(overrides: Partial<CallBase> & { read?: (response: HttpResponse) => ReadOutcome<string> } = {}): Call<string> {
  return {
    description: 'GET /things',
    request: { method: 'GET', url: new URL('https://api.test/things'), headers: {} },
    idempotent: true,
    refuse: (response) => configError(`refused with HTTP ${response.status}`),
    read: (response) => ({ value: response.body }),
    ...overrides,
  };
}

/** Answers from a list, one a request, then the last one for ever. */
function answers(...responses: (() => Response)[]): Script {
  let index = 0;
  return () => responses[Math.min(index++, responses.length - 1)]!();
}

const refused = (): never => {
  throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:443'), { code: 'ECONNREFUSED' }) });
};

test('the waits between retries are the jittered backoff; the injected random decides where in the range', async () => {
  for (const [random, expected] of [
    [0.25, [250, 500, 1_000]],
    [0.75, [750, 1_500, 3_000]],
  ] as const) {
    const busy = () => new Response('busy', { status: 503 });
    const { http, sleeps, counters } = setup(answers(busy, busy, busy, () => new Response('ok')), { random });
    assert.equal(await http.send(call()), 'ok');
    assert.deepEqual(sleeps, expected);
    assert.deepEqual(counters, { requests: 4, retries: 3, signIns: 0 });
  }
});

test('Retry-After in seconds and as an HTTP-date from the server’s Date header decides the wait, and the retry is logged', async () => {
  const { http, sleeps, logger } = setup(
    answers(
      () => new Response('slow down', { status: 429, headers: { 'retry-after': '7' } }),
      () => new Response('busy', { status: 503, headers: { 'retry-after': 'Thu, 15 Jan 2026 10:00:42 GMT', date: 'Thu, 15 Jan 2026 10:00:07 GMT' } }),
      () => new Response('ok'),
    ),
  );
  assert.equal(await http.send(call()), 'ok');
  assert.deepEqual(sleeps, [7_000, 35_000]);
  const warnings = logger.lines.filter((line) => line.level === 'WARN').map((line) => line.message);
  assert.equal(warnings.length, 2);
  assert.match(warnings[0]!, /^The test service request GET \/things failed: HTTP 429 \("slow down"\); retry 1 of 8 in 7 s \(as asked by Retry-After\)$/);
});

test('after max retries the call fails as transient, saying what failed, how often and which limit stopped it', async () => {
  const { http, sleeps, counters } = setup(() => new Response('busy', { status: 503 }), { policy: { maxRetries: 3, maxRetryMs: 600_000, settings: { maxRetries: 'max_retries', maxRetryTime: 'max_retry_seconds' } } });
  const error = await http.send(call()).catch((e: unknown) => e);
  assert.ok(error instanceof ConnectorError);
  assert.equal(error.failureType, 'transient_error');
  assert.match(error.message, /^The test service request GET \/things failed: HTTP 503 \("busy"\)\. It kept failing after retries \(4 attempts over 3\.5 s; max_retries is 3\)/);
  assert.deepEqual(sleeps, [500, 1_000, 2_000]);
  assert.equal(counters.requests, 4);
});

test('the time limit counts the waits, and a Retry-After beyond it stops the retries before waiting', async () => {
  const limited = setup(() => new Response('wait', { status: 429, headers: { 'retry-after': '40' } }), { policy: { maxRetries: 50, maxRetryMs: 100_000 } });
  const error = await limited.http.send(call()).catch((e: unknown) => e);
  assert.ok(error instanceof ConnectorError);
  assert.match(error.message, /3 attempts over 1\.3 min; the server asks to wait 40 s, beyond what the retry time limit allows/);
  assert.deepEqual(limited.sleeps, [40_000, 40_000]);

  const tooLong = setup(() => new Response('wait', { status: 429, headers: { 'retry-after': '3600' } }), { policy: { maxRetries: 4, maxRetryMs: 300_000 } });
  const once = await tooLong.http.send(call()).catch((e: unknown) => e);
  assert.ok(once instanceof ConnectorError);
  assert.match(once.message, /HTTP 429 \("wait"\)\. It was not retried: the server asks to wait 3600 s/);
  assert.deepEqual(tooLong.sleeps, []);
});

test('a body the call cannot read (cut short) is asked for again; what the call throws ends it at once', async () => {
  const { http, counters } = setup(answers(() => new Response('{"value": [1, 2'), () => new Response('{"value": [1, 2]}')));
  const read = (response: HttpResponse) => {
    try {
      return { value: JSON.stringify(JSON.parse(response.body)) };
    } catch {
      return { retry: 'JSON that does not parse (cut short?)' };
    }
  };
  assert.equal(await http.send(call({ read })), '{"value":[1,2]}');
  assert.equal(counters.retries, 1);
  const broken = setup(() => new Response('<html>'));
  await assert.rejects(
    broken.http.send(call({ read: () => { throw systemError('not a page'); } })),
    /not a page/,
  );
  assert.equal(broken.counters.requests, 1);
});

test('a 401 renews the session inside the loop: the call is repeated at once with the new credentials, and only once', async () => {
  let generation = 1;
  const renewals: number[] = [];
  const auth: Authenticator = {
    credentials: async () => ({ headers: { authorization: `Bearer token-${generation}` }, generation }),
    renew: async (seen) => {
      renewals.push(seen);
      generation++;
    },
    refusedAfterRenewal: (description, response) => transientError(`${description} refused even after renewing (HTTP ${response.status})`),
  };
  const seen: string[] = [];
  const script: Script = (_url, request) => {
    seen.push(request.headers.authorization ?? '');
    return request.headers.authorization === 'Bearer token-1' ? new Response('expired', { status: 401 }) : new Response('ok');
  };
  const { http, sleeps, counters } = setup(script);
  assert.equal(await http.send(call({ auth })), 'ok');
  assert.deepEqual(seen, ['Bearer token-1', 'Bearer token-2']);
  assert.deepEqual(renewals, [1]);
  assert.deepEqual(sleeps, [], 'a renewal is not a retry: no wait');
  assert.equal(counters.retries, 0);

  const stubborn = setup(() => new Response('no', { status: 401 }));
  await assert.rejects(stubborn.http.send(call({ auth })), /GET \/things refused even after renewing \(HTTP 401\)/);
  assert.equal(stubborn.counters.requests, 2);
});

test('a call that is not idempotent is sent once after an ambiguous failure; 429 and 503 are still retried', async () => {
  const gateway = setup(() => new Response('bad gateway', { status: 502 }));
  await assert.rejects(gateway.http.send(call({ idempotent: false, description: 'POST /run' })), /It was not repeated: POST \/run may have started its work already/);
  assert.equal(gateway.counters.requests, 1);
  const limited = setup(answers(() => new Response('slow', { status: 429 }), () => new Response('ok')));
  assert.equal(await limited.http.send(call({ idempotent: false })), 'ok');
});

test('a host refused since the start of the run is given up after the short budget; from then on nothing is sent', async () => {
  const { http, counters, now } = setup(refused, { policy: { maxRetries: 100, maxRetryMs: 600_000 } });
  const started = now();
  const error = await http.send(call()).catch((e: unknown) => e);
  assert.ok(error instanceof ConnectorError, String(error));
  assert.ok(error.endsRun);
  assert.equal(error.failureType, 'config_error');
  assert.match(error.message, /^Connection refused by host api\.test on port 443 .*this run never reached it\)\. Check that the test service is running, and the host and port of https:\/\/api\.test in test\.url\./);
  assert.ok(now() - started <= NEVER_REACHED_REFUSED_BUDGET_MS);
  const sent = counters.requests;
  assert.equal(await http.send(call()).catch((e: unknown) => e), error);
  assert.equal(counters.requests, sent, 'nothing more is sent to a host the run gave up on');
});

test('a call with its own retry limit says why it was not retried; sign-ins are counted', async () => {
  const { http, counters } = setup(refused);
  await assert.rejects(
    http.send(call({ signIn: true, retryLimit: { maxRetries: 0, because: 'a sign-out must not hold up the end of the sync' } })),
    /Could not reach the test service \(GET \/things\): connection refused .*It was not retried: a sign-out must not hold up the end of the sync\.$/,
  );
  assert.deepEqual(counters, { requests: 1, retries: 0, signIns: 1 });
});

test('an abort during the wait before a retry ends the call with the abort’s reason, and nothing more is sent', async () => {
  const controller = new AbortController();
  const { http, counters } = setup(() => new Response('busy', { status: 503 }), { onSleep: () => controller.abort(new Error('stopped by the caller')) });
  await assert.rejects(http.send(call({ signal: controller.signal })), /stopped by the caller/);
  assert.equal(counters.requests, 1);
});

test('every request carries the default headers, the call’s own and the credentials, in that order of precedence', async () => {
  let headers: Record<string, string> = {};
  const { http } = setup((_url, request) => {
    headers = request.headers;
    return new Response('ok');
  });
  await http.send(call({ request: { method: 'GET', url: new URL('https://api.test/things'), headers: { accept: 'application/json', 'user-agent': 'mine' } } }));
  assert.equal(headers['accept-encoding'], 'gzip, deflate');
  assert.equal(headers['user-agent'], 'mine');
  assert.equal(headers.accept, 'application/json');
});
