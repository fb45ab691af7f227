/**
 * Settings as a user writes them (issue 9): what the spec and README promise for start_date is
 * what happens, a setting the spec does not know or a start_date in the future is named in check's
 * answer (the one thing Airbyte's form shows) and logged by read, and the accept_self_signed
 * warning appears once per run. Against the HTTPS simulator and the built connector.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonFile, records, runConnector, type ConnectorRun } from '../../test/helpers/connector.js';
import { configFor, configuredCatalog, openSession, type Session } from './fixture.js';

function logLines(run: ConnectorRun, level?: string): string[] {
  return run.messages
    .filter((m) => m.type === 'LOG' && (level === undefined || (m.log as { level: string }).level === level))
    .map((m) => (m.log as { message: string }).message);
}

function connectionStatus(run: ConnectorRun): { status: string; message?: string } {
  const statuses = run.messages.filter((m) => m.type === 'CONNECTION_STATUS');
  assert.equal(statuses.length, 1);
  return statuses[0]!.connectionStatus as { status: string; message?: string };
}

describe('settings as the user wrote them', () => {
  let session: Session;
  const nextYear = new Date().getUTCFullYear() + 1;
  before(async () => {
    session = await openSession({ scale: 0.05, tls: true });
  });
  after(async () => {
    await session?.sim.stop();
  });

  const configPath = (overrides: Record<string, unknown>) => jsonFile('config', { ...session.config, ...overrides });
  const readInvoices = (config: string) =>
    runConnector(['read', '--config', config, '--catalog', jsonFile('catalog', configuredCatalog(session.streams, 'incremental', ['invoices']))], {
      secrets: session.secrets,
    });

  test('an empty start_date reads all history, as the README and the spec say', async () => {
    const run = await readInvoices(configPath({ start_date: '' }));
    assert.equal(run.code, 0, run.stderr);
    assert.equal(records(run, 'invoices').length, session.sim.count('Invoices'));
  });

  test('check names misspelt settings, top-level and nested, and a start_date in the future, and still succeeds', async () => {
    const config = configPath({
      page_sise: 200,
      start_date: `${nextYear}-01-01`,
      credentials: { ...(session.config.credentials as object), languge: '3' },
    });
    const status = connectionStatus(await runConnector(['check', '--config', config], { secrets: session.secrets }));
    assert.equal(status.status, 'SUCCEEDED');
    assert.match(status.message ?? '', /page_sise is not a known setting/);
    assert.match(status.message ?? '', /credentials\.languge is not a known setting/);
    assert.match(status.message ?? '', new RegExp(`start_date ${nextYear}-01-01 is in the future`));
  });

  test('a misspelt setting is named in a FAILED check too', async () => {
    const config = configPath({ credentials: { ...(session.config.credentials as object), password: 'wrong-for-this-test', pasword: 'x' } });
    const status = connectionStatus(await runConnector(['check', '--config', config], { secrets: [...session.secrets, 'wrong-for-this-test'] }));
    assert.equal(status.status, 'FAILED');
    assert.match(status.message ?? '', /credentials\.password.*Note: credentials\.pasword is not a known setting/);
  });

  test('read warns about a start_date in the future (and so reads nothing) and about unknown settings', async () => {
    const run = await readInvoices(configPath({ start_date: `${nextYear}-01-01`, page_sise: 200 }));
    assert.equal(run.code, 0, run.stderr);
    const warnings = logLines(run, 'WARN').join('\n');
    assert.match(warnings, new RegExp(`start_date ${nextYear}-01-01 is in the future`));
    assert.match(warnings, /page_sise is not a known setting/);
    assert.equal(records(run, 'invoices').length, 0);
  });

  test('the accept_self_signed warning is logged once per run, in check, discover and read', async () => {
    const { tls: _pinned, ...unpinned } = configFor(session.sim);
    const config = jsonFile('config', { ...unpinned, tls: { mode: 'accept_self_signed' } });
    const runs = [
      await runConnector(['check', '--config', config], { secrets: session.secrets }),
      await runConnector(['discover', '--config', config], { secrets: session.secrets }),
      await readInvoices(config),
    ];
    for (const run of runs) {
      assert.equal(run.code, 0, run.stderr);
      assert.equal(logLines(run).filter((line) => line.includes('accept_self_signed')).length, 1, logLines(run).join('\n'));
    }
  });
});
