/**
 * Issue 14: the generated manifest against the Service Layer simulator. generate-manifest is run
 * as a user runs it (reading the company's $metadata, user-defined fields included); the manifest
 * is then read by the test interpreter of the declarative engine (test/helpers/declarative), and
 * what it emits is compared with what the connector's own discover and read emit on the same
 * simulated company: stream names, primary keys, cursors, columns, and every value of every record.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import yaml from 'js-yaml';
import { jsonFile, records } from '../../test/helpers/connector.js';
import { connectorEntrypoint } from '../../test/helpers/paths.js';
import { DeclarativeTestEngine } from '../../test/helpers/declarative/engine.js';
import { resolveReferences } from '../../test/helpers/declarative/references.js';
import { manifestValidator, skipWithoutSchema } from '../../test/manifest/reference.js';
import { configFor, configuredCatalog, discover, read, startSimulator, type ServiceLayerSimulator, type Session } from '../acceptance/fixture.js';

/** Columns whose values differ between the image and the manifest by design: the hashes (other hash functions; their relation is tested separately). */
const VOLATILE = ['_b1_record_hash', '_b1_parent_record_hash'];

/** Streams the simulated company has no records for: its A/P invoices that bring goods (the importers') carry no batch items. */
const EMPTY_IN_SIMULATOR = ['purchase_invoices_batch_numbers'];

function keyOf(record: Record<string, unknown>, key: string[][]): string {
  return key.map((path) => JSON.stringify(record[path[0]!])).join('|');
}

function withoutVolatile(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).filter(([column]) => !VOLATILE.includes(column)));
}

