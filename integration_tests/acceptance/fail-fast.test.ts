/**
 * Safe and bounded against a real SAP company (issue 9): a wrong password or company database signs
 * in once per command, never once per stream (SAP locks a user after a few failed logons); a
 * Service Layer that refuses connections or never answers fails the whole read within its retry
 * budget, reported once; errors no retry can fix say what to change. Run against the built
 * connector and the Service Layer simulator, with the whole catalog configured.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectorEntrypoint } from '../../test/helpers/paths.js';
import { refusedPort, startSilentListener } from '../../test/helpers/unreachable.js';
import { jsonFile, runConnector, traces, type ConnectorRun } from '../../test/helpers/connector.js';
import { CONCURRENCIES, configFor, configuredCatalog, openSession, type Session } from './fixture.js';

interface ErrorTrace {
  failure_type: string;
  message: string;
  stream_descriptor?: { name: string };
}

function errors(run: ConnectorRun): ErrorTrace[] {
  return traces(run, 'ERROR').map((trace) => trace.error as ErrorTrace);
}

function logText(run: ConnectorRun): string {
  return run.messages
    .filter((m) => m.type === 'LOG')
    .map((m) => (m.log as { message: string }).message)
    .join('\n');
}

/** Each configured stream's statuses, in order. */
function statusesByStream(run: ConnectorRun): Map<string, string[]> {
  const statuses = new Map<string, string[]>();
  for (const trace of traces(run, 'STREAM_STATUS')) {
    const status = trace.stream_status as { stream_descriptor: { name: string }; status: string };
    statuses.set(status.stream_descriptor.name, [...(statuses.get(status.stream_descriptor.name) ?? []), status.status]);
  }
  return statuses;
}

/** A read stopped by one run-wide cause: one ERROR trace, for no stream in particular, and every configured stream INCOMPLETE. */
function assertStoppedOnce(run: ConnectorRun, streams: string[], failureType: string, message: RegExp): void {
  assert.equal(run.code, 1, run.stderr);
  const reported = errors(run);
  assert.equal(reported.length, 1, `one cause, one error trace: ${reported.map((e) => e.message).join(' | ')}`);
  assert.equal(reported[0]!.failure_type, failureType);
  assert.equal(reported[0]!.stream_descriptor, undefined);
  assert.match(reported[0]!.message, message);
  const statuses = statusesByStream(run);
  assert.deepEqual([...statuses.keys()].sort(), [...streams].sort());
  for (const [stream, sequence] of statuses) assert.equal(sequence.at(-1), 'INCOMPLETE', stream);
  assert.equal(run.messages.filter((m) => m.type === 'RECORD').length, 0);
}

async function timed(run: Promise<ConnectorRun>): Promise<{ run: ConnectorRun; seconds: number }> {
  const started = performance.now();
  const finished = await run;
  return { run: finished, seconds: (performance.now() - started) / 1000 };
}

/** A simulator company with the whole catalog configured, for the describe block that calls it. */
function wholeCatalogSession(): { session: () => Session; catalogPath: () => string; streams: () => string[] } {
  let session: Session | undefined;
  let catalogPath = '';
  before(async () => {
    session = await openSession({ scale: 0.05 });
    catalogPath = jsonFile('catalog', configuredCatalog(session.streams));
  });
  after(async () => {
    await session?.sim.stop();
  });
  const current = (): Session => {
    if (!session) throw new Error('the simulator did not start');
    return session;
  };
  return { session: current, catalogPath: () => catalogPath, streams: () => current().streams.map((stream) => stream.name) };
}

