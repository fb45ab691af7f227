/**
 * Issue 5: the company's user-defined fields and tables, and column selection.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonFile } from '../../test/helpers/connector.js';
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
});
