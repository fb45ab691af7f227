import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConnectorError } from '../../src/errors.js';
import { DIALECTS, type DialectName } from '../../src/looker/lookml/dialect.js';
import {
  allProjectFiles,
  generateLookmlProject,
  GENERATED_MARKER,
  REFRESH_DATAGROUP,
  SYNC_DATAGROUP,
  writeLookmlProject,
  type LookmlOptions,
} from '../../src/looker/lookml/index.js';
import { streamRelations } from '../../src/streams/relations.js';
import { configuredCatalog, discoverCatalog, withoutColumns } from './catalogs.js';
import { everyStreamCatalog, ISSUE_11_STREAMS, withoutStreams } from './every-stream.js';
import { jsonFile } from '../helpers/connector.js';
import { connectorEntrypoint } from '../helpers/paths.js';
import { fieldNames, parseProject, presentationProblems, referenceProblems, visibleFields, type ParsedModel } from './parsed-project.js';

const DERIVED_VIEWS = [
  'sales_margin_lines',
  'profit_and_loss_lines',
  'receivable_movements',
  'payable_movements',
  'purchase_lines',
  'incoming_payment_totals',
  'outgoing_payment_totals',
  'inventory_age_layers',
  'gl_account_hierarchy',
  'batch_stock',
];
const EXPLORES = ['sales_margin', 'profit_and_loss', 'receivables_aging', 'payables_aging', 'inventory_aging', 'purchasing', 'general_ledger', 'incoming_cash', 'outgoing_cash', 'inventory_expiry'];
/** The full catalog lacks no stream; a stock transfer has neither Cancelled nor CancelStatus, and the model says what that means. */
const EXPECTED_NOTES = [/^stock_transfers: the catalog lacks cancel_status and cancelled, so cancelled documents and their cancellations are counted\.$/];
/** What a catalog without issue 11's streams lacks, and says so. */
const NOTES_WITHOUT_ISSUE_11 = [/^explore sales_margin: without the delivery_notes stream, the cost of goods of invoices based on a delivery/, /^explore profit_and_loss: without the financial_years stream/];

const MODEL = 'sap_business_one.model.lkml';
const base = { connection: 'warehouse', schema: 'sap_b1' } as const;

function project(options: Partial<LookmlOptions> & { dialect: DialectName }) {
  return generateLookmlProject({ catalog: discoverCatalog(), ...base, ...options });
}

async function generated(dialect: DialectName, catalog = discoverCatalog(), schema = 'sap_b1', extra: Partial<LookmlOptions> = {}) {
  const p = generateLookmlProject({ catalog, dialect, connection: 'warehouse', schema, ...extra });
  const { model } = await parseProject(allProjectFiles(p));
  return { project: p, model };
}

function assertConsistent(model: ParsedModel): void {
  assert.deepEqual(referenceProblems(model), []);
}

/** Every SQL text of the project: view fields, table names, derived tables, joins, trigger. */
function allSql(model: ParsedModel): string[] {
  const sql: string[] = [];
  for (const view of Object.values(model.view ?? {})) {
    if (view.sql_table_name) sql.push(view.sql_table_name);
    if (view.derived_table?.sql) sql.push(view.derived_table.sql);
    for (const kind of ['dimension', 'dimension_group', 'measure'] as const) for (const f of Object.values(view[kind] ?? {})) if (f.sql) sql.push(f.sql);
  }
  for (const explore of Object.values(model.explore ?? {})) for (const j of Object.values(explore.join ?? {})) if (j.sql_on) sql.push(j.sql_on);
  for (const d of Object.values(model.datagroup ?? {})) if (d.sql_trigger) sql.push(d.sql_trigger);
  return sql;
}

