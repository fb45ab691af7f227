/**
 * The simulated company keeps complete books: the trial balance is zero, the control accounts equal the open
 * documents, the inventory accounts equal the stock value, stock per item-warehouse and per batch is the sum of
 * its movements, every document's posted cost of goods is its lines' cost; at demo scale, at a large scale, and
 * after documents are posted and cancelled through the mutation API. Each invariant compares two independent
 * sides (books-invariants.ts).
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServiceLayerSimulator, type ServiceLayerSimulator } from '../index.js';
import {
  batchesFromMovements,
  documentPostings,
  inventoryAccounts,
  ledgerBalances,
  load,
  movements,
  openDocuments,
  openOrderQuantities,
  partnerLedger,
  revenueProblems,
  sorted,
  stockFromMovements,
  stockOfItems,
  trialBalance,
  valueFromMovements,
  valueOfItems,
  cents,
  type Served,
} from './books-invariants.js';

const LARGE_SCALE = Number(process.env.BOOKS_LARGE_SCALE ?? 10);

/** Every invariant of complete books, on what `sim` serves now. */
function assertCompleteBooks(sim: ServiceLayerSimulator, s: Served): void {
  const tb = trialBalance(s);
  assert.deepEqual(tb.unbalanced, [], 'every journal entry balances');
  assert.equal(tb.total, 0, 'the trial balance sums to zero');

  assert.deepEqual(sorted(partnerLedger(s, '121000')), sorted(openDocuments(s, 'Invoices', 'CreditNotes')), 'receivables per customer = open A/R documents');
  const payables = new Map([...partnerLedger(s, '211000')].map(([k, v]) => [k, -v]));
  assert.deepEqual(sorted(payables), sorted(openDocuments(s, 'PurchaseInvoices', undefined)), 'payables per vendor = open A/P invoices');
  const balances = ledgerBalances(s);
  const receivables = [...openDocuments(s, 'Invoices', 'CreditNotes').values()].reduce((a, b) => a + b, 0);
  assert.equal(balances.get('121000') ?? 0, receivables, 'the receivables control account = open A/R documents');

  const moved = movements(s);
  assert.deepEqual(sorted(stockFromMovements(moved)), sorted(stockOfItems(s)), 'stock per item and warehouse = the sum of its movements = InStock');
  assert.deepEqual(sorted(inventoryAccounts(s)), sorted(valueFromMovements(moved)), 'inventory accounts = the values the documents moved');
  assert.deepEqual(sorted(inventoryAccounts(s)), sorted(valueOfItems(s)), 'inventory accounts = InStock x moving average of the items');

  const truthBatches = new Map(sim.books.batchStock().map((b) => [`${b.itemCode}|${b.batch}|${b.warehouse}`, b.quantity]));
  assert.deepEqual(sorted(batchesFromMovements(moved)), sorted(truthBatches), 'stock per batch = the sum of its movements');
  const batchItems = new Set(s.items.filter((i) => i.ManageBatchNumbers === 'tYES').map((i) => String(i.ItemCode)));
  const batchTotals = new Map<string, number>();
  for (const [key, q] of batchesFromMovements(moved)) {
    const [item, , warehouse] = key.split('|');
    batchTotals.set(`${item}|${warehouse}`, (batchTotals.get(`${item}|${warehouse}`) ?? 0) + q);
  }
  assert.deepEqual(sorted(batchTotals), sorted(new Map([...stockOfItems(s)].filter(([k]) => batchItems.has(k.split('|')[0]!)))), 'batch stock adds up to the stock of batch items');

  assert.deepEqual(documentPostings(s), [], 'documents and entries point at each other; posted cost of goods and stock = the lines');
  assert.deepEqual(revenueProblems(s), [], 'revenue posted net of header discounts, tax as VatSum');

  assert.deepEqual(sorted(openOrderQuantities(s.orders)), sorted(stockOfItems(s, 'Committed')), 'Committed = open sales order quantities');
  assert.deepEqual(sorted(openOrderQuantities(s.purchaseOrders)), sorted(stockOfItems(s, 'Ordered')), 'Ordered = open purchase order quantities');
  for (const item of s.items) {
    const rows = item.ItemWarehouseInfoCollection as Record<string, number>[];
    assert.equal(item.QuantityOnStock, rows.reduce((n, w) => n + w.InStock!, 0));
    assert.equal(item.QuantityOrderedByCustomers, rows.reduce((n, w) => n + w.Committed!, 0));
    assert.equal(item.QuantityOrderedFromVendors, rows.reduce((n, w) => n + w.Ordered!, 0));
  }

  let grni = 0;
  for (const d of s.docs.get('PurchaseDeliveryNotes')!) {
    if (d.DocumentStatus !== 'bost_Open') continue;
    for (const l of d.DocumentLines as Record<string, number>[]) grni += cents(l.RemainingOpenQuantity! * l.Price!);
  }
  assert.equal(-(balances.get('212000') ?? 0), grni, 'goods received not invoiced = open goods receipt PO lines');
}

