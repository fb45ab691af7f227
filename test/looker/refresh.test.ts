import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SecretRedactor, silentLogger } from '../../src/logging.js';
import { runLookerRefresh } from '../../src/looker/refresh.js';
import { scriptedDispatcher } from '../helpers/scripted-dispatcher.js';

const refuseNetwork = scriptedDispatcher(() => {
  throw new Error('no network call expected');
});

test('nothing configured: success without calling Looker', async () => {
  const outcome = await runLookerRefresh({ base_url: 'https://acme.cloud.looker.com', client_id: 'id', client_secret: 's' }, silentLogger, new SecretRedactor(), { dispatcher: refuseNetwork });
  assert.deepEqual(outcome, { ok: true, datagroups: [], pdtBuilds: [], scheduledPlans: [] });
});

test('a malformed host is a config error and every item is reported as skipped', async () => {
  const outcome = await runLookerRefresh(
    { base_url: 'looker.acme.test', client_id: 'id', client_secret: 's', datagroups: [{ model: 'm', name: 'd' }], pdt_builds: [{ model: 'm', view: 'v' }], scheduled_plan_ids: ['1'] },
    silentLogger,
    new SecretRedactor(),
    { dispatcher: refuseNetwork },
  );
  assert.equal(outcome.ok, false);
  assert.equal(outcome.failure?.failureType, 'config_error');
  assert.match(outcome.failure?.message ?? '', /not a valid URL/);
  assert.deepEqual(
    [outcome.datagroups[0]?.status, outcome.pdtBuilds[0]?.status, outcome.scheduledPlans[0]?.status],
    ['skipped', 'skipped', 'skipped'],
  );
});
