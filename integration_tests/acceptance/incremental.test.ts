/**
 * The incremental-sync guarantees of issue 3, each proven against a simulator that changes the
 * company's books while the connector reads them: after two consecutive reads the union of what
 * they emitted holds the latest version of every record.
 */
import { afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lastStates } from '../../test/helpers/connector.js';
import { CONCURRENCIES, configuredCatalog, currentChildRows, latestByKey, openSession, read, truthBatchAllocations, truthUpdatedAt, type Session } from './fixture.js';

const STREAMS = ['invoices', 'invoice_lines', 'purchase_orders', 'purchase_order_lines', 'incoming_payments', 'journal_entries'];

let session: Session | undefined;
afterEach(async () => {
  await session?.sim.stop();
  session = undefined;
});

function assertLatestInvoices(s: Session, runs: Awaited<ReturnType<typeof read>>[]): void {
  const emitted = latestByKey(runs, 'invoices', ['doc_entry']);
  let checked = 0;
  for (const truth of s.sim.groundTruth('Invoices')) {
    const record = emitted.get(String(truth.DocEntry));
    assert.ok(record, `invoice ${truth.DocEntry} was never emitted`);
    assert.equal(record.updated_at, truthUpdatedAt(truth), `invoice ${truth.DocEntry} is stale`);
    assert.equal(record.comments, truth.Comments ?? null, `invoice ${truth.DocEntry} comments are stale`);
    assert.equal(record.doc_total, truth.DocTotal, `invoice ${truth.DocEntry} total is stale`);
    checked++;
  }
  assert.equal(emitted.size, checked);
}

