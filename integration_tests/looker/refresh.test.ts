/**
 * runLookerRefresh against the Looker simulator over real HTTP, with the client and the server on
 * one fake clock: token cache and renewal, datagroups, PDT builds, scheduled plans, retries and
 * refused credentials, and no secret handed to the logger.
 */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent } from 'undici';
import { SecretRedactor } from '../../src/logging.js';
import { runLookerRefresh, type LookerConfig, type LookerRefreshOptions } from '../../src/looker/refresh.js';
import { CaptureLogger } from './capture-logger.js';
import { FakeClock } from './fake-clock.js';
import { startLookerSimulator, type LookerSimulator, type LookerSimulatorOptions } from '@sap-b1-airbyte/looker-api-simulator';

const CLIENT_ID = 'refresh-client-id';
const CLIENT_SECRET = 'Sup3r-s3cret-client-value';

const DATAGROUPS = [
  { id: '11', model_name: 'sap_b1', name: 'sap_b1_sync' },
  { id: '12', model_name: 'sap_b1', name: 'hourly' },
  { id: '21', model_name: 'finance', name: 'sap_b1_sync' },
];

let running: LookerSimulator[] = [];
afterEach(async () => {
  await Promise.all(running.map((sim) => sim.close()));
  running = [];
});

async function setup(overrides: Partial<LookerSimulatorOptions> = {}) {
  const clock = new FakeClock();
  const sim = await startLookerSimulator({
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    now: clock.now,
    datagroups: DATAGROUPS,
    pdts: [
      { model: 'sap_b1', view: 'margin_pdt', statusChecksUntilDone: 3 },
      { model: 'sap_b1', view: 'aging_pdt', statusChecksUntilDone: 1 },
      { model: 'sap_b1', view: 'slow_pdt', finalStatus: 'never' },
      { model: 'sap_b1', view: 'broken_pdt', finalStatus: 'error', errorMessage: 'relation "oinv" does not exist' },
    ],
    scheduledPlans: [
      { id: '501', name: 'Margin by region' },
      { id: '502', name: 'Inventory aging' },
    ],
    ...overrides,
  });
  running.push(sim);
  const logger = new CaptureLogger();
  const config = (extra: Partial<LookerConfig>): LookerConfig => ({ base_url: sim.baseUrl, client_id: CLIENT_ID, client_secret: CLIENT_SECRET, ...extra });
  // The backoff's jitter is fixed at half, so its waits are half the exponential ceiling.
  const options: LookerRefreshOptions = { now: clock.now, sleep: clock.sleep, random: () => 0.5, pdtPollInitialMs: 2000, pdtPollMaxMs: 30_000 };
  const run = (extra: Partial<LookerConfig>, more: Partial<LookerRefreshOptions> = {}) => runLookerRefresh(config(extra), logger, new SecretRedactor(), { ...options, ...more });
  return { clock, sim, logger, run };
}

const byRoute = (sim: LookerSimulator, method: string, route: string) => sim.requests.filter((r) => r.method === method && r.route === route);

