/**
 * One connectivity budget per command (src/http/connectivity.ts), driven through the Service Layer client: time spent failing to
 * reach a host counts across requests, a refused connection to a host never reached gets a short
 * budget, and once the budget is spent nothing more is sent. Sleeps run on a virtual clock except
 * where a real request timeout is measured.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectorError } from '../../src/errors.js';
import { NEVER_REACHED_REFUSED_BUDGET_MS } from '../../src/http/connectivity.js';
import { ServiceLayerClient } from '../../src/service-layer/client.js';
import { SecretRedactor } from '../../src/logging.js';
import { refusedPort, startSilentListener } from '../helpers/unreachable.js';
import { captureLogger, fakeTime, sessionConfig, startFakeServer, startFakeServiceLayer } from '../service-layer/helpers.js';

function endsRunError(error: unknown): ConnectorError {
  assert.ok(error instanceof ConnectorError, String(error));
  assert.ok(error.endsRun, `expected a run-ending error: ${error.message}`);
  return error;
}

test('a refused port never reached gets the short budget, names host and port, and then nothing more is sent', async (t) => {
  const root = `http://127.0.0.1:${await refusedPort()}/b1s/v2/`;
  const time = fakeTime();
  const started = time.now();
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: sessionConfig(root, { max_retries: 50, max_retry_seconds: 600 }), logger: captureLogger(), ...time.options });
  t.after(() => client.close());
  const error = endsRunError(await client.connect().catch((e: unknown) => e));
  assert.equal(error.failureType, 'config_error');
  const port = new URL(root).port;
  assert.match(error.message, new RegExp(`Connection refused by host 127\\.0\\.0\\.1 on port ${port}`));
  assert.match(error.message, /server is down/);
  assert.match(error.message, new RegExp(`${port} is the wrong port`));
  assert.ok(time.now() - started <= NEVER_REACHED_REFUSED_BUDGET_MS, `gave up after ${time.now() - started} ms`);

  const requests = client.stats.requests;
  assert.equal(await client.getJson('Items').catch((e: unknown) => e), error);
  assert.equal(await client.getText('$metadata').catch((e: unknown) => e), error);
  assert.equal(client.stats.requests, requests, 'no request once the run gave up on the host');
});

test('a server reached earlier that then refuses gets the whole max_retry_seconds, counted across requests', async (t) => {
  const sl = await startFakeServiceLayer();
  const time = fakeTime();
  // max_retries 1: each request gives up on its own after two attempts, but the time the host has
  // been unreachable adds up over the requests until the run's budget is spent.
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: sessionConfig(sl.root, { max_retries: 1, max_retry_seconds: 60 }), logger: captureLogger(), ...time.options });
  t.after(() => client.close());
  await client.getJson('Items');
  await sl.close();
  const down = time.now();
  let failure: ConnectorError | undefined;
  const perRequest: ConnectorError[] = [];
  for (let request = 0; request < 1000 && !failure; request++) {
    const error = await client.getJson('Items').catch((e: unknown) => e);
    assert.ok(error instanceof ConnectorError);
    if (error.endsRun) failure = error;
    else perRequest.push(error);
  }
  assert.ok(failure, 'the run gave up on the host');
  assert.equal(failure.failureType, 'transient_error', 'it answered before: it may be restarting');
  assert.ok(perRequest.length > 1, 'requests failed one by one before the budget was spent');
  const spent = time.now() - down;
  assert.ok(spent > NEVER_REACHED_REFUSED_BUDGET_MS, `the short budget was used (${spent} ms)`);
  assert.ok(spent <= 60_000, `${spent} ms is beyond max_retry_seconds`);
});

test('a host that accepts connections and never answers fails after about max_retry_seconds plus one request timeout', async (t) => {
  const silent = await startSilentListener();
  t.after(() => silent.close());
  const port = silent.port;
  // Real time: the request timeout is a real timer. No backoff, so only the budget decides.
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(),
    config: sessionConfig(`http://127.0.0.1:${port}/b1s/v2/`, { request_timeout_seconds: 0.3, max_retries: 100, max_retry_seconds: 1.5 }),
    logger: captureLogger(),
    random: () => 0,
  });
  t.after(() => client.close());
  const started = performance.now();
  const error = endsRunError(await client.connect().catch((e: unknown) => e));
  const seconds = (performance.now() - started) / 1000;
  assert.equal(error.failureType, 'transient_error');
  assert.match(error.message, /could not be reached .*no complete response within 0\.3 s/);
  assert.ok(seconds >= 1.2 && seconds < 1.5 + 0.3 + 1.5, `failed after ${seconds.toFixed(2)} s`);
});

test('a server that answers, even with errors, is reachable: its failures stay the request’s own', async (t) => {
  const busy = await startFakeServer(() => ({ status: 503, body: 'busy' }));
  t.after(() => busy.close());
  const client = new ServiceLayerClient({ secrets: new SecretRedactor(), config: sessionConfig(`${busy.origin}/b1s/v2/`, { max_retries: 2 }), logger: captureLogger(), ...fakeTime().options });
  t.after(() => client.close());
  for (let request = 0; request < 3; request++) {
    const error = await client.connect().catch((e: unknown) => e);
    assert.ok(error instanceof ConnectorError && !error.endsRun && error.failureType === 'transient_error', String(error));
  }
  assert.equal(busy.requests.length, 9, 'three attempts per request, every request sent');
});