for (const concurrency of CONCURRENCIES) {
  describe(`incremental reads never lose a change (concurrency ${concurrency})`, () => {
    test('updates of records already read and not yet read, inserts and a second update the same day, during the first read', async () => {
      session = await openSession({ clockStart: '2026-11-25T14:00:00' }, { concurrency });
      const { sim } = session;
      const firstKey = sim.keys.keyAt('Invoices', 3)!;
      const lastKey = sim.keys.lastKey('Invoices')!;
      const readStart = sim.dataRequestCount;
      // Request numbers count from the simulator's start; discover used a few already.
      sim.mutations.at(readStart + 4, { kind: 'update', entitySet: 'Invoices', key: firstKey, changes: { Comments: 'changed after it was read' } });
      sim.mutations.at(readStart + 4, { kind: 'update', entitySet: 'Invoices', key: lastKey, changes: { Comments: 'changed before it was read' } });
      sim.mutations.at(readStart + 5, { kind: 'insert', entitySet: 'Invoices', record: { Comments: 'inserted during the read' } });
      sim.mutations.at(readStart + 6, { kind: 'advance_clock', ms: 3 * 3600_000 });
      sim.mutations.at(readStart + 7, { kind: 'update', entitySet: 'Invoices', key: firstKey, changes: { Comments: 'changed again the same day' } });
      const catalog = configuredCatalog(session.streams, 'incremental', STREAMS);
      const first = await read(session, catalog);
      assert.equal(first.code, 0, first.stderr);
      const second = await read(session, catalog, lastStates(first));
      assert.equal(second.code, 0, second.stderr);
      assertLatestInvoices(session, [first, second]);
    });

    test('a read that crosses midnight, with changes on both sides of it', async () => {
      session = await openSession({ clockStart: '2026-11-25T23:59:00' }, { concurrency });
      const { sim } = session;
      const readStart = sim.dataRequestCount;
      const early = sim.keys.keyAt('Invoices', 1)!;
      const middle = sim.keys.keyAt('Invoices', Math.floor(sim.count('Invoices') / 2))!;
      sim.mutations.at(readStart + 3, { kind: 'update', entitySet: 'Invoices', key: middle, changes: { Comments: 'just before midnight' } });
      sim.mutations.at(readStart + 4, { kind: 'set_clock', to: '2026-11-26T00:00:30' });
      sim.mutations.at(readStart + 5, { kind: 'update', entitySet: 'Invoices', key: early, changes: { Comments: 'just after midnight' } });
      const catalog = configuredCatalog(session.streams, 'incremental', STREAMS);
      const first = await read(session, catalog);
      assert.equal(first.code, 0, first.stderr);
      sim.mutations.apply({ kind: 'advance_clock', ms: 3600_000 });
      sim.mutations.apply({ kind: 'update', entitySet: 'Invoices', key: middle, changes: { Comments: 'between the reads' } });
      const second = await read(session, catalog, lastStates(first));
      assert.equal(second.code, 0, second.stderr);
      assertLatestInvoices(session, [first, second]);
    });

    test('in a company behind UTC, a change later the same local day is found although UTC is already on the next day', async () => {
      // 22:00 in the company is 08:00 UTC the next day: the server's Date header is a day ahead.
      session = await openSession({ clockStart: '2026-11-25T22:00:00', utcOffsetMinutes: -600 }, { concurrency });
      const { sim } = session;
      const catalog = configuredCatalog(session.streams, 'incremental', ['invoices']);
      const first = await read(session, catalog);
      assert.equal(first.code, 0);
      sim.mutations.apply({ kind: 'advance_clock', ms: 90 * 60_000 });
      sim.mutations.apply({ kind: 'update', entitySet: 'Invoices', key: sim.keys.keyAt('Invoices', 7)!, changes: { Comments: 'late evening' } });
      const second = await read(session, catalog, lastStates(first));
      assert.equal(second.code, 0);
      assertLatestInvoices(session, [first, second]);
    });

    test('a payment cancelled weeks after it was posted arrives, although no stamp changed', async () => {
      session = await openSession({}, { concurrency });
      const { sim } = session;
      const catalog = configuredCatalog(session.streams, 'incremental', ['incoming_payments', 'incoming_payment_invoices']);
      const first = await read(session, catalog);
      assert.equal(first.code, 0, first.stderr);
      const key = sim.keys.paymentPostedDaysAgo('IncomingPayments', 21)!;
      assert.ok(key !== undefined, 'the simulator has a payment from three weeks ago');
      sim.mutations.apply({ kind: 'advance_clock', ms: 24 * 3600_000 });
      sim.mutations.apply({ kind: 'cancel_payment', entitySet: 'IncomingPayments', key });
      const newPayment = sim.mutations.apply({ kind: 'insert', entitySet: 'IncomingPayments' }).key;
      const second = await read(session, catalog, lastStates(first));
      assert.equal(second.code, 0, second.stderr);
      const payments = latestByKey([first, second], 'incoming_payments', ['doc_entry']);
      assert.equal(payments.get(String(key))?.cancelled, true, 'the cancellation reached the destination');
      assert.ok(payments.has(String(newPayment)), 'the new payment arrived');
      for (const truth of sim.groundTruth('IncomingPayments')) {
        assert.equal(payments.get(String(truth.DocEntry))?.cancelled, truth.Cancelled === 'tYES', `payment ${truth.DocEntry}`);
      }
      // The second read did not re-read all history: only new keys and the re-read window.
      assert.ok(second.messages.filter((m) => m.type === 'RECORD').length < first.messages.filter((m) => m.type === 'RECORD').length);
    });

    test('a line removed from an open purchase order is not current any more', async () => {
      session = await openSession({}, { concurrency });
      const { sim } = session;
      const catalog = configuredCatalog(session.streams, 'incremental', ['purchase_orders', 'purchase_order_lines']);
      const first = await read(session, catalog);
      const orderKey = sim.keys.find(
        'PurchaseOrders',
        (r) => r.DocumentStatus === 'bost_Open' && ((r.DocumentLines as unknown[]) ?? []).length >= 2,
        1,
      )[0] as number;
      assert.ok(orderKey !== undefined, 'an open purchase order with two lines');
      sim.mutations.apply({ kind: 'advance_clock', ms: 3600_000 });
      sim.mutations.apply({ kind: 'remove_line', entitySet: 'PurchaseOrders', key: orderKey, lineNum: 0 });
      const second = await read(session, catalog, lastStates(first));
      const headers = latestByKey([first, second], 'purchase_orders', ['doc_entry']);
      const lines = latestByKey([first, second], 'purchase_order_lines', ['doc_entry', 'line_num']);
      const header = headers.get(String(orderKey))!;
      const current = [...lines.values()].filter((line) => line.doc_entry === orderKey && line._b1_parent_record_hash === header._b1_record_hash);
      const truth = [...sim.groundTruth('PurchaseOrders')].find((r) => r.DocEntry === orderKey)!;
      assert.deepEqual(current.map((line) => line.line_num).sort(), (truth.DocumentLines as { LineNum: number }[]).map((line) => line.LineNum).sort());
      assert.ok(lines.has(`${orderKey}|0`), 'the removed line is still in the destination, but not current');
      assert.ok(String(lines.get(`${orderKey}|0`)!.parent_updated_at) < String(header.updated_at));
    });

    test('replay_since re-reads a window whatever the state', async () => {
      session = await openSession({}, { concurrency });
      const catalog = configuredCatalog(session.streams, 'incremental', ['invoices']);
      const first = await read(session, catalog);
      const withoutReplay = await read(session, catalog, lastStates(first));
      const replaySession: Session = {
        ...session,
        configPath: (await import('../../test/helpers/connector.js')).jsonFile('config', { ...session.config, replay_since: '2026-01-01' }),
      };
      const replay = await read(replaySession, catalog, lastStates(first));
      const count = (run: typeof first): number => run.messages.filter((m) => m.type === 'RECORD').length;
      const expected = [...session.sim.groundTruth('Invoices')].filter((r) => String(r.UpdateDate).slice(0, 10) >= '2026-01-01').length;
      assert.equal(count(replay), expected);
      assert.ok(count(replay) > count(withoutReplay));
    });
  });

  /** The latest header of every document of an entity set equals the simulator's, and its current batch allocations equal the books'. */
  function assertLatestDocuments(s: Session, runs: Awaited<ReturnType<typeof read>>[], stream: string, entitySet: string, lines = 'DocumentLines'): void {
    const emitted = latestByKey(runs, stream, ['doc_entry']);
    for (const truth of s.sim.groundTruth(entitySet)) {
      const record = emitted.get(String(truth.DocEntry));
      assert.ok(record, `${stream} ${truth.DocEntry} was never emitted`);
      assert.equal(record.updated_at, truthUpdatedAt(truth), `${stream} ${truth.DocEntry} is stale`);
      assert.equal(record.comments, truth.Comments ?? null, `${stream} ${truth.DocEntry} comments are stale`);
      assert.equal(record.document_status, truth.DocumentStatus, `${stream} ${truth.DocEntry} status is stale`);
    }
    assert.equal(emitted.size, s.sim.count(entitySet));
    const batches = currentChildRows(runs, stream, `${stream}_batch_numbers`, ['doc_entry', 'base_line_number', 'batch_number_property']);
    const current = new Map(batches.map((b) => [`${String(b.doc_entry)}|${String(b.base_line_number)}|${String(b.batch_number_property)}`, b.quantity]));
    const truth = truthBatchAllocations(s.sim, entitySet, lines);
    assert.ok(truth.size > 0, `${entitySet} move batches`);
    assert.deepEqual(new Map([...current].sort()), new Map([...truth].sort()), `${stream}_batch_numbers: the current allocations are the books'`);
  }

  describe(`issue 11's entity sets never lose a change either (concurrency ${concurrency})`, () => {
    test('deliveries and their batch allocations: updated before and after they are read, one posted and one cancelled during the read', async () => {
      session = await openSession({ clockStart: '2026-11-25T14:00:00' }, { concurrency });
      const { sim } = session;
      const readStart = sim.dataRequestCount;
      const early = sim.keys.keyAt('DeliveryNotes', 3)!;
      const last = sim.keys.lastKey('DeliveryNotes')!;
      // SAP cancels a delivery only while nothing follows it: an open one, not the last (changed above).
      const [open] = sim.keys.find('DeliveryNotes', (r) => r.DocumentStatus === 'bost_Open' && r.CancelStatus === 'csNo' && r.DocEntry !== last, 1);
      assert.ok(open !== undefined, 'an open delivery to cancel');
      sim.mutations.at(readStart + 4, { kind: 'update', entitySet: 'DeliveryNotes', key: early, changes: { Comments: 'changed after it was read' } });
      sim.mutations.at(readStart + 4, { kind: 'update', entitySet: 'DeliveryNotes', key: last, changes: { Comments: 'changed before it was read' } });
      sim.mutations.at(readStart + 5, { kind: 'insert', entitySet: 'DeliveryNotes', record: { Comments: 'posted during the read' } });
      sim.mutations.at(readStart + 6, { kind: 'cancel_document', entitySet: 'DeliveryNotes', key: open as number });
      const catalog = configuredCatalog(session.streams, 'incremental', ['delivery_notes', 'delivery_note_lines', 'delivery_notes_batch_numbers']);
      const first = await read(session, catalog);
      assert.equal(first.code, 0, first.stderr);
      sim.mutations.apply({ kind: 'advance_clock', ms: 3600_000 });
      sim.mutations.apply({ kind: 'update', entitySet: 'DeliveryNotes', key: early, changes: { Comments: 'changed again the same day' } });
      const second = await read(session, catalog, lastStates(first));
      assert.equal(second.code, 0, second.stderr);
      assertLatestDocuments(session, [first, second], 'delivery_notes', 'DeliveryNotes');
      const cancelled = latestByKey([first, second], 'delivery_notes', ['doc_entry']).get(String(open))!;
      assert.equal(cancelled.cancel_status, 'csYes', 'the cancelled delivery arrived as cancelled');
    });

    test('stock transfers, stamped by day only: changes during the read, twice the same day, and after it the same day', async () => {
      session = await openSession({ clockStart: '2026-11-25T14:00:00' }, { concurrency });
      const { sim } = session;
      const readStart = sim.dataRequestCount;
      const early = sim.keys.keyAt('StockTransfers', 3)!;
      const later = sim.keys.keyAt('StockTransfers', 5)!;
      const last = sim.keys.lastKey('StockTransfers')!;
      sim.mutations.at(readStart + 3, { kind: 'update', entitySet: 'StockTransfers', key: early, changes: { Comments: 'changed after it was read' } });
      sim.mutations.at(readStart + 3, { kind: 'update', entitySet: 'StockTransfers', key: last, changes: { Comments: 'changed before it was read' } });
      sim.mutations.at(readStart + 4, { kind: 'insert', entitySet: 'StockTransfers', record: { Comments: 'posted during the read' } });
      sim.mutations.at(readStart + 5, { kind: 'advance_clock', ms: 3 * 3600_000 });
      sim.mutations.at(readStart + 6, { kind: 'update', entitySet: 'StockTransfers', key: early, changes: { Comments: 'changed again the same day' } });
      const catalog = configuredCatalog(session.streams, 'incremental', ['stock_transfers', 'stock_transfer_lines', 'stock_transfers_batch_numbers']);
      const first = await read(session, catalog);
      assert.equal(first.code, 0, first.stderr);
      // Later the same day: a stamp that is only a day cannot tell these changes from those the first read saw.
      sim.mutations.apply({ kind: 'advance_clock', ms: 2 * 3600_000 });
      sim.mutations.apply({ kind: 'update', entitySet: 'StockTransfers', key: later, changes: { Comments: 'changed after the read, the same day' } });
      const posted = sim.mutations.apply({ kind: 'insert', entitySet: 'StockTransfers', record: { Comments: 'posted after the read' } }).key;
      const second = await read(session, catalog, lastStates(first));
      assert.equal(second.code, 0, second.stderr);
      assertLatestDocuments(session, [first, second], 'stock_transfers', 'StockTransfers', 'StockTransferLines');
      const transfers = latestByKey([first, second], 'stock_transfers', ['doc_entry']);
      assert.equal(transfers.get(String(later))!.comments, 'changed after the read, the same day');
      assert.ok(transfers.has(String(posted)));
      assert.ok(second.messages.filter((m) => m.type === 'RECORD').length < first.messages.filter((m) => m.type === 'RECORD').length / 4, 'the second read re-read recent days only');
    });
  });
}
