/**
 * The generated company holds together as a business: postings balance and mirror documents, payments settle
 * invoices, copies reference their base documents, cost centers and accounts exist, margins can be computed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startServiceLayerSimulator, type ServiceLayerSimulator } from '../index.js';

type Row = Record<string, unknown>;
type Line = Record<string, unknown>;

describe('the food distributor company', () => {
  let sim: ServiceLayerSimulator;
  const sets = new Map<string, Row[]>();
  const byKey = (set: string, key: string) => new Map(sets.get(set)!.map((r) => [r[key], r]));
  before(async () => {
    sim = await startServiceLayerSimulator();
    for (const set of sim.entitySets) sets.set(set, [...sim.groundTruth(set)]);
  });
  after(() => sim.stop());

  test('volumes at scale 1: about 2000 invoices of about 4 lines, and proportionate other data', () => {
    const invoices = sets.get('Invoices')!;
    assert.ok(invoices.length > 1700 && invoices.length < 2300, `${invoices.length} invoices`);
    const lines = invoices.reduce((n, r) => n + (r.DocumentLines as Line[]).length, 0);
    assert.ok(lines / invoices.length > 3.5 && lines / invoices.length < 5.5, `${lines / invoices.length} lines per invoice`);
    for (const set of ['CreditNotes', 'PurchaseOrders', 'PurchaseDeliveryNotes', 'PurchaseInvoices', 'IncomingPayments', 'VendorPayments', 'JournalEntries']) {
      assert.ok(sets.get(set)!.length > 50, set);
    }
    assert.equal(sets.get('Warehouses')!.length, 3);
    assert.equal(sim.count('Invoices'), invoices.length);
  });

  test('documents: keys follow posting dates, stamps are consistent and never after the clock', () => {
    const clockDate = sim.clock.now().slice(0, 10);
    for (const set of ['Invoices', 'CreditNotes', 'PurchaseOrders', 'PurchaseDeliveryNotes', 'PurchaseInvoices']) {
      let previous = '';
      for (const r of sets.get(set)!) {
        const date = String(r.DocDate);
        assert.ok(date >= previous, `${set}(${r.DocEntry}) posted before the previous key`);
        previous = date;
        assert.ok(String(r.UpdateDate) >= String(r.CreationDate), `${set}(${r.DocEntry}) updated before created`);
        assert.ok(String(r.UpdateDate) < clockDate, `${set}(${r.DocEntry}) stamped after the clock`);
        for (const l of r.DocumentLines as Line[]) assert.equal(l.DocEntry, r.DocEntry);
      }
    }
    const invoices = sets.get('Invoices')!;
    assert.ok(invoices.some((r) => r.Cancelled === 'tYES'), 'some cancelled invoices');
    assert.ok(invoices.some((r) => r.DocumentStatus === 'bost_Open' && r.Cancelled === 'tNO'), 'some open invoices');
    assert.ok(sets.get('PurchaseOrders')!.some((r) => r.Cancelled === 'tYES'), 'some cancelled orders');
  });

  test('every journal entry balances; each posted document points at the entry that mirrors it', () => {
    const entries = byKey('JournalEntries', 'JdtNum');
    for (const je of entries.values()) {
      const lines = je.JournalEntryLines as Line[];
      const debit = lines.reduce((s, l) => s + (l.Debit as number), 0);
      const credit = lines.reduce((s, l) => s + (l.Credit as number), 0);
      assert.ok(Math.abs(debit - credit) < 0.005, `JE ${je.JdtNum} debit ${debit} credit ${credit}`);
    }
    let previous = '';
    for (const je of entries.values()) {
      assert.ok(String(je.ReferenceDate) >= previous, `JE ${je.JdtNum} out of date order`);
      previous = String(je.ReferenceDate);
    }
    const journalOf: Record<string, string> = { Invoices: 'ttARInvoice', CreditNotes: 'ttARCredItnote', PurchaseDeliveryNotes: 'ttPurchaseDeliveryNote', PurchaseInvoices: 'ttAPInvoice' };
    for (const [set, journal] of Object.entries(journalOf)) {
      for (const doc of sets.get(set)!) {
        const je = entries.get(doc.TransNum)!;
        assert.ok(je, `${set}(${doc.DocEntry}) TransNum ${doc.TransNum}`);
        assert.equal(je.OriginalJournal, journal);
        assert.equal(je.Original, doc.DocEntry);
        assert.equal(je.ReferenceDate, doc.DocDate);
      }
    }
    const invoice = sets.get('Invoices')![0]!;
    const je = entries.get(invoice.TransNum)!;
    const receivable = (je.JournalEntryLines as Line[]).find((l) => l.ShortName === invoice.CardCode)!;
    assert.equal(receivable.AccountCode, '121000');
    assert.equal(receivable.Debit, invoice.DocTotal);
    const revenue = (je.JournalEntryLines as Line[]).filter((l) => String(l.AccountCode).startsWith('41'));
    assert.ok(revenue.every((l) => l.CostingCode && l.CostingCode2), 'revenue postings carry both cost centers');
  });

  test('payments settle what is open on an invoice; the invoice is closed and stamped on the payment day', () => {
    const invoices = byKey('Invoices', 'DocEntry');
    const means = (p: Row) => (p.TransferSum as number) + (p.CashSum as number) + (p.PaymentChecks as Line[]).reduce((n, c) => n + (c.CheckSum as number), 0) + (p.PaymentCreditCards as Line[]).reduce((n, c) => n + (c.CreditSum as number), 0);
    for (const p of sets.get('IncomingPayments')!) {
      const applied = (p.PaymentInvoices as Line[])[0]!;
      const invoice = invoices.get(applied.DocEntry)!;
      assert.equal(applied.InvoiceType, 'it_Invoice');
      assert.ok((applied.SumApplied as number) > 0 && (applied.SumApplied as number) <= (invoice.DocTotal as number));
      assert.ok(Math.abs(means(p) - (p.DocCurrency === 'USD' ? (applied.SumApplied as number) : (applied.AppliedFC as number))) < 0.005, 'the means add up to what was applied');
      assert.equal(p.CardCode, invoice.CardCode);
      assert.equal(invoice.PaidToDate, invoice.DocTotal);
      assert.equal(invoice.DocumentStatus, 'bost_Close');
      assert.equal(invoice.UpdateDate, p.DocDate);
      assert.ok(String(p.DocDate) > String(invoice.DocDate));
    }
    const kinds = new Set(sets.get('IncomingPayments')!.map((p) => (p.TransferSum as number) > 0 ? 'transfer' : (p.CashSum as number) > 0 ? 'cash' : (p.PaymentChecks as Line[]).length > 0 ? 'check' : 'card'));
    assert.deepEqual([...kinds].sort(), ['card', 'cash', 'check', 'transfer']);
    const purchaseInvoices = byKey('PurchaseInvoices', 'DocEntry');
    for (const p of sets.get('VendorPayments')!) {
      const applied = (p.PaymentInvoices as Line[])[0]!;
      assert.equal(applied.InvoiceType, 'it_PurchaseInvoice');
      assert.equal(purchaseInvoices.get(applied.DocEntry)!.PaidToDate, purchaseInvoices.get(applied.DocEntry)!.DocTotal);
    }
  });

  test('copies reference their base documents along the sales, purchasing and stock flows', () => {
    const check = (set: string, bases: Record<number, string>) => {
      const byType = new Map(Object.entries(bases).map(([type, baseSet]) => [Number(type), byKey(baseSet, 'DocEntry')]));
      const seen = new Set<number>();
      for (const doc of sets.get(set)!) {
        for (const l of doc.DocumentLines as Line[]) {
          if (l.BaseType === -1) continue;
          seen.add(l.BaseType as number);
          const base = byType.get(l.BaseType as number)?.get(l.BaseEntry)!;
          assert.ok(base, `${set}(${doc.DocEntry}) base ${l.BaseType}/${l.BaseEntry}`);
          assert.equal(base.CardCode, doc.CardCode);
          const baseLine = (base.DocumentLines as Line[]).find((b) => b.LineNum === l.BaseLine)!;
          assert.equal(baseLine.ItemCode, l.ItemCode);
        }
      }
      assert.deepEqual([...seen].sort(), Object.keys(bases).map(Number).sort(), set);
    };
    check('DeliveryNotes', { 17: 'Orders' });
    check('Invoices', { 13: 'Invoices', 15: 'DeliveryNotes', 17: 'Orders' });
    check('Returns', { 15: 'DeliveryNotes' });
    check('CreditNotes', { 13: 'Invoices' });
    check('PurchaseDeliveryNotes', { 22: 'PurchaseOrders' });
    check('PurchaseInvoices', { 20: 'PurchaseDeliveryNotes', 22: 'PurchaseOrders' });
    check('PurchaseReturns', { 20: 'PurchaseDeliveryNotes' });
  });

  test('lines carry existing items, warehouses, revenue accounts and cost centers; gross margin is computable', () => {
    const items = byKey('Items', 'ItemCode');
    const warehouses = byKey('Warehouses', 'WarehouseCode');
    const accounts = byKey('ChartOfAccounts', 'Code');
    const rules = byKey('DistributionRules', 'FactorCode');
    const partners = byKey('BusinessPartners', 'CardCode');
    for (const set of ['Invoices', 'CreditNotes']) {
      for (const doc of sets.get(set)!) {
        assert.equal(partners.get(doc.CardCode)!.CardType, 'cCustomer');
        for (const l of doc.DocumentLines as Line[]) {
          assert.ok(items.has(l.ItemCode));
          assert.ok(warehouses.has(l.WarehouseCode));
          const account = accounts.get(l.AccountCode)!;
          assert.equal(account.AccountType, 'at_Revenues');
          assert.equal(account.ActiveAccount, 'tYES');
          // A line's cost centers are distribution rules: a center's own (direct) rule or a shared one.
          assert.equal(rules.get(l.CostingCode)!.InWhichDimension, 1);
          assert.equal(rules.get(l.CostingCode2)!.InWhichDimension, 2);
          const margin = (l.LineTotal as number) - (l.GrossProfitTotalBasePrice as number);
          assert.ok(Math.abs(margin - (l.GrossProfit as number)) < 0.005);
          assert.ok((l.GrossBuyPrice as number) > 0);
        }
      }
    }
    for (const doc of sets.get('PurchaseOrders')!) assert.equal(partners.get(doc.CardCode)!.CardType, 'cSupplier');
  });

  test('chart of accounts: a real hierarchy with revenue, cost of sales, expense and balance sheet accounts', () => {
    const accounts = byKey('ChartOfAccounts', 'Code');
    for (const a of accounts.values()) {
      if (a.FatherAccountKey === null) {
        assert.equal(a.AccountLevel, 1);
        continue;
      }
      const father = accounts.get(a.FatherAccountKey)!;
      assert.ok(father, `father of ${a.Code}`);
      assert.equal(a.AccountLevel, (father.AccountLevel as number) + 1);
      assert.equal(father.ActiveAccount, 'tNO', 'title accounts are not postable');
    }
    const types = new Set([...accounts.values()].map((a) => a.AccountType));
    assert.deepEqual([...types].sort(), ['at_Expenses', 'at_Other', 'at_Revenues']);
  });

  test('dimensions, cost centers and distribution rules', () => {
    const dims = sets.get('Dimensions')!;
    assert.deepEqual(dims.map((d) => d.IsActive), ['tYES', 'tYES', 'tNO', 'tNO', 'tNO']);
    const centers = sets.get('ProfitCenters')!;
    assert.deepEqual(centers.filter((c) => c.InWhichDimension === 1 && c.Active === 'tYES').map((c) => c.CenterCode).sort(), ['MW', 'NE', 'SO']);
    assert.ok(centers.filter((c) => c.InWhichDimension === 2).length >= 4);
    const centerCodes = new Set(centers.map((c) => c.CenterCode));
    for (const rule of sets.get('DistributionRules')!) {
      // One set of lines per validity period; each set shares out TotalFactor.
      const periods = new Map<string, number>();
      for (const l of rule.DistributionRuleLines as Line[]) {
        assert.ok(centerCodes.has(l.CenterCode), `${rule.FactorCode}: center ${l.CenterCode}`);
        periods.set(String(l.EffectiveFrom), (periods.get(String(l.EffectiveFrom)) ?? 0) + (l.TotalInCenter as number));
      }
      for (const [from, total] of periods) assert.ok(Math.abs(total - (rule.TotalFactor as number)) < 1e-9, `${rule.FactorCode} from ${from}`);
    }
    const allRegions = sets.get('DistributionRules')!.find((r) => r.FactorCode === 'ALLREG')!;
    assert.equal(new Set((allRegions.DistributionRuleLines as Line[]).map((l) => l.EffectiveFrom)).size, 2, 'a shared rule that changed its split');
  });

  test('items: stock per warehouse with moving-average cost per warehouse; receipts give the stock an age', () => {
    for (const item of sets.get('Items')!) {
      const stock = item.ItemWarehouseInfoCollection as Line[];
      assert.deepEqual(stock.map((w) => w.WarehouseCode), ['NE01', 'MW01', 'SO01']);
      assert.equal(item.QuantityOnStock, stock.reduce((s, w) => s + (w.InStock as number), 0));
      assert.ok(stock.every((w) => (w.InStock as number) === 0 || (w.StandardAveragePrice as number) > 0));
    }
    const received = new Set([...sets.get('PurchaseDeliveryNotes')!, ...sets.get('PurchaseInvoices')!].flatMap((d) => (d.DocumentLines as Line[]).map((l) => l.ItemCode)));
    const stocked = sets.get('Items')!.filter((i) => (i.QuantityOnStock as number) > 0);
    assert.ok(stocked.filter((i) => received.has(i.ItemCode)).length / stocked.length > 0.8, 'most stocked items have receipts');
  });

  test('business partners across regions with U_Region; the user-defined promotions table', () => {
    const partners = sets.get('BusinessPartners')!;
    assert.deepEqual([...new Set(partners.map((p) => p.U_Region))].sort(), ['MW', 'NE', 'SO']);
    assert.ok(partners.some((p) => p.CardType === 'cSupplier'));
    const promos = sets.get('U_FD_PROMOS')!;
    assert.ok(promos.length > 0);
    assert.ok(promos.every((p) => typeof p.Code === 'string' && typeof p.U_ItemCode === 'string'));
    const promoted = sets.get('Invoices')!.flatMap((i) => (i.DocumentLines as Line[]).filter((l) => l.U_PromoCode !== null));
    assert.ok(promoted.length > 0 && promoted.every((l) => (l.DiscountPercent as number) > 0));
  });
});
