/**
 * Acceptance tests in the spirit of Airbyte's connector acceptance suite, run against the built
 * connector (node dist/main.js) and the bundled Service Layer simulator: spec, check, discover,
 * basic read, two full-refresh reads, two incremental reads, future state and resume.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { jsonFile, lastStates, runConnector, traces } from '../../test/helpers/connector.js';
import { repoRoot } from '../../test/helpers/paths.js';
import { CONCURRENCIES, configuredCatalog, latestByKey, openSession, read, streamNames, truthUpdatedAt, type Session } from './fixture.js';
import { recordValidators } from './record-validator.js';

const fixtures = join(repoRoot, 'integration_tests');
const readFixture = (name: string): unknown => JSON.parse(readFileSync(join(fixtures, name), 'utf8'));

/** Every shipped stream and the entity set behind it, with each child's collection (a path for rows of a collection in each line). */
const document = (entitySet: string, lines: string, batches?: string) => ({
  entitySet,
  key: 'DocEntry',
  children: { [lines]: 'DocumentLines', ...(batches ? { [batches]: 'DocumentLines/BatchNumbers' } : {}) },
});
const PARENTS: Record<string, { entitySet: string; key: string; children: Record<string, string> }> = {
  invoices: document('Invoices', 'invoice_lines', 'invoices_batch_numbers'),
  credit_notes: document('CreditNotes', 'credit_note_lines', 'credit_notes_batch_numbers'),
  purchase_invoices: document('PurchaseInvoices', 'purchase_invoice_lines', 'purchase_invoices_batch_numbers'),
  purchase_orders: document('PurchaseOrders', 'purchase_order_lines'),
  goods_receipts: document('PurchaseDeliveryNotes', 'goods_receipt_lines', 'goods_receipts_batch_numbers'),
  orders: document('Orders', 'order_lines'),
  delivery_notes: document('DeliveryNotes', 'delivery_note_lines', 'delivery_notes_batch_numbers'),
  returns: document('Returns', 'return_lines', 'returns_batch_numbers'),
  purchase_returns: document('PurchaseReturns', 'purchase_return_lines', 'purchase_returns_batch_numbers'),
  inventory_gen_entries: document('InventoryGenEntries', 'inventory_gen_entry_lines', 'inventory_gen_entries_batch_numbers'),
  inventory_gen_exits: document('InventoryGenExits', 'inventory_gen_exit_lines', 'inventory_gen_exits_batch_numbers'),
  stock_transfers: {
    entitySet: 'StockTransfers',
    key: 'DocEntry',
    children: { stock_transfer_lines: 'StockTransferLines', stock_transfers_batch_numbers: 'StockTransferLines/BatchNumbers' },
  },
  journal_entries: { entitySet: 'JournalEntries', key: 'JdtNum', children: { journal_entry_lines: 'JournalEntryLines' } },
  incoming_payments: { entitySet: 'IncomingPayments', key: 'DocEntry', children: { incoming_payment_invoices: 'PaymentInvoices' } },
  outgoing_payments: { entitySet: 'VendorPayments', key: 'DocEntry', children: { outgoing_payment_invoices: 'PaymentInvoices' } },
  items: { entitySet: 'Items', key: 'ItemCode', children: { item_warehouse_stock: 'ItemWarehouseInfoCollection' } },
  business_partners: { entitySet: 'BusinessPartners', key: 'CardCode', children: {} },
  gl_accounts: { entitySet: 'ChartOfAccounts', key: 'Code', children: {} },
  cost_centers: { entitySet: 'ProfitCenters', key: 'CenterCode', children: {} },
  dimensions: { entitySet: 'Dimensions', key: 'DimensionCode', children: {} },
  distribution_rules: { entitySet: 'DistributionRules', key: 'FactorCode', children: { distribution_rule_lines: 'DistributionRuleLines' } },
  warehouses: { entitySet: 'Warehouses', key: 'WarehouseCode', children: {} },
  item_groups: { entitySet: 'ItemGroups', key: 'Number', children: {} },
  batch_number_details: { entitySet: 'BatchNumberDetails', key: 'DocEntry', children: {} },
  financial_years: { entitySet: 'FinancialYears', key: 'AbsEntry', children: {} },
};

