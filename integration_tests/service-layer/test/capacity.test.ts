/**
 * Server capacity: a session's requests one after another in arrival order, a pool of workers shared by all
 * sessions, and the configured costs. Overlap is computed from the request log's timings with a sweep of its own
 * (not only from the simulator's counters), durations are measured as wall time with generous upper bounds.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { SIMULATOR_DEFAULTS, startServiceLayerSimulator, type RequestLogEntry, type ServiceLayerSimulator, type ServiceTiming, type SimulatorOptions } from '../index.js';
import { TestClient } from './client.js';

/** Time a loaded 2-core machine may add on top of a modelled duration. */
const SLACK_MS = 1500;

async function withSimulator<T>(options: SimulatorOptions, run: (sim: ServiceLayerSimulator) => Promise<T>): Promise<T> {
  const sim = await startServiceLayerSimulator({ scale: 0.2, ...options });
  try {
    return await run(sim);
  } finally {
    await sim.stop();
  }
}

async function timed<T>(run: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const started = performance.now();
  const result = await run();
  return { result, ms: performance.now() - started };
}

/** The most intervals open at one instant; an interval ending exactly when another starts does not overlap it. */
function maxOverlap(timings: readonly ServiceTiming[]): number {
  const events = timings.flatMap((t): [number, number][] => [
    [t.startedMs, 1],
    [t.finishedMs, -1],
  ]);
  events.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  let open = 0;
  let most = 0;
  for (const [, change] of events) most = Math.max(most, (open += change));
  return most;
}

function timingsOf(entries: readonly RequestLogEntry[]): ServiceTiming[] {
  return entries.map((e) => {
    assert.ok(e.timing, `${e.method} ${e.path} has no timing`);
    return e.timing;
  });
}

const dataRequests = (sim: ServiceLayerSimulator): RequestLogEntry[] => sim.requestLog.filter((e) => e.dataRequestNumber !== undefined);

async function loggedIn(sim: ServiceLayerSimulator): Promise<TestClient> {
  const client = new TestClient(sim);
  assert.equal((await client.login()).status, 200);
  return client;
}

