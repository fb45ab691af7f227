import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ValueNormalizer } from '../../src/streams/normalize.js';
import type { RecordChange } from '../../src/protocol/messages.js';

const date = { type: ['null', 'string'], format: 'date' };
const time = { type: ['null', 'string'], format: 'time', airbyte_type: 'time_without_timezone' };
const bool = { type: ['null', 'boolean'] };
const int = { type: ['null', 'integer'] };
const num = { type: ['null', 'number'] };
const str = { type: ['null', 'string'] };

const values = new ValueNormalizer();
const normalizeValue = values.value.bind(values);
const setColumn = values.setColumn.bind(values);
const combineDateTime = values.dateTime.bind(values);

test('dates become ISO dates in both dialects', () => {
  assert.deepEqual(normalizeValue('2024-01-15T00:00:00Z', date), { ok: true, value: '2024-01-15' });
  assert.deepEqual(normalizeValue('2024-01-15', date), { ok: true, value: '2024-01-15' });
  assert.deepEqual(normalizeValue('20240115', date), { ok: true, value: '2024-01-15' });
  assert.deepEqual(normalizeValue('2024-02-30', date), { ok: false });
  assert.deepEqual(normalizeValue('yesterday', date), { ok: false });
  assert.deepEqual(normalizeValue(null, date), { ok: true, value: null });
});

test('times, booleans and numbers are typed', () => {
  assert.deepEqual(normalizeValue('13:14:45', time), { ok: true, value: '13:14:45' });
  assert.deepEqual(normalizeValue('09:05', time), { ok: true, value: '09:05:00' });
  assert.deepEqual(normalizeValue('25:00:00', time), { ok: false });
  assert.deepEqual(normalizeValue('tYES', bool), { ok: true, value: true });
  assert.deepEqual(normalizeValue('tNO', bool), { ok: true, value: false });
  assert.deepEqual(normalizeValue('Y', bool), { ok: false });
  assert.deepEqual(normalizeValue(12, int), { ok: true, value: 12 });
  assert.deepEqual(normalizeValue('12', int), { ok: true, value: 12 });
  assert.deepEqual(normalizeValue(1.5, int), { ok: false });
  assert.deepEqual(normalizeValue(1234.56, num), { ok: true, value: 1234.56 });
  assert.deepEqual(normalizeValue('abc', num), { ok: false });
  assert.deepEqual(normalizeValue(7, str), { ok: true, value: '7' });
  assert.deepEqual(normalizeValue({ a: 1 }, str), { ok: false });
});

test('an untypable value is nulled and reported, never dropped silently', () => {
  const data: Record<string, unknown> = {};
  const changes: RecordChange[] = [];
  setColumn(data, changes, 'doc_date', 'not a date', date);
  setColumn(data, changes, 'doc_total', 10.5, num);
  assert.deepEqual(data, { doc_date: null, doc_total: 10.5 });
  assert.deepEqual(changes, [{ field: 'doc_date', change: 'NULLED', reason: 'SOURCE_SERIALIZATION_ERROR' }]);
});

test('updated_at combines the change date and time in local time', () => {
  assert.equal(combineDateTime('2024-01-15T00:00:00Z', '13:14:45'), '2024-01-15T13:14:45');
  assert.equal(combineDateTime('2024-01-15', null), '2024-01-15T00:00:00');
  assert.equal(combineDateTime(null, '10:00:00'), null);
});

test('nested collection columns get snake_case keys and typed values', () => {
  const schema = {
    type: ['null', 'array'],
    items: {
      type: 'object',
      properties: {
        center_code: { type: ['null', 'string'], 'x-b1-property': 'CenterCode' },
        effective_from: { ...date, 'x-b1-property': 'EffectiveFrom' },
      },
    },
  };
  assert.deepEqual(normalizeValue([{ CenterCode: 'NORTH', EffectiveFrom: '2024-01-01T00:00:00Z', Other: 1 }], schema), {
    ok: true,
    value: [{ center_code: 'NORTH', effective_from: '2024-01-01' }],
  });
});

test('each normalizer keeps its own dates: one read shares nothing with another', () => {
  const first = new ValueNormalizer();
  const second = new ValueNormalizer();
  assert.equal(first.date('2024-01-15T00:00:00Z'), '2024-01-15');
  assert.equal(first.date('2024-02-30'), undefined);
  // The second read computes the same answers from nothing remembered by the first.
  assert.equal(second.date('2024-02-30'), undefined);
  assert.equal(second.date('20240115'), '2024-01-15');
  assert.equal(first.date(20240115), undefined, 'only text is a date');
});
