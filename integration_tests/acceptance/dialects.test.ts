/**
 * The same company read through /b1s/v1 (OData v3) over HTTPS with a pinned self-signed
 * certificate: same records as v2, dates normalized, and certificate checks that do their job.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonFile, runConnector } from '../../test/helpers/connector.js';
import { configuredCatalog, latestByKey, openSession, read, type Session } from './fixture.js';

const STREAMS = [
  'invoices',
  'invoice_lines',
  'invoices_batch_numbers',
  'journal_entries',
  'journal_entry_lines',
  'incoming_payments',
  'incoming_payment_invoices',
  'items',
  'item_warehouse_stock',
  'business_partners',
  'distribution_rule_lines',
  'financial_years',
];

describe('v1 dialect over pinned HTTPS', () => {
  let v1: Session;
  let v2: Session;
  before(async () => {
    v1 = await openSession({ dialect: 'v1', tls: true });
    v2 = await openSession({ dialect: 'v2' });
  });
  after(async () => {
    await v1?.sim.stop();
    await v2?.sim.stop();
  });

  test('check succeeds with the pinned certificate and fails, exit 0, when the certificate is not trusted', async () => {
    const pinned = await runConnector(['check', '--config', v1.configPath], { secrets: v1.secrets });
    assert.equal((pinned.messages.at(-1)!.connectionStatus as { status: string }).status, 'SUCCEEDED');
    const verify = await runConnector(['check', '--config', jsonFile('config', { ...v1.config, tls: { mode: 'verify' } })], { secrets: v1.secrets });
    assert.equal(verify.code, 0);
    const status = verify.messages.find((m) => m.type === 'CONNECTION_STATUS')!.connectionStatus as { status: string; message: string };
    assert.equal(status.status, 'FAILED');
    assert.match(status.message, /certificate/i);
    const accept = await runConnector(['check', '--config', jsonFile('config', { ...v1.config, tls: { mode: 'accept_self_signed' } })], {
      secrets: v1.secrets,
    });
    assert.equal((accept.messages.find((m) => m.type === 'CONNECTION_STATUS')!.connectionStatus as { status: string }).status, 'SUCCEEDED');
  });

  test('v1 and v2 deliver the same records, with ISO dates', async () => {
    const [runV1, runV2] = await Promise.all([
      read(v1, configuredCatalog(v1.streams, 'incremental', STREAMS)),
      read(v2, configuredCatalog(v2.streams, 'incremental', STREAMS)),
    ]);
    assert.equal(runV1.code, 0, runV1.stderr);
    assert.equal(runV2.code, 0, runV2.stderr);
    const keys: Record<string, string[]> = {
      invoices: ['doc_entry'],
      invoice_lines: ['doc_entry', 'line_num'],
      journal_entries: ['jdt_num'],
      journal_entry_lines: ['jdt_num', 'line_id'],
      incoming_payments: ['doc_entry'],
      incoming_payment_invoices: ['doc_entry', 'line_num'],
      items: ['item_code'],
      item_warehouse_stock: ['item_code', 'warehouse_code'],
      business_partners: ['card_code'],
      // v1 calls the batch BatchNumber, v2 BatchNumberProperty: one column, batch_number_property.
      invoices_batch_numbers: ['doc_entry', 'base_line_number', 'batch_number_property'],
      distribution_rule_lines: ['factor_code', 'center_code', 'effective_from'],
      financial_years: ['code'],
    };
    const comparable = (record: Record<string, unknown>): Record<string, unknown> =>
      Object.fromEntries(Object.entries(record).filter(([column]) => !column.startsWith('_b1_')));
    for (const [stream, key] of Object.entries(keys)) {
      const a = latestByKey([runV1], stream, key);
      const b = latestByKey([runV2], stream, key);
      assert.equal(a.size, b.size, stream);
      assert.ok(a.size > 0, stream);
      for (const [id, record] of b) assert.deepEqual(comparable(a.get(id)!), comparable(record), `${stream} ${id}`);
    }
    assert.ok([...latestByKey([runV1], 'invoices_batch_numbers', keys.invoices_batch_numbers!).values()].every((b) => typeof b.batch_number_property === 'string'));
    const invoice = [...latestByKey([runV1], 'invoices', ['doc_entry']).values()][0]!;
    assert.match(String(invoice.doc_date), /^\d{4}-\d{2}-\d{2}$/);
    assert.match(String(invoice.updated_at), /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
  });

  test("a catalog discovered on v2 reads a line's batches from a v1 server, whose property has v1's name", async () => {
    const batches = ['invoices', 'invoices_batch_numbers'];
    const run = await read(v1, configuredCatalog(v2.streams, 'full_refresh', batches));
    assert.equal(run.code, 0, run.stderr);
    const rows = [...latestByKey([run], 'invoices_batch_numbers', ['doc_entry', 'base_line_number', 'batch_number_property']).values()];
    assert.ok(rows.length > 0 && rows.every((b) => typeof b.batch_number_property === 'string'), 'every batch has its number');
    assert.doesNotMatch(run.stdout, /left out/, 'no column was left out');
  });
});