describe('a refused sign-in signs in once and ends the command', () => {
  const whole = wholeCatalogSession();

  const wrong = 'Wrong-Passw0rd-' + 'y'.repeat(4);
  const cases = [
    { what: 'a wrong password', credentials: () => ({ password: wrong }) },
    { what: 'a wrong company database', credentials: () => ({ company_db: 'SBO_NO_SUCH_COMPANY' }) },
  ];

  for (const { what, credentials } of cases) {
    const configWith = (settings: Record<string, unknown> = {}) =>
      jsonFile('config', { ...whole.session().config, ...settings, credentials: { ...(whole.session().config.credentials as object), ...credentials() } });
    const loginsDuring = async (command: () => Promise<ConnectorRun>): Promise<{ run: ConnectorRun; logins: number }> => {
      whole.session().sim.clearRequestLog();
      const run = await command();
      return { run, logins: whole.session().sim.requestLog.filter((entry) => entry.method === 'POST' && entry.path.endsWith('/Login')).length };
    };

    for (const concurrency of CONCURRENCIES) {
      test(`read of the whole catalog with ${what}, concurrency ${concurrency}: one Login request, one config_error, every stream INCOMPLETE, within seconds`, async () => {
        const config = configWith({ concurrency });
        const { run, logins } = await loginsDuring(async () => {
          const { run: finished, seconds } = await timed(
            runConnector(['read', '--config', config, '--catalog', whole.catalogPath()], { secrets: [...whole.session().secrets, wrong] }),
          );
          assert.ok(seconds < 15, `the read took ${seconds.toFixed(1)} s`);
          return finished;
        });
        assert.equal(logins, 1, 'the simulator saw exactly one Login');
        assert.ok(whole.streams().length > 20, 'the whole catalog is configured');
        assertStoppedOnce(run, whole.streams(), 'config_error', /credentials\.password.*credentials\.company_db.*credentials\.username/);
        assert.doesNotMatch(logText(run), /could not read the Service Layer's \$metadata/i, 'the refused sign-in is the message');
      });
    }

    test(`check with ${what}: one Login request, one FAILED CONNECTION_STATUS naming the credentials`, async () => {
      const config = configWith();
      const { run, logins } = await loginsDuring(() => runConnector(['check', '--config', config], { secrets: [...whole.session().secrets, wrong] }));
      assert.equal(logins, 1);
      assert.equal(run.code, 0);
      const statuses = run.messages.filter((m) => m.type === 'CONNECTION_STATUS').map((m) => m.connectionStatus as { status: string; message: string });
      assert.equal(statuses.length, 1);
      assert.equal(statuses[0]!.status, 'FAILED');
      assert.match(statuses[0]!.message, /credentials\.password/);
    });

    test(`discover with ${what}: one Login request, one config_error, no catalog from the shipped schemas`, async () => {
      const config = configWith();
      const { run, logins } = await loginsDuring(() => runConnector(['discover', '--config', config], { secrets: [...whole.session().secrets, wrong] }));
      assert.equal(logins, 1);
      assert.equal(run.code, 1);
      assert.deepEqual(
        errors(run).map((e) => e.failure_type),
        ['config_error'],
      );
      assert.equal(run.messages.filter((m) => m.type === 'CATALOG').length, 0);
      assert.doesNotMatch(logText(run), /could not read the Service Layer's \$metadata/i);
    });
  }
});

describe('an unreachable Service Layer fails the whole read within its budget, reported once', () => {
  const whole = wholeCatalogSession();

  const readWith = (config: Record<string, unknown>) =>
    timed(runConnector(['read', '--config', jsonFile('config', config), '--catalog', whole.catalogPath()], { secrets: whole.session().secrets, timeoutMs: 180_000 }));

  test('a refused port with the default retry settings: under 2 minutes, naming host and port, server down or wrong port', async () => {
    const port = await refusedPort();
    const { request_timeout_seconds: _timeout, page_size: _pageSize, ...defaults } = whole.session().config;
    const { run, seconds } = await readWith({ ...defaults, service_layer_url: `http://127.0.0.1:${port}/b1s/v2/` });
    assert.ok(seconds < 120, `failed after ${seconds.toFixed(1)} s`);
    assertStoppedOnce(run, whole.streams(), 'config_error', new RegExp(`host 127\\.0\\.0\\.1 on port ${port}.*server is down.*${port} is the wrong port`));
  });

  test('a refused port with tight settings fails within max_retry_seconds', async () => {
    const port = await refusedPort();
    const { run, seconds } = await readWith({
      ...whole.session().config,
      service_layer_url: `http://127.0.0.1:${port}/b1s/v2/`,
      request_timeout_seconds: 5,
      max_retries: 20,
      max_retry_seconds: 4,
    });
    assert.ok(seconds < 4 + 10, `failed after ${seconds.toFixed(1)} s`);
    assertStoppedOnce(run, whole.streams(), 'config_error', /Connection refused by host 127\.0\.0\.1/);
  });

  test('a listener that accepts and never answers: about max_retry_seconds plus one request_timeout_seconds', async () => {
    const silent = await startSilentListener();
    try {
      const { run, seconds } = await readWith({
        ...whole.session().config,
        service_layer_url: `http://127.0.0.1:${silent.port}/b1s/v2/`,
        request_timeout_seconds: 5,
        max_retries: 20,
        max_retry_seconds: 8,
      });
      assert.ok(seconds >= 5, `failed after ${seconds.toFixed(1)} s, before a single request timed out`);
      assert.ok(seconds < 8 + 5 + 10, `failed after ${seconds.toFixed(1)} s`);
      assertStoppedOnce(run, whole.streams(), 'transient_error', new RegExp(`127\\.0\\.0\\.1:${silent.port} could not be reached.*request_timeout_seconds`));
    } finally {
      await silent.close();
    }
  });
});

describe('commands besides the protocol ones fail fast too', () => {
  test("generate-lookml falls back to the shipped schemas within seconds when the Service Layer refuses connections", async () => {
    const port = await refusedPort();
    const config = jsonFile('config', {
      service_layer_url: `http://127.0.0.1:${port}/b1s/v2/`,
      credentials: { auth_type: 'session_login', company_db: 'SBO_FOODCO', username: 'manager', password: 'not-used-here' },
    });
    const out = mkdtempSync(join(tmpdir(), 'sap-b1-lookml-'));
    const started = performance.now();
    const output = await new Promise<string>((resolve, reject) =>
      execFile(
        process.execPath,
        [connectorEntrypoint, 'generate-lookml', '--config', config, '--out', out, '--dialect', 'postgres', '--connection', 'wh', '--schema', 'sap'],
        { timeout: 120_000 },
        (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
      ),
    );
    const seconds = (performance.now() - started) / 1000;
    assert.ok(seconds < 15, `took ${seconds.toFixed(1)} s`);
    assert.match(output, new RegExp(`connection refused by host 127\\.0\\.0\\.1 on port ${port}`));
    assert.ok(readdirSync(out).length > 0, 'the LookML project was written from the shipped schemas');
  });
});

describe('errors no retry can fix say what to change', () => {
  let tls: Session;
  before(async () => {
    tls = await openSession({ scale: 0.05, tls: true });
  });
  after(async () => {
    await tls?.sim.stop();
  });

  test('http:// against the HTTPS Service Layer: check says to use https://, at once', async () => {
    const { tls: _pinned, ...config } = configFor(tls.sim);
    const plain = jsonFile('config', { ...config, service_layer_url: tls.sim.baseUrl.replace('https://', 'http://') });
    const { run, seconds } = await timed(runConnector(['check', '--config', plain], { secrets: tls.secrets }));
    assert.ok(seconds < 15, `took ${seconds.toFixed(1)} s`);
    const status = run.messages.find((m) => m.type === 'CONNECTION_STATUS')!.connectionStatus as { status: string; message: string };
    assert.equal(status.status, 'FAILED');
    assert.match(status.message, /speaks HTTPS.*Use https:\/\//);
  });

  test('an untrusted certificate: read of the whole catalog stops with one config_error naming the tls settings', async () => {
    const { tls: _pinned, ...unpinned } = configFor(tls.sim);
    const config = jsonFile('config', { ...unpinned, tls: { mode: 'verify' } });
    const catalog = jsonFile('catalog', configuredCatalog(tls.streams));
    const { run, seconds } = await timed(runConnector(['read', '--config', config, '--catalog', catalog], { secrets: tls.secrets }));
    assert.ok(seconds < 15, `took ${seconds.toFixed(1)} s`);
    assertStoppedOnce(
      run,
      tls.streams.map((stream) => stream.name),
      'config_error',
      /not trusted.*tls\.mode to trusted_certificate/,
    );
  });

  test('an unknown custom entity set: check names it without the "grant read access" advice', async () => {
    const config = jsonFile('config', { ...tls.config, custom_entity_sets: [{ entity_set: 'U_NO_SUCH_TABLE', primary_key: 'Code' }] });
    const run = await runConnector(['check', '--config', config], { secrets: tls.secrets });
    const status = run.messages.find((m) => m.type === 'CONNECTION_STATUS')!.connectionStatus as { status: string; message: string };
    assert.equal(status.status, 'FAILED');
    assert.match(status.message, /no entity set U_NO_SUCH_TABLE; check the names in custom_entity_sets/);
    assert.doesNotMatch(status.message, /grant/i);
  });
});
