import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConnectorError } from '../../src/errors.js';
import { DIALECTS, type DialectName } from '../../src/looker/lookml/dialect.js';
import { generateLookml, generateLookmlProject, writeLookmlProject, SYNC_DATAGROUP } from '../../src/looker/lookml/index.js';
import { configuredCatalog, discoverCatalog, withoutColumns } from './catalogs.js';
import { fieldNames, parseProject, referenceProblems, type ParsedModel } from './parsed-project.js';

const DERIVED_VIEWS = ['sales_margin_lines', 'purchase_lines', 'inventory_age_layers'];
const EXPLORES = ['sales_margin', 'purchasing', 'general_ledger', 'incoming_cash', 'outgoing_cash', 'inventory'];

async function generated(dialect: DialectName, catalog = discoverCatalog(), schema = 'sap_b1') {
  const project = generateLookmlProject({ catalog, dialect, connection: 'warehouse', schema });
  const { model } = await parseProject(project.files);
  return { project, model };
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
      it('writes a model and one view per stream and derived table, all parseable and reference-consistent', async () => {
        const { project, model } = await generated(dialect);
        assert.deepEqual([...project.files.keys()].sort(), ['sap_business_one.model.lkml', ...[...streams, ...DERIVED_VIEWS].map((v) => `views/${v}.view.lkml`)].sort());
        assert.deepEqual(project.notes, []);
        assert.equal(model.connection, 'warehouse');
        assert.deepEqual(Object.keys(model.view ?? {}).sort(), [...streams, ...DERIVED_VIEWS].sort());
        assert.deepEqual(Object.keys(model.explore ?? {}).sort(), [...EXPLORES].sort());
        assertConsistent(model);
      });

      it('gives every view a primary key, compound keys concatenated', async () => {
        const { model } = await generated(dialect);
        for (const [name, view] of Object.entries(model.view ?? {})) {
          const keys = Object.values(view.dimension ?? {}).filter((d) => d.primary_key);
          assert.equal(keys.length, 1, name);
        }
        const invoices = model.view!.invoices!;
        assert.equal(invoices.dimension!.doc_entry!.primary_key, true);
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

      it('shows user-defined fields of the catalog as dimensions, and uses U_Region as the margin region', async () => {
        const { model } = await generated(dialect);
        const region = model.view!.business_partners!.dimension!.u_region!;
        assert.equal(region.type, 'string');
        assert.match(region.sql!, dialect === 'snowflake' ? /"U_REGION"/ : dialect === 'bigquery' ? /`u_region`/ : /"u_region"/);
        assert.ok(model.view!.invoice_lines!.dimension!.u_promo_code);
        assert.ok(model.view!.invoices!.dimension!.u_channel);
        assert.equal(model.view!.sales_margin_lines!.dimension!.region!.sql!.trim(), '${customer.u_region}');
      });

      it('joins the margin explore to document, customer, item, item group, warehouse, cost centers and revenue account', async () => {
        const { model } = await generated(dialect);
        const explore = model.explore!.sales_margin!;
        assert.equal(explore.view_name, 'sales_margin_lines');
        assert.deepEqual(Object.keys(explore.join!), [
          'invoice',
          'invoice_line',
          'credit_note',
          'credit_note_line',
          'customer',
          'item',
          'item_group',
          'warehouse',
          'cost_center_1',
          'cost_center_2',
          'revenue_account',
        ]);
        for (const [name, join] of Object.entries(explore.join!)) {
          assert.equal(join.relationship, name.endsWith('_line') ? 'one_to_one' : 'many_to_one', name);
        }
        const margin = model.view!.sales_margin_lines!;
        for (const m of ['revenue', 'cost_of_goods', 'gross_margin', 'gross_margin_pct', 'quantity', 'document_count', 'invoice_count', 'credit_note_count']) {
          assert.ok(margin.measure![m], m);
        }
        assert.equal(margin.measure!.gross_margin_pct!.value_format_name, 'percent_1');
        assert.equal(margin.measure!.revenue!.value_format_name, 'decimal_2');
        assert.equal(margin.measure!.document_count!.type, 'count_distinct');
      });

      it('keeps only current lines of documents that count in the derived tables', async () => {
        const { model } = await generated(dialect);
        const sql = model.view!.sales_margin_lines!.derived_table!.sql!;
        const hash = dialect === 'snowflake' ? ['"_B1_RECORD_HASH"', '"_B1_PARENT_RECORD_HASH"'] : dialect === 'bigquery' ? ['`_b1_record_hash`', '`_b1_parent_record_hash`'] : ['"_b1_record_hash"', '"_b1_parent_record_hash"'];
        assert.equal(sql.split(`h.${hash[0]} = l.${hash[1]}`).length - 1, 2, 'both union branches join on the parent hash');
        assert.equal(sql.split('UNION ALL').length, 2);
        assert.match(sql, /NOT COALESCE\(h\.\S+, FALSE\)/);
        assert.match(sql, /<> 'csCancellation'/);
        assert.match(sql, /-\(l\.\S+\) AS line_revenue/, 'credit notes negated');
        assert.match(model.view!.purchase_lines!.derived_table!.sql!, /purchase_order_lines/i);
        const inventory = model.view!.inventory_age_layers!.derived_table!.sql!;
        assert.match(inventory, /ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW/);
        assert.ok(model.explore!.general_ledger!.always_join!.includes('journal_entry'));
      });

      it('has a sync datagroup over every table, persisted with', async () => {
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
    const files = generateLookml({ catalog: configuredCatalog(catalog), dialect: 'postgres', connection: 'warehouse', schema: 'sap_b1' });
    const { model } = await parseProject(files);
    assert.deepEqual(Object.keys(model.explore ?? {}).sort(), [...EXPLORES].sort());
    assertConsistent(model);
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
      assert.equal(model.view!.sales_margin_lines!.derived_table!.sql!.split('UNION ALL').length, 1, 'invoice lines only');
      const modelFile = project.files.get('sap_business_one.model.lkml')!;
      assert.match(modelFile, /# Left out or reduced for this catalog:/);
      assert.match(modelFile, /# - explore sales_margin: join customer is left out because the catalog lacks the business_partners stream\./);
      assert.match(modelFile, /# - explore sales_margin: without credit notes, margins are not netted of returns\./);
      assert.match(modelFile, /# - explore inventory: without goods receipts and their lines, stock has no age/);
      assert.match(modelFile, /item_warehouse_stock: the catalog lacks _b1_parent_record_hash/);
      assert.ok(!project.files.has('views/items.view.lkml'));
    }
  });

  it('falls back to the cost center code when neither U_Region nor cost centers are there', async () => {
    const catalog = withoutColumns(discoverCatalog(), 'business_partners', ['u_region']);
    catalog.streams = catalog.streams.filter((s) => s.name !== 'cost_centers');
    const { model } = await generated('postgres', catalog);
    assertConsistent(model);
    assert.equal(model.view!.sales_margin_lines!.dimension!.region!.sql!.trim(), '${TABLE}.costing_code');
  });

  it('counts what it cannot filter, and says so, when columns are deselected', async () => {
    let catalog = withoutColumns(discoverCatalog(), 'invoices', ['cancelled', 'cancel_status']);
    catalog = withoutColumns(catalog, 'invoice_lines', ['_b1_parent_record_hash', 'parent_updated_at', 'costing_code']);
    const { project, model } = await generated('snowflake', catalog);
    assertConsistent(model);
    const sql = model.view!.sales_margin_lines!.derived_table!.sql!;
    const invoiceBranch = sql.split('UNION ALL')[0]!;
    assert.ok(!invoiceBranch.includes('_B1_RECORD_HASH') && !invoiceBranch.includes('WHERE'), invoiceBranch);
    assert.match(invoiceBranch, /CAST\(NULL AS VARCHAR\) AS costing_code/);
    assert.match(project.notes.join('\n'), /invoices: the catalog lacks the cancelled column/);
    assert.match(project.notes.join('\n'), /invoice_lines: the catalog lacks _b1_parent_record_hash/);
  });

  it('leaves out the margin explore when no sales document streams are selected', async () => {
    const catalog = discoverCatalog();
    catalog.streams = catalog.streams.filter((s) => ['gl_accounts', 'cost_centers'].includes(s.name));
    for (const dialect of DIALECTS) {
      const { project, model } = await generated(dialect, catalog);
      assertConsistent(model);
      assert.deepEqual(Object.keys(model.explore ?? {}), []);
      assert.deepEqual(Object.keys(model.view ?? {}).sort(), ['cost_centers', 'gl_accounts']);
      assert.match(project.notes.join('\n'), /explore sales_margin is left out/);
      assert.match(project.notes.join('\n'), /explore general_ledger is left out/);
    }
  });
});

describe('the project checker', () => {
  it('reports broken references, missing keys and parse errors', async () => {
    const files = generateLookml({ catalog: discoverCatalog(), dialect: 'postgres', connection: 'warehouse', schema: 'sap_b1' });
    const broken = new Map(files);
    const modelPath = 'sap_business_one.model.lkml';
    broken.set(modelPath, files.get(modelPath)!.replace('${customer.card_code} =', '${customer.card_cod} ='));
    broken.set('views/warehouses.view.lkml', files.get('views/warehouses.view.lkml')!.replace('primary_key: yes', 'primary_key: no'));
    broken.delete('views/item_groups.view.lkml');
    const { model } = await parseProject(broken);
    const problems = referenceProblems(model);
    assert.ok(problems.some((p) => p.includes('business_partners has no field card_cod')), problems.join('\n'));
    assert.ok(problems.includes('view warehouses: 0 primary keys'), problems.join('\n'));
    assert.ok(problems.some((p) => p.includes('missing view item_groups')), problems.join('\n'));
    const unparseable = new Map(files).set('views/invoices.view.lkml', files.get('views/invoices.view.lkml')!.slice(0, -3));
    await assert.rejects(parseProject(unparseable), /LookML parse errors/);
  });
});

describe('generate-lookml input errors', () => {
  const base = { catalog: discoverCatalog(), connection: 'warehouse', schema: 'sap_b1' } as const;
  const configError = (error: unknown) => error instanceof ConnectorError && error.failureType === 'config_error';

  it('rejects an unknown dialect, an unsafe schema or connection, and a stream without key', () => {
    assert.throws(() => generateLookml({ ...base, dialect: 'mysql' as DialectName }), configError);
    assert.throws(() => generateLookml({ ...base, dialect: 'postgres', schema: 'sap"; DROP' }), configError);
    assert.throws(() => generateLookml({ ...base, dialect: 'postgres', schema: 'db.schema' }), configError);
    assert.throws(() => generateLookml({ ...base, dialect: 'postgres', connection: '' }), configError);
    assert.throws(() => generateLookml({ ...base, dialect: 'postgres', modelName: 'Bad Name' }), configError);
    const keyless = discoverCatalog();
    delete keyless.streams[0]!.source_defined_primary_key;
    assert.throws(() => generateLookml({ ...base, catalog: keyless, dialect: 'postgres' }), (e) => configError(e) && /no primary key/.test((e as Error).message));
  });
});

describe('writeLookmlProject', () => {
  it('writes the files, replaces what it generated before and leaves other files alone', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lookml-'));
    try {
      await mkdir(join(dir, 'views'));
      await writeFile(join(dir, 'views', 'my_own.view.lkml'), 'view: my_own { sql_table_name: x ;; }\n');
      const full = generateLookml({ catalog: discoverCatalog(), dialect: 'postgres', connection: 'warehouse', schema: 'sap_b1' });
      await writeLookmlProject(full, dir);
      assert.ok((await readdir(join(dir, 'views'))).includes('journal_entries.view.lkml'));
      const reduced = discoverCatalog();
      reduced.streams = reduced.streams.filter((s) => !s.name.startsWith('journal_'));
      const files = generateLookml({ catalog: reduced, dialect: 'postgres', connection: 'warehouse', schema: 'sap_b1' });
      await writeLookmlProject(files, dir);
      const views = await readdir(join(dir, 'views'));
      assert.ok(!views.includes('journal_entries.view.lkml'), 'stale generated view removed');
      assert.ok(views.includes('my_own.view.lkml'), 'user file kept');
      assert.equal(await readFile(join(dir, 'sap_business_one.model.lkml'), 'utf8'), files.get('sap_business_one.model.lkml'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