/** The rows at a collection path of a ground-truth record (DocumentLines, or DocumentLines/BatchNumbers). */
function rowsAt(record: Record<string, unknown>, path: string): unknown[] {
  return path.split('/').reduce<unknown[]>((rows, step) => rows.flatMap((row) => ((row as Record<string, unknown>)[step] as unknown[] | null) ?? []), [record]);
}

function expectedCounts(session: Session): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [stream, parent] of Object.entries(PARENTS)) {
    counts.set(stream, session.sim.count(parent.entitySet));
    for (const [child, collection] of Object.entries(parent.children)) {
      let rows = 0;
      for (const record of session.sim.groundTruth(parent.entitySet, [collection])) rows += rowsAt(record, collection).length;
      counts.set(child, rows);
    }
  }
  return counts;
}

function recordCounts(run: Awaited<ReturnType<typeof read>>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const message of run.messages) {
    if (message.type !== 'RECORD') continue;
    const stream = (message.record as { stream: string }).stream;
    counts.set(stream, (counts.get(stream) ?? 0) + 1);
  }
  return counts;
}

describe('acceptance against the v2 simulator', () => {
  let session: Session;
  before(async () => {
    session = await openSession();
  });
  after(async () => {
    await session?.sim.stop();
  });

  test('spec: one SPEC message whose form follows Airbyte conventions and accepts the sample config', async () => {
    const run = await runConnector(['spec']);
    assert.equal(run.code, 0);
    assert.deepEqual(
      run.messages.map((m) => m.type),
      ['SPEC'],
    );
    const spec = (run.messages[0]!.spec as { connectionSpecification: Record<string, unknown> }).connectionSpecification;
    const text = JSON.stringify(spec);
    for (const forbidden of ['"anyOf"', '"allOf"', '"not"']) assert.ok(!text.includes(forbidden), `spec uses ${forbidden}`);
    const properties = spec.properties as Record<string, Record<string, unknown>>;
    for (const [name, property] of Object.entries(properties)) {
      assert.ok(property.title, `${name} has no title`);
      assert.ok(property.description || property.oneOf, `${name} has no description`);
      assert.equal(typeof property.order, 'number', `${name} has no order`);
    }
    for (const secret of ['"password"', '"client_secret"']) {
      const matches = text.split(secret).length - 1;
      assert.ok(matches >= 1);
    }
    const walk = (node: unknown, path: string): void => {
      if (typeof node !== 'object' || node === null) return;
      const record = node as Record<string, unknown>;
      const props = record.properties as Record<string, Record<string, unknown>> | undefined;
      for (const [name, child] of Object.entries(props ?? {})) {
        if (/password$|secret$|token$/.test(name)) assert.equal(child.airbyte_secret, true, `${path}.${name} is not marked airbyte_secret`);
        walk(child, `${path}.${name}`);
      }
      for (const branch of (record.oneOf as unknown[]) ?? []) walk(branch, path);
      if (record.items) walk(record.items, `${path}[]`);
    };
    walk(spec, 'config');
    const ajv = new Ajv({ strict: false, validateFormats: false });
    const validate = ajv.compile(spec);
    assert.ok(validate(readFixture('sample_config.json')), JSON.stringify(validate.errors));
    assert.ok(!validate(readFixture('invalid_config.json')));
  });

  test('check: SUCCEEDED with a good config; FAILED, exit 0, for bad credentials, unreachable host or invalid config', async () => {
    const good = await runConnector(['check', '--config', session.configPath], { secrets: session.secrets });
    assert.equal(good.code, 0);
    assert.deepEqual(
      good.messages.filter((m) => m.type === 'CONNECTION_STATUS').map((m) => (m.connectionStatus as { status: string }).status),
      ['SUCCEEDED'],
    );
    const wrongPassword = 'not-the-password-' + 'x'.repeat(6);
    const cases: [Record<string, unknown>, RegExp][] = [
      [
        { ...session.config, credentials: { ...(session.config.credentials as object), password: wrongPassword } },
        /company_db|username|password|Login/i,
      ],
      [{ ...session.config, service_layer_url: 'http://127.0.0.1:9/b1s/v2/' }, /127\.0\.0\.1:9|connect|reach|refused/i],
      [{ ...session.config, page_size: 'many' }, /page_size/],
    ];
    for (const [config, message] of cases) {
      const run = await runConnector(['check', '--config', jsonFile('config', config)], { secrets: [...session.secrets, wrongPassword] });
      assert.equal(run.code, 0, run.stderr);
      const statuses = run.messages.filter((m) => m.type === 'CONNECTION_STATUS');
      assert.equal(statuses.length, 1);
      const status = statuses[0]!.connectionStatus as { status: string; message: string };
      assert.equal(status.status, 'FAILED');
      assert.match(status.message, message);
    }
  });

  test('read rejects a state or catalog it cannot use with a config_error that says what is wrong', async () => {
    const catalog = jsonFile('catalog', configuredCatalog(session.streams, 'incremental', ['invoices']));
    const cases: [string[], RegExp][] = [
      [
        ['--catalog', catalog, '--state', jsonFile('state', { invoices: { since: 'last tuesday' } })],
        /state of stream invoices.*since must be a date/,
      ],
      [['--catalog', catalog, '--state', jsonFile('state', [{ type: 'GLOBAL', global: {} }])], /stream_states/],
      [['--catalog', jsonFile('catalog', { streams: [{ stream: { name: 'invoices' }, sync_mode: 'sometimes' }] })], /sync_mode/],
      [['--catalog', '/nonexistent/catalog.json'], /--catalog file .* does not exist/],
      // A state this connector did not write is an error, never a silent full re-read.
      [
        ['--catalog', catalog, '--state', jsonFile('state', { invoices: { updated_at: '2026-01-01T00:00:00' } })],
        /state of stream invoices is not understood: "updated_at" is not part of this connector's state\. Expected \{"since": "YYYY-MM-DD"\}/,
      ],
      [['--catalog', catalog, '--state', jsonFile('state', { invoices: { max_key: 1200 } })], /state of stream invoices .*max_key belongs to journal entries/],
      [
        [
          '--catalog',
          jsonFile('catalog', {
            streams: [{ stream: { name: 'invoicez', json_schema: {}, supported_sync_modes: ['full_refresh'] }, sync_mode: 'full_refresh', destination_sync_mode: 'overwrite' }],
          }),
        ],
        /^Stream "invoicez" is not offered by the connector/,
      ],
    ];
    for (const [args, message] of cases) {
      const run = await runConnector(['read', '--config', session.configPath, ...args], { secrets: session.secrets });
      assert.equal(run.code, 1);
      const errors = traces(run, 'ERROR').map((t) => t.error as { failure_type: string; message: string });
      assert.equal(errors.length, 1, run.stdout);
      assert.equal(errors[0]!.failure_type, 'config_error');
      assert.match(errors[0]!.message, message);
      assert.equal(run.messages.filter((m) => m.type === 'RECORD').length, 0);
    }
  });

  test('discover: every shipped stream, with keys, cursors and valid JSON schemas, plus user-defined fields', () => {
    const names = session.streams.map((s) => s.name);
    for (const [parent, { children }] of Object.entries(PARENTS)) {
      assert.ok(names.includes(parent), parent);
      for (const child of Object.keys(children)) assert.ok(names.includes(child), child);
    }
    // Formats are Airbyte's annotations here; the records test checks values against them.
    const ajv = new Ajv({ strict: false, validateFormats: false });
    for (const stream of session.streams) {
      ajv.compile(stream.json_schema);
      for (const path of stream.source_defined_primary_key ?? []) assert.ok(stream.json_schema.properties[path[0]!], `${stream.name} key ${path[0]}`);
      for (const column of stream.default_cursor_field ?? []) assert.ok(stream.json_schema.properties[column], `${stream.name} cursor ${column}`);
      for (const audit of ['_b1_company_db', '_b1_source_url', '_b1_record_hash']) {
        assert.ok(stream.json_schema.properties[audit], `${stream.name} lacks ${audit}`);
      }
      // Airbyte's own _airbyte_extracted_at and _airbyte_meta.sync_id say when and in which sync.
      for (const duplicate of ['_b1_sync_id', '_b1_extracted_at']) assert.equal(stream.json_schema.properties[duplicate], undefined, `${stream.name} has ${duplicate}`);
      // Airbyte's acceptance suite (TestDiscovery.test_additional_properties_is_true).
      const additional = JSON.stringify(stream.json_schema).match(/"additionalProperties":[^,}]+/g) ?? [];
      assert.ok(additional.every((entry) => entry === '"additionalProperties":true'), `${stream.name}: ${additional.join(' ')}`);
    }
    const byName = new Map(session.streams.map((s) => [s.name, s]));
    assert.ok(byName.get('business_partners')!.json_schema.properties.u_region, 'U_Region of business partners');
    assert.ok(byName.get('invoices')!.json_schema.properties.u_channel, 'U_Channel of documents');
    assert.deepEqual(byName.get('invoice_lines')!.source_defined_primary_key, [['doc_entry'], ['line_num']]);
    assert.deepEqual(byName.get('journal_entry_lines')!.source_defined_primary_key, [['jdt_num'], ['line_id']]);
    assert.deepEqual(byName.get('item_warehouse_stock')!.source_defined_primary_key, [['item_code'], ['warehouse_code']]);
    // Issue 11's keys, a contract.
    for (const [parent, { children }] of Object.entries(PARENTS)) {
      if (!children[`${parent}_batch_numbers`]) continue;
      assert.deepEqual(byName.get(`${parent}_batch_numbers`)!.source_defined_primary_key, [['doc_entry'], ['base_line_number'], ['batch_number_property']], parent);
    }
    for (const lines of ['order_lines', 'delivery_note_lines', 'return_lines', 'purchase_return_lines', 'inventory_gen_entry_lines', 'inventory_gen_exit_lines', 'stock_transfer_lines']) {
      assert.deepEqual(byName.get(lines)!.source_defined_primary_key, [['doc_entry'], ['line_num']], lines);
    }
    assert.deepEqual(byName.get('batch_number_details')!.source_defined_primary_key, [['doc_entry']]);
    assert.deepEqual(byName.get('distribution_rule_lines')!.source_defined_primary_key, [['factor_code'], ['center_code'], ['effective_from']]);
    assert.deepEqual(byName.get('financial_years')!.source_defined_primary_key, [['code']]);
    assert.ok(byName.get('financial_years')!.json_schema.properties.abs_entry, "the entity's own key stays a column");
    assert.deepEqual(byName.get('stock_transfers')!.default_cursor_field, ['updated_at'], 'a stock transfer is incremental on its day stamp');
    assert.deepEqual(byName.get('stock_transfers_batch_numbers')!.default_cursor_field, ['parent_updated_at']);
  });
});