describe('token cache', () => {
  test('one login and one logout for a whole run while the token is valid', async () => {
    const { sim, run } = await setup();
    const outcome = await run({
      datagroups: [{ model: 'sap_b1', name: 'sap_b1_sync' }, { model: 'sap_b1', name: 'hourly' }, { model: 'finance', name: 'sap_b1_sync' }],
      pdt_builds: [{ model: 'sap_b1', view: 'margin_pdt' }, { model: 'sap_b1', view: 'aging_pdt' }],
      scheduled_plan_ids: ['501', '502'],
    });
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    assert.equal(sim.counters.logins, 1);
    assert.equal(sim.counters.logouts, 1);
    assert.equal(sim.requests[0]?.route, '/versions', 'the API host is checked first, without credentials');
    assert.equal(sim.requests[0]?.authorization, undefined);
    const authenticated = sim.requests.filter((r) => r.route !== '/login' && r.route !== '/versions');
    assert.ok(authenticated.length >= 12, `expected many calls, saw ${authenticated.length}`);
    assert.equal(new Set(authenticated.map((r) => r.authorization)).size, 1, 'every call reuses the one token');
    assert.ok(sim.requests.every((r) => r.status !== 401));
    assert.equal(sim.requests.at(-1)?.route, '/logout', 'logout is the last call');
    assert.equal(sim.requests.at(-1)?.status, 204);
  });

  test('a token close to expiry is renewed before it is refused', async () => {
    // Ten-minute tokens and a PDT build that takes about half an hour of polling.
    const { sim, run, clock } = await setup({
      tokenTtlSeconds: 600,
      pdts: [{ model: 'sap_b1', view: 'margin_pdt', statusChecksUntilDone: 70 }],
    });
    const started = clock.now();
    const outcome = await run({ pdt_builds: [{ model: 'sap_b1', view: 'margin_pdt' }], pdt_build_timeout_seconds: 7200 });
    assert.equal(outcome.pdtBuilds[0]?.status, 'complete', JSON.stringify(outcome));
    const elapsedSeconds = (clock.now() - started) / 1000;
    assert.ok(elapsedSeconds > 1800, `polled for ${elapsedSeconds} s`);
    // Renewed at 9 of 10 minutes: one login per 540 s of run time, never a 401 on the way.
    assert.equal(sim.counters.logins, Math.floor(elapsedSeconds / 540) + 1);
    assert.ok(sim.requests.every((r) => r.status !== 401), 'no call was made with an expired token');
    assert.equal(sim.counters.logouts, 1);
  });

  test('a 401 leads to exactly one new login and the call is repeated', async () => {
    const { sim, run } = await setup();
    let revoked = false;
    // Revoke every token right after the datagroups are listed (before the next call, the
    // datagroup's update), as a Looker restart would: an undici interceptor in front of the pool.
    const pool = new Agent();
    const revokingPool = pool.compose((dispatch) => (options, handler) => {
      if (!revoked && options.method === 'PATCH') {
        revoked = true;
        sim.expireAllTokens();
      }
      return dispatch(options, handler);
    });
    const outcome = await run({ datagroups: [{ model: 'sap_b1', name: 'sap_b1_sync' }] }, { dispatcher: revokingPool }).finally(() => pool.close());
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    assert.equal(sim.counters.logins, 2);
    const patches = byRoute(sim, 'PATCH', '/datagroups/{datagroup_id}');
    assert.deepEqual(patches.map((r) => r.status), [401, 200]);
    assert.notEqual(patches[0]?.authorization, patches[1]?.authorization, 'the repeat uses the new token');
    assert.equal(sim.counters.logouts, 1);
  });

  test('a second 401 right after a fresh login is reported, not looped on', async () => {
    const { sim, run } = await setup();
    sim.injectFault({ method: 'PATCH', route: '/datagroups/{datagroup_id}', status: 401, times: 2 });
    const outcome = await run({ datagroups: [{ model: 'sap_b1', name: 'sap_b1_sync' }] });
    assert.equal(outcome.ok, false);
    assert.equal(outcome.datagroups[0]?.status, 'failed');
    assert.match(outcome.datagroups[0]?.message ?? '', /401.*even after a fresh login/);
    assert.equal(sim.counters.logins, 2);
    assert.equal(byRoute(sim, 'PATCH', '/datagroups/{datagroup_id}').length, 2);
  });
});

describe('datagroups', () => {
  test('resolved by model and name and triggered at the current time, not in the future', async () => {
    const { sim, run, clock } = await setup();
    const outcome = await run({ datagroups: [{ model: 'finance', name: 'sap_b1_sync' }] });
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    assert.equal(byRoute(sim, 'GET', '/datagroups').length, 1);
    assert.equal(sim.datagroupPatches.length, 1);
    const patch = sim.datagroupPatches[0];
    assert.equal(patch?.datagroupId, '21', 'the finance model\'s datagroup, not sap_b1\'s of the same name');
    assert.deepEqual(patch?.body, { triggered_at: Math.floor(clock.now() / 1000) });
    assert.ok((patch?.body as { triggered_at: number }).triggered_at <= patch!.serverNowSeconds);
    assert.deepEqual(outcome.datagroups, [{ model: 'finance', name: 'sap_b1_sync', id: '21', status: 'triggered', triggeredAt: Math.floor(clock.now() / 1000) }]);
    assert.equal(sim.datagroups.get('21')?.triggered_at, Math.floor(clock.now() / 1000));
    assert.equal(sim.datagroups.get('11')?.triggered_at, undefined);
  });

  test('when Looker\'s clock is behind ours, triggered_at follows Looker\'s clock', async () => {
    // Looker refuses a triggered_at in the future (the simulator answers 422 as Looker does).
    const { sim, run, clock } = await setup({ serverClockOffsetMs: -95_500 });
    const outcome = await run({ datagroups: [{ model: 'sap_b1', name: 'sap_b1_sync' }] });
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    const sent = (sim.datagroupPatches[0]?.body as { triggered_at: number }).triggered_at;
    assert.ok(sent <= sim.datagroupPatches[0]!.serverNowSeconds, 'not in Looker\'s future');
    assert.ok(sent >= Math.floor((clock.now() - 95_500) / 1000) - 1, 'yet as late as Looker allows');
    assert.ok(sent < Math.floor(clock.now() / 1000) - 90, 'our own clock would have been in Looker\'s future');
  });

  test('an unknown datagroup is reported with the datagroups that exist; the others are still triggered', async () => {
    const { sim, run } = await setup();
    const outcome = await run({
      datagroups: [{ model: 'sap_b1', name: 'sap_b1_synch' }, { model: 'sales', name: 'sap_b1_sync' }, { model: 'sap_b1', name: 'hourly' }],
      scheduled_plan_ids: ['501'],
    });
    assert.equal(outcome.ok, false);
    assert.equal(outcome.datagroups[0]?.status, 'not_found');
    assert.match(outcome.datagroups[0]?.message ?? '', /model "sap_b1" has no datagroup "sap_b1_synch"; its datagroups are: hourly, sap_b1_sync\./);
    assert.equal(outcome.datagroups[1]?.status, 'not_found');
    assert.match(outcome.datagroups[1]?.message ?? '', /no datagroups for model "sales".*Models with datagroups: finance, sap_b1\./);
    assert.equal(outcome.datagroups[2]?.status, 'triggered');
    assert.deepEqual(sim.datagroupPatches.map((p) => p.datagroupId), ['12']);
    // A delivery would go out on a stale cache: the plan is held back and says why.
    assert.equal(outcome.scheduledPlans[0]?.status, 'skipped');
    assert.equal(sim.scheduledPlanRuns.length, 0);
    assert.equal(sim.counters.logouts, 1, 'logout happens after failures too');
  });
});

