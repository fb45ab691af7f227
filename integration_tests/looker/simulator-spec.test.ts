/**
 * The Looker simulator is only evidence if it behaves like Looker: every operation it serves, every
 * parameter it accepts and every body it sends or receives is checked here against the official
 * Looker API 4.0 OpenAPI document, over real refresh runs with faults injected.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { runLookerRefresh, type LookerConfig } from '../../src/looker/refresh.js';
import { requirement } from '../../test/helpers/requirements.js';
import { CaptureLogger } from './capture-logger.js';
import { FakeClock } from './fake-clock.js';
import { LookerSpec, lookerSpecAvailable, LOOKER_SPEC_PATH } from './openapi.js';
import { ACCEPTED_QUERY, LOOKER_API_PREFIX, SIMULATOR_ROUTES, startLookerSimulator, type LookerSimulator, type RecordedExchange } from './simulator.js';

const CLIENT_ID = 'spec-client';
const CLIENT_SECRET = 'spec-secret-value';
/** Looker answers these on any operation without listing them in the spec (auth failures, outages). */
const UNDECLARED_BUT_REAL = new Set([401, 500, 502, 503, 504]);

const { skip } = requirement('REQUIRE_REFERENCE', lookerSpecAvailable() ? undefined : `the Looker OpenAPI spec is not at ${LOOKER_SPEC_PATH}`);

