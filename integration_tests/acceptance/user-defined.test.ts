/**
 * Issue 5: the company's user-defined fields and tables, and column selection.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonFile, lastStates } from '../../test/helpers/connector.js';
import { configuredCatalog, discover, latestByKey, openSession, read, type AirbyteStreamLike, type Session } from './fixture.js';

describe('user-defined fields, tables and column selection', () => {
  let session: Session;
  let streams: AirbyteStreamLike[];
  let configPath: string;
  before(async () => {
    session = await openSession();
    const udt = session.sim.entitySets.find((name) => name.startsWith('U_'));
    assert.ok(udt, 'the simulator serves a user-defined table');
    const config = {
      ...session.config,
      custom_entity_sets: [
        { entity_set: udt, primary_key: 'Code' },
        {
          // A standard entity set the connector does not ship goes the same way (DeliveryNotes and
          // Orders on a real server; the simulator serves the purchase side, so one of those stands in).
          entity_set: 'PurchaseDeliveryNotes',
          stream_name: 'receipts_by_config',
          primary_key: 'DocEntry',
          cursor_date_property: 'UpdateDate',
          cursor_time_property: 'UpdateTime',
          line_collection: 'DocumentLines',
          line_key: 'LineNum',
        },
        {
          // An entity without a change stamp, declared like the shipped payments: new keys plus a posting-date window.
          entity_set: 'VendorPayments',
          stream_name: 'payments_by_config',
          primary_key: 'DocEntry',
          cursor_policy: 'key_and_posting_window',
          posting_date_property: 'DocDate',
          line_collection: 'PaymentInvoices',
          line_key: 'LineNum',
        },
      ],
    };
    configPath = jsonFile('config', config);
    streams = await discover(configPath, session.secrets);
  });
  after(async () => {
    await session?.sim.stop();
  });

  test('discover adds user-defined fields to headers, lines and partners, and the configured entity sets as streams', () => {
    const byName = new Map(streams.map((s) => [s.name, s]));
    assert.equal(byName.get('business_partners')!.json_schema.properties.u_region?.['x-b1-property'], 'U_Region');
    assert.ok(byName.get('invoices')!.json_schema.properties.u_channel);
    const udtStream = streams.find((s) => s.name.startsWith('u_'));
    assert.ok(udtStream, 'the user-defined table is a stream');
    assert.deepEqual(udtStream.source_defined_primary_key, [['code']]);
    assert.ok(Object.keys(udtStream.json_schema.properties).some((column) => column.startsWith('u_')));
    const configured = byName.get('receipts_by_config');
    assert.ok(configured, 'a standard entity set added by config');
    assert.ok(byName.get('receipts_by_config_lines'));
    assert.deepEqual(configured.supported_sync_modes, ['full_refresh', 'incremental']);
    assert.deepEqual(configured.default_cursor_field, ['updated_at']);
    // Its columns come from $metadata: all scalar properties of the Document type.
    assert.ok(Object.keys(configured.json_schema.properties).length > 200);
    assert.equal(configured.json_schema.properties.u_channel?.['x-b1-property'], 'U_Channel');
  });

  test('read delivers user-defined values, and $select asks only for the selected columns', async () => {
    const udtStream = streams.find((s) => s.name.startsWith('u_'))!;
    const partners = streams.find((s) => s.name === 'business_partners')!;
    const keep = new Set(['card_code', 'card_name', 'u_region', 'updated_at', '_b1_record_hash']);
    const narrowPartners = {
      ...partners,
      json_schema: {
        ...partners.json_schema,
        properties: Object.fromEntries(Object.entries(partners.json_schema.properties).filter(([column]) => keep.has(column))),
      },
    };
    const catalog = configuredCatalog([narrowPartners, udtStream, ...streams.filter((s) => s.name.startsWith('receipts_by_config'))]);
    const logStart = session.sim.requestLog.length;
    const run = await read({ ...session, configPath }, catalog);
    assert.equal(run.code, 0, run.stderr);
    const emitted = latestByKey([run], 'business_partners', ['card_code']);
    for (const truth of session.sim.groundTruth('BusinessPartners')) {
      const record = emitted.get(String(truth.CardCode))!;
      assert.equal(record.u_region, truth.U_Region ?? null);
      assert.deepEqual(Object.keys(record).sort(), [...keep].sort());
    }
    assert.equal(latestByKey([run], udtStream.name, ['code']).size, session.sim.count(session.sim.entitySets.find((n) => n.startsWith('U_'))!));
    assert.equal(latestByKey([run], 'receipts_by_config', ['doc_entry']).size, session.sim.count('PurchaseDeliveryNotes'));
    assert.ok(latestByKey([run], 'receipts_by_config_lines', ['doc_entry', 'line_num']).size > session.sim.count('PurchaseDeliveryNotes'));
    const partnerRequests = session.sim.requestLog.slice(logStart).filter((entry) => entry.path.startsWith('/b1s/v2/BusinessPartners?'));
    assert.ok(partnerRequests.length > 0);
    for (const entry of partnerRequests) {
      const select = new URL(entry.path, 'http://x').searchParams.get('$select')!.split(',').sort();
      assert.deepEqual(select, ['CardCode', 'CardName', 'U_Region', 'UpdateDate', 'UpdateTime'].sort());
    }
  });

  test('a configured entity set with a key and posting-date window reads and saves what the shipped payments stream does', async () => {
    const byName = new Map(streams.map((s) => [s.name, s]));
    assert.deepEqual(byName.get('payments_by_config')!.default_cursor_field, ['doc_entry']);
    assert.deepEqual(byName.get('payments_by_config_lines')!.default_cursor_field, ['doc_entry']);
    const names = ['outgoing_payments', 'outgoing_payment_invoices', 'payments_by_config', 'payments_by_config_lines'];
    const catalog = configuredCatalog(streams, 'incremental', names);
    const first = await read({ ...session, configPath }, catalog);
    assert.equal(first.code, 0, first.stderr);
    const finalStates = new Map(
      lastStates(first).map((entry) => {
        const stream = (entry as { stream: { stream_descriptor: { name: string }; stream_state: unknown } }).stream;
        return [stream.stream_descriptor.name, stream.stream_state];
      }),
    );
    assert.ok((finalStates.get('outgoing_payments') as { max_key?: number }).max_key! > 0);
    assert.deepEqual(finalStates.get('payments_by_config'), finalStates.get('outgoing_payments'));
    assert.deepEqual(finalStates.get('payments_by_config_lines'), finalStates.get('outgoing_payment_invoices'));
    assert.deepEqual(
      [...latestByKey([first], 'payments_by_config', ['doc_entry']).keys()].sort(),
      [...latestByKey([first], 'outgoing_payments', ['doc_entry']).keys()].sort(),
    );

    // The next sync reads, for both, the new keys and the payments posted in the re-read window.
    const logStart = session.sim.requestLog.length;
    const second = await read({ ...session, configPath }, catalog, lastStates(first));
    assert.equal(second.code, 0, second.stderr);
    const filters = session.sim.requestLog
      .slice(logStart)
      .filter((entry) => entry.path.startsWith('/b1s/v2/VendorPayments?'))
      .map((entry) => new URL(entry.path, 'http://x').searchParams.get('$filter'));
    const maxKey = (finalStates.get('outgoing_payments') as { max_key: number }).max_key;
    assert.ok(filters.length >= 2, 'a pass for each stream group');
    for (const filter of filters) assert.ok(filter?.startsWith(`(DocEntry gt ${maxKey} or DocDate ge '`), filter ?? 'no $filter');
    assert.deepEqual(
      [...latestByKey([second], 'payments_by_config', ['doc_entry']).keys()].sort(),
      [...latestByKey([second], 'outgoing_payments', ['doc_entry']).keys()].sort(),
    );
  });
});
