/**
 * The connector's Looker refresh speaks the Looker API 4.0 as the official OpenAPI document
 * defines it: every request of real refresh runs (rate limiting, an outage, missing datagroups and
 * PDTs, a token revoked mid-run, refused credentials) and every answer it met are checked against
 * the spec. The simulator's own conformance is tested in its package.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { LOOKER_SPEC_PATH, LookerSpec, lookerSpecAvailable, startLookerSimulator, type LookerSimulator } from '@sap-b1-airbyte/looker-api-simulator';
import { SecretRedactor } from '../../src/logging.js';
import { runLookerRefresh, type LookerConfig } from '../../src/looker/refresh.js';
import { CaptureLogger } from './capture-logger.js';
import { FakeClock } from './fake-clock.js';

const CLIENT_ID = 'spec-client';
const CLIENT_SECRET = 'spec-secret-value';

const skip = lookerSpecAvailable() ? false : `the Looker OpenAPI spec is not at ${LOOKER_SPEC_PATH}`;

describe('Looker refresh runs against the Looker API 4.0 OpenAPI spec', { skip }, () => {
  let spec: LookerSpec;
  let sim: LookerSimulator;
  const clock = new FakeClock();
  const logger = new CaptureLogger();

  before(async () => {
    spec = new LookerSpec();
    sim = await startLookerSimulator({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      now: clock.now,
      serverClockOffsetMs: -30_000,
      datagroups: [{ id: '1', model_name: 'sap_b1', name: 'sap_b1_sync' }],
      scheduledPlans: [{ id: '55', name: 'Margin by region' }],
      pdts: [
        { model: 'sap_b1', view: 'margin_pdt', statusChecksUntilDone: 2 },
        { model: 'sap_b1', view: 'broken_pdt', finalStatus: 'error', errorMessage: 'relation "oinv" does not exist' },
      ],
    });
    const base: LookerConfig = { base_url: sim.baseUrl, client_id: CLIENT_ID, client_secret: CLIENT_SECRET };
    const options = { now: clock.now, sleep: clock.sleep, pdtPollInitialMs: 1000 };

    // A successful run through rate limiting and an outage on the way.
    sim.injectFault({ method: 'GET', route: '/datagroups', status: 429, retryAfter: '3' });
    sim.injectFault({ method: 'PATCH', route: '/datagroups/{datagroup_id}', status: 503 });
    const good = await runLookerRefresh(
      { ...base, datagroups: [{ model: 'sap_b1', name: 'sap_b1_sync' }], pdt_builds: [{ model: 'sap_b1', view: 'margin_pdt' }], scheduled_plan_ids: ['55', '404404'] },
      logger,
      new SecretRedactor(),
      options,
    );
    assert.equal(good.datagroups[0]?.status, 'triggered');
    assert.equal(good.scheduledPlans[1]?.status, 'not_found');

    // A run where things are missing or fail, and a token revoked mid-run.
    sim.injectFault({ method: 'GET', route: '/derived_table/{materialization_id}/status', status: 401 });
    await runLookerRefresh(
      { ...base, datagroups: [{ model: 'sap_b1', name: 'nope' }], pdt_builds: [{ model: 'sap_b1', view: 'broken_pdt' }, { model: 'x', view: 'y' }], scheduled_plan_ids: ['55'] },
      logger,
      new SecretRedactor(),
      options,
    );

    // Refused credentials.
    await runLookerRefresh({ ...base, client_secret: 'wrong', datagroups: [{ model: 'sap_b1', name: 'sap_b1_sync' }] }, logger, new SecretRedactor(), options);
  });

  after(async () => {
    await sim?.close();
  });

  test('every request of the refresh and every answer it met matches the spec', () => {
    assert.deepEqual(spec.checkAll(sim.requests), []);
    const statuses = new Set(sim.requests.map((r) => r.status));
    for (const status of [200, 401, 404, 429, 503]) assert.ok(statuses.has(status), `no ${status} answer met`);
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