for (const concurrency of CONCURRENCIES) {
  describe(`reads against the v2 simulator, concurrency ${concurrency}`, () => {
    let session: Session;
    before(async () => {
      session = await openSession({}, { concurrency });
    });
    after(async () => {
      await session?.sim.stop();
    });

    test('basic read: every record valid and every record of the company delivered, with statuses, estimates and checkpoints', async () => {
      const loginsBefore = session.sim.stats.logins;
      const run = await read(session, configuredCatalog(session.streams));
      assert.equal(run.code, 0, run.stderr);
      const validators = recordValidators(session.streams);
      for (const message of run.messages) {
        if (message.type !== 'RECORD') continue;
        const record = message.record as { stream: string; data: Record<string, unknown>; meta?: unknown };
        const validate = validators.get(record.stream)!;
        assert.ok(validate(record.data), `${record.stream}: ${JSON.stringify(validate.errors?.slice(0, 2))}`);
        assert.equal(record.meta, undefined, `${record.stream} record had to null values: ${JSON.stringify(record.meta)}`);
      }
      assert.deepEqual(Object.fromEntries(recordCounts(run)), Object.fromEntries([...expectedCounts(session)].filter(([, n]) => n > 0)));

      for (const stream of session.streams.map((s) => s.name)) {
        const statuses = traces(run, 'STREAM_STATUS')
          .map((t) => t.stream_status as { stream_descriptor: { name: string }; status: string })
          .filter((s) => s.stream_descriptor.name === stream)
          .map((s) => s.status);
        assert.deepEqual(statuses, ['STARTED', 'RUNNING', 'COMPLETE'], stream);
      }
      // Each stream's checkpoints count exactly the records emitted before them.
      const sinceLastState = new Map<string, number>();
      for (const message of run.messages) {
        if (message.type === 'RECORD') {
          const stream = (message.record as { stream: string }).stream;
          sinceLastState.set(stream, (sinceLastState.get(stream) ?? 0) + 1);
        } else if (message.type === 'STATE') {
          const state = message.state as { type: string; stream: { stream_descriptor: { name: string } }; sourceStats: { recordCount: number } };
          assert.equal(state.type, 'STREAM');
          const stream = state.stream.stream_descriptor.name;
          assert.equal(state.sourceStats.recordCount, sinceLastState.get(stream) ?? 0, stream);
          sinceLastState.set(stream, 0);
        }
      }
      for (const [stream, pending] of sinceLastState) assert.equal(pending, 0, `${stream} has records after its last checkpoint`);
      const estimates = new Map(
        traces(run, 'ESTIMATE').map((t) => [(t.estimate as { name: string }).name, (t.estimate as { row_estimate: number }).row_estimate]),
      );
      assert.equal(estimates.get('invoices'), session.sim.count('Invoices'));
      // Several pages per large stream means checkpoints during the stream, not only at its end.
      assert.ok(run.messages.filter((m) => m.type === 'STATE' && JSON.stringify(m).includes('"invoices"')).length > 3);
      // One session per concurrent read for the whole read: the catalog has more entity sets than sessions.
      assert.equal(session.sim.stats.logins - loginsBefore, concurrency, 'one login per session for the whole read');
      const perSession = session.sim.stats.requestsPerSession.slice(-concurrency);
      assert.ok(perSession.every((requests) => requests > 1), `every session of the read read pages: ${JSON.stringify(perSession)}`);
      assert.equal(session.sim.stats.activeSessions, 0, 'the read logged out');
    });

    test('two full-refresh reads deliver the same records', async () => {
      const catalog = configuredCatalog(session.streams, 'full_refresh', ['invoices', 'invoice_lines', 'items', 'gl_accounts']);
      // Nothing differs between two reads of unchanged books: no field needs an excuse.
      const strip = (run: Awaited<ReturnType<typeof read>>): string[] =>
        run.messages
          .filter((m) => m.type === 'RECORD')
          .map((m) => JSON.stringify([(m.record as { stream: string }).stream, (m.record as { data: Record<string, unknown> }).data]))
          .sort();
      const first = await read(session, catalog);
      const second = await read(session, catalog);
      assert.equal(first.code, 0);
      assert.equal(second.code, 0);
      assert.deepEqual(strip(second), strip(first));
    });

    test("two incremental reads: the second starts from the first one's state and the union holds every record", async () => {
      const catalog = configuredCatalog(session.streams, 'incremental', ['invoices', 'invoice_lines', 'journal_entries', 'incoming_payments']);
      const first = await read(session, catalog);
      assert.equal(first.code, 0);
      const second = await read(session, catalog, lastStates(first));
      assert.equal(second.code, 0);
      const firstCount = first.messages.filter((m) => m.type === 'RECORD').length;
      const secondCount = second.messages.filter((m) => m.type === 'RECORD').length;
      assert.ok(secondCount < firstCount / 4, `the second read re-read too much: ${secondCount} of ${firstCount}`);
      const invoices = latestByKey([first, second], 'invoices', ['doc_entry']);
      for (const truth of session.sim.groundTruth('Invoices')) {
        const emitted = invoices.get(String(truth.DocEntry));
        assert.ok(emitted, `invoice ${truth.DocEntry} missing`);
        assert.equal(emitted.updated_at, truthUpdatedAt(truth));
      }
    });

    test('an incremental read from a future state emits nothing and ends cleanly', async () => {
      const catalog = configuredCatalog(session.streams, 'incremental', ['invoices', 'invoice_lines', 'credit_notes', 'journal_entries']);
      const run = await read(session, catalog, readFixture('abnormal_state.json'));
      assert.equal(run.code, 0, run.stderr);
      assert.equal(run.messages.filter((m) => m.type === 'RECORD').length, 0);
      assert.deepEqual([...streamNames(run, 'STATE')].sort(), ['credit_notes', 'invoice_lines', 'invoices', 'journal_entries']);
    });

    test('a read stopped mid-stream and resumed from its last checkpoint loses nothing', async () => {
      const catalog = configuredCatalog(session.streams, 'incremental', ['invoices', 'invoice_lines', 'journal_entries', 'journal_entry_lines']);
      let statesSeen = 0;
      const stopped = await read(session, catalog, undefined, {
        stopWhen: (stdout) => {
          statesSeen = stdout.split('"type":"STATE"').length - 1;
          return statesSeen >= 6;
        },
      });
      assert.notEqual(stopped.code, 0, 'the stopped read should not report success');
      const resumedFrom = lastStates(stopped);
      assert.ok(JSON.stringify(resumedFrom).includes('"after_key"'), 'a mid-stream checkpoint carries the key reached');
      const resumed = await read(session, catalog, resumedFrom);
      assert.equal(resumed.code, 0, resumed.stderr);
      for (const [stream, keys, entitySet, key] of [
        ['invoices', ['doc_entry'], 'Invoices', 'DocEntry'],
        ['journal_entries', ['jdt_num'], 'JournalEntries', 'JdtNum'],
      ] as const) {
        const union = latestByKey([stopped, resumed], stream, [...keys]);
        assert.equal(union.size, session.sim.count(entitySet), stream);
        for (const truth of session.sim.groundTruth(entitySet)) assert.ok(union.has(String(truth[key])), `${stream} ${truth[key]}`);
      }
      const lines = latestByKey([stopped, resumed], 'invoice_lines', ['doc_entry', 'line_num']);
      assert.equal(lines.size, expectedCounts(session).get('invoice_lines'));
    });

    test('a read of stock documents resumed from any of its checkpoints loses nothing: headers, lines and batch allocations', async () => {
      const streams = ['stock_transfers', 'stock_transfer_lines', 'stock_transfers_batch_numbers', 'inventory_gen_exits', 'inventory_gen_exit_lines', 'inventory_gen_exits_batch_numbers'];
      const keys: Record<string, string[]> = {
        stock_transfers: ['doc_entry'],
        inventory_gen_exits: ['doc_entry'],
        stock_transfer_lines: ['doc_entry', 'line_num'],
        inventory_gen_exit_lines: ['doc_entry', 'line_num'],
        stock_transfers_batch_numbers: ['doc_entry', 'base_line_number', 'batch_number_property'],
        inventory_gen_exits_batch_numbers: ['doc_entry', 'base_line_number', 'batch_number_property'],
      };
      const catalog = configuredCatalog(session.streams, 'incremental', streams);
      const whole = await read(session, catalog);
      assert.equal(whole.code, 0, whole.stderr);
      const expected = expectedCounts(session);
      for (const stream of streams) assert.equal(latestByKey([whole], stream, keys[stream]!).size, expected.get(stream), stream);
      const checkpoints = whole.messages.flatMap((m, index) => (m.type === 'STATE' && JSON.stringify(m).includes('"after_key"') ? [index] : []));
      assert.ok(checkpoints.length >= 2 * 9, `several checkpoints per stream: ${checkpoints.length}`);
      // A stop right after any checkpoint: what was emitted up to it, then a read from the states saved so far.
      for (const at of checkpoints) {
        const before = { ...whole, messages: whole.messages.slice(0, at + 1) };
        const resumed = await read(session, catalog, lastStates(before));
        assert.equal(resumed.code, 0, resumed.stderr);
        for (const stream of streams) assert.equal(latestByKey([before, resumed], stream, keys[stream]!).size, expected.get(stream), `${stream}, resumed after message ${at}`);
      }
    });
  });
}