describe('Looker simulator against the Looker API 4.0 OpenAPI spec', { skip }, () => {
  let spec: LookerSpec;
  before(() => {
    spec = new LookerSpec();
  });

  test('the spec is OpenAPI 3 and every served operation exists in it with the same parameters', () => {
    assert.match(spec.document.openapi, /^3\./);
    for (const route of SIMULATOR_ROUTES) {
      const op = spec.operation(route.method, route.path);
      assert.ok(op, `${route.method} ${route.path} is not in the spec`);
      const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name).sort();
      const templateParams = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
      assert.deepEqual(templateParams, pathParams, `path parameters of ${route.method} ${route.path}`);
      const queryParams = (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name).sort();
      const accepted = [...(ACCEPTED_QUERY[`${route.method} ${route.path}`] ?? [])].sort();
      assert.deepEqual(accepted, queryParams, `query parameters of ${route.method} ${route.path}`);
    }
  });

  describe('exchanges of real refresh runs', () => {
    let sim: LookerSimulator;
    const clock = new FakeClock();
    const logger = new CaptureLogger();

    before(async () => {
      sim = await startLookerSimulator({
        clientId: CLIENT_ID,
        clientSecret: CLIENT_SECRET,
        now: clock.now,
        serverClockOffsetMs: -30_000,
        datagroups: [
          { id: '1', model_name: 'sap_b1', name: 'sap_b1_sync' },
          { id: '2', model_name: 'finance', name: 'nightly' },
        ],
        pdts: [
          { model: 'sap_b1', view: 'margin_pdt', statusChecksUntilDone: 2 },
          { model: 'sap_b1', view: 'broken_pdt', finalStatus: 'error', errorMessage: 'relation "oinv" does not exist' },
        ],
        scheduledPlans: [{ id: '55', name: 'Margin by region' }],
      });
      const base: LookerConfig = { base_url: sim.baseUrl, client_id: CLIENT_ID, client_secret: CLIENT_SECRET };
      const options = { now: clock.now, sleep: clock.sleep, pdtPollInitialMs: 1000 };

      // A successful run through rate limiting and an outage on the way.
      sim.injectFault({ method: 'GET', route: '/datagroups', status: 429, retryAfter: '3' });
      sim.injectFault({ method: 'PATCH', route: '/datagroups/{datagroup_id}', status: 503 });
      const good = await runLookerRefresh(
        { ...base, datagroups: [{ model: 'sap_b1', name: 'sap_b1_sync' }], pdt_builds: [{ model: 'sap_b1', view: 'margin_pdt' }], scheduled_plan_ids: ['55', '404404'] },
        logger,
        options,
      );
      assert.equal(good.datagroups[0]?.status, 'triggered');
      assert.equal(good.scheduledPlans[1]?.status, 'not_found');

      // A run where things are missing or fail, and a token revoked mid-run.
      sim.injectFault({ method: 'GET', route: '/derived_table/{materialization_id}/status', status: 401 });
      await runLookerRefresh(
        { ...base, datagroups: [{ model: 'sap_b1', name: 'nope' }], pdt_builds: [{ model: 'sap_b1', view: 'broken_pdt' }, { model: 'x', view: 'y' }], scheduled_plan_ids: ['55'] },
        logger,
        options,
      );

      // Refused credentials.
      await runLookerRefresh({ ...base, client_secret: 'wrong', datagroups: [{ model: 'sap_b1', name: 'sap_b1_sync' }] }, logger, options);

      // Operations and answers the refresh itself does not reach.
      const api = `${sim.baseUrl}${LOOKER_API_PREFIX}`;
      const login = await fetch(`${api}/login`, { method: 'POST', body: new URLSearchParams({ client_id: CLIENT_ID, client_secret: CLIENT_SECRET }) });
      const { access_token: token } = (await login.json()) as { access_token: string };
      const auth = { Authorization: `token ${token}` };
      await (await fetch(`${api}/datagroups/2`, { headers: auth })).text();
      await (await fetch(`${api}/datagroups/999`, { headers: auth })).text();
      await (await fetch(`${api}/datagroups`)).text();
      const json = { ...auth, 'Content-Type': 'application/json' };
      const serverSeconds = Math.floor((clock.now() - 30_000) / 1000);
      await (await fetch(`${api}/datagroups/2`, { method: 'PATCH', headers: json, body: JSON.stringify({ triggered_at: serverSeconds + 3600 }) })).text();
      await (await fetch(`${api}/datagroups/2`, { method: 'PATCH', headers: json, body: JSON.stringify({ stale_before: serverSeconds }) })).text();
      const started = (await (await fetch(`${api}/derived_table/sap_b1/margin_pdt/start?source=spec-test`, { headers: auth })).json()) as { materialization_id: string };
      await (await fetch(`${api}/derived_table/${started.materialization_id}/stop?source=spec-test`, { headers: auth })).text();
      await (await fetch(`${api}/user`, { headers: auth })).text();
      await (await fetch(`${api}/scheduled_plans/55/run_once`, { method: 'POST', headers: json, body: JSON.stringify({ name: 'override' }) })).text();
      await (await fetch(`${api}/logout`, { method: 'DELETE', headers: auth })).text();
    });

    after(async () => {
      await sim.close();
    });

    test('every request and answer matches the spec', () => {
      const problems = sim.requests.flatMap((exchange) => {
        if (exchange.route === undefined) return [`${exchange.method} ${exchange.path}: not a served route`];
        return spec.check({ ...exchange, route: exchange.route }, UNDECLARED_BUT_REAL);
      });
      assert.deepEqual(problems, []);
    });

    test('the runs exercised every served operation and the answers that matter', () => {
      const exercised = new Set(sim.requests.map((r) => `${r.method} ${r.route}`));
      for (const route of SIMULATOR_ROUTES) assert.ok(exercised.has(`${route.method} ${route.path}`), `${route.method} ${route.path} never exercised`);
      const statuses = new Set(sim.requests.map((r) => r.status));
      for (const status of [200, 204, 401, 404, 422, 429, 503]) assert.ok(statuses.has(status), `no ${status} answer exercised`);
    });

    test('the client sends credentials as a form body and the token in the documented header', () => {
      const logins = sim.requests.filter((r) => r.route === '/login');
      assert.ok(logins.length >= 2);
      for (const login of logins) {
        assert.deepEqual(login.query, {}, 'credentials must not travel in the query string');
        assert.match(login.contentType ?? '', /^application\/x-www-form-urlencoded/);
      }
      const authenticated = sim.requests.filter((r) => r.route !== '/login' && r.authorization !== undefined);
      for (const r of authenticated) assert.match(r.authorization ?? '', /^token [0-9a-f]{40}$/);
    });
  });

  test('the check catches departures from the spec (it can fail)', () => {
    const ok: RecordedExchange = {
      method: 'GET',
      path: '/api/4.0/datagroups/1',
      route: '/datagroups/{datagroup_id}',
      query: {},
      authorization: undefined,
      contentType: undefined,
      requestBody: undefined,
      status: 200,
      responseHeaders: {},
      responseBody: { id: '1', model_name: 'm', name: 'n', triggered_at: 1_700_000_000 },
      injectedFault: false,
    };
    const check = (e: Partial<RecordedExchange>): string[] => spec.check({ ...ok, ...e, route: e.route ?? ok.route ?? '' }, UNDECLARED_BUT_REAL);
    assert.deepEqual(check({}), []);
    assert.notDeepEqual(check({ responseBody: { id: '1', triggered_at: 'yesterday' } }), []);
    assert.notDeepEqual(check({ responseBody: { id: '1', triggering: true } }), []);
    assert.notDeepEqual(check({ query: { fields: 'id' } }), []);
    assert.notDeepEqual(check({ route: '/datagroups/{id}/trigger' }), []);
    assert.notDeepEqual(check({ status: 418 }), []);
    const patch = { method: 'PATCH', contentType: 'application/json', requestBody: { triggered_at: 1 } };
    assert.deepEqual(check(patch), []);
    assert.notDeepEqual(check({ ...patch, requestBody: { id: '1', triggered_at: 1 } }), [], 'readOnly id in a request body');
    assert.notDeepEqual(check({ ...patch, contentType: 'text/plain' }), []);
    assert.notDeepEqual(check({ method: 'PATCH', requestBody: undefined }), [], 'missing required body');
    assert.notDeepEqual(
      check({ method: 'POST', route: '/login', contentType: 'application/x-www-form-urlencoded', requestBody: { username: 'a' }, responseBody: { access_token: 'x', expires_in: 1 } }),
      [],
    );
  });
});
