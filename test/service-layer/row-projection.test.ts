/**
 * The rows of a collection parsed with only the properties the streams read: the scanner marks the
 * runs of properties to keep, and the text written from them (streams/record-json.ts) parses, by
 * JSON.parse, to each row's kept properties with the values the whole row has, whatever the chunking
 * and the spacing of the JSON; a row is kept whole when that cannot be told for sure.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CollectionScanner, type ScannedRecord } from '../../src/service-layer/collection-scanner.js';
import { KeySet, RowProjection } from '../../src/service-layer/row-projection.js';
import { recordText, rowsText } from '../../src/streams/record-json.js';

type Entity = Record<string, unknown>;

const KEPT = ['ItemCode', 'Quantity', 'LineTotal', 'BatchNumbers', 'LineNum'];
const projection = (): RowProjection => new RowProjection(new Map([['DocumentLines', KEPT]]));

/** The records of a body fed in the given pieces, each with its bytes. */
function scan(body: Buffer, cuts: number[]): { record: ScannedRecord; bytes: Buffer }[] {
  const scanner = new CollectionScanner(projection());
  const records: ScannedRecord[] = [];
  let from = 0;
  for (const cut of [...cuts, body.length]) {
    records.push(...scanner.write(body.subarray(from, cut)));
    from = cut;
  }
  scanner.end();
  return records.map((record) => ({ record, bytes: body.subarray(record.start, record.end) }));
}

/** The entities as the engine parses them: from the scanner's runs. */
function parsedAsProjected(body: Buffer, cuts: number[]): Entity[] {
  return scan(body, cuts).map(({ record, bytes }) => JSON.parse(recordText(bytes, record.collections, new Set())) as Entity);
}

function line(number: number, extra: Entity = {}): Entity {
  return {
    LineNum: number,
    ItemCode: `I-${number}`,
    ItemDescription: 'Olive oil "extra virgin" \\ 5 l, café',
    Quantity: 12.5,
    Price: 3,
    Currency: null,
    LineTotal: 37.5,
    Flags: ['a', 'b'],
    Nested: { Quantity: 99, Inner: [{ ItemCode: 'not a line property' }] },
    BatchNumbers: number % 2 === 0 ? [{ BatchNumber: `B${number}`, Quantity: 1 }] : [],
    WarehouseCode: 'MW01',
    ...extra,
  };
}

const documents: Entity[] = [
  { DocEntry: 1, Comments: 'two lines', DocumentLines: [line(0), line(1)], DocumentAdditionalExpenses: [{ ExpenseCode: 1, LineTotal: 5 }] },
  { DocEntry: 2, DocumentLines: [line(0, { ItemCode: 'X:"Y"', Quantity: -0.5e-3 })] },
  { DocEntry: 3, DocumentLines: [] },
];

/** JSON written the way the Service Layer writes it: tabs, a line per property, " : " between key and value. */
function serviceLayerJson(value: unknown, indent = ''): string {
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `\n${indent}[\n${value.map((item) => `${indent}\t${serviceLayerJson(item, `${indent}\t`)}`).join(',\n')}\n${indent}]`;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).map(([key, item]) => `${indent}\t${JSON.stringify(key)} : ${serviceLayerJson(item, `${indent}\t`)}`);
    return `{\n${entries.join(',\n')}\n${indent}}`;
  }
  return JSON.stringify(value);
}

/** Each document with only the kept properties of its lines, in the order the lines have them. */
function expectedProjection(entities: Entity[]): Entity[] {
  return entities.map((entity) => ({
    ...entity,
    DocumentLines: (entity.DocumentLines as Entity[]).map((row) => Object.fromEntries(Object.entries(row).filter(([key]) => KEPT.includes(key)))),
  }));
}

/** What holds at any chunking: each line has the kept properties with their values, and nothing that is not in the whole line. */
function assertProjectedWithin(parsed: Entity[], entities: Entity[], message: string): void {
  assert.equal(parsed.length, entities.length, message);
  parsed.forEach((entity, index) => {
    const whole = entities[index]!;
    const { DocumentLines: lines, ...header } = entity;
    const { DocumentLines: wholeLines, ...wholeHeader } = whole;
    assert.deepEqual(header, wholeHeader, message);
    (lines as Entity[]).forEach((row, rowIndex) => {
      const wholeRow = (wholeLines as Entity[])[rowIndex]!;
      for (const key of KEPT) assert.deepEqual(row[key], wholeRow[key], `${message}: ${key} of line ${rowIndex} of document ${index}`);
      for (const [key, value] of Object.entries(row)) assert.deepEqual(value, wholeRow[key], `${message}: ${key} of line ${rowIndex} of document ${index}`);
    });
  });
}

