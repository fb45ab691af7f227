import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServiceLayerSimulator, type ServiceLayerSimulator } from '../index.js';
import { q, TestClient } from './client.js';

function truthOf(sim: ServiceLayerSimulator, entitySet: string, keyProperty: string, key: unknown): Record<string, unknown> | undefined {
  for (const r of sim.groundTruth(entitySet)) if (r[keyProperty] === key) return r;
  return undefined;
}

describe('mutations, clock and ground truth', () => {
  let sim: ServiceLayerSimulator;
  let c: TestClient;
  before(async () => {
    sim = await startServiceLayerSimulator({ clockStart: '2026-11-25T10:00:00', utcOffsetMinutes: -300 });
    c = new TestClient(sim);
    await c.login();
  });
  after(() => sim.stop());

  test('the clock: frozen by default, set and advanced; the Date header is the clock in UTC', async () => {
    assert.equal(sim.clock.now(), '2026-11-25T10:00:00');
    sim.clock.advance(90_000);
    assert.equal(sim.clock.now(), '2026-11-25T10:01:30');
    const reply = await c.get('Dimensions');
    assert.equal(reply.headers.get('date'), 'Wed, 25 Nov 2026 15:01:30 GMT');
    assert.deepEqual(sim.mutations.apply({ kind: 'set_clock', to: '2026-11-25T11:00:00' }), { kind: 'set_clock', clock: '2026-11-25T11:00:00' });
    assert.equal(sim.mutations.apply({ kind: 'advance_clock', ms: 60_000 }).clock, '2026-11-25T11:01:00');
    assert.throws(() => sim.clock.set('2026-13-01T00:00:00'), /valid date-time/);
    await c.login();
  });

  test('update stamps UpdateDate/UpdateTime from the clock, bumps DataVersion and the ETag; a second update the same day', async () => {
    const key = 42;
    const before = (await c.get(`Invoices(${key})`)).json();
    const first = sim.mutations.apply({ kind: 'update', entitySet: 'Invoices', key, changes: { Comments: 'first change', U_Channel: 'Phone' } });
    assert.deepEqual(first, { kind: 'update', entitySet: 'Invoices', key, updateDate: '2026-11-25', updateTime: '11:01:00', clock: '2026-11-25T11:01:00' });
    const afterFirst = (await c.get(`Invoices(${key})`)).json();
    assert.equal(afterFirst.Comments, 'first change');
    assert.equal(afterFirst.U_Channel, 'Phone');
    assert.equal(afterFirst.UpdateDate, '2026-11-25T00:00:00Z');
    assert.equal(afterFirst.UpdateTime, '11:01:00');
    assert.equal(afterFirst.DataVersion, (before.DataVersion as number) + 1);
    assert.notEqual(afterFirst['@odata.etag'], before['@odata.etag']);
    assert.equal(afterFirst.DocTotal, before.DocTotal, 'other properties unchanged');
    sim.clock.advance(3 * 3600_000);
    sim.mutations.apply({ kind: 'update', entitySet: 'Invoices', key, changes: { Comments: 'second change' } });
    const truth = truthOf(sim, 'Invoices', 'DocEntry', key)!;
    assert.equal(truth.UpdateDate, '2026-11-25');
    assert.equal(truth.UpdateTime, '14:01:00');
    assert.equal(truth.Comments, 'second change');
    assert.equal(truth.DataVersion, (before.DataVersion as number) + 2);
  });

  test('entity types without change stamps get none (journal entries, master data tables)', () => {
    const je = sim.mutations.apply({ kind: 'update', entitySet: 'JournalEntries', key: 7, changes: { Memo: 'corrected memo' } });
    assert.equal(je.updateDate, undefined);
    const truth = truthOf(sim, 'JournalEntries', 'JdtNum', 7)!;
    assert.equal(truth.Memo, 'corrected memo');
    assert.equal('UpdateDate' in truth, false);
    const account = sim.mutations.apply({ kind: 'update', entitySet: 'ChartOfAccounts', key: '411000', changes: { Name: 'Sales - Fresh' } });
    assert.equal(account.updateDate, undefined);
  });

  test('insert takes the next key and the clock as creation and change stamp', async () => {
    await c.login(); // the clock moved hours ahead: the old session timed out
    const count = sim.count('Invoices');
    const result = sim.mutations.apply({ kind: 'insert', entitySet: 'Invoices', record: { Comments: 'new order by phone' } });
    assert.equal(result.key, count + 1);
    assert.equal(sim.count('Invoices'), count + 1);
    const record = (await c.get(`Invoices(${count + 1})`)).json();
    assert.equal(record.Comments, 'new order by phone');
    assert.equal(record.DocDate, '2026-11-25T00:00:00Z');
    assert.equal(record.CreationDate, '2026-11-25T00:00:00Z');
    assert.equal(record.UpdateTime, sim.clock.now().slice(11));
    assert.equal(record.DataVersion, 1);
    const last = (await c.get('Invoices?$orderby=DocEntry desc&$top=1&$select=DocEntry')).json<{ value: { DocEntry: number }[] }>();
    assert.equal(last.value[0]!.DocEntry, count + 1);
    const second = sim.mutations.apply({ kind: 'insert', entitySet: 'Invoices' });
    assert.equal(second.key, count + 2);
    const item = sim.mutations.apply({ kind: 'insert', entitySet: 'Items', record: { ItemName: 'Truffle Oil 250 ml' } });
    assert.equal(item.key, `FD${String(sim.count('Items')).padStart(String(item.key).length - 2, '0')}`);
    assert.equal(sim.keys.lastKey('Items'), item.key);
    const promo = sim.mutations.apply({ kind: 'insert', entitySet: 'U_FD_PROMOS', record: { Code: 'PR0000A', Name: 'Inserted promotion', U_DiscountPct: 12.5 } });
    assert.equal(promo.key, 'PR0000A');
    const promos = await c.readAll(`U_FD_PROMOS?$filter=${q("Code ge 'PR0000'")}&$select=Code`);
    assert.ok(promos.records.map((r) => r.Code).includes('PR0000A'));
    const lastPromo = String(sim.keys.lastKey('U_FD_PROMOS'));
    const nextPromo = sim.mutations.apply({ kind: 'insert', entitySet: 'U_FD_PROMOS', record: { Name: 'Numbered after the last' } }).key;
    assert.equal(nextPromo, lastPromo.replace(/\d+$/, (n) => String(Number(n) + 1).padStart(n.length, '0')));
    const partnerA = sim.mutations.apply({ kind: 'insert', entitySet: 'BusinessPartners', record: { CardName: 'New Bistro A' } }).key;
    const partnerB = sim.mutations.apply({ kind: 'insert', entitySet: 'BusinessPartners', record: { CardName: 'New Bistro B' } }).key;
    assert.match(String(partnerA), /^C\d+$/);
    assert.notEqual(partnerA, partnerB);
    const inserted = truthOf(sim, 'BusinessPartners', 'CardCode', partnerB)!;
    assert.equal(inserted.CardName, 'New Bistro B');
    assert.equal(inserted.CreateDate, sim.clock.now().slice(0, 10));
    assert.throws(() => sim.mutations.apply({ kind: 'insert', entitySet: 'ProfitCenters' }), /needs the key in the record \(CenterCode\)/);
    assert.equal(sim.mutations.apply({ kind: 'insert', entitySet: 'ChartOfAccounts', record: { Code: '416000', Name: 'Sales - Catering' } }).key, '416000');
  });

  test('remove_line takes a line off a document, recomputes its totals and stamps it', () => {
    const key = sim.keys.find('PurchaseOrders', (r) => r.DocumentStatus === 'bost_Open' && (r.DocumentLines as unknown[]).length >= 2, 1)[0] as number;
    const before = truthOf(sim, 'PurchaseOrders', 'DocEntry', key)!;
    const lines = before.DocumentLines as { LineNum: number; LineTotal: number }[];
    sim.mutations.apply({ kind: 'remove_line', entitySet: 'PurchaseOrders', key, lineNum: lines[0]!.LineNum });
    const after = truthOf(sim, 'PurchaseOrders', 'DocEntry', key)!;
    const kept = after.DocumentLines as { LineNum: number; LineTotal: number; TaxTotal: number }[];
    assert.deepEqual(kept.map((l) => l.LineNum), lines.slice(1).map((l) => l.LineNum));
    const expected = Math.round(kept.reduce((s, l) => s + l.LineTotal + l.TaxTotal, 0) * 100) / 100;
    assert.equal(after.DocTotal, expected);
    assert.equal(after.UpdateDate, sim.clock.now().slice(0, 10));
    assert.throws(() => sim.mutations.apply({ kind: 'remove_line', entitySet: 'PurchaseOrders', key, lineNum: lines[0]!.LineNum }), /no line/);
  });

  test('cancel_payment weeks after posting: Cancelled becomes tYES and nothing else changes', () => {
    const key = sim.keys.paymentPostedDaysAgo('IncomingPayments', 21)!;
    const before = truthOf(sim, 'IncomingPayments', 'DocEntry', key)!;
    const posted = Date.parse(String(before.DocDate));
    const daysAgo = (Date.parse(sim.clock.now().slice(0, 10)) - posted) / 86_400_000;
    assert.ok(daysAgo >= 21 && daysAgo <= 25, `posted ${daysAgo} days ago`);
    assert.equal(before.Cancelled, 'tNO');
    sim.mutations.apply({ kind: 'cancel_payment', entitySet: 'IncomingPayments', key });
    const after = truthOf(sim, 'IncomingPayments', 'DocEntry', key)!;
    assert.equal(after.Cancelled, 'tYES');
    const changed = Object.keys(after).filter((k) => JSON.stringify(after[k]) !== JSON.stringify(before[k]));
    assert.deepEqual(changed.sort(), ['CancelStatus', 'Cancelled']);
    assert.ok(!('UpdateDate' in after), 'payments carry no change stamp');
  });

  test('mutations are validated', () => {
    assert.throws(() => sim.mutations.apply({ kind: 'update', entitySet: 'Invoices', key: 1, changes: { NoSuchField: 1 } }), /no property 'NoSuchField'/);
    assert.throws(() => sim.mutations.apply({ kind: 'update', entitySet: 'Invoices', key: 1, changes: { DocDate: '25.11.2026' } }), /canonical date/);
    assert.throws(() => sim.mutations.apply({ kind: 'update', entitySet: 'Invoices', key: 999_999 }), /does not exist/);
    assert.throws(() => sim.mutations.apply({ kind: 'update', entitySet: 'Quotations', key: 1 }), /Unknown entity set/);
    assert.throws(() => sim.mutations.apply({ kind: 'cancel_payment', entitySet: 'Invoices' as 'IncomingPayments', key: 1 }), /IncomingPayments or VendorPayments/);
  });

  test('mutations.at fires before data request n: a record already read keeps its old version, one not yet read shows the new one', async () => {
    const reader = new TestClient(sim);
    await reader.login();
    const early = 2;
    const late = sim.count('Invoices') - 3;
    const start = sim.dataRequestCount;
    sim.mutations.at(start + 2, { kind: 'update', entitySet: 'Invoices', key: early, changes: { Comments: 'changed after it was read' } });
    sim.mutations.at(start + 2, { kind: 'update', entitySet: 'Invoices', key: late, changes: { Comments: 'changed before it was read' } });
    await reader.get('$metadata');
    const { records, pages } = await reader.readAll('Invoices?$select=DocEntry,Comments', { Prefer: 'odata.maxpagesize=1000' });
    assert.ok(pages.length >= 3);
    assert.equal(sim.dataRequestCount, start + pages.length, 'Login and $metadata are not data requests');
    assert.notEqual(records.find((r) => r.DocEntry === early)!.Comments, 'changed after it was read');
    assert.equal(records.find((r) => r.DocEntry === late)!.Comments, 'changed before it was read');
    assert.equal(truthOf(sim, 'Invoices', 'DocEntry', early)!.Comments, 'changed after it was read');
    const log = sim.requestLog.filter((e) => e.dataRequestNumber !== undefined).slice(-pages.length);
    assert.deepEqual(log.map((e) => e.dataRequestNumber), pages.map((_, i) => start + 1 + i));
  });

  test('the clock crossing midnight stamps the next day', () => {
    sim.clock.set('2026-11-25T23:59:30');
    sim.mutations.apply({ kind: 'update', entitySet: 'Invoices', key: 11, changes: { Comments: 'just before midnight' } });
    sim.mutations.apply({ kind: 'advance_clock', ms: 60_000 });
    sim.mutations.apply({ kind: 'update', entitySet: 'Invoices', key: 12, changes: { Comments: 'just after midnight' } });
    const before = truthOf(sim, 'Invoices', 'DocEntry', 11)!;
    const after = truthOf(sim, 'Invoices', 'DocEntry', 12)!;
    assert.deepEqual([before.UpdateDate, before.UpdateTime], ['2026-11-25', '23:59:30']);
    assert.deepEqual([after.UpdateDate, after.UpdateTime], ['2026-11-26', '00:00:30']);
  });

  test('the running clock follows real time', async () => {
    const running = await startServiceLayerSimulator({ clockMode: 'running', clockStart: '2026-01-31T23:59:59' });
    try {
      await new Promise((r) => setTimeout(r, 1100));
      assert.equal(running.clock.now(), '2026-02-01T00:00:00');
    } finally {
      await running.stop();
    }
  });
});
