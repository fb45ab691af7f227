/**
 * The generated postgres LookML, run for real: the Service Layer simulator (demo company, scale
 * 1, complete books) is read by the built connector, loaded into PostgreSQL 15 as Airbyte's
 * Postgres destination would, and the SQL of the generated derived tables, dimensions, measures,
 * joins and datagroup trigger is executed. The numbers are tied out, to the cent, to ground truth
 * from the simulator's own books and served records (ground-truth.ts), never from the LookML's
 * formulas, before and after SAP changes documents.
 *
 * Two models run on the same warehouse, which holds every stream the connector offers:
 * - the main model, generated without issue 11's streams (orders, deliveries, returns, goods
 *   returns, goods receipts and issues, stock transfers, the lines' batch allocations, batches,
 *   distribution rule lines, financial years), as for a user who syncs only the invoicing,
 *   purchasing and ledger streams: it proves what the model does and says without them;
 * - the model "with every stream", generated from all of them as the connector reads them. It
 *   proves the parts of the model that need those streams: deliveries and returns as cost sources,
 *   FIFO layers from every inflow, fiscal years, batch expiry, split rules allocated from the
 *   distribution_rule_lines stream. item_warehouse_stock is synced in append mode, which proves the
 *   month-end stock history and that the current-stock explores read each row's latest copy.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { presentationProblems, referenceProblems, type ParsedModel } from '../../test/looker-lookml/parsed-project.js';
import { APPEND_STREAMS, ISSUE_11_STREAMS } from '../../test/looker-lookml/every-stream.js';
import {
  booksBalance,
  booksNetIncomeByYear,
  booksPnlByMonth,
  booksStock,
  cents,
  controlAccounts,
  entryKey,
  foreignCurrencyRevenue,
  inventoryAccounts,
  journalPnlByMonth,
  marginByRegion,
  netIncomeByCostCenter,
  openDocumentsByPartner,
  paymentTotals,
  postedBy,
  receivedQuantity,
  totalDebit,
  type MarginCents,
  type PnlCents,
} from './ground-truth.js';
import { exploreSql, withDateFilters } from './lookml-query.js';
import { startLookmlPipeline, SCHEMA, type GeneratedModel, type LookmlPipeline } from './pipeline.js';
import { requirement } from '../../test/helpers/requirements.js';
import { findPostgresBin, MISSING_POSTGRES_MESSAGE } from './postgres-cluster.js';

const postgresBin = findPostgresBin();
const postgres = requirement('REQUIRE_POSTGRES', postgresBin === undefined ? MISSING_POSTGRES_MESSAGE : undefined);

type Row = Record<string, unknown>;

/** Streams the simulated company has no records for: its A/P invoices that bring goods (the importers') carry no batch items. */
const EMPTY_IN_SIMULATOR = ['purchase_invoices_batch_numbers'];

// inventory_history: item_warehouse_stock is appended (in both models).
const EXPLORES = ['general_ledger', 'incoming_cash', 'inventory_aging', 'inventory_history', 'outgoing_cash', 'payables_aging', 'profit_and_loss', 'purchasing', 'receivables_aging', 'sales_margin'];

async function marginFromLookml(m: GeneratedModel): Promise<Map<string | null, MarginCents>> {
  const rows = await m.query('sales_margin', {
    dimensions: ['sales_margin_lines.region'],
    measures: ['sales_margin_lines.revenue', 'sales_margin_lines.cost_of_goods', 'sales_margin_lines.gross_margin'],
  });
  return new Map(rows.map((r) => [(r.d0 as string | null) ?? null, { revenue: cents(r.m0), cost: cents(r.m1), margin: cents(r.m2) }]));
}

function sorted<K, V>(map: Map<K, V>): [K, V][] {
  return [...map].sort(([a], [b]) => String(a).localeCompare(String(b)));
}

const byFirst = (rows: Row[], measure = 0) => new Map(rows.map((r): [string, number] => [String(r.d0), cents(r[`m${measure}`])]));
const monthOf = (m: Map<string, PnlCents>, month: string, key: keyof PnlCents) => m.get(month)?.[key] ?? 0;
const sumOf = (m: Map<string, PnlCents>, key: keyof PnlCents) => [...m.values()].reduce((sum, v) => sum + v[key], 0);

async function triggerValue(p: LookmlPipeline): Promise<Date> {
  const sql = p.model.datagroup!.sap_b1_sync!.sql_trigger!;
  const rows = (await p.client.query(sql)).rows as Row[];
  assert.equal(rows.length, 1);
  const value = Object.values(rows[0]!)[0];
  assert.ok(value instanceof Date, `trigger value ${String(value)}`);
  return value;
}

/** A model with one more explore over a single view, to run that view's fields on their own. */
function withViewExplore(model: ParsedModel, view: string): ParsedModel {
  return { ...model, explore: { ...model.explore, __view: { $name: '__view', view_name: view } } };
}

/** Month-end dates (last day of each quarter and the last complete month) at which open items are compared. */
const AS_OF_DATES = ['2025-03-31', '2025-06-30', '2025-09-30', '2025-12-31', '2026-03-31', '2026-06-30', '2026-10-31'];