describe('PDT builds', () => {
  test('a build is started and polled to completion with growing waits', async () => {
    const { sim, run, clock } = await setup();
    const outcome = await run({ pdt_builds: [{ model: 'sap_b1', view: 'margin_pdt' }] });
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    assert.deepEqual(outcome.pdtBuilds, [{ model: 'sap_b1', view: 'margin_pdt', materializationId: '100', status: 'complete' }]);
    const starts = byRoute(sim, 'GET', '/derived_table/{model_name}/{view_name}/start');
    assert.equal(starts.length, 1);
    assert.equal(starts[0]?.query.source, 'airbyte-source-sap-business-one');
    assert.equal(byRoute(sim, 'GET', '/derived_table/{materialization_id}/status').length, 3);
    assert.equal(sim.materializations.get('100')?.status, 'complete');
    assert.deepEqual(clock.sleeps, [2000, 3000, 4500]);
  });

  test('a build that does not finish in pdt_build_timeout_seconds is reported as a timeout', async () => {
    const { sim, run, clock } = await setup();
    const started = clock.now();
    const outcome = await run({ pdt_builds: [{ model: 'sap_b1', view: 'slow_pdt' }], pdt_build_timeout_seconds: 60, scheduled_plan_ids: ['501'] });
    assert.equal(outcome.ok, false);
    assert.equal(outcome.pdtBuilds[0]?.status, 'timeout');
    assert.match(outcome.pdtBuilds[0]?.message ?? '', /still "running" after 1 min \(pdt_build_timeout_seconds = 60\); it keeps running in Looker/);
    assert.equal(clock.now() - started, 60_000, 'waited exactly the configured time');
    assert.ok(clock.sleeps.every((ms) => ms <= 30_000));
    assert.equal(sim.materializations.get('100')?.status, 'running', 'the build is left to finish');
    assert.equal(outcome.scheduledPlans[0]?.status, 'skipped');
  });

  test('a failed build and an unknown PDT are reported with Looker\'s reason', async () => {
    const { run } = await setup();
    const outcome = await run({ pdt_builds: [{ model: 'sap_b1', view: 'broken_pdt' }, { model: 'sap_b1', view: 'no_such_view' }, { model: 'sap_b1', view: 'aging_pdt' }] });
    assert.equal(outcome.ok, false);
    assert.equal(outcome.pdtBuilds[0]?.status, 'failed');
    assert.match(outcome.pdtBuilds[0]?.message ?? '', /relation "oinv" does not exist/);
    assert.equal(outcome.pdtBuilds[1]?.status, 'not_found');
    assert.match(outcome.pdtBuilds[1]?.message ?? '', /no persistent derived table "no_such_view" in model "sap_b1".*Enable PDT API Control/);
    assert.equal(outcome.pdtBuilds[2]?.status, 'complete');
  });
});

