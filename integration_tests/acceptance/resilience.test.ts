/**
 * A Service Layer that misbehaves: rate limits, gateway errors, resets, bodies cut short and
 * expired sessions must cost retries, never records; a stream that cannot be read fails alone.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { traces } from '../../test/helpers/connector.js';
import { CONCURRENCIES, configuredCatalog, openSession, read, type Session } from './fixture.js';

const STREAMS = ['invoices', 'invoice_lines', 'business_partners', 'gl_accounts'];

for (const concurrency of CONCURRENCIES) {
  describe(`a misbehaving Service Layer (concurrency ${concurrency})`, () => {
    let session: Session;
    before(async () => {
      session = await openSession({}, { max_retries: 4, max_retry_seconds: 20, concurrency });
    });
    after(async () => {
      await session?.sim.stop();
    });

    const countRecords = (run: Awaited<ReturnType<typeof read>>, stream: string): number =>
      run.messages.filter((m) => m.type === 'RECORD' && (m.record as { stream: string }).stream === stream).length;

    test('429 with Retry-After, HTML 502 bursts, 503, 504, resets and truncated bodies cost retries, not records', async () => {
      const { sim } = session;
      sim.faults.clear();
      sim.faults.add({ kind: 'status429', retryAfterSeconds: 1, match: { pathIncludes: 'Invoices' }, after: 2 });
      sim.faults.add({ kind: 'proxy502', match: { pathIncludes: 'Invoices' }, after: 4, times: 3 });
      sim.faults.add({ kind: 'status503', match: { pathIncludes: 'BusinessPartners' } });
      sim.faults.add({ kind: 'status504', match: { pathIncludes: 'ChartOfAccounts' } });
      sim.faults.add({ kind: 'reset', match: { pathIncludes: 'Invoices' }, after: 8 });
      sim.faults.add({ kind: 'truncate', match: { pathIncludes: 'Invoices' }, after: 10 });
      const logBefore = sim.requestLog.length;
      const run = await read(session, configuredCatalog(session.streams, 'incremental', STREAMS));
      assert.equal(run.code, 0, run.stderr);
      assert.equal(countRecords(run, 'invoices'), sim.count('Invoices'));
      assert.equal(countRecords(run, 'business_partners'), sim.count('BusinessPartners'));
      assert.equal(countRecords(run, 'gl_accounts'), sim.count('ChartOfAccounts'));
      const faults = sim.requestLog.slice(logBefore).flatMap((entry) => (entry.fault ? [entry.fault] : []));
      for (const kind of ['status429', 'proxy502', 'status503', 'status504', 'reset', 'truncate'])
        assert.ok(faults.includes(kind as never), `${kind} was injected`);
      // Retry-After was honoured: the retry came at least a second after the 429.
      const log = sim.requestLog.slice(logBefore);
      const limited = log.findIndex((entry) => entry.fault === 'status429');
      assert.ok(limited >= 0 && limited + 1 < log.length);
      assert.ok(run.stdout.includes('429'), 'the retry was logged');
    });

    test('a session that expires mid-read is renewed once and the read goes on', async () => {
      const { sim } = session;
      sim.faults.clear();
      sim.faults.add({ kind: 'expire_session', match: { pathIncludes: 'Invoices' }, after: 5 });
      const loginsBefore = sim.stats.logins;
      const run = await read(session, configuredCatalog(session.streams, 'incremental', STREAMS));
      assert.equal(run.code, 0, run.stderr);
      assert.equal(countRecords(run, 'invoices'), sim.count('Invoices'));
      // A login per session that got work (all of them here), and one more for the session that expired.
      const logins = sim.stats.logins - loginsBefore;
      assert.equal(sim.requestLog.filter((entry) => entry.fault === 'expire_session').length, 1);
      if (concurrency === 1) assert.equal(logins, 2, 'one login for the read and one after the session expired');
      else assert.ok(logins >= 3 && logins <= concurrency + 1, `one login per session and one after the session expired: ${logins}`);
      assert.equal(sim.stats.activeSessions, 0, 'the read logged out');
    });

    test('a stream that keeps failing is INCOMPLETE with its error; the others complete; the exit code is non-zero', async () => {
      const { sim } = session;
      sim.faults.clear();
      sim.faults.add({ kind: 'status500', match: { pathIncludes: 'BusinessPartners' }, times: 1000 });
      const run = await read(session, configuredCatalog(session.streams, 'incremental', STREAMS));
      sim.faults.clear();
      assert.notEqual(run.code, 0);
      const statuses = traces(run, 'STREAM_STATUS').map((t) => t.stream_status as { stream_descriptor: { name: string }; status: string });
      const final = new Map(statuses.map((s) => [s.stream_descriptor.name, s.status]));
      assert.equal(final.get('business_partners'), 'INCOMPLETE');
      assert.equal(final.get('invoices'), 'COMPLETE');
      assert.equal(final.get('gl_accounts'), 'COMPLETE');
      const errors = traces(run, 'ERROR').map((t) => t.error as { failure_type: string; message: string; stream_descriptor?: { name: string } });
      const error = errors.find((e) => e.stream_descriptor?.name === 'business_partners');
      assert.ok(error, 'an ERROR trace names the stream');
      assert.equal(error.failure_type, 'transient_error');
      assert.match(error.message, /500|BusinessPartners/);
      assert.equal(countRecords(run, 'invoices'), sim.count('Invoices'));
    });
  });
}