/** Runs generate-manifest as a user does; asynchronously, because the simulator answers from this process. */
async function generate(configPath: string, outDir: string, secrets: string[]): Promise<Record<string, unknown>> {
  const child = spawn(process.execPath, [connectorEntrypoint, 'generate-manifest', '--config', configPath, '--out', outDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  assert.equal(code, 0, output);
  assert.doesNotMatch(output, /Could not read the Service Layer's \$metadata/, output);
  const text = readFileSync(join(outDir, 'manifest.yaml'), 'utf8');
  for (const secret of secrets) assert.ok(!output.includes(secret) && !text.includes(secret), 'no secret in the output or the manifest');
  return yaml.load(text) as Record<string, unknown>;
}

describe('the generated manifest on the Service Layer simulator', () => {
  let sim: ServiceLayerSimulator;
  let session: Session;
  let manifest: Record<string, unknown>;
  let engine: DeclarativeTestEngine;
  let outDir: string;

  before(async () => {
    // A fifth of the demo company: every stream has records, and the whole comparison stays quick.
    sim = await startSimulator({ scale: 0.2 });
    const udt = sim.entitySets.find((name) => name.startsWith('U_'));
    assert.ok(udt, 'the simulator serves a user-defined table');
    // A configured entity set with a change date but no change time, and lines.
    const orders = { entity_set: 'PurchaseOrders', stream_name: 'orders_by_date', primary_key: 'DocEntry', cursor_date_property: 'UpdateDate', line_collection: 'DocumentLines', line_key: 'LineNum' };
    const config = configFor(sim, { custom_entity_sets: [{ entity_set: udt, primary_key: 'Code' }, orders] });
    const configPath = jsonFile('config', config);
    const secrets = [sim.password];
    session = { sim, config, configPath, secrets, streams: await discover(configPath, secrets) };
    outDir = mkdtempSync(join(tmpdir(), 'sap-b1-manifest-'));
    manifest = resolveReferences(await generate(configPath, outDir, secrets));
    engine = new DeclarativeTestEngine(manifest, { config, now: () => new Date(`${sim.clock.now()}Z`) });
  });

  after(async () => {
    await sim?.stop();
    if (outDir) rmSync(outDir, { recursive: true, force: true });
  });

  test('validates against the official declarative component schema', { skip: skipWithoutSchema() }, () => {
    const validate = manifestValidator();
    assert.ok(validate(manifest), JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  });

  test("offers discover's streams, primary keys, cursors and columns, user-defined fields included", () => {
    const streams = manifest['streams'] as { name: string; primary_key: string | string[]; incremental_sync?: { cursor_field: string }; schema_loader: { schema: { properties: object } } }[];
    assert.deepEqual(
      streams.map((s) => s.name),
      session.streams.map((s) => s.name),
    );
    for (const offered of session.streams) {
      const stream = streams.find((s) => s.name === offered.name)!;
      const key = typeof stream.primary_key === 'string' ? [[stream.primary_key]] : stream.primary_key.map((field) => [field]);
      assert.deepEqual(key, offered.source_defined_primary_key, offered.name);
      assert.deepEqual(stream.incremental_sync ? [stream.incremental_sync.cursor_field] : undefined, offered.supported_sync_modes.includes('incremental') ? offered.default_cursor_field : undefined, offered.name);
      assert.deepEqual(Object.keys(stream.schema_loader.schema.properties), Object.keys(offered.json_schema.properties), offered.name);
    }
    const partners = streams.find((s) => s.name === 'business_partners')!;
    assert.ok('u_region' in partners.schema_loader.schema.properties, 'the company user-defined field U_Region is a column');
  });

  test("emits the connector's records, value for value, in every stream", async () => {
    const run = await read(session, configuredCatalog(session.streams, 'full_refresh'));
    assert.equal(run.code, 0, run.stderr);
    const byStream = new Map<string, Map<string, Record<string, unknown>>>();
    for (const offered of session.streams) {
      const expected = new Map(records(run, offered.name).map((record) => [keyOf(record, offered.source_defined_primary_key!), record]));
      const result = await engine.readStream(offered.name);
      const actual = new Map(result.records.map((record) => [keyOf(record, offered.source_defined_primary_key!), record]));
      if (EMPTY_IN_SIMULATOR.includes(offered.name)) assert.equal(expected.size, 0, `${offered.name} is empty in the simulated company`);
      else assert.ok(expected.size > 0, `${offered.name}: the connector read records`);
      assert.equal(actual.size, result.records.length, `${offered.name}: no key twice`);
      assert.deepEqual([...actual.keys()].sort(), [...expected.keys()].sort(), `${offered.name}: the same keys`);
      for (const [key, record] of expected) {
        assert.deepEqual(withoutVolatile(actual.get(key)!), withoutVolatile(record), `${offered.name} ${key}`);
      }
      byStream.set(offered.name, actual);
    }
    // A line is current when its parent hash is its parent's record hash (LookML's current-rows join).
    for (const [parent, child, parentKey, childKey] of [
      ['invoices', 'invoice_lines', 'doc_entry', 'doc_entry'],
      ['journal_entries', 'journal_entry_lines', 'jdt_num', 'jdt_num'],
      ['items', 'item_warehouse_stock', 'item_code', 'item_code'],
      ['orders_by_date', 'orders_by_date_lines', 'doc_entry', 'doc_entry'],
      ['stock_transfers', 'stock_transfers_batch_numbers', 'doc_entry', 'doc_entry'],
      ['distribution_rules', 'distribution_rule_lines', 'factor_code', 'factor_code'],
    ] as const) {
      const headers = new Map([...byStream.get(parent)!.values()].map((record) => [record[parentKey], record['_b1_record_hash']]));
      for (const line of byStream.get(child)!.values()) {
        assert.equal(line['_b1_parent_record_hash'], headers.get(line[childKey]), `${child} of ${String(line[childKey])}`);
      }
    }
  });

  test('follows the next links of both dialects to the last page, one login per stream', async () => {
    for (const dialect of ['v2', 'v1'] as const) {
      const url = `${sim.baseUrl.replace(/\/b1s\/v[12]$/, '')}/b1s/${dialect}/`;
      const small = new DeclarativeTestEngine(manifest, { config: { ...session.config, service_layer_url: url, page_size: 7 }, now: () => new Date(`${sim.clock.now()}Z`) });
      const result = await small.readStream('warehouses');
      const stock = await small.readStream('item_warehouse_stock');
      assert.equal(result.records.length, sim.count('Warehouses'), dialect);
      assert.equal(new Set(stock.records.map((r) => `${String(r['item_code'])}|${String(r['warehouse_code'])}`)).size, stock.records.length, dialect);
      const items = sim.count('Items');
      assert.equal(new Set(stock.records.map((r) => r['item_code'])).size, items, dialect);
      assert.equal(stock.urls.length, Math.ceil(items / 7) + (items % 7 === 0 ? 1 : 0), `${dialect}: one request per page of items`);
      assert.match(stock.urls[1]!, new RegExp(`/b1s/${dialect}/Items\\?.*\\$skip=7`), dialect);
      // The link is followed as it is: each query option once.
      for (const option of ['select', 'orderby']) assert.equal(stock.urls[1]!.split(`${option}=`).length, 2, `${dialect} ${option}`);
      assert.equal(stock.logins, 1);
    }
  });

  test('change stamps: the next sync re-reads from the day of the latest change, less the lookback', async () => {
    const first = await engine.readStream('invoices');
    const state = first.state as { updated_at: string };
    const latest = first.records.map((r) => String(r['updated_at'])).sort().at(-1)!;
    assert.equal(state.updated_at, latest.slice(0, 10));

    const oldInvoice = sim.keys.keyAt('Invoices', 3)!;
    sim.mutations.apply({ kind: 'update', entitySet: 'Invoices', key: oldInvoice, changes: { Comments: 'changed after the first sync' } });
    const second = await engine.readStream('invoices', state);
    const dayBefore = new Date(Date.parse(`${state.updated_at}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
    assert.match(decodeURIComponent(second.urls[0]!.replaceAll('+', ' ')), new RegExp(`\\$filter=UpdateDate ge '${dayBefore}'`));
    const changed = second.records.find((r) => r['doc_entry'] === oldInvoice);
    assert.equal(changed?.['comments'], 'changed after the first sync');
    assert.ok(second.records.length < first.records.length, 'the second sync reads only what changed recently');
    const lines = await engine.readStream('invoice_lines', { parent_updated_at: state.updated_at });
    assert.ok(lines.records.some((r) => r['doc_entry'] === oldInvoice), "the changed invoice's lines are read again");
  });

  test('journal entries and payments: new keys and the re-read window', async () => {
    const first = await engine.readStream('incoming_payments');
    const state = first.state as { doc_entry: number };
    assert.equal(state.doc_entry, Math.max(...first.records.map((r) => Number(r['doc_entry']))));

    const inWindow = sim.keys.paymentPostedDaysAgo('IncomingPayments', 5)!;
    const outsideWindow = sim.keys.paymentPostedDaysAgo('IncomingPayments', 200)!;
    sim.mutations.apply({ kind: 'cancel_payment', entitySet: 'IncomingPayments', key: inWindow });
    sim.mutations.apply({ kind: 'cancel_payment', entitySet: 'IncomingPayments', key: outsideWindow });
    const inserted = sim.mutations.apply({ kind: 'insert', entitySet: 'IncomingPayments' }).key;

    const second = await engine.readStream('incoming_payments', state);
    const byKey = new Map(second.records.map((r) => [r['doc_entry'], r]));
    assert.ok(byKey.has(inserted), 'a new payment is read');
    assert.equal(byKey.get(inWindow)?.['cancelled'], true, 'a cancellation within the window is read');
    assert.equal(byKey.has(outsideWindow), false, 'a change older than the window is not (as in the image)');
    assert.equal((second.state as { doc_entry: number }).doc_entry, inserted);
  });
});