describe('generated postgres LookML on PostgreSQL, fed by the connector from the simulator', { skip: postgres.skip }, () => {
  let p: LookmlPipeline | undefined;
  const pipeline = () => {
    if (!p) throw new Error('the pipeline did not start');
    return p;
  };
  /** Stock after the first sync, for the month-end history. */
  let stockAtFirstSync: Map<string, { quantity: number; valueCents: number }> | undefined;

  before(async () => {
    postgres.assertAvailable();
    p = await startLookmlPipeline({
      postgresBin: postgresBin!,
      scale: 1,
      appendStreams: APPEND_STREAMS,
      mainModelWithout: ISSUE_11_STREAMS,
    });
    await p.sync();
    stockAtFirstSync = booksStock(p.simulator);
  });

  after(async () => {
    await p?.stop();
  });

  it('generates a consistent model without issue 11 streams and with every stream, with every explore', () => {
    const p = pipeline();
    for (const [name, m, explores] of [
      ['without issue 11 streams', p, EXPLORES],
      ['every stream', p.withEveryStream, [...EXPLORES, 'inventory_expiry'].sort()],
    ] as const) {
      assert.deepEqual(referenceProblems(m.model), [], name);
      assert.deepEqual(presentationProblems(m.model), [], name);
      assert.deepEqual(Object.keys(m.model.explore ?? {}).sort(), explores, name);
    }
    assert.deepEqual(p.notes.sort(), [
      'explore profit_and_loss: without the financial_years stream, fiscal years are calendar years and periods are months.',
      'explore sales_margin: without the delivery_notes stream, the cost of goods of invoices based on a delivery (posted by the delivery) and of returns is not in the margin.',
    ]);
    // Every stream is there; a stock transfer has neither Cancelled nor CancelStatus.
    assert.deepEqual(p.withEveryStream.notes, ['stock_transfers: the catalog lacks cancel_status and cancelled, so cancelled documents and their cancellations are counted.']);
  });

  it('net revenue, posted cost of goods and gross margin by region equal the ground truth to the cent', async () => {
    const p = pipeline();
    const expected = marginByRegion(p.simulator);
    assert.ok(expected.size >= 3, 'the demo company has customers in several regions');
    assert.notDeepEqual(sorted(marginByRegion(p.simulator, { includeCancelled: true })), sorted(expected), 'the data has cancelled invoices that would change the margin');
    assert.deepEqual(sorted(await marginFromLookml(p)), sorted(expected), 'without issue 11 streams: cost of goods of invoices with the goods and credit notes');
    const everything = marginByRegion(p.simulator, { costSources: ['Invoices', 'CreditNotes', 'DeliveryNotes', 'Returns'] });
    assert.deepEqual(sorted(await marginFromLookml(p.withEveryStream)), sorted(everything), 'every stream: deliveries and returns add their cost of goods');
  });

  it("ties the margin's revenue and cost of goods to the profit and loss and to the books, month by month, saying which cost is covered", async () => {
    const p = pipeline();
    const books = booksPnlByMonth(p.simulator);
    const months = [...books.keys()].sort();
    assert.ok(months.length >= 12, `many months of books: ${months.join(', ')}`);
    const sales = postedBy(p.simulator, ['Invoices', 'CreditNotes', 'DeliveryNotes', 'Returns']);
    const invoicesAndCredits = postedBy(p.simulator, ['Invoices', 'CreditNotes']);
    const deliveriesAndReturns = postedBy(p.simulator, ['DeliveryNotes', 'Returns']);
    // What the margin leaves out on purpose: cancelled documents and their cancellation documents
    // (they net out, though not always within a month), manual journal entries.
    const cancelledPairs = journalPnlByMonth(p.simulator, (e) => sales.cancelled.has(entryKey(e)) || sales.cancellations.has(entryKey(e)));
    const manual = journalPnlByMonth(p.simulator, (e) => e.OriginalJournal === 'ttJournalEntry');
    // What the margin cannot see without the delivery_notes and returns streams.
    const deliveryCost = journalPnlByMonth(p.simulator, (e) => deliveriesAndReturns.counting.has(entryKey(e)));
    // Cost-of-goods accounts moved by stock that is not sold: write-offs, count differences.
    const notSales = journalPnlByMonth(
      p.simulator,
      (e) => !sales.counting.has(entryKey(e)) && !sales.cancelled.has(entryKey(e)) && !sales.cancellations.has(entryKey(e)) && e.OriginalJournal !== 'ttJournalEntry',
    );
    const covered = journalPnlByMonth(p.simulator, (e) => invoicesAndCredits.counting.has(entryKey(e)));
    const cancelledRevenue = sumOf(journalPnlByMonth(p.simulator, (e) => sales.cancelled.has(entryKey(e))), 'revenue');
    assert.ok(cancelledRevenue > 0 && sumOf(cancelledPairs, 'revenue') === 0, 'cancelled invoices posted revenue and their cancellation documents reversed it');
    assert.ok(sumOf(deliveryCost, 'costOfGoods') > sumOf(covered, 'costOfGoods'), 'most cost of goods is posted by deliveries');
    assert.ok(sumOf(notSales, 'costOfGoods') !== 0, 'goods issues and receipts move the cost-of-goods accounts');

    const pnl = await p.query('profit_and_loss', { dimensions: ['profit_and_loss_lines.posting_month'], measures: ['profit_and_loss_lines.revenue'] });
    const pnlCost = await p.query('profit_and_loss', {
      dimensions: ['profit_and_loss_lines.posting_month'],
      measures: ['profit_and_loss_lines.amount'],
      filters: { 'account_hierarchy.level_2_name': 'Cost of Goods Sold' },
    });
    const question = { dimensions: ['sales_margin_lines.posting_month'], measures: ['sales_margin_lines.revenue', 'sales_margin_lines.cost_of_goods'] };
    const [margin, marginEvery] = [await p.query('sales_margin', question), await p.withEveryStream.query('sales_margin', question)];
    for (const month of months) {
      const pnlRevenue = byFirst(pnl).get(month) ?? 0;
      const pnlCostOfGoods = byFirst(pnlCost).get(month) ?? 0;
      assert.equal(pnlRevenue, monthOf(books, month, 'revenue'), `${month}: profit and loss revenue equals the books' revenue accounts`);
      assert.equal(pnlCostOfGoods, monthOf(books, month, 'costOfGoods'), `${month}: profit and loss cost of goods equals the books' cost-of-goods accounts`);
      const expectedRevenue = pnlRevenue - monthOf(manual, month, 'revenue') - monthOf(cancelledPairs, month, 'revenue');
      const notInMargin = monthOf(manual, month, 'costOfGoods') + monthOf(cancelledPairs, month, 'costOfGoods') + monthOf(notSales, month, 'costOfGoods');
      for (const [name, rows] of [
        ['without issue 11 streams', margin],
        ['every stream', marginEvery],
      ] as const) {
        assert.equal(byFirst(rows, 0).get(month) ?? 0, expectedRevenue, `${name}, ${month}: margin revenue is the profit and loss revenue less manual entries and cancelled documents`);
      }
      // Shipped streams: exactly the cost of goods posted by invoices with the goods and credit notes;
      // what deliveries and returns posted is the part it cannot see.
      const marginCost = byFirst(margin, 1).get(month) ?? 0;
      assert.equal(marginCost, monthOf(covered, month, 'costOfGoods'), `${month}: without issue 11 streams, the margin's cost of goods is what invoices and credit notes posted`);
      assert.equal(pnlCostOfGoods - notInMargin - marginCost, monthOf(deliveryCost, month, 'costOfGoods'), `${month}: the rest is exactly what deliveries and returns posted`);
      assert.equal(byFirst(marginEvery, 1).get(month) ?? 0, pnlCostOfGoods - notInMargin, `${month}: with every stream, the margin's cost of goods is all the sales cost of goods`);
    }
  });

  it('net income per year equals the books, without the period-end closing, and cost-center allocations add up to it and follow the rules', async () => {
    const p = pipeline();
    const rows = await p.query('profit_and_loss', { dimensions: ['profit_and_loss_lines.fiscal_year'], measures: ['profit_and_loss_lines.net_income', 'profit_and_loss_lines.revenue', 'profit_and_loss_lines.expenses'] });
    const years = rows.map((r) => String(r.d0));
    assert.deepEqual(years, ['2025', '2026']);
    assert.deepEqual(byFirst(rows), booksNetIncomeByYear(p.simulator, years));
    assert.notEqual(booksBalance(p.simulator, new Set(['321000'])), booksBalance(p.simulator, new Set(['321000']), '2025-11'), 'the period-end closing moved the year to retained earnings');
    for (const r of rows) assert.equal(cents(r.m1) - cents(r.m2), cents(r.m0), 'revenue less expenses is net income');
    const everyYear = await p.withEveryStream.query('profit_and_loss', { dimensions: ['profit_and_loss_lines.fiscal_year', 'profit_and_loss_lines.fiscal_period'], measures: ['profit_and_loss_lines.net_income'] });
    assert.equal(everyYear.length, 12 + 11, 'every stream: fiscal years and periods from financial_years');

    // Split rules' lines: from the distribution_rules stream's JSON column without issue 11's
    // streams, from the distribution_rule_lines stream with every stream.
    const pnlSql = (m: GeneratedModel) => m.model.view!.profit_and_loss_lines!.derived_table!.sql!;
    assert.match(pnlSql(p), /jsonb_array_elements\(r\."distribution_rule_lines"\)/);
    assert.match(pnlSql(p.withEveryStream), /FROM "sap_b1"\."distribution_rule_lines" AS rl/);
    for (const [name, m] of [
      ['without issue 11 streams', p],
      ['every stream', p.withEveryStream],
    ] as const) {
      const [total] = await m.query('profit_and_loss', { measures: ['profit_and_loss_lines.net_income'] });
      for (const dimension of [1, 2] as const) {
        const parts = await m.query('profit_and_loss', { dimensions: [`profit_and_loss_lines.cost_center_${dimension}`], measures: ['profit_and_loss_lines.net_income'] });
        assert.equal(
          parts.reduce((sum, r) => sum + cents(r.m0), 0),
          cents(total!.m0),
          `${name}: net income by cost center of dimension ${dimension} adds up to the total`,
        );
        const truth = netIncomeByCostCenter(p.simulator, dimension);
        assert.notEqual(Math.round(truth.onSplitRules), 0, `dimension ${dimension}: split rules carry amounts`);
        const lookml = new Map(parts.map((r): [string, number] => [String(r.d0 ?? '(none)'), cents(r.m0)]));
        assert.deepEqual(
          new Map(sorted(lookml)),
          new Map(sorted(new Map([...truth.byCenter].map(([k, v]) => [k, Math.round(v)])))),
          `${name}, dimension ${dimension}: each center gets its share of the split rules valid on the date`,
        );
      }
    }
    const [total] = await p.query('profit_and_loss', { measures: ['profit_and_loss_lines.net_income'] });
    const hierarchy = await p.query('profit_and_loss', { dimensions: ['account_hierarchy.level_1_name'], measures: ['profit_and_loss_lines.net_income'] });
    assert.equal(hierarchy.reduce((sum, r) => sum + cents(r.m0), 0), cents(total!.m0), 'net income by level 1 of the account hierarchy adds up to the total');
  });

  it('totals payments by every means in local currency, foreign-currency payments at their rate, and what they cleared', async () => {
    const p = pipeline();
    for (const [explore, entitySet] of [
      ['incoming_cash', 'IncomingPayments'],
      ['outgoing_cash', 'VendorPayments'],
    ] as const) {
      const truth = paymentTotals(p.simulator, entitySet);
      assert.ok(truth.foreignPayments > 0, `${entitySet}: some payments are in a foreign currency`);
      const [row] = await p.query(explore, { measures: ['payment_total.total_paid', 'payment_total.total_cleared', 'payment_total.exchange_difference'] });
      assert.equal(cents(row!.m0), truth.paid, `${explore}: total paid`);
      assert.equal(cents(row!.m1), truth.cleared, `${explore}: cleared from the accounts`);
      assert.notEqual(cents(row!.m2), 0, `${explore}: payments in a foreign currency have exchange differences`);
      const sources = await p.query(explore, { dimensions: ['payment_total.total_source'], measures: ['payment_total.total_paid'] });
      assert.deepEqual(sources.map((r) => r.d0), ['journal entry'], `${explore}: every payment's total comes from its journal entry`);
      const [means] = await p.query(explore, { measures: ['payment_total.total_paid', `${explore === 'incoming_cash' ? 'incoming' : 'outgoing'}_payments.cash_paid`, `${explore === 'incoming_cash' ? 'incoming' : 'outgoing'}_payments.transfer_paid`, 'payment_total.paid_by_check_or_card'] });
      assert.equal(cents(means!.m3), cents(means!.m0) - cents(means!.m1) - cents(means!.m2), `${explore}: checks and cards are the rest, all in local currency`);
      assert.ok(cents(means!.m3) > 0, `${explore}: some payments are by check or card`);
    }
  });

  it('keeps foreign-currency documents in local currency', async () => {
    const p = pipeline();
    const truth = foreignCurrencyRevenue(p.simulator, 'CAD');
    assert.ok(truth.documents > 0 && truth.local !== truth.foreign, 'the company invoices in CAD');
    const [row] = await p.query('sales_margin', { measures: ['sales_margin_lines.revenue'], filters: { 'invoice.doc_currency': 'CAD' } });
    assert.equal(cents(row!.m0), truth.local);
  });

  it('open receivables and payables per business partner equal the books at several dates, and the control accounts in total', async () => {
    const p = pipeline();
    for (const [explore, view, side, entitySet] of [
      ['receivables_aging', 'receivable_movements', 'receivables', 'Invoices'],
      ['payables_aging', 'payable_movements', 'payables', 'PurchaseInvoices'],
    ] as const) {
      const control = controlAccounts(p.simulator, entitySet);
      for (const asOf of AS_OF_DATES) {
        const rows = await p.query(explore, { dimensions: [`${view}.card_code`], measures: [`${view}.open_amount`], dateFilters: { as_of_date: asOf } });
        const open = new Map(rows.map((r): [string, number] => [String(r.d0), cents(r.m0)]).filter(([, amount]) => amount !== 0));
        const books = new Map([...p.simulator.books.openItems(side, asOf)].filter(([, amount]) => amount !== 0));
        assert.ok(books.size > 10, `${side} ${asOf}: many partners have open items`);
        assert.deepEqual(new Map(sorted(open)), new Map(sorted(books)), `${explore} as of ${asOf}, per partner`);
        const [total] = await p.query(explore, { measures: [`${view}.open_amount`], dateFilters: { as_of_date: asOf } });
        const balance = booksBalance(p.simulator, control, asOf.slice(0, 7));
        assert.equal(cents(total!.m0), side === 'receivables' ? balance : -balance, `${explore} as of ${asOf}: the control account`);
      }
      const [before] = await p.query(explore, { measures: [`${view}.open_amount`], dateFilters: { as_of_date: '2000-01-01' } });
      assert.equal(cents(before!.m0), 0, 'nothing was open before the first posting');
    }
  });

  it('ages each open invoice and credit note as SAP reports it open, credit notes reconciled with their invoices', async () => {
    const p = pipeline();
    const future = '2099-12-31';
    for (const [explore, view, kind, entitySet] of [
      ['receivables_aging', 'receivable_movements', 'invoice', 'Invoices'],
      ['receivables_aging', 'receivable_movements', 'credit_note', 'CreditNotes'],
      ['payables_aging', 'payable_movements', 'purchase_invoice', 'PurchaseInvoices'],
    ] as const) {
      const rows = await p.query(explore, { dimensions: [`${view}.card_code`], measures: [`${view}.open_amount`], filters: { [`${view}.item_kind`]: kind }, dateFilters: { as_of_date: future } });
      const open = new Map(rows.map((r): [string, number] => [String(r.d0), cents(r.m0)]).filter(([, amount]) => amount !== 0));
      const sap = openDocumentsByPartner(p.simulator, entitySet);
      const expected = kind === 'credit_note' ? new Map([...sap].map(([k, v]) => [k, -v])) : sap;
      assert.ok(expected.size > 0, `${entitySet}: some are open`);
      assert.deepEqual(new Map(sorted(open)), new Map(sorted(expected)), `${explore}: ${kind}`);
    }
    const reconciled = await p.query('receivables_aging', { measures: ['receivable_movements.open_amount'], filters: { 'receivable_movements.movement_kind': 'reconciliation' } });
    assert.equal(cents(reconciled[0]!.m0), 0, 'a reconciliation moves as much off the invoice as onto the credit note');
    const kinds = await p.query('receivables_aging', { dimensions: ['receivable_movements.movement_kind'], measures: ['receivable_movements.open_amount'] });
    assert.deepEqual(kinds.map((r) => r.d0), ['cancellation', 'document', 'payment', 'reconciliation', 'settlement']);
    const buckets = await p.query('receivables_aging', { dimensions: ['receivable_movements.aging_bucket'], measures: ['receivable_movements.open_amount'], dateFilters: { as_of_date: future } });
    assert.deepEqual(buckets.filter((b) => cents(b.m0) !== 0).map((b) => b.d0), ['Over 120 days'], 'in 2099 everything is long overdue');
  });

  it('runs every dimension and measure of every view', async () => {
    const p = pipeline();
    for (const m of [p, p.withEveryStream]) {
      for (const [name, view] of Object.entries(m.model.view ?? {})) {
        const local = (sql: string | undefined) => !/\$\{[a-z0-9_]+\.[a-z0-9_]+\}/.test(sql ?? '');
        const dimensions = [
          ...Object.values(view.dimension ?? {})
            .filter((d) => local(d.sql))
            .map((d) => `${name}.${d.$name}`),
          ...Object.entries(view.dimension_group ?? {}).flatMap(([group, g]) => (g.timeframes ?? []).filter((tf) => tf === 'raw' || tf === 'date').map((tf) => `${name}.${group}_${tf}`)),
        ];
        const measures = Object.values(view.measure ?? {})
          .filter((mm) => local(mm.sql))
          .map((mm) => `${name}.${mm.$name}`);
        const sql = exploreSql(withViewExplore(m.model, name), '__view', { dimensions, measures });
        const rows = (await p.client.query(sql).catch((e: Error) => assert.fail(`${name}: ${e.message}\n${sql}`))).rows;
        if (EMPTY_IN_SIMULATOR.includes(name)) assert.equal(rows.length, 0, `${name} is empty in the simulated company`);
        else assert.ok(rows.length > 0, `${name} has rows`);
      }
    }
  });

  it('has a unique primary key in every view, as symmetric aggregates in Looker need', async () => {
    const p = pipeline();
    for (const m of [p, p.withEveryStream]) {
      for (const [name, view] of Object.entries(m.model.view ?? {})) {
        const key = Object.values(view.dimension ?? {}).find((d) => d.primary_key)!;
        const table = view.sql_table_name ? view.sql_table_name.trim() : `(${withDateFilters(view.derived_table!.sql!)})`;
        const distinct = exploreSql(withViewExplore(m.model, name), '__view', { dimensions: [`${name}.${key.$name}`] });
        const { rows } = await p.client.query(`SELECT (SELECT COUNT(*) FROM ${table} AS t)::int AS all_rows, (SELECT COUNT(*) FROM (${distinct}) AS k)::int AS keys`);
        if (EMPTY_IN_SIMULATOR.includes(name)) assert.equal(rows[0].all_rows, 0, `${name} is empty in the simulated company`);
        else assert.ok(rows[0].all_rows > 0, `${name} has rows`);
        assert.equal(rows[0].keys, rows[0].all_rows, `${name}: ${key.$name} is unique`);
      }
    }
  });

  it('runs the joins of every explore', async () => {
    const p = pipeline();
    const joined = async (explore: string, dimensions: string[], measures: string[] = []) => {
      const rows = await p.query(explore, { dimensions, measures });
      assert.ok(rows.length > 0, `${explore}: ${dimensions.join(', ')}`);
      return rows;
    };
    const byCostCenter = await joined(
      'sales_margin',
      ['cost_center_1.center_name', 'cost_center_2.center_name', 'item_group.group_name', 'warehouse.warehouse_name', 'account.name', 'sales_margin_lines.posting_date'],
      ['sales_margin_lines.gross_margin', 'sales_margin_lines.gross_margin_pct', 'sales_margin_lines.document_count'],
    );
    assert.ok(
      byCostCenter.every((r) => r.d0 !== null && r.d1 !== null && r.d2 !== null && r.d3 !== null && r.d4 !== null),
      'every margin row finds its cost centers (split rules allocated to theirs), item group, warehouse and account',
    );
    const split = await joined('sales_margin', ['sales_margin_lines.distribution_rule_1', 'sales_margin_lines.cost_center_1'], ['sales_margin_lines.revenue']);
    assert.deepEqual(split.filter((r) => r.d0 === 'ALLREG').map((r) => r.d1), ['MW', 'NE', 'SO'], 'the shared regional rule is spread over its regions');
    await joined('sales_margin', ['invoice.doc_num', 'invoice_line.u_promo_code', 'credit_note.doc_num', 'credit_note_line.item_code', 'customer.u_segment']);
    await joined('profit_and_loss', ['account_hierarchy.level_1_name', 'account_hierarchy.level_2_name', 'account.name', 'cost_center_1.center_name', 'journal_entry.memo', 'profit_and_loss_lines.fiscal_period'], ['profit_and_loss_lines.amount']);
    await joined('receivables_aging', ['customer.card_name', 'receivable_movements.aging_bucket'], ['receivable_movements.open_amount', 'receivable_movements.overdue_amount', 'receivable_movements.average_days_past_due']);
    await joined('payables_aging', ['vendor.card_name', 'payable_movements.aging_bucket'], ['payable_movements.open_amount']);
    await joined('purchasing', ['vendor.card_name', 'item.item_name', 'item_group.group_name', 'warehouse.warehouse_name'], ['purchase_lines.received_quantity', 'purchase_lines.open_order_quantity']);
    await joined('general_ledger', ['gl_account.name', 'account_hierarchy.level_2_name', 'cost_center_1.center_code', 'cost_center_2.center_code', 'journal_entry.memo'], ['journal_entry_lines.balance']);
    await joined('incoming_cash', ['customer.u_region'], ['payment_total.total_paid', 'payment_total.paid_by_check_or_card', 'incoming_payments.cash_paid', 'incoming_payments.count']);
    await joined('incoming_cash', ['settlement.sum_applied', 'invoice.doc_num', 'credit_note.doc_num']);
    await joined('outgoing_cash', ['vendor.card_name', 'settlement.sum_applied', 'purchase_invoice.doc_num']);
    await joined('inventory_aging', ['inventory_age_layers.age_bucket', 'inventory_age_layers.inflow_kind', 'item_group.group_name', 'warehouse.warehouse_name', 'stock.committed'], ['inventory_age_layers.on_hand_value', 'inventory_age_layers.average_age_days']);
    const delivered = await p.withEveryStream.query('sales_margin', { dimensions: ['delivery_note.doc_num', 'delivery_note_line.item_code'], measures: ['sales_margin_lines.cost_of_goods'] });
    assert.ok(delivered.length > 1000, 'every stream: cost rows join their delivery and its line');
  });

  it('stock on hand per item and warehouse equals the books, its value the inventory accounts, in FIFO layers', async () => {
    const p = pipeline();
    const books = booksStock(p.simulator);
    for (const [name, m] of [
      ['without issue 11 streams', p],
      ['every stream', p.withEveryStream],
    ] as const) {
      const rows = await m.query('inventory_aging', {
        dimensions: ['inventory_age_layers.item_code', 'inventory_age_layers.warehouse_code'],
        measures: ['inventory_age_layers.on_hand_quantity', 'inventory_age_layers.on_hand_value'],
      });
      const layered = new Map(rows.map((r) => [`${String(r.d0)}|${String(r.d1)}`, { quantity: Math.round(Number(r.m0) * 1000), valueCents: cents(r.m1) }]));
      assert.deepEqual(new Map(sorted(layered)), new Map(sorted(books)), `${name}: quantity and value (to the cent) per item and warehouse`);
    }
    const accounts = inventoryAccounts(p.simulator);
    const byWarehouse = await p.query('inventory_aging', { dimensions: ['inventory_age_layers.warehouse_code'], measures: ['inventory_age_layers.on_hand_value'] });
    assert.equal(byWarehouse.length, 3);
    for (const r of byWarehouse) {
      const account = accounts.get(String(r.d0))!;
      assert.equal(cents(r.m0), booksBalance(p.simulator, new Set([account])), `${String(r.d0)}: stock value equals the inventory account ${account}`);
    }
    const buckets = await p.query('inventory_aging', { dimensions: ['inventory_age_layers.age_bucket'], measures: ['inventory_age_layers.on_hand_quantity'] });
    assert.ok(buckets.length >= 2, `stock falls in several age buckets: ${JSON.stringify(buckets)}`);
    assert.ok(buckets.some((b) => b.d0 === 'Before inflow history'), 'without issue 11 streams: the opening stock came in by goods receipts, which are not synced');
    const every = await p.withEveryStream.query('inventory_aging', { dimensions: ['inventory_age_layers.inflow_kind'], measures: ['inventory_age_layers.on_hand_quantity'] });
    assert.deepEqual(
      every.map((r) => r.d0),
      ['credit_note', 'goods_receipt', 'goods_receipt_po', 'purchase_invoice', 'return', 'transfer_in'],
      'every stream: every unit on hand comes from a known inflow, of every kind',
    );
    const [received] = await p.query('purchasing', { measures: ['purchase_lines.received_quantity'] });
    assert.equal(Math.round(Number(received!.m0) * 1000), receivedQuantity(p.simulator));
  });

  it('every stream: batch stock per item, warehouse and batch equals the books, and adds up by expiry', async () => {
    const p = pipeline();
    const books = new Map(p.simulator.books.batchStock().filter((b) => b.quantity !== 0).map((b) => [`${b.itemCode}|${b.warehouse}|${b.batch}`, Math.round(b.quantity * 1000)]));
    assert.ok(books.size > 20, 'batch items are in stock in many batches');
    const rows = await p.withEveryStream.query('inventory_expiry', { dimensions: ['batch_stock.item_code', 'batch_stock.warehouse_code', 'batch_stock.batch'], measures: ['batch_stock.quantity'] });
    const lookml = new Map(rows.map((r) => [`${String(r.d0)}|${String(r.d1)}|${String(r.d2)}`, Math.round(Number(r.m0) * 1000)]));
    assert.deepEqual(new Map(sorted(lookml)), new Map(sorted(books)));
    const stock = booksStock(p.simulator);
    const batchItems = new Map<string, number>();
    for (const [key, quantity] of lookml) batchItems.set(key.split('|').slice(0, 2).join('|'), (batchItems.get(key.split('|').slice(0, 2).join('|')) ?? 0) + quantity);
    for (const [itemWarehouse, quantity] of batchItems) assert.equal(quantity, stock.get(itemWarehouse)?.quantity, `${itemWarehouse}: its batches add up to its stock`);
    const today = ((await p.client.query(`SELECT CAST(CURRENT_DATE AS TEXT) AS today`)).rows as { today: string }[])[0]!.today;
    const buckets = await p.withEveryStream.query('inventory_expiry', { dimensions: ['batch_stock.expiry_bucket'], measures: ['batch_stock.quantity'] });
    const byBucket = new Map(buckets.map((r) => [String(r.d0), Math.round(Number(r.m0) * 1000)]));
    assert.equal([...byBucket.values()].reduce((a, b) => a + b, 0), [...books.values()].reduce((a, b) => a + b, 0), 'the expiry buckets add up to the batch stock');
    const expired = p.simulator.books.batchStock().filter((b) => b.expiryDate < today).reduce((sum, b) => sum + Math.round(b.quantity * 1000), 0);
    assert.equal(byBucket.get('Expired') ?? 0, expired, `stock expired before ${today}`);
  });

  it('reproduces the ledger: debits as in SAP, balanced by credits', async () => {
    const p = pipeline();
    const [totals] = await p.query('general_ledger', { measures: ['journal_entry_lines.total_debit', 'journal_entry_lines.total_credit', 'journal_entry_lines.balance'] });
    assert.equal(cents(totals!.m0), totalDebit(p.simulator));
    assert.equal(cents(totals!.m0), cents(totals!.m1));
    assert.equal(cents(totals!.m2), 0);
  });

  it('after SAP removes a line, cancels an invoice and posts a credit note, the next sync moves the trigger and the margin, open items and stock still equal the ground truth', async () => {
    const p = pipeline();
    const before = await triggerValue(p);
    const [trimmed] = p.simulator.keys.find('Invoices', (r) => r.CancelStatus === 'csNo' && ((r.DocumentLines as unknown[] | undefined)?.length ?? 0) >= 2, 1) as [number];
    // SAP refuses to cancel a paid invoice or one based on a delivery that something followed: an open one with the goods.
    const [cancelled] = p.simulator.keys.find(
      'Invoices',
      (r) => r.CancelStatus === 'csNo' && r.DocumentStatus === 'bost_Open' && Number(r.PaidToDate) === 0 && (r.DocumentLines as Row[])[0]?.BaseType === 17 && r.DocEntry !== trimmed,
      1,
    ) as [number];
    assert.ok(trimmed !== undefined && cancelled !== undefined);
    const trimmedInvoice = [...p.simulator.groundTruth('Invoices')].find((r) => r.DocEntry === trimmed)!;
    const removedLine = (trimmedInvoice.DocumentLines as Row[])[0]!.LineNum as number;
    p.simulator.mutations.apply({ kind: 'remove_line', entitySet: 'Invoices', key: trimmed, lineNum: removedLine });
    const cancellation = p.simulator.mutations.apply({ kind: 'cancel_document', entitySet: 'Invoices', key: cancelled });
    p.simulator.mutations.apply({ kind: 'insert', entitySet: 'CreditNotes' });
    const expected = marginByRegion(p.simulator);
    assert.notDeepEqual(sorted(expected), sorted(await marginFromLookml(p)), 'the changes move the margin');

    await p.sync();
    assert.ok((await triggerValue(p)).getTime() > before.getTime(), 'the datagroup trigger value changed');

    const stale = await p.client.query(`SELECT COUNT(*)::int AS n FROM "${SCHEMA}"."invoice_lines" WHERE "doc_entry" = $1 AND "line_num" = $2`, [trimmed, removedLine]);
    assert.equal(stale.rows[0].n, 1, 'the removed line lives on in the deduplicated destination table');
    const marginSql = p.model.view!.sales_margin_lines!.derived_table!.sql!;
    const counted = await p.client.query(`SELECT COUNT(*)::int AS n FROM (${marginSql}) AS m WHERE document_kind = 'invoice' AND doc_entry = $1 AND line_num = $2`, [trimmed, removedLine]);
    assert.equal(counted.rows[0].n, 0, 'but it is not in the margin');
    const cancelledRows = await p.client.query(`SELECT COUNT(*)::int AS n FROM (${marginSql}) AS m WHERE document_kind = 'invoice' AND doc_entry IN ($1, $2)`, [cancelled, cancellation.cancellation]);
    assert.equal(cancelledRows.rows[0].n, 0, 'neither the cancelled invoice nor its cancellation is in the margin');

    assert.deepEqual(sorted(await marginFromLookml(p)), sorted(expected));
    // remove_line is a raw database edit (SAP would not let a posted invoice lose a line): it lowers the
    // invoice's DocTotal without reposting, so that customer's open items no longer match the books.
    const edited = String(trimmedInvoice.CardCode);
    const today = p.simulator.clock.now().slice(0, 10);
    const open = await p.query('receivables_aging', { dimensions: ['receivable_movements.card_code'], measures: ['receivable_movements.open_amount'], dateFilters: { as_of_date: today } });
    const nonZero = (entries: Iterable<[string, number]>) => new Map(sorted(new Map([...entries].filter(([card, a]) => a !== 0 && card !== edited))));
    assert.deepEqual(
      nonZero(open.map((r): [string, number] => [String(r.d0), cents(r.m0)])),
      nonZero(p.simulator.books.openItems('receivables', today)),
      'open receivables per customer still equal the books (the cancellation and the credit note included)',
    );
    const stock = await p.query('inventory_aging', { dimensions: ['inventory_age_layers.item_code', 'inventory_age_layers.warehouse_code'], measures: ['inventory_age_layers.on_hand_quantity'] });
    assert.deepEqual(
      new Map(sorted(new Map(stock.map((r) => [`${String(r.d0)}|${String(r.d1)}`, Math.round(Number(r.m0) * 1000)])))),
      new Map(sorted(new Map([...booksStock(p.simulator)].map(([k, v]) => [k, v.quantity])))),
      'stock per item and warehouse still equals the books (the latest copy of each appended row)',
    );
  });

  it('keeps month-end stock when item_warehouse_stock is appended: the last copy of each month', async () => {
    const p = pipeline();
    const first = stockAtFirstSync!;
    const now = booksStock(p.simulator);
    assert.notDeepEqual(sorted(first), sorted(now), 'the stock changed between the two syncs');
    // As if the first sync had run about forty days earlier, in the previous month.
    await p.client.query(`UPDATE "${SCHEMA}"."item_warehouse_stock" SET "_airbyte_extracted_at" = "_airbyte_extracted_at" - INTERVAL '40 days' WHERE ("_airbyte_meta" ->> 'sync_id') = '1'`);
    const rows = await p.withEveryStream.query('inventory_history', {
      dimensions: ['stock_month_ends.month_end_date', 'stock_month_ends.item_code', 'stock_month_ends.warehouse_code'],
      measures: ['stock_month_ends.quantity', 'stock_month_ends.stock_value'],
    });
    const day = (value: unknown) => (value as Date).toISOString().slice(0, 10);
    const months = [...new Set(rows.map((r) => day(r.d0)))].sort();
    assert.equal(months.length, 2, `two month ends: ${months.join(', ')}`);
    for (const [month, truth] of [
      [months[0]!, first],
      [months[1]!, now],
    ] as const) {
      const snapshot = new Map(
        rows
          .filter((r) => day(r.d0) === month && Number(r.m0) > 0)
          .map((r) => [`${String(r.d1)}|${String(r.d2)}`, { quantity: Math.round(Number(r.m0) * 1000), valueCents: cents(r.m1) }]),
      );
      assert.deepEqual(new Map(sorted(snapshot)), new Map(sorted(truth)), `stock at the end of ${month}`);
    }
  });
});