describe('complete books at demo scale', () => {
  let sim: ServiceLayerSimulator;
  let s: Served;
  before(async () => {
    sim = await startServiceLayerSimulator();
    s = load(sim);
  });
  after(() => sim.stop());

  test('the invariants of complete books hold', () => assertCompleteBooks(sim, s));

  test('the ground-truth API agrees with the served journal and items', () => {
    const served = ledgerBalances(s);
    const books = sim.books.balances({ includeClosing: true });
    assert.deepEqual(sorted(books), sorted(served), 'balances per account');
    const lastDay = String(s.journal.at(-1)!.ReferenceDate);
    assert.deepEqual(sorted(sim.books.openItems('receivables', lastDay)), sorted(openDocuments(s, 'Invoices', 'CreditNotes')));
    assert.deepEqual(sorted(sim.books.openItems('payables', lastDay)), sorted(openDocuments(s, 'PurchaseInvoices', undefined)));
    const stock = new Map(sim.books.stock().map((r) => [`${r.itemCode}|${r.warehouse}`, r.quantity]));
    assert.deepEqual(sorted(stock), sorted(stockOfItems(s)));
    const value = new Map<string, number>();
    for (const r of sim.books.stock()) value.set(r.warehouse, (value.get(r.warehouse) ?? 0) + r.valueCents);
    assert.deepEqual(sorted(value), sorted(inventoryAccounts(s)));
  });

  test('the closed year: the period-end closing entry leaves every profit-and-loss account at zero', () => {
    const closing = s.journal.filter((je) => je.OriginalJournal === 'ttClosingBalance');
    assert.equal(closing.length, 1);
    const date = String(closing[0]!.ReferenceDate);
    assert.match(date, /^\d{4}-12-31$/);
    const year = date.slice(0, 4);
    const pl = new Set(s.accounts.filter((a) => a.AccountType !== 'at_Other' && a.ActiveAccount === 'tYES').map((a) => String(a.Code)));
    const yearBalances = ledgerBalances(s, { from: `${year}-01-01`, to: date });
    assert.deepEqual([...yearBalances].filter(([a, v]) => pl.has(a) && v !== 0), []);
    const profit = sim.books.balances({ from: `${year}-01`, to: `${year}-12` });
    const net = [...profit].filter(([a]) => pl.has(a)).reduce((n, [, v]) => n + v, 0);
    assert.notEqual(net, 0, 'the year had a result');
    const retained = closing[0]!.JournalEntryLines as Record<string, unknown>[];
    const toRetained = retained.filter((l) => l.AccountCode === '321000').reduce((n, l) => n + cents(l.Debit) - cents(l.Credit), 0);
    assert.equal(toRetained, net, 'the year result went to retained earnings');
  });

  test('the company has what a finance model needs to be tested on', () => {
    const invoices = s.docs.get('Invoices')!;
    assert.ok(invoices.some((d) => d.CancelStatus === 'csCancellation') && invoices.some((d) => d.CancelStatus === 'csYes'), 'cancelled invoices and cancellation documents');
    assert.ok(invoices.some((d) => (d.DiscountPercent as number) > 0), 'header discounts');
    assert.ok(invoices.some((d) => d.DocCurrency !== 'USD') && s.docs.get('PurchaseInvoices')!.some((d) => d.DocCurrency !== 'USD'), 'foreign-currency documents');
    for (const d of [...invoices, ...s.docs.get('PurchaseInvoices')!].filter((x) => x.DocCurrency !== 'USD')) {
      const fc = (d.DocumentLines as Record<string, number>[]).reduce((n, l) => n + cents(l.RowTotalFC), 0);
      const lc = (d.DocumentLines as Record<string, number>[]).reduce((n, l) => n + cents(l.LineTotal), 0);
      assert.ok(Math.abs(lc - Math.round(fc * (d.DocRate as number))) <= (d.DocumentLines as unknown[]).length, `${d.DocEntry}: local and foreign amounts agree at the rate`);
    }
    assert.ok(invoices.some((d) => (d.DocumentLines as Record<string, number>[])[0]!.BaseType === 15) && invoices.some((d) => (d.DocumentLines as Record<string, number>[])[0]!.BaseType === 17), 'invoices after deliveries and invoices with the goods');
    assert.ok(s.journal.some((je) => (je.JournalEntryLines as Record<string, string>[]).some((l) => l.AccountCode === '714000' || l.AccountCode === '713000')), 'exchange rate differences');
    const expired = sim.books.batchStock().filter((b) => b.expiryDate < sim.clock.now().slice(0, 10));
    assert.ok(expired.length > 0, 'some batches in stock have expired');
    const old = sim.books.stock().filter((r) => r.quantity > 0);
    assert.ok(old.length > 0);
  });
});