describe('server capacity', () => {
  test("defaults keep the simulator unbounded and free: no worker limit, no cost", () => {
    assert.equal(SIMULATOR_DEFAULTS.workers, Infinity);
    assert.equal(SIMULATOR_DEFAULTS.requestCostMs, 0);
    assert.equal(SIMULATOR_DEFAULTS.recordCostMicros, 0);
    assert.equal(SIMULATOR_DEFAULTS.loginCostMs, 0);
  });

  test('two requests on one session never overlap and are served in arrival order', async () => {
    await withSimulator({ requestCostMs: 120 }, async (sim) => {
      const client = await loggedIn(sim);
      const paths = ['Warehouses', 'ItemGroups', 'Dimensions', 'ProfitCenters'];
      const { result: replies, ms } = await timed(() => Promise.all(paths.map((p) => client.get(p))));
      assert.deepEqual(replies.map((r) => r.status), [200, 200, 200, 200]);
      assert.ok(ms >= 4 * 120, `four requests of 120 ms on one session took ${ms.toFixed(0)} ms`);

      const entries = dataRequests(sim);
      assert.deepEqual(entries.map((e) => e.session), [1, 1, 1, 1]);
      const byStart = [...entries].sort((a, b) => a.timing!.startedMs - b.timing!.startedMs);
      for (let i = 1; i < byStart.length; i++) {
        assert.ok(byStart[i]!.timing!.startedMs >= byStart[i - 1]!.timing!.finishedMs, 'a request started before the previous one of its session finished');
        assert.ok(byStart[i]!.timing!.queuedMs >= byStart[i - 1]!.timing!.queuedMs, 'served out of arrival order');
      }
      assert.equal(maxOverlap(timingsOf(entries)), 1);
      assert.equal(sim.stats.maxConcurrentRequests, 1);
      assert.equal(sim.stats.maxWaitingOnSession, 3);
      assert.deepEqual(sim.stats.requestsPerSession, [4]);
    });
  });

  test('different sessions run in parallel when workers are free', async () => {
    await withSimulator({ requestCostMs: 300 }, async (sim) => {
      const clients = await Promise.all([1, 2, 3].map(() => loggedIn(sim)));
      sim.clearRequestLog();
      const replies = await Promise.all(clients.map((c) => c.get('Warehouses')));
      assert.deepEqual(replies.map((r) => r.status), [200, 200, 200]);
      assert.equal(maxOverlap(timingsOf(dataRequests(sim))), 3);
      assert.equal(sim.stats.maxConcurrentRequests, 3);
      assert.equal(sim.stats.maxWaitingOnSession, 0);
      assert.equal(sim.stats.maxWaitingForWorker, 0);
    });
  });

  test('N sessions on a pool of K workers: at most K in flight, the rest wait, every request served', async () => {
    const workers = 2;
    const cost = 40;
    await withSimulator({ workers, requestCostMs: cost }, async (sim) => {
      const clients = await Promise.all([1, 2, 3, 4, 5].map(() => loggedIn(sim)));
      sim.clearRequestLog();
      const busyBefore = sim.stats.workerBusyMs;
      const { ms } = await timed(() =>
        Promise.all(
          clients.map(async (c) => {
            for (const path of ['Warehouses', 'ItemGroups', 'Dimensions']) assert.equal((await c.get(path)).status, 200);
          }),
        ),
      );
      const entries = dataRequests(sim);
      assert.equal(entries.length, 15);
      assert.equal(maxOverlap(timingsOf(entries)), workers);
      assert.equal(sim.stats.maxConcurrentRequests, workers);
      assert.ok(sim.stats.maxWaitingForWorker >= 1);
      assert.deepEqual(sim.stats.requestsPerSession, [3, 3, 3, 3, 3]);
      assert.equal(sim.stats.requestsInService, 0);
      // 15 requests of 40 ms on 2 workers need at least 300 ms, however they are scheduled.
      assert.ok(ms >= (15 * cost) / workers, `took ${ms.toFixed(0)} ms`);
      assert.ok(sim.stats.workerBusyMs - busyBefore >= 15 * cost);
    });
  });

  test('one worker serves waiting requests in the order they arrived', async () => {
    await withSimulator({ workers: 1, requestCostMs: 60 }, async (sim) => {
      const clients = await Promise.all([1, 2, 3, 4].map(() => loggedIn(sim)));
      sim.clearRequestLog();
      await Promise.all(clients.map((c) => c.get('Warehouses')));
      const entries = dataRequests(sim);
      const byQueue = [...entries].sort((a, b) => a.timing!.queuedMs - b.timing!.queuedMs).map((e) => e.seq);
      const byStart = [...entries].sort((a, b) => a.timing!.startedMs - b.timing!.startedMs).map((e) => e.seq);
      assert.deepEqual(byStart, byQueue);
      assert.equal(maxOverlap(timingsOf(entries)), 1);
    });
  });

  test('costs add up as configured: latency, login delay and cost, request cost, record cost', async () => {
    const latencyMs = 20;
    const requestCostMs = 60;
    const recordCostMicros = 5000;
    const options = { latencyMs, loginDelayMs: 50, loginCostMs: 150, requestCostMs, recordCostMicros };
    await withSimulator(options, async (sim) => {
      const client = new TestClient(sim);
      const login = await timed(() => client.login());
      assert.equal(login.result.status, 200);
      assert.ok(login.ms >= 20 + 50 + 60 + 150, `Login took ${login.ms.toFixed(0)} ms`);
      assert.ok(login.ms < 280 + SLACK_MS);
      const loginEntry = sim.requestLog.at(-1)!;
      assert.ok(loginEntry.timing!.finishedMs - loginEntry.timing!.startedMs >= 60 + 150, 'login cost and request cost on the worker');

      const page = await timed(() => client.get('Items?$top=40', { Prefer: 'odata.maxpagesize=40' }));
      assert.equal(page.result.json<{ value: unknown[] }>().value.length, 40);
      const pageEntry = sim.requestLog.at(-1)!;
      assert.equal(pageEntry.records, 40);
      const pageWork = pageEntry.timing!.finishedMs - pageEntry.timing!.startedMs;
      assert.ok(pageWork >= 60 + 40 * 5, `40 records: ${pageWork.toFixed(0)} ms on the worker`);
      assert.ok(page.ms >= latencyMs + 60 + 200);
      assert.ok(page.ms < latencyMs + 260 + SLACK_MS);

      await client.get('Items/$count');
      const countEntry = sim.requestLog.at(-1)!;
      assert.equal(countEntry.records, 0);
      const countWork = countEntry.timing!.finishedMs - countEntry.timing!.startedMs;
      assert.ok(countWork >= 60, `$count: ${countWork.toFixed(0)} ms`);
      assert.ok(countWork < 60 + 40 * 5, 'a count serialises no record, so pays no record cost');

      const key = sim.keys.keyAt('Items', 0)!;
      assert.equal((await client.get(`Items('${key}')`)).status, 200);
      const singleEntry = sim.requestLog.at(-1)!;
      assert.equal(singleEntry.records, 1);
      assert.ok(singleEntry.timing!.finishedMs - singleEntry.timing!.startedMs >= 60 + 5);
    });
  });

  test('a streamed answer is paced by its record cost and arrives whole', async () => {
    await withSimulator({ recordCostMicros: 1000 }, async (sim) => {
      const client = await loggedIn(sim);
      // About 46 KB per invoice: 300 of them are well past the 8 MB threshold for chunked streaming.
      const page = await timed(() => client.get('Invoices?$top=300', { Prefer: 'odata.maxpagesize=300' }));
      assert.equal(page.result.headers.get('content-length'), null, 'expected a streamed answer');
      assert.equal(page.result.json<{ value: unknown[] }>().value.length, 300);
      assert.ok(page.ms >= 300, `300 records at 1 ms took ${page.ms.toFixed(0)} ms`);
      assert.ok(page.ms < 300 + SLACK_MS * 3);
    });
  });

  test('a client that gives up waiting does not block its session or the workers', async () => {
    await withSimulator({ workers: 1, requestCostMs: 150 }, async (sim) => {
      const client = await loggedIn(sim);
      const first = client.get('Warehouses');
      const abandoned = fetch(`${sim.baseUrl}/ItemGroups`, { headers: { cookie: client.cookie }, signal: AbortSignal.timeout(40) });
      await assert.rejects(abandoned);
      assert.equal((await first).status, 200);
      assert.equal((await client.get('Dimensions')).status, 200);
      assert.equal(sim.stats.requestsInService, 0);
    });
  });

  test('statistics: logins, refused logins, requests per session in login order', async () => {
    await withSimulator({}, async (sim) => {
      const a = await loggedIn(sim);
      const b = await loggedIn(sim);
      assert.equal((await new TestClient(sim).login({ CompanyDB: sim.companyDb, UserName: sim.username, Password: 'wrong' })).status, 401);
      await b.get('Warehouses');
      await b.get('Warehouses');
      await a.get('Warehouses');
      await loggedIn(sim);
      const stats = sim.stats;
      assert.equal(stats.logins, 3);
      assert.equal(stats.failedLogins, 1);
      assert.deepEqual(stats.requestsPerSession, [1, 2, 0]);
      assert.equal(stats.requestsServed, 3 + 1 + 3);
      assert.ok(!JSON.stringify(sim.requestLog).includes(a.cookie.split(';')[0]!.split('=')[1]!), 'session id in the request log');
    });
  });

  test('bad capacity options are refused with a clear message', async () => {
    for (const workers of [0, -1, 1.5, Number.NaN]) {
      await assert.rejects(startServiceLayerSimulator({ workers }), /workers must be a positive integer or Infinity/);
    }
    for (const name of ['requestCostMs', 'recordCostMicros', 'loginCostMs'] as const) {
      await assert.rejects(startServiceLayerSimulator({ [name]: -1 }), new RegExp(`${name} must be a non-negative number`));
    }
  });
});