describe('scheduled plans', () => {
  test('each plan is run once, after the datagroups and PDTs', async () => {
    const { sim, run } = await setup();
    const outcome = await run({ datagroups: [{ model: 'sap_b1', name: 'sap_b1_sync' }], pdt_builds: [{ model: 'sap_b1', view: 'aging_pdt' }], scheduled_plan_ids: ['501', '502', '999'] });
    assert.deepEqual(sim.scheduledPlanRuns, [
      { scheduledPlanId: '501', runId: '9000' },
      { scheduledPlanId: '502', runId: '9001' },
    ]);
    assert.deepEqual(outcome.scheduledPlans.slice(0, 2), [
      { id: '501', status: 'started', runId: '9000' },
      { id: '502', status: 'started', runId: '9001' },
    ]);
    assert.equal(outcome.scheduledPlans[2]?.status, 'not_found');
    assert.equal(outcome.ok, false);
    const order = sim.requests.map((r) => r.route);
    assert.ok(order.indexOf('/scheduled_plans/{scheduled_plan_id}/run_once') > order.lastIndexOf('/derived_table/{materialization_id}/status'));
    assert.ok(order.lastIndexOf('/derived_table/{materialization_id}/status') > order.indexOf('/datagroups/{datagroup_id}'));
  });

  test('a 500 on run_once is not repeated (the delivery may have gone out), a 503 is', async () => {
    const { sim, run } = await setup();
    sim.injectFault({ route: '/scheduled_plans/{scheduled_plan_id}/run_once', status: 500 });
    sim.injectFault({ route: '/scheduled_plans/{scheduled_plan_id}/run_once', status: 503 });
    const outcome = await run({ scheduled_plan_ids: ['501', '502'] });
    assert.equal(outcome.scheduledPlans[0]?.status, 'failed');
    assert.match(outcome.scheduledPlans[0]?.message ?? '', /HTTP 500/);
    assert.equal(outcome.scheduledPlans[1]?.status, 'started');
    assert.deepEqual(byRoute(sim, 'POST', '/scheduled_plans/{scheduled_plan_id}/run_once').map((r) => r.status), [500, 503, 200]);
  });
});

describe('retries', () => {
  test('Retry-After on a 429 is honoured before the call is repeated', async () => {
    const { sim, run, clock } = await setup();
    sim.injectFault({ method: 'GET', route: '/datagroups', status: 429, retryAfter: '7' });
    // An HTTP-date counts from Looker's Date header: 12 s after the start, 7 s of which already passed.
    sim.injectFault({ method: 'PATCH', status: 429, retryAfter: new Date(clock.now() + 12_000).toUTCString() });
    const outcome = await run({ datagroups: [{ model: 'sap_b1', name: 'sap_b1_sync' }] });
    assert.equal(outcome.ok, true, JSON.stringify(outcome));
    assert.deepEqual(clock.sleeps, [7000, 5000]);
    assert.deepEqual(byRoute(sim, 'GET', '/datagroups').map((r) => r.status), [429, 200]);
    assert.deepEqual(byRoute(sim, 'PATCH', '/datagroups/{datagroup_id}').map((r) => r.status), [429, 200]);
  });

  test('5xx answers are retried with exponential backoff, and the retries are bounded', async () => {
    const { sim, run, clock } = await setup();
    sim.injectFault({ method: 'GET', route: '/datagroups', status: 500 });
    sim.injectFault({ method: 'GET', route: '/datagroups', status: 502 });
    sim.injectFault({ method: 'PATCH', status: 503, times: 10 });
    const outcome = await run({ datagroups: [{ model: 'sap_b1', name: 'sap_b1_sync' }] });
    assert.deepEqual(byRoute(sim, 'GET', '/datagroups').map((r) => r.status), [500, 502, 200]);
    assert.deepEqual(byRoute(sim, 'PATCH', '/datagroups/{datagroup_id}').map((r) => r.status), [503, 503, 503, 503, 503]);
    assert.deepEqual(clock.sleeps, [500, 1000, 500, 1000, 2000, 4000]);
    assert.equal(outcome.datagroups[0]?.status, 'failed');
    assert.match(outcome.datagroups[0]?.message ?? '', /HTTP 503.*after retries/);
  });

  test('a Retry-After longer than we agree to wait ends the retries with a clear message', async () => {
    const { sim, run, clock } = await setup();
    sim.injectFault({ method: 'GET', route: '/datagroups', status: 429, retryAfter: '3600' });
    const outcome = await run({ datagroups: [{ model: 'sap_b1', name: 'sap_b1_sync' }] });
    assert.equal(outcome.datagroups[0]?.status, 'failed');
    assert.match(outcome.datagroups[0]?.message ?? '', /HTTP 429.*asks to wait 3600/);
    assert.deepEqual(clock.sleeps, []);
  });
});

