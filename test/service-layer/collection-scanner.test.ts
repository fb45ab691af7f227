/**
 * The collection scanner against JSON.parse of the whole body: whatever the chunking, it hands on
 * exactly the records of "value" (byte for byte), where their collections' rows lie, and the rest
 * of the answer; and it says what a body that is no collection is.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CollectionScanner, CollectionShapeError, type ScannedCollection, type ScannedRecord } from '../../src/service-layer/collection-scanner.js';

/** The records found in a body fed in chunks of `chunkSize`, each with its bytes cut from the body where the scanner says it lies. */
function scan(body: Buffer, chunkSize: number): { records: (ScannedRecord & { bytes: Buffer })[]; envelope: Record<string, unknown> } {
  const scanner = new CollectionScanner();
  const records: ScannedRecord[] = [];
  for (let at = 0; at < body.length; at += chunkSize) records.push(...scanner.write(body.subarray(at, at + chunkSize)));
  return { records: records.map((record) => ({ ...record, bytes: body.subarray(record.start, record.end) })), envelope: scanner.end() };
}

/** What the scanner must find, from JSON.parse of the whole body. */
function assertScansLikeParse(text: string, chunkSizes: number[]): void {
  const body = Buffer.from(text, 'utf8');
  const whole = JSON.parse(text.replace(/^\uFEFF/, '')) as { value: Record<string, unknown>[] };
  for (const size of chunkSizes) {
    const { records, envelope } = scan(body, size);
    assert.deepEqual(
      records.map((record) => JSON.parse(record.bytes.toString('utf8'))),
      whole.value,
      `chunks of ${size}`,
    );
    const { value: _value, ...rest } = whole;
    assert.deepEqual(envelope, { ...rest, value: [] }, `chunks of ${size}`);
    records.forEach((record, index) => {
      const entity = whole.value[index]!;
      assert.deepEqual(
        scannedCollections(record.bytes, record.collections),
        expectedCollections(entity),
        `collections of record ${index}, chunks of ${size}`,
      );
    });
  }
}

const isCollection = (value: unknown): value is Record<string, unknown>[] =>
  Array.isArray(value) && value.length > 0 && value.every((row) => typeof row === 'object' && row !== null && !Array.isArray(row));

/** The collections of an entity (array properties of objects), from JSON.parse. */
const collectionsOf = (entity: Record<string, unknown>): { name: string; rows: Record<string, unknown>[] }[] =>
  Object.entries(entity)
    .filter((entry): entry is [string, Record<string, unknown>[]] => isCollection(entry[1]))
    .map(([name, rows]) => ({ name, rows }));

/** What the scanner must find: the entity's collections, with the collections of each of their rows. */
function expectedCollections(entity: Record<string, unknown>): unknown[] {
  return collectionsOf(entity).map(({ name, rows }) => {
    const nested = rows.map((row) => (collectionsOf(row).length > 0 ? collectionsOf(row) : undefined));
    return { name, rows, ...(nested.some((row) => row !== undefined) ? { nested } : {}) };
  });
}

/** What the scanner says of a record's collections, decoded from the record's bytes. */
function scannedCollections(bytes: Buffer, collections: readonly ScannedCollection[]): unknown[] {
  return collections.map((collection) => ({
    name: JSON.parse(bytes.toString('utf8', ...collection.name)) as string,
    rows: collection.rows.map(([start, end]) => JSON.parse(bytes.toString('utf8', start, end))),
    ...(collection.nested ? { nested: collection.nested.map((row) => row && scannedCollections(bytes, row)) } : {}),
  }));
}

const tricky = {
  '@odata.context': 'https://b1/b1s/v2/$metadata#Invoices',
  value: [
    {
      '@odata.etag': 'W/"DA4B9237"',
      DocEntry: 1,
      Comments: 'braces } ] { [ and "quotes" and a backslash \\ at the end \\',
      Unicode: 'Crème brûlée, 東京, emoji 🍰',
      // Runs of backslashes before quotes, escaped and not, which chunking cuts anywhere.
      Backslashes: '\\\\\\"\\\\\\\\"}\\\\\\\\\\\\',
      Empty: [],
      Numbers: [1, 2, 3],
      Address: { Street: 'Main', Lines: [{ Not: 'a collection of the record' }] },
      DocumentLines: [
        { LineNum: 0, ItemCode: 'FD0001', BatchNumbers: [{ BatchNumber: 'B1', Quantity: 2 }] },
        { LineNum: 1, ItemCode: 'FD"0002', BatchNumbers: [] },
      ],
    },
    { DocEntry: 2, DocumentLines: [{ LineNum: 0, Text: '\\"' }], TaxExtension: null },
    {},
  ],
  '@odata.nextLink': 'Invoices?$filter=DocEntry%20gt%202&$skip=3',
};

test('records, rows and the envelope are what JSON.parse finds, however the bytes are chunked', () => {
  const compact = JSON.stringify(tricky);
  assertScansLikeParse(compact, [1, 2, 3, 5, 7, 13, 64, compact.length]);
  // The Service Layer's own layout: tabs and "Name" : value.
  const serviceLayerLayout = JSON.stringify(tricky, null, '\t').replaceAll('": ', '" : ');
  assertScansLikeParse(serviceLayerLayout, [1, 3, 11, 4096]);
  assertScansLikeParse(`\uFEFF${compact}`, [1, 2, 4, 100]);
  // OData v3 spelling, "value" after other keys, and a key named like it inside a record.
  assertScansLikeParse(
    JSON.stringify({ 'odata.metadata': 'x', value: [{ value: [{ a: 1 }], DocEntry: 5 }], 'odata.nextLink': 'Orders?$skip=1' }),
    [1, 6, 1000],
  );
  assertScansLikeParse(JSON.stringify({ value: [] }), [1, 100]);
});

test('a record is cut from the bytes the server sent, whitespace and number spelling included', () => {
  const body = Buffer.from('{"value" : [ {"DocEntry" : 1, "Total" : 10.0} ,{"DocEntry":2}]}');
  const { records } = scan(body, 4);
  assert.deepEqual(
    records.map((record) => record.bytes.toString()),
    ['{"DocEntry" : 1, "Total" : 10.0}', '{"DocEntry":2}'],
  );
});

test('a body that is no collection answer says what it is', () => {
  // incomplete: what a body cut short or replaced on the way looks like, worth another attempt.
  const cases: [string, RegExp, boolean][] = [
    ['<html><title>502 Proxy Error</title></html>', /markup/, true],
    ['{"value": [{"DocEntry": 1}, {"DocEn', /cut short/, true],
    ['{"value": [{"DocEntry": 1}]', /cut short/, true],
    ['', /empty/, true],
    ['{"value": [{"a": 1}], "x": tru}', /does not parse/, true],
    ['[1, 2]', /not a JSON object/, false],
    ['{"value": [1, 2]}', /something other than records/, false],
    ['{"value": ["a"]}', /something other than records/, false],
    ['{"error": {"code": 301}}', /no "value" array/, false],
    ['{"value": []} {"value": []}', /goes on after/, false],
  ];
  for (const [text, message, incomplete] of cases) {
    assert.throws(
      () => scan(Buffer.from(text), 3),
      (error: unknown) => error instanceof CollectionShapeError && message.test(error.message) && error.incomplete === incomplete,
      text,
    );
  }
});
