/**
 * The shaper builds each stream's records with a builder compiled from its columns: the columns in
 * catalog order as own properties whatever they are named, and a value that cannot be typed nulled
 * with its change recorded, as the column-by-column path does.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValueNormalizer } from '../../src/streams/normalize.js';
import { EntityHashes, RecordShaper, type ColumnPlan, type PageContext } from '../../src/streams/records.js';
import type { StreamDefinition } from '../../src/streams/definitions.js';

const definition = { key: 'DocEntry', changeStamp: { dateProperty: 'UpdateDate', timeProperty: 'UpdateTime' } } as unknown as StreamDefinition;
const page: PageContext = { companyDb: 'SBODEMO', sourceUrlOf: (key) => `https://b1/b1s/v2/Orders(${String(key)})` };
const column = (name: string, property: string, type: string, format?: string): ColumnPlan => ({
  column: name,
  source: { kind: 'sap', property },
  schema: { type: ['null', type], ...(format ? { format } : {}) },
});
const columns: ColumnPlan[] = [
  column('doc_entry', 'DocEntry', 'integer'),
  column('doc_date', 'DocDate', 'string', 'date'),
  column('__proto__', 'Odd', 'string'),
  column('cancelled', 'Cancelled', 'boolean'),
  { column: 'updated_at', source: { kind: 'updated_at' }, schema: { type: ['null', 'string'] } },
  { column: '_b1_company_db', source: { kind: 'audit', name: '_b1_company_db' }, schema: { type: ['null', 'string'] } },
  { column: '_b1_source_url', source: { kind: 'audit', name: '_b1_source_url' }, schema: { type: ['null', 'string'] } },
  { column: '_b1_record_hash', source: { kind: 'audit', name: '_b1_record_hash' }, schema: { type: ['null', 'string'] } },
];
const shaper = new RecordShaper(definition, undefined, columns, new ValueNormalizer());

function shape(entity: Record<string, unknown>) {
  const bytes = Buffer.from(JSON.stringify(entity));
  return { ...shaper.parentRecord(entity, new EntityHashes(bytes, []), page), hash: new EntityHashes(bytes, []).entity };
}

test('a record has its columns in catalog order, typed, with its stamp and audit columns', () => {
  const { data, changes, hash } = shape({ DocEntry: 7, DocDate: '2026-11-02T00:00:00Z', Odd: 'x', Cancelled: 'tNO', UpdateDate: '2026-11-03T00:00:00Z', UpdateTime: '10:11:12' });
  assert.deepEqual(Object.keys(data), columns.map((plan) => plan.column));
  assert.equal(Object.getPrototypeOf(data), Object.prototype, 'a column named __proto__ is a column, not the prototype');
  assert.equal(
    JSON.stringify(data),
    JSON.stringify({
      doc_entry: 7,
      doc_date: '2026-11-02',
      ['__proto__']: 'x',
      cancelled: false,
      updated_at: '2026-11-03T10:11:12',
      _b1_company_db: 'SBODEMO',
      _b1_source_url: 'https://b1/b1s/v2/Orders(7)',
      _b1_record_hash: hash,
    }),
  );
  assert.deepEqual(changes, []);
});

test('a value that cannot be typed is nulled and reported; the other columns are typed as usual', () => {
  const { data, changes } = shape({ DocEntry: 8, DocDate: '2026-02-30', Odd: null, Cancelled: 'maybe', UpdateDate: null });
  assert.deepEqual(Object.keys(data), columns.map((plan) => plan.column));
  assert.equal(data.doc_entry, 8);
  assert.equal(data.doc_date, null);
  assert.equal(data.cancelled, null);
  assert.equal(Object.getPrototypeOf(data), Object.prototype);
  assert.equal(data.updated_at, null);
  assert.deepEqual(
    changes.map((change) => change.field),
    ['doc_date', 'cancelled'],
  );
  assert.ok(changes.every((change) => change.change === 'NULLED' && change.reason === 'SOURCE_SERIALIZATION_ERROR'));
});