describe('credentials', () => {
  test('credentials Looker refuses (404 on login) are reported plainly, naming the client_id', async () => {
    const { sim, logger } = await setup();
    const outcome = await runLookerRefresh(
      { base_url: sim.baseUrl, client_id: CLIENT_ID, client_secret: 'not-the-secret', datagroups: [{ model: 'sap_b1', name: 'sap_b1_sync' }], scheduled_plan_ids: ['501'] },
      logger,
      new SecretRedactor(),
    );
    assert.equal(outcome.ok, false);
    assert.equal(outcome.failure?.failureType, 'config_error');
    assert.match(outcome.failure?.message ?? '', /Looker refused the API credentials for client_id "refresh-client-id" \(HTTP 404 on login\)/);
    assert.ok(!outcome.failure?.message.includes('not-the-secret'));
    assert.deepEqual(outcome.datagroups.map((d) => d.status), ['skipped']);
    assert.deepEqual(outcome.scheduledPlans.map((p) => p.status), ['skipped']);
    assert.equal(sim.counters.refusedLogins, 1, 'a refusal is not retried');
    assert.equal(sim.counters.logouts, 0, 'nothing to log out of');
    assert.deepEqual(sim.requests.map((r) => r.route), ['/versions', '/login']);
  });

  test('a base URL that is not a Looker API host is reported as such, before any credentials are sent', async () => {
    const { sim, logger } = await setup();
    const outcome = await runLookerRefresh(
      { base_url: `${sim.baseUrl}/not-looker`, client_id: CLIENT_ID, client_secret: CLIENT_SECRET, datagroups: [{ model: 'sap_b1', name: 'sap_b1_sync' }] },
      logger,
      new SecretRedactor(),
    );
    assert.equal(outcome.ok, false);
    assert.equal(outcome.failure?.failureType, 'config_error');
    assert.match(outcome.failure?.message ?? '', /\/not-looker is not a Looker API host: GET \/api\/4\.0\/versions answered HTTP 404\. Set base_url to the instance's API host/);
    assert.doesNotMatch(outcome.failure?.message ?? '', /credentials/);
    assert.deepEqual(outcome.datagroups.map((d) => d.status), ['skipped']);
    assert.equal(sim.counters.logins + sim.counters.refusedLogins, 0, 'no login was attempted');
  });

  test('an unreachable Looker is a transient failure, not a crash', async () => {
    const { sim, logger, clock } = await setup();
    const url = sim.baseUrl;
    await sim.close();
    running = [];
    const outcome = await runLookerRefresh({ base_url: url, client_id: CLIENT_ID, client_secret: CLIENT_SECRET, datagroups: [{ model: 'm', name: 'n' }] }, logger, new SecretRedactor(), {
      now: clock.now,
      sleep: clock.sleep,
      random: () => 0.5,
    });
    assert.equal(outcome.ok, false);
    assert.equal(outcome.failure?.failureType, 'transient_error');
    assert.match(outcome.failure?.message ?? '', /Could not reach the Looker API \(GET \/versions\).*ECONNREFUSED/);
    assert.deepEqual(clock.sleeps, [500, 1000, 2000, 4000]);
  });
});

test('no secret or token is ever handed to the logger', async () => {
  const { sim, run, logger } = await setup({ tokenTtlSeconds: 120 });
  sim.injectFault({ method: 'GET', route: '/datagroups', status: 429, retryAfter: '2' });
  sim.injectFault({ method: 'PATCH', status: 401 });
  await run({
    datagroups: [{ model: 'sap_b1', name: 'sap_b1_sync' }, { model: 'x', name: 'y' }],
    pdt_builds: [{ model: 'sap_b1', view: 'margin_pdt' }, { model: 'sap_b1', view: 'broken_pdt' }],
    scheduled_plan_ids: ['501'],
  });
  await run({ client_secret: 'another-wrong-secret', datagroups: [{ model: 'sap_b1', name: 'sap_b1_sync' }] });
  const tokens = sim.requests.flatMap((r) => (r.route === '/login' && r.status === 200 ? [(r.responseBody as { access_token: string }).access_token] : []));
  assert.ok(tokens.length >= 2, 'several tokens were issued');
  const text = logger.text();
  assert.ok(logger.lines.some((l) => l.level === 'DEBUG'), 'debug lines are included in the check');
  for (const secret of [CLIENT_SECRET, 'another-wrong-secret', ...tokens]) assert.ok(!text.includes(secret), `a secret reached the logger`);
});