describe('complete books after documents are posted and cancelled during a read', () => {
  let sim: ServiceLayerSimulator;
  before(async () => {
    sim = await startServiceLayerSimulator();
  });
  after(() => sim.stop());

  test('inserted documents and payments post their stock and entries; cancellations reverse them', () => {
    sim.mutations.apply({ kind: 'advance_clock', ms: 3600_000 });
    // Items changed by hand still show the stock the books hold after later movements.
    for (const key of sim.keys.find('Items', (r) => (r.QuantityOnStock as number) > 0, 20)) sim.mutations.apply({ kind: 'update', entitySet: 'Items', key, changes: { ForeignName: 'renamed' } });
    for (const entitySet of ['Orders', 'Invoices', 'DeliveryNotes', 'Returns', 'CreditNotes', 'PurchaseOrders', 'PurchaseDeliveryNotes', 'PurchaseInvoices', 'PurchaseReturns', 'InventoryGenEntries', 'InventoryGenExits', 'StockTransfers', 'IncomingPayments', 'VendorPayments', 'JournalEntries']) {
      const before = sim.count(entitySet);
      const result = sim.mutations.apply({ kind: 'insert', entitySet });
      assert.equal(sim.count(entitySet), before + 1, entitySet);
      assert.equal(result.key, before + 1);
    }
    const invoice = sim.mutations.apply({ kind: 'insert', entitySet: 'Invoices', record: { Comments: 'to be cancelled' } }).key as number;
    const cancelled = sim.mutations.apply({ kind: 'cancel_document', entitySet: 'Invoices', key: invoice });
    assert.equal(cancelled.cancellation, sim.count('Invoices'));
    const payment = sim.keys.paymentPostedDaysAgo('IncomingPayments', 10)!;
    sim.mutations.apply({ kind: 'cancel_payment', entitySet: 'IncomingPayments', key: payment });
    const receipt = sim.mutations.apply({ kind: 'insert', entitySet: 'PurchaseDeliveryNotes' }).key as number;
    sim.mutations.apply({ kind: 'cancel_document', entitySet: 'PurchaseDeliveryNotes', key: receipt });
    assert.throws(() => sim.mutations.apply({ kind: 'cancel_document', entitySet: 'Invoices', key: invoice }), /cancelled or is a cancellation/);
    const paid = sim.keys.find('Invoices', (r) => r.DocumentStatus === 'bost_Close' && r.CancelStatus === 'csNo' && (r.PaidToDate as number) > 0, 1)[0] as number;
    assert.throws(() => sim.mutations.apply({ kind: 'cancel_document', entitySet: 'Invoices', key: paid }), /cancel its payment first/);
    assertCompleteBooks(sim, load(sim));
  });
});

describe(`complete books at a large scale (${LARGE_SCALE})`, () => {
  let sim: ServiceLayerSimulator;
  before(async () => {
    sim = await startServiceLayerSimulator({ scale: LARGE_SCALE });
  });
  after(() => sim.stop());

  test('the invariants of complete books hold', () => assertCompleteBooks(sim, load(sim)));
});