for (const [style, write] of [
  ['the Service Layer', (value: unknown) => serviceLayerJson(value)],
  ['compact JSON', (value: unknown) => JSON.stringify(value)],
] as const) {
  test(`lines written as ${style} are parsed with only their kept properties`, () => {
    const body = Buffer.from(write({ '@odata.context': 'x', value: documents }), 'utf8');
    assert.deepEqual(parsedAsProjected(body, []), expectedProjection(documents));
  });

  test(`lines written as ${style} keep their kept properties wherever the answer is cut in two`, () => {
    const body = Buffer.from(write({ value: documents }), 'utf8');
    for (let cut = 1; cut < body.length; cut++) assertProjectedWithin(parsedAsProjected(body, [cut]), documents, `cut at ${cut}`);
  });
}

test('lines fed a byte at a time are parsed as when fed whole, except keys cut apart, which are kept', () => {
  const body = Buffer.from(serviceLayerJson({ value: documents }), 'utf8');
  assertProjectedWithin(
    parsedAsProjected(
      body,
      Array.from({ length: body.length - 1 }, (_, index) => index + 1),
    ),
    documents,
    'a byte at a time',
  );
});

test('a line without one of the kept properties is parsed whole', () => {
  const { Quantity: _quantity, ...withoutQuantity } = line(7);
  const entities = [{ DocEntry: 9, DocumentLines: [withoutQuantity, line(8)] }];
  const [parsed] = parsedAsProjected(Buffer.from(serviceLayerJson({ value: entities })), []);
  const lines = parsed!.DocumentLines as Entity[];
  assert.deepEqual(lines[0], withoutQuantity);
  assert.deepEqual(lines[1], (expectedProjection(entities)[0]!.DocumentLines as Entity[])[1]);
});

test('a kept key written with escapes is not lost: its line is parsed whole', () => {
  const text = serviceLayerJson({ value: [{ DocEntry: 1, DocumentLines: [line(0)] }] }).replace('"ItemCode"', '"Item\\u0043ode"');
  const [parsed] = parsedAsProjected(Buffer.from(text), []);
  assert.deepEqual((parsed!.DocumentLines as Entity[])[0], line(0));
});

test('a collection the projection does not name is parsed whole', () => {
  const entities = [{ DocEntry: 1, DocumentLines: [line(0)], Other: [line(1)] }];
  const [parsed] = parsedAsProjected(Buffer.from(serviceLayerJson({ value: entities })), []);
  assert.deepEqual(parsed!.Other, [line(1)]);
});

test('rows parsed apart, a slice at a time, keep the same properties', () => {
  const entities = [{ DocEntry: 1, DocumentLines: [line(0), line(1), line(2)] }];
  const [{ record, bytes }] = scan(Buffer.from(serviceLayerJson({ value: entities })), []) as [{ record: ScannedRecord; bytes: Buffer }];
  const lines = record.collections.find((collection) => bytes.toString('utf8', ...collection.name) === '"DocumentLines"')!;
  const expected = expectedProjection(entities)[0]!.DocumentLines as Entity[];
  assert.deepEqual(JSON.parse(rowsText(bytes, lines, 0, 2)), expected.slice(0, 2));
  assert.deepEqual(JSON.parse(rowsText(bytes, lines, 2, 3)), expected.slice(2));
  // The record without the rows parsed apart: its collection left empty.
  assert.deepEqual(JSON.parse(recordText(bytes, record.collections, new Set([lines]))), { DocEntry: 1, DocumentLines: [] });
});

test('a key set finds exactly its names, by their bytes', () => {
  const keys = new KeySet(['ItemCode', 'LineNum', 'U_' + 'x'.repeat(80), 'ItemCodf', 'ItemCode']);
  assert.equal(keys.size, 4);
  const at = (text: string): number => keys.indexOf(Buffer.from(`"${text}"`), 1, text.length + 1);
  assert.equal(at('ItemCode'), 0);
  assert.equal(at('ItemCodf'), 3);
  assert.equal(at('LineNum'), 1);
  assert.equal(at('U_' + 'x'.repeat(80)), 2);
  for (const other of ['ItemCodd', 'itemCode', 'ItemCod', 'ItemCodeX', 'LineNun', 'U_' + 'x'.repeat(79) + 'y', '', 'Item\\u0043ode']) assert.equal(at(other), -1, other);
});
