/**
 * The Looker refresh hook as users run it: at the end of a successful read
 * (looker.refresh_after_read) and as the looker-refresh command after a sync.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { jsonFile } from '../../test/helpers/connector.js';
import { connectorEntrypoint } from '../../test/helpers/paths.js';
import { startLookerSimulator, type LookerSimulator } from '@sap-b1-airbyte/looker-api-simulator';
import { configuredCatalog, openSession, read, type Session } from './fixture.js';

const CLIENT_SECRET = 'looker-client-secret-4711';

describe('Looker refresh hook', () => {
  let session: Session;
  let looker: LookerSimulator;
  const lookerConfig = (secret = CLIENT_SECRET) => ({
    base_url: looker.baseUrl,
    client_id: 'sap-b1-sync',
    client_secret: secret,
    datagroups: [{ model: 'sap_business_one', name: 'sap_b1_sync' }],
    refresh_after_read: true,
  });
  const sessionWith = (extra: Record<string, unknown>): Session => ({
    ...session,
    configPath: jsonFile('config', { ...session.config, ...extra }),
    secrets: [...session.secrets, CLIENT_SECRET],
  });
  const logs = (run: Awaited<ReturnType<typeof read>>): string =>
    run.messages
      .filter((m) => m.type === 'LOG')
      .map((m) => (m.log as { message: string }).message)
      .join('\n');

  before(async () => {
    session = await openSession();
    looker = await startLookerSimulator({
      clientId: 'sap-b1-sync',
      clientSecret: CLIENT_SECRET,
      datagroups: [{ id: '7', model_name: 'sap_business_one', name: 'sap_b1_sync' }],
    });
  });
  after(async () => {
    await session?.sim.stop();
    await looker?.close();
  });

  test('refresh_after_read triggers the datagroup at the end of a successful read, with one login and a logout', async () => {
    const patchesBefore = looker.datagroupPatches.length;
    const run = await read(sessionWith({ looker: lookerConfig() }), configuredCatalog(session.streams, 'incremental', ['gl_accounts']));
    assert.equal(run.code, 0, run.stderr);
    assert.equal(looker.datagroupPatches.length - patchesBefore, 1);
    assert.equal(looker.datagroupPatches.at(-1)!.datagroupId, '7');
    const triggeredAt = (looker.datagroupPatches.at(-1)!.body as { triggered_at: number }).triggered_at;
    assert.ok(triggeredAt <= Math.floor(Date.now() / 1000), 'never in the future');
    assert.match(logs(run), /Refreshing Looker/);
    assert.ok(looker.counters.logouts >= 1);
    // The refresh comes after the last record and the last state.
    const lastData = run.messages.findLastIndex((m) => m.type === 'RECORD' || m.type === 'STATE');
    const refreshLog = run.messages.findIndex((m) => m.type === 'LOG' && /Refreshing Looker/.test((m.log as { message: string }).message));
    assert.ok(refreshLog > lastData);
  });

  test('refused Looker credentials are logged plainly and never fail the sync', async () => {
    const wrong = 'not-the-looker-secret-42';
    const run = await read(
      { ...sessionWith({ looker: lookerConfig(wrong) }), secrets: [...session.secrets, wrong, CLIENT_SECRET] },
      configuredCatalog(session.streams, 'incremental', ['gl_accounts']),
    );
    assert.equal(run.code, 0, run.stderr);
    assert.match(logs(run), /client_id|credentials/i);
  });

  test('looker-refresh, run after a sync, prints plain lines and exits 0 when the datagroup was triggered', async () => {
    const configPath = jsonFile('config', { ...session.config, looker: { ...lookerConfig(), refresh_after_read: false } });
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [connectorEntrypoint, 'looker-refresh', '--config', configPath], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
      child.stderr.resume();
      child.on('error', reject);
      child.on('close', (exit) => resolve({ code: exit, stdout: out }));
    });
    assert.equal(code, 0, stdout);
    assert.match(stdout, /sap_b1_sync/);
    assert.ok(!stdout.includes(CLIENT_SECRET));
    assert.ok(
      stdout
        .split('\n')
        .filter(Boolean)
        .every((line) => !line.startsWith('{')),
      'plain lines, not Airbyte messages',
    );
  });
});