describe('generate-lookml from the full discover catalog', () => {
  const catalog = discoverCatalog();
  const streams = catalog.streams.map((s) => s.name);

  for (const dialect of DIALECTS) {
    describe(dialect, () => {
      it('writes the user-owned manifest and model, and the generated views and explores in their own folder, all parseable and consistent', async () => {
        const { project, model } = await generated(dialect);
        assert.deepEqual([...project.userFiles.keys()].sort(), ['manifest.lkml', MODEL]);
        assert.deepEqual(
          [...project.files.keys()].sort(),
          [...[...streams, ...DERIVED_VIEWS].map((v) => `sap_business_one/views/${v}.view.lkml`), ...EXPLORES.map((e) => `sap_business_one/explores/${e}.explore.lkml`)].sort(),
        );
        for (const [path, content] of project.files) assert.ok(content.startsWith(`# ${GENERATED_MARKER}`), path);
        for (const [path, content] of project.userFiles) assert.ok(!content.includes(GENERATED_MARKER), `${path} is the user's, not marked as generated`);
        assert.equal(project.notes.length, EXPECTED_NOTES.length, project.notes.join('\n'));
        EXPECTED_NOTES.forEach((note, i) => assert.match(project.notes[i]!, note));
        assert.equal(model.connection, 'warehouse');
        assert.deepEqual(model.include, ['/sap_business_one/views/*.view.lkml', '/sap_business_one/explores/*.explore.lkml']);
        assert.deepEqual(Object.keys(model.view ?? {}).sort(), [...streams, ...DERIVED_VIEWS].sort());
        assert.deepEqual(Object.keys(model.explore ?? {}).sort(), [...EXPLORES].sort());
        assertConsistent(model);
      });

      it('names the connection and schema only through the manifest constants', () => {
        const p = project({ dialect, connection: 'bi_conn_7', schema: 'erp_land' });
        const manifest = p.userFiles.get('manifest.lkml')!;
        assert.match(manifest, /constant: SAP_B1_CONNECTION \{\n  value: "bi_conn_7"\n\}/);
        assert.match(manifest, /constant: SAP_B1_SCHEMA \{/);
        assert.match(manifest, /erp_land/i);
        assert.match(p.userFiles.get(MODEL)!, /connection: "@\{SAP_B1_CONNECTION\}"/);
        for (const [path, content] of [...p.files, [MODEL, p.userFiles.get(MODEL)!] as const]) {
          assert.ok(!content.includes('bi_conn_7'), `${path} names the connection`);
          assert.ok(!/erp_land/i.test(content), `${path} names the schema`);
        }
      });

      it('gives every view a primary key, compound keys concatenated', async () => {
        const { model } = await generated(dialect);
        for (const [name, view] of Object.entries(model.view ?? {})) {
          const keys = Object.values(view.dimension ?? {}).filter((d) => d.primary_key);
          assert.equal(keys.length, 1, name);
        }
        assert.equal(model.view!.invoices!.dimension!.doc_entry!.primary_key, true);
        const lineKey = model.view!.invoice_lines!.dimension!.compound_key!;
        assert.equal(lineKey.primary_key, true);
        const c = dialect === 'snowflake' ? ['"DOC_ENTRY"', '"LINE_NUM"'] : dialect === 'bigquery' ? ['`doc_entry`', '`line_num`'] : ['"doc_entry"', '"line_num"'];
        const text = dialect === 'bigquery' ? 'STRING' : 'VARCHAR';
        assert.equal(lineKey.sql!.trim(), `CAST(\${TABLE}.${c[0]} AS ${text}) || '-' || CAST(\${TABLE}.${c[1]} AS ${text})`);
        assert.equal(model.view!.item_warehouse_stock!.dimension!.compound_key!.primary_key, true);
      });

      it('types dimensions from the JSON schema', async () => {
        const { model } = await generated(dialect);
        const invoices = model.view!.invoices!;
        assert.equal(invoices.dimension!.doc_total!.type, 'number');
        assert.equal(invoices.dimension!.card_code!.type, 'string');
        assert.equal(invoices.dimension!.cancelled!.type, 'yesno');
        const doc = invoices.dimension_group!.doc!;
        assert.equal(doc.type, 'time');
        assert.equal(doc.datatype, 'date');
        assert.equal(doc.convert_tz, false);
        assert.deepEqual(doc.timeframes, ['raw', 'date', 'week', 'month', 'quarter', 'year']);
        const updated = invoices.dimension_group!.updated!;
        assert.equal(updated.datatype, dialect === 'bigquery' ? 'datetime' : 'timestamp', 'timestamp without time zone');
        assert.equal(updated.convert_tz, false);
        assert.ok(updated.timeframes!.includes('time'));
        const extracted = invoices.dimension_group!._airbyte_extracted!;
        assert.equal(extracted.datatype, 'timestamp');
        assert.equal(extracted.convert_tz, true);
        assert.ok(fieldNames(invoices).has('doc_date'));
        assert.ok(invoices.dimension!._airbyte_raw_id!.hidden);
      });

      it('shows user-defined fields of the catalog as labelled dimensions, and uses U_Region as the margin region', async () => {
        const { model } = await generated(dialect);
        const region = model.view!.business_partners!.dimension!.u_region!;
        assert.equal(region.type, 'string');
        assert.equal(region.label, 'Region');
        assert.equal(region.hidden, undefined);
        assert.match(region.sql!, dialect === 'snowflake' ? /"U_REGION"/ : dialect === 'bigquery' ? /`u_region`/ : /"u_region"/);
        assert.ok(model.view!.invoice_lines!.dimension!.u_promo_code);
        assert.ok(model.view!.invoices!.dimension!.u_channel);
        assert.equal(model.view!.sales_margin_lines!.dimension!.region!.sql!.trim(), '${customer.u_region}');
      });

      it('joins the margin explore to documents and lines, customer, item, item group, warehouse, allocated cost centers and G/L account', async () => {
        const { model } = await generated(dialect);
        const explore = model.explore!.sales_margin!;
        assert.equal(explore.view_name, 'sales_margin_lines');
        assert.deepEqual(Object.keys(explore.join!), [
          ...['invoice', 'invoice_line', 'credit_note', 'credit_note_line', 'delivery_note', 'delivery_note_line', 'return', 'return_line'],
          ...['customer', 'item', 'item_group', 'warehouse', 'cost_center_1', 'cost_center_2', 'account'],
        ]);
        // Deliveries and returns only bring cost rows: their joins show what identifies a cost's source.
        assert.deepEqual(explore.join!.delivery_note!.fields, ['doc_num', 'doc_date']);
        assert.deepEqual(explore.join!.return_line!.fields, ['line_num', 'item_code', 'quantity', 'warehouse_code']);
        assert.equal(explore.join!.invoice!.fields, undefined);
        for (const [name, join] of Object.entries(explore.join!)) assert.equal(join.relationship, 'many_to_one', name);
        assert.match(explore.join!.cost_center_1!.sql_on!, /\$\{sales_margin_lines\.cost_center_1\}/);
        const margin = model.view!.sales_margin_lines!;
        for (const m of ['revenue', 'cost_of_goods', 'gross_margin', 'gross_margin_pct', 'quantity_sold', 'estimated_cost_of_goods', 'document_count', 'invoice_count', 'credit_note_count']) {
          assert.ok(margin.measure![m], m);
        }
        assert.equal(margin.measure!.gross_margin_pct!.value_format_name, 'percent_1');
        assert.equal(margin.measure!.revenue!.value_format_name, 'usd');
        assert.deepEqual(margin.measure!.revenue!.drill_fields, ['margin_detail*']);
        assert.equal(margin.measure!.document_count!.type, 'count_distinct');
      });

      it('builds the margin from current, counted lines: revenue net of the header discount, cost of goods from the journal entry', async () => {
        const { model } = await generated(dialect);
        const sql = model.view!.sales_margin_lines!.derived_table!.sql!;
        const hash = dialect === 'snowflake' ? ['"_B1_RECORD_HASH"', '"_B1_PARENT_RECORD_HASH"'] : dialect === 'bigquery' ? ['`_b1_record_hash`', '`_b1_parent_record_hash`'] : ['"_b1_record_hash"', '"_b1_parent_record_hash"'];
        assert.equal(sql.split(`h.${hash[0]} = l.${hash[1]}`).length - 1, 6, 'revenue and cost rows of invoices and credit notes, cost rows of deliveries and returns, join on the parent hash');
        assert.equal(sql.split(`NOT IN ('csYes', 'csCancellation')`).length - 1, 6, 'neither cancelled documents nor cancellation documents, by CancelStatus');
        assert.match(sql, /-\(l\.\S+\) AS line_total/, 'credit notes negated');
        assert.match(sql, /r\.line_total - COALESCE\(r\.header_discount \* r\.line_total \/ NULLIF\(SUM\(r\.line_total\) OVER \(PARTITION BY r\.document_kind, r\.doc_entry\), 0\), 0\)/);
        assert.match(sql, /SUM\(COALESCE\(jl\.\S+, 0\) - COALESCE\(jl\.\S+, 0\)\) AS posted/);
        assert.match(sql, /p\.posted \* COALESCE\(c\.cost_weight, 0\) \/ SUM\(COALESCE\(c\.cost_weight, 0\)\) OVER \(PARTITION BY c\.document_kind, c\.doc_entry, c\.account_code\)/);
        assert.doesNotMatch(sql, /gross_profit\S* AS amount/, 'the posted cost is not the gross-profit estimate');
        assert.match(model.view!.purchase_lines!.derived_table!.sql!, /purchase_order_lines/i);
        assert.match(model.view!.inventory_age_layers!.derived_table!.sql!, /ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW/);
        assert.ok(model.explore!.general_ledger!.always_join!.includes('journal_entry'));
      });

      it('builds the profit and loss from journal lines on revenue and expense accounts, without closing entries', async () => {
        const { model } = await generated(dialect);
        const sql = model.view!.profit_and_loss_lines!.derived_table!.sql!;
        assert.match(sql, /IN \('at_Revenues', 'at_Expenses'\)/);
        assert.match(sql, /<> 'ttClosingBalance'/);
        assert.match(sql, /COALESCE\(jl\.\S+, 0\) - COALESCE\(jl\.\S+, 0\) AS net_income_amount/);
        const explore = model.explore!.profit_and_loss!;
        assert.ok(explore.join!.account_hierarchy && explore.join!.cost_center_1 && explore.join!.account);
        const view = model.view!.profit_and_loss_lines!;
        for (const m of ['revenue', 'expenses', 'amount', 'net_income', 'net_margin_pct']) assert.ok(view.measure![m], m);
        for (const d of ['fiscal_year', 'fiscal_period', 'cost_center_1', 'cost_center_2', 'allocation_share']) assert.ok(view.dimension![d], d);
        const hierarchy = model.view!.gl_account_hierarchy!;
        for (let level = 1; level <= 5; level++) assert.equal(hierarchy.dimension![`level_${level}_name`]!.label, `Level ${level}`);
      });

      it('ages open items as of a date the user picks, with a filter Looker can persist around', async () => {
        const { model } = await generated(dialect);
        for (const [explore, view] of [
          ['receivables_aging', 'receivable_movements'],
          ['payables_aging', 'payable_movements'],
        ] as const) {
          assert.equal(model.explore![explore]!.view_name, view);
          const v = model.view![view]!;
          assert.equal(v.filter!.as_of_date!.type, 'date');
          assert.doesNotMatch(v.derived_table!.sql!, /\{%/, 'the derived table does not read the filter, so it can be a PDT');
          assert.match(v.dimension!.aging_bucket!.sql!, /\{% date_start as_of_date %\}/);
          assert.match(v.measure!.open_amount!.sql!, /\{% date_start as_of_date %\}/);
        }
        const receivables = model.view!.receivable_movements!.derived_table!.sql!;
        for (const kind of ["'invoice'", "'credit_note'", "'payment_on_account'", "'settlement'", "'cancellation'"]) assert.ok(receivables.includes(kind), kind);
      });

      it('totals payments from their journal entry, so checks and credit cards count', async () => {
        const { model } = await generated(dialect);
        const totals = model.view!.incoming_payment_totals!.derived_table!.sql!;
        assert.match(totals, /= 'ttReceipt'/);
        assert.match(model.view!.outgoing_payment_totals!.derived_table!.sql!, /= 'ttVendorPayment'/);
        assert.equal(model.explore!.incoming_cash!.join!.payment_total!.relationship, 'one_to_one');
        assert.ok(model.view!.incoming_payment_totals!.measure!.total_paid);
        assert.ok(model.view!.incoming_payment_totals!.measure!.paid_by_check_or_card);
      });

      it('has an SQL-triggered datagroup over every table and an API-only datagroup for looker-refresh', async () => {
        const { model } = await generated(dialect);
        assert.equal(model.persist_with, SYNC_DATAGROUP);
        const datagroup = model.datagroup![SYNC_DATAGROUP]!;
        assert.equal(datagroup.max_cache_age, '24 hours');
        const trigger = datagroup.sql_trigger!;
        const column = dialect === 'snowflake' ? '"_AIRBYTE_EXTRACTED_AT"' : dialect === 'bigquery' ? '`_airbyte_extracted_at`' : '"_airbyte_extracted_at"';
        assert.equal(trigger.split(`MAX(${column})`).length - 1, streams.length);
        for (const stream of streams) {
          const table = dialect === 'snowflake' ? `"SAP_B1"."${stream.toUpperCase()}"` : dialect === 'bigquery' ? `\`sap_b1.${stream}\`` : `"sap_b1"."${stream}"`;
          assert.ok(trigger.includes(`FROM ${table}`), stream);
        }
        const refresh = model.datagroup![REFRESH_DATAGROUP]!;
        assert.equal(refresh.sql_trigger, undefined, 'looker-refresh is the only trigger, so it fires once per sync');
        assert.equal(refresh.max_cache_age, '24 hours');
      });

      it('labels and describes every visible field, shows a curated list and hides the rest', async () => {
        const { model } = await generated(dialect);
        assert.deepEqual(presentationProblems(model), []);
        for (const explore of EXPLORES) {
          const count = visibleFields(model, explore).length;
          assert.ok(count <= 170, `${explore} shows ${count} fields`);
        }
        assert.ok(visibleFields(model, 'sales_margin').length >= 100);
        const labels = Object.values(model.view ?? {}).flatMap((v) => [...Object.values(v.dimension ?? {}), ...Object.values(v.measure ?? {})].filter((f) => !f.hidden).map((f) => f.label!));
        for (const label of labels) assert.doesNotMatch(label, /[a-z][A-Z]|Costing Code|\bCode\d/, `raw SAP name as a label: ${label}`);
        const lines = model.view!.invoice_lines!;
        assert.equal(lines.dimension!.costing_code2!.label, 'Distribution rule, dimension 2');
        assert.equal(lines.dimension!.gross_buy_price!.hidden, true);
        assert.deepEqual(lines.measure!.count!.drill_fields, ['detail*']);
        assert.ok(lines.set!.detail!.fields!.includes('item_code'));
      });
    });
  }

  it('quotes Snowflake identifiers in upper case everywhere, as the destination creates them', async () => {
    const { model } = await generated('snowflake');
    assert.equal(model.view!.invoices!.sql_table_name!.trim(), '"SAP_B1"."INVOICES"');
    for (const sql of allSql(model)) {
      const quoted = [...sql.matchAll(/"([^"]*)"/g)].map((m) => m[1]!);
      for (const identifier of quoted) assert.equal(identifier, identifier.toUpperCase(), `lower-case quoted identifier "${identifier}" in: ${sql.slice(0, 200)}`);
    }
  });

  it('quotes Postgres identifiers in lower case and BigQuery identifiers with backticks', async () => {
    const pg = await generated('postgres');
    assert.equal(pg.model.view!.invoices!.sql_table_name!.trim(), '"sap_b1"."invoices"');
    assert.equal(pg.model.view!.invoices!.dimension!.doc_entry!.sql!.trim(), '${TABLE}."doc_entry"');
    const bq = await generated('bigquery', discoverCatalog(), 'my-project.sap_b1');
    assert.equal(bq.model.view!.invoices!.sql_table_name!.trim(), '`my-project.sap_b1.invoices`');
    assert.equal(bq.model.view!.invoices!.dimension!.doc_entry!.sql!.trim(), '${TABLE}.`doc_entry`');
    for (const sql of allSql(bq.model)) assert.ok(!/"[a-z_]+"/.test(sql), `double-quoted identifier in BigQuery SQL: ${sql.slice(0, 200)}`);
  });

  it('accepts a configured catalog', async () => {
    const { model } = await generated('postgres', configuredCatalog(catalog) as never);
    assert.deepEqual(Object.keys(model.explore ?? {}).sort(), [...EXPLORES].sort());
    assertConsistent(model);
  });

  it('formats amounts in the company currency', async () => {
    const eur = await generated('postgres', discoverCatalog(), 'sap_b1', { currency: 'eur' });
    assert.equal(eur.model.view!.sales_margin_lines!.measure!.revenue!.value_format_name, 'eur');
    assert.equal(eur.model.view!.invoices!.dimension!.doc_total!.value_format_name, 'eur');
    const chf = await generated('postgres', discoverCatalog(), 'sap_b1', { currency: 'CHF' });
    assert.equal(chf.model.view!.sales_margin_lines!.measure!.revenue!.value_format, '"CHF" #,##0.00');
    assert.throws(() => project({ dialect: 'postgres', currency: 'Swiss francs' }), (e) => e instanceof ConnectorError && /--currency/.test(e.message));
  });

  it('persists derived tables on the caching datagroup with --persist, and caches with looker-refresh when asked', async () => {
    const plain = await generated('postgres');
    for (const view of DERIVED_VIEWS) assert.equal(plain.model.view![view]!.derived_table!.datagroup_trigger, undefined, view);
    const persisted = await generated('postgres', discoverCatalog(), 'sap_b1', { persistDerivedTables: true });
    for (const view of DERIVED_VIEWS) assert.equal(persisted.model.view![view]!.derived_table!.datagroup_trigger, SYNC_DATAGROUP, view);
    const hooked = await generated('postgres', discoverCatalog(), 'sap_b1', { persistDerivedTables: true, refresh: 'looker_refresh' });
    assert.equal(hooked.model.persist_with, REFRESH_DATAGROUP);
    for (const view of DERIVED_VIEWS) assert.equal(hooked.model.view![view]!.derived_table!.datagroup_trigger, REFRESH_DATAGROUP, view);
    assertConsistent(hooked.model);
  });

  it('joins parents to children as the stream table relates them, not by a second declaration', async () => {
    const relations = streamRelations().map((r) => (r.parent === 'invoices' && r.collection === 'DocumentLines' ? { ...r, child: 'credit_note_lines' } : r));
    const p = generateLookmlProject({ catalog: discoverCatalog(), ...base, dialect: 'postgres', relations });
    const { model } = await parseProject(allProjectFiles(p));
    const sql = model.view!.sales_margin_lines!.derived_table!.sql!;
    const invoiceBranch = sql.slice(sql.indexOf("'invoice' AS document_kind"), sql.indexOf('UNION ALL'));
    assert.match(invoiceBranch, /FROM "sap_b1"\."credit_note_lines" AS l\n\s*INNER JOIN "sap_b1"\."invoices" AS h/);
    assert.equal(model.explore!.sales_margin!.join!.invoice_line!.from, 'credit_note_lines');
  });
});

describe('generate-lookml from reduced catalogs', () => {
  it('leaves out joins to deselected streams and says so, and falls back to the dimension-1 cost center for the region', async () => {
    const catalog = discoverCatalog();
    catalog.streams = catalog.streams.filter((s) => !['business_partners', 'credit_notes', 'credit_note_lines', 'items', 'goods_receipts', 'goods_receipt_lines'].includes(s.name));
    for (const dialect of DIALECTS) {
      const { project, model } = await generated(dialect, catalog);
      assertConsistent(model);
      const joins = Object.keys(model.explore!.sales_margin!.join!);
      assert.ok(!joins.includes('customer') && !joins.includes('item') && !joins.includes('item_group') && !joins.includes('credit_note'), joins.join());
      assert.ok(joins.includes('cost_center_1'));
      assert.match(model.view!.sales_margin_lines!.dimension!.region!.sql!, /\$\{cost_center_1\.center_name\}/);
      const notes = project.notes.join('\n');
      assert.match(notes, /explore sales_margin: join customer is left out because the catalog lacks the business_partners stream\./);
      assert.match(notes, /explore sales_margin: without credit notes, revenue is not net of returns\./);
      assert.match(notes, /item_warehouse_stock: the catalog lacks _b1_parent_record_hash/);
      assert.match(project.files.get('sap_business_one/explores/sales_margin.explore.lkml')!, /# - explore sales_margin: join customer is left out/);
      assert.match(model.view!.inventory_age_layers!.derived_table!.sql!, /purchase_invoice/, 'A/P invoices still bring stock in');
      assert.ok(!project.files.has('sap_business_one/views/items.view.lkml'));
    }
  });

  it('falls back to the cost center code when neither U_Region nor cost centers are there', async () => {
    const catalog = withoutColumns(discoverCatalog(), 'business_partners', ['u_region']);
    catalog.streams = catalog.streams.filter((s) => s.name !== 'cost_centers');
    const { model } = await generated('postgres', catalog);
    assertConsistent(model);
    assert.equal(model.view!.sales_margin_lines!.dimension!.region!.sql!.trim(), '${TABLE}.cost_center_1');
  });

  it('counts what it cannot filter, and says so, when columns are deselected', async () => {
    let catalog = withoutColumns(discoverCatalog(), 'invoices', ['cancelled', 'cancel_status']);
    catalog = withoutColumns(catalog, 'invoice_lines', ['_b1_parent_record_hash', 'parent_updated_at', 'costing_code']);
    const { project, model } = await generated('snowflake', catalog);
    assertConsistent(model);
    const sql = model.view!.sales_margin_lines!.derived_table!.sql!;
    const invoiceBranch = sql.slice(sql.indexOf("'invoice' AS document_kind"), sql.indexOf('UNION ALL'));
    assert.ok(!invoiceBranch.includes('_B1_RECORD_HASH') && !invoiceBranch.includes('WHERE'), invoiceBranch);
    assert.match(invoiceBranch, /CAST\(NULL AS VARCHAR\) AS rule_1/);
    assert.match(project.notes.join('\n'), /invoices: the catalog lacks cancel_status and cancelled, so cancelled documents and their cancellations are counted/);
    assert.match(project.notes.join('\n'), /invoice_lines: the catalog lacks _b1_parent_record_hash/);
  });

  it('without journal entries, has no posted cost or profit and loss, and totals payments from cash and transfers only', async () => {
    const catalog = discoverCatalog();
    catalog.streams = catalog.streams.filter((s) => !s.name.startsWith('journal_'));
    const { project, model } = await generated('postgres', catalog);
    assertConsistent(model);
    assert.ok(!model.explore!.profit_and_loss && !model.explore!.general_ledger);
    assert.doesNotMatch(model.view!.sales_margin_lines!.derived_table!.sql!, /'cost_of_goods'/);
    assert.match(model.view!.incoming_payment_totals!.derived_table!.sql!, /'cash and transfer only' AS total_source/);
    assert.match(project.notes.join('\n'), /so the total paid counts cash and bank transfers only/);
  });

  it('leaves out the explores when no document streams are selected', async () => {
    const catalog = discoverCatalog();
    catalog.streams = catalog.streams.filter((s) => ['gl_accounts', 'cost_centers'].includes(s.name));
    for (const dialect of DIALECTS) {
      const { project, model } = await generated(dialect, catalog);
      assertConsistent(model);
      assert.deepEqual(Object.keys(model.explore ?? {}), []);
      assert.deepEqual(Object.keys(model.view ?? {}).sort(), ['cost_centers', 'gl_account_hierarchy', 'gl_accounts']);
      assert.match(project.notes.join('\n'), /explore sales_margin is left out/);
      assert.match(project.notes.join('\n'), /explore general_ledger is left out/);
      assert.match(project.notes.join('\n'), /explore profit_and_loss is left out/);
    }
  });
});

describe('the project checker', () => {
  it('reports broken references, missing keys, undefined constants and parse errors', async () => {
    const files = allProjectFiles(project({ dialect: 'postgres' }));
    const broken = new Map(files);
    const explorePath = 'sap_business_one/explores/sales_margin.explore.lkml';
    broken.set(explorePath, files.get(explorePath)!.replace('${customer.card_code} =', '${customer.card_cod} ='));
    const warehouses = 'sap_business_one/views/warehouses.view.lkml';
    broken.set(warehouses, files.get(warehouses)!.replace('primary_key: yes', 'primary_key: no'));
    broken.delete('sap_business_one/views/item_groups.view.lkml');
    const { model } = await parseProject(broken);
    const problems = referenceProblems(model);
    assert.ok(problems.some((p) => p.includes('business_partners has no field card_cod')), problems.join('\n'));
    assert.ok(problems.includes('view warehouses: 0 primary keys'), problems.join('\n'));
    assert.ok(problems.some((p) => p.includes('missing view item_groups')), problems.join('\n'));
    const unparseable = new Map(files).set('sap_business_one/views/invoices.view.lkml', files.get('sap_business_one/views/invoices.view.lkml')!.slice(0, -3));
    await assert.rejects(parseProject(unparseable), /LookML parse errors/);
    const noConstants = new Map(files).set('manifest.lkml', '');
    await assert.rejects(parseProject(noConstants), /manifest\.lkml does not define/);
    const undescribed = new Map(files).set(warehouses, files.get(warehouses)!.replace(/description: "Warehouse name \(WarehouseName\)\."\n/, ''));
    const { model: m2 } = await parseProject(undescribed);
    assert.deepEqual(presentationProblems(m2), ['warehouses.warehouse_name: no description']);
  });
});

describe('generate-lookml input errors', () => {
  const configError = (error: unknown) => error instanceof ConnectorError && error.failureType === 'config_error';

  it('rejects an unknown dialect, an unsafe schema or connection, and a stream without key', () => {
    assert.throws(() => project({ dialect: 'mysql' as DialectName }), configError);
    assert.throws(() => project({ dialect: 'postgres', schema: 'sap"; DROP' }), configError);
    assert.throws(() => project({ dialect: 'postgres', schema: 'db.schema' }), configError);
    assert.throws(() => project({ dialect: 'postgres', connection: '' }), configError);
    assert.throws(() => project({ dialect: 'postgres', modelName: 'Bad Name' }), configError);
    const keyless = discoverCatalog();
    delete keyless.streams[0]!.source_defined_primary_key;
    assert.throws(() => project({ catalog: keyless, dialect: 'postgres' }), (e) => configError(e) && /no primary key/.test((e as Error).message));
  });
});

describe('writeLookmlProject', () => {
  it('writes the user-owned files once and never over the user, replaces generated files and removes stale ones', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lookml-'));
    try {
      await mkdir(join(dir, 'views'));
      await writeFile(join(dir, 'views', 'my_own.view.lkml'), 'view: my_own { sql_table_name: x ;; }\n');
      const first = await writeLookmlProject(project({ dialect: 'postgres' }), dir);
      assert.deepEqual(first.kept, []);
      assert.ok((await readdir(join(dir, 'sap_business_one', 'views'))).includes('journal_entries.view.lkml'));
      const userModel = `${await readFile(join(dir, MODEL), 'utf8')}\nexplore: +sales_margin { label: "Margin (mine)" }\n`;
      await writeFile(join(dir, MODEL), userModel);

      const reduced = discoverCatalog();
      reduced.streams = reduced.streams.filter((s) => !s.name.startsWith('journal_'));
      const second = await writeLookmlProject(generateLookmlProject({ catalog: reduced, ...base, dialect: 'postgres' }), dir);
      const views = await readdir(join(dir, 'sap_business_one', 'views'));
      assert.ok(!views.includes('journal_entries.view.lkml'), 'stale generated view removed');
      assert.ok(second.removed.includes(join('sap_business_one', 'explores', 'general_ledger.explore.lkml')));
      assert.ok((await readdir(join(dir, 'views'))).includes('my_own.view.lkml'), 'user file kept');
      assert.equal(await readFile(join(dir, MODEL), 'utf8'), userModel, 'the user model is never overwritten');
      assert.deepEqual(second.kept.sort(), ['manifest.lkml', MODEL]);
      assert.equal(second.warnings.length, 1, second.warnings.join('\n'));
      assert.match(second.warnings[0]!, /sap_b1_sync datagroup's sql_trigger does not read the tables of this catalog; replace it with:\ndatagroup: sap_b1_sync \{/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('tells the user which constants their own manifest lacks, and replaces a model an older generator wrote', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lookml-'));
    try {
      await writeFile(join(dir, 'manifest.lkml'), 'project_name: "finance"\n');
      await writeFile(join(dir, MODEL), `# ${GENERATED_MARKER} (dialect postgres, schema sap_b1).\nconnection: "warehouse"\n`);
      await mkdir(join(dir, 'views'));
      await writeFile(join(dir, 'views', 'invoices.view.lkml'), `# ${GENERATED_MARKER}\nview: invoices { sql_table_name: x ;; }\n`);
      const outcome = await writeLookmlProject(project({ dialect: 'postgres' }), dir);
      assert.deepEqual(outcome.kept, ['manifest.lkml']);
      assert.equal(await readFile(join(dir, 'manifest.lkml'), 'utf8'), 'project_name: "finance"\n');
      assert.match(outcome.warnings.join('\n'), /manifest\.lkml lacks constants the generated files use; add:\nconstant: SAP_B1_CONNECTION \{\n  value: "warehouse"\n\}\n\nconstant: SAP_B1_SCHEMA/);
      assert.match(await readFile(join(dir, MODEL), 'utf8'), /connection: "@\{SAP_B1_CONNECTION\}"/);
      assert.ok(outcome.removed.includes(join('views', 'invoices.view.lkml')), 'the old layout is cleaned up');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe("generate-lookml with issue 11's streams, and without them", () => {
  const every = (dialect: DialectName) => generated(dialect, undefined, 'sap_b1', { catalog: everyStreamCatalog() });

  it("says what a catalog without issue 11's streams lacks, and leaves out batch expiry", async () => {
    for (const dialect of DIALECTS) {
      const { project, model } = await generated(dialect, undefined, 'sap_b1', { catalog: withoutStreams(everyStreamCatalog(), ISSUE_11_STREAMS) });
      assertConsistent(model);
      assert.equal(project.notes.length, NOTES_WITHOUT_ISSUE_11.length, project.notes.join('\n'));
      NOTES_WITHOUT_ISSUE_11.forEach((note, i) => assert.match(project.notes[i]!, note));
      assert.deepEqual(Object.keys(model.explore ?? {}).sort(), [...EXPLORES.filter((e) => e !== 'inventory_expiry'), 'inventory_history'].sort());
    }
  });

  it('adds deliveries and returns as cost sources, every inflow to the FIFO layers, batch expiry and month-end history', async () => {
    const { project, model } = await every('postgres');
    assertConsistent(model);
    assert.deepEqual(Object.keys(model.explore ?? {}).sort(), [...EXPLORES, 'inventory_history'].sort());
    assert.deepEqual(project.notes, ['stock_transfers: the catalog lacks cancel_status and cancelled, so cancelled documents and their cancellations are counted.']);
    const margin = model.view!.sales_margin_lines!.derived_table!.sql!;
    for (const kind of ['delivery_note', 'return']) assert.ok(margin.includes(`'${kind}' AS document_kind`), kind);
    assert.match(margin, /"delivery_note_lines" AS l/, 'the lines stream is found by its relation');
    assert.ok(model.explore!.sales_margin!.join!.delivery_note_line);
    const layers = model.view!.inventory_age_layers!.derived_table!.sql!;
    for (const kind of ['goods_receipt_po', 'purchase_invoice', 'goods_receipt', 'return', 'credit_note', 'transfer_in']) assert.ok(layers.includes(`'${kind}' AS document_kind`), kind);
    assert.match(layers, /COALESCE\(l\."base_type", -1\) <> 16/, 'a credit note based on a return brought no goods back');
    const batches = model.view!.batch_stock!.derived_table!.sql!;
    assert.equal(batches.split('"batch_number_property" AS batch').length - 1, 11, 'every kind of stock movement (transfers twice)');
    assert.match(batches, /"from_warehouse_code" AS warehouse_code/);
    assert.match(batches, /COALESCE\(l\."base_type", -1\) <> 15/, 'an invoice based on a delivery moved no goods');
    assert.match(batches, /'csCancellation' THEN -1 ELSE 1/, 'a cancellation document moves the reverse');
    assert.deepEqual(Object.keys(model.view!.batch_stock!.dimension!).filter((d) => d.startsWith('expiry')), ['expiry_bucket', 'expiry_bucket_order']);
    const history = model.view!.stock_month_ends!.derived_table!.sql!;
    assert.match(history, /CAST\(DATE_TRUNC\('month', CAST\(k\."_airbyte_extracted_at" AS DATE\)\) \+ INTERVAL '1 month' - INTERVAL '1 day' AS DATE\) AS month_end/);
    assert.match(history, /PARTITION BY m\.item_code, m\.warehouse_code, m\.month_end ORDER BY m\.synced_at DESC/, 'the last copy of each month');
    assert.match(model.view!.profit_and_loss_lines!.derived_table!.sql!, /LEFT JOIN "sap_b1"\."financial_years" AS fy/);
  });

  it('reads the latest copy of an appended stream wherever the current stock is meant', async () => {
    const { model } = await every('postgres');
    const stock = model.view!.item_warehouse_stock!;
    assert.equal(stock.sql_table_name, undefined);
    assert.match(stock.derived_table!.sql!, /ROW_NUMBER\(\) OVER \(PARTITION BY k\."item_code", k\."warehouse_code" ORDER BY k\."_airbyte_extracted_at" DESC\)/);
    assert.match(model.view!.inventory_age_layers!.derived_table!.sql!, /b1_copy_rank = 1/);
    assert.match(model.datagroup!.sap_b1_sync!.sql_trigger!, /FROM "sap_b1"\."item_warehouse_stock"/, 'the trigger reads the stored table');
  });

  it('allocates split rules from the distribution_rule_lines stream when there is one, else from the rules JSON column, else takes rules as direct', async () => {
    const withoutRuleLines = discoverCatalog();
    withoutRuleLines.streams = withoutRuleLines.streams.filter((stream) => stream.name !== 'distribution_rule_lines');
    const fromColumn = (await generated('postgres', withoutRuleLines)).model.view!.profit_and_loss_lines!.derived_table!.sql!;
    assert.match(fromColumn, /CROSS JOIN LATERAL jsonb_array_elements\(r\."distribution_rule_lines"\) AS rl/);
    assert.match(fromColumn, /SUM\(l\.total_in_center\) OVER \(PARTITION BY l\.factor_code, l\.effective_from, l\.effective_to\)/, 'a share is over the lines of its rule version');
    const fromStream = (await generated('postgres', discoverCatalog())).model.view!.profit_and_loss_lines!.derived_table!.sql!;
    assert.match(fromStream, /FROM "sap_b1"\."distribution_rule_lines" AS rl/);
    assert.doesNotMatch(fromStream, /jsonb_array_elements/);
    const { project, model } = await generated('postgres', withoutColumns(withoutRuleLines, 'distribution_rules', ['distribution_rule_lines']));
    assert.doesNotMatch(model.view!.profit_and_loss_lines!.derived_table!.sql!, /a1\.share/);
    assert.match(project.notes.join('\n'), /every distribution rule is taken as direct/);
  });

  it('converts payments in a foreign currency at their rate, and ages with what they cleared', async () => {
    const { model } = await generated('snowflake');
    const totals = model.view!.incoming_payment_totals!.derived_table!.sql!;
    assert.match(totals, /CASE WHEN p\."LOCAL_CURRENCY" = FALSE AND p\."DOC_RATE" > 0 THEN ROUND\(pp\.posted_fc \* p\."DOC_RATE", 2\) ELSE pp\.posted END/);
    assert.match(totals, /COALESCE\(pp\.posted, .*\) AS cleared_amount/);
    assert.match(model.view!.incoming_payments!.measure!.cash_paid!.sql!, /ROUND\(\$\{TABLE\}\."CASH_SUM" \* \$\{TABLE\}\."DOC_RATE", 2\)/);
    assert.match(model.view!.receivable_movements!.derived_table!.sql!, /-\(t\.cleared_amount - COALESCE\(a\.applied, 0\)\)/);
  });

  it('reconciles a credit note with the invoice it is based on, from its PaidToDate less what payments applied to it', async () => {
    const { model } = await generated('postgres');
    const sql = model.view!.receivable_movements!.derived_table!.sql!;
    assert.equal(sql.split(`'reconciliation' AS movement_kind`).length - 1, 2, 'onto the credit note and off the invoice');
    assert.match(sql, /\(COALESCE\(c\."paid_to_date", 0\) - COALESCE\(pa\.applied, 0\)\) \* b\.based_total \/ NULLIF\(t\.lines_total, 0\)/);
    assert.match(sql, /"base_type" = 13/);
    assert.doesNotMatch(model.view!.payable_movements!.derived_table!.sql!, /'reconciliation'/);
  });

  it("the command joins lines by the stream table's relations, so a delivery posts its cost of goods in the margin, and models the config's custom entity sets", async () => {
    const out = await mkdtemp(join(tmpdir(), 'sap-b1-lookml-'));
    try {
      const quotations = { entity_set: 'Quotations', primary_key: 'DocEntry', cursor_date_property: 'UpdateDate', line_collection: 'DocumentLines', line_key: 'LineNum' };
      const config = jsonFile('config', {
        service_layer_url: 'http://127.0.0.1:9/b1s/v2/',
        credentials: { auth_type: 'session_login', company_db: 'SBO_FOODCO', username: 'manager', password: 'not-used-here' },
        custom_entity_sets: [quotations],
      });
      const catalog = everyStreamCatalog();
      const custom = [
        ['quotations', ['doc_entry']],
        ['quotations_lines', ['doc_entry', 'line_num']],
      ].map(([name, key]) => ({
        stream: {
          name,
          json_schema: { type: 'object', properties: Object.fromEntries((key as string[]).map((column) => [column, { type: ['null', 'integer'] }])) },
          supported_sync_modes: ['full_refresh'],
          source_defined_primary_key: (key as string[]).map((column) => [column]),
        },
        sync_mode: 'full_refresh',
        destination_sync_mode: 'overwrite',
      }));
      const configured = jsonFile('catalog', { ...catalog, streams: [...catalog.streams, ...custom] });
      await new Promise<void>((resolve, reject) =>
        execFile(
          process.execPath,
          [connectorEntrypoint, 'generate-lookml', '--config', config, '--catalog', configured, '--out', out, '--dialect', 'postgres', '--connection', 'wh', '--schema', 'sap_b1'],
          { timeout: 60_000 },
          (error, _stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve()),
        ),
      );
      const margin = await readFile(join(out, 'sap_business_one', 'views', 'sales_margin_lines.view.lkml'), 'utf8');
      assert.match(margin, /'delivery_note' AS document_kind/);
      assert.match(margin, /"delivery_note_lines" AS l/);
      const views = await readdir(join(out, 'sap_business_one', 'views'));
      for (const name of ['quotations', 'quotations_lines']) assert.ok(views.includes(`${name}.view.lkml`), name);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
