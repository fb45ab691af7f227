/**
 * custom_entity_sets declares any cursor policy: a change date, a key plus a posting-date window,
 * or none; configs written before cursor_policy existed keep their meaning.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/config/load.js';
import { ConnectorError } from '../../src/errors.js';
import { SecretRedactor, silentLogger } from '../../src/logging.js';
import { pageFilter } from '../../src/streams/cursor/pass.js';
import { offeredStreams, streamDefinitions } from '../../src/streams/offered.js';

const base = {
  service_layer_url: 'https://b1:50000/b1s/v2/',
  credentials: { auth_type: 'session_login', company_db: 'SBO', username: 'manager', password: 'custom-entity-sets-test' },
};

const configWith = (...entries: Record<string, unknown>[]) => parseConfig({ ...base, custom_entity_sets: entries }, new SecretRedactor());
const offered = (...entries: Record<string, unknown>[]) => offeredStreams(configWith(...entries), undefined, silentLogger);

test('an entry written before cursor_policy keeps its meaning: a change date makes it incremental on updated_at, none a full refresh', () => {
  const streams = offered(
    {
      entity_set: 'Quotations',
      primary_key: 'DocEntry',
      cursor_date_property: 'UpdateDate',
      cursor_time_property: 'UpdateTime',
      line_collection: 'DocumentLines',
      line_key: 'LineNum',
    },
    { entity_set: 'U_FD_PROMOS', primary_key: 'Code' },
  );
  const quotations = streams.get('quotations')!;
  assert.equal(quotations.policy.kind, 'change_stamp');
  assert.deepEqual(quotations.stream.default_cursor_field, ['updated_at']);
  assert.deepEqual(streams.get('quotations_lines')!.stream.default_cursor_field, ['parent_updated_at']);
  assert.equal(quotations.policy.boundFilter({ changedSince: '2026-11-20' }), "UpdateDate ge '2026-11-20'");
  const promos = streams.get('u_fd_promos')!;
  assert.equal(promos.policy.kind, 'none');
  assert.deepEqual(promos.stream.supported_sync_modes, ['full_refresh']);
});

test('a key plus a posting-date window, declared or implied by a posting date property', () => {
  const declared = {
    entity_set: 'VendorPayments',
    stream_name: 'payments_out',
    primary_key: 'DocEntry',
    cursor_policy: 'key_and_posting_window',
    posting_date_property: 'DocDate',
    line_collection: 'PaymentInvoices',
    line_key: 'LineNum',
  };
  for (const entry of [declared, { ...declared, cursor_policy: undefined }]) {
    const streams = offered(entry);
    const payments = streams.get('payments_out')!;
    assert.equal(payments.policy.kind, 'key_and_posting_window');
    assert.deepEqual(payments.stream.supported_sync_modes, ['full_refresh', 'incremental']);
    assert.deepEqual(payments.stream.default_cursor_field, ['doc_entry']);
    assert.deepEqual(streams.get('payments_out_lines')!.stream.default_cursor_field, ['doc_entry']);
    assert.equal(
      pageFilter(payments.policy, 'DocEntry', { keyAbove: 17, postedSince: '2026-09-25' }, 20),
      "(DocEntry gt 17 or DocDate ge '2026-09-25') and DocEntry gt 20",
    );
    assert.match(payments.policy.manifest.filter()!, /DocEntry gt .* or DocDate ge/);
  }
});

test('cursor_policy none keeps the change date as the updated_at column of a full refresh', () => {
  const [definition] = streamDefinitions(
    configWith({ entity_set: 'Items2', primary_key: 'ItemCode', cursor_policy: 'none', cursor_date_property: 'UpdateDate' }),
  ).slice(-1);
  assert.deepEqual(definition!.cursor, { kind: 'none' });
  assert.deepEqual(definition!.changeStamp, { dateProperty: 'UpdateDate' });
  const stream = offered({ entity_set: 'Items2', primary_key: 'ItemCode', cursor_policy: 'none', cursor_date_property: 'UpdateDate' }).get(
    'items2',
  )!.stream;
  assert.deepEqual(stream.supported_sync_modes, ['full_refresh']);
  assert.ok((stream.json_schema as { properties: Record<string, unknown> }).properties['updated_at']);
});

test('a policy without the property it needs, or an unknown policy, is a config_error naming the setting', () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [
      { entity_set: 'Quotations', primary_key: 'DocEntry', cursor_policy: 'change_stamp' },
      /custom_entity_sets\[0\] \(Quotations\): cursor_policy change_stamp needs cursor_date_property/,
    ],
    [
      { entity_set: 'VendorPayments', primary_key: 'DocEntry', cursor_policy: 'key_and_posting_window', cursor_date_property: 'UpdateDate' },
      /custom_entity_sets\[0\] \(VendorPayments\): cursor_policy key_and_posting_window needs posting_date_property/,
    ],
    [
      { entity_set: 'Quotations', primary_key: 'DocEntry', cursor_policy: 'by_magic' },
      /custom_entity_sets\.0\.cursor_policy must be equal to one of the allowed values/,
    ],
  ];
  for (const [entry, message] of cases) {
    assert.throws(
      () => streamDefinitions(configWith(entry)),
      (error: unknown) => error instanceof ConnectorError && error.failureType === 'config_error' && message.test(error.message),
      JSON.stringify(entry),
    );
  }
});
