import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ConnectorError } from '../../src/errors.js';
import { buildQuery, parseCollectionPage, stringLiteral } from '../../src/service-layer/odata.js';
import { reference, referencePath } from '../helpers/paths.js';

test('parseCollectionPage reads a v2 (OData v4) page: value and @odata.nextLink', () => {
  const page = parseCollectionPage<{ DocEntry: number }>(
    {
      '@odata.context': 'https://b1:50000/b1s/v2/$metadata#Invoices',
      '@odata.count': 42,
      value: [{ DocEntry: 1 }, { DocEntry: 2 }],
      '@odata.nextLink': "Invoices?$filter=DocEntry gt 0&$skip=20",
    },
    'v2',
  );
  assert.deepEqual(page, { value: [{ DocEntry: 1 }, { DocEntry: 2 }], nextLink: 'Invoices?$filter=DocEntry gt 0&$skip=20' });
});

test('parseCollectionPage reads a v1 (OData v3) page: odata.nextLink', () => {
  const page = parseCollectionPage(
    { 'odata.metadata': 'https://b1:50000/b1s/v1/$metadata#Invoices', 'odata.count': '1234', value: [], 'odata.nextLink': 'Invoices?$skip=40' },
    'v1',
  );
  assert.deepEqual(page, { value: [], nextLink: 'Invoices?$skip=40' });
});

test('parseCollectionPage accepts the other dialect’s spelling, and a last page has no next link', () => {
  assert.equal(parseCollectionPage({ value: [], '@odata.nextLink': 'A?$skip=1' }, 'v1').nextLink, 'A?$skip=1');
  assert.equal(parseCollectionPage({ value: [], 'odata.nextLink': 'A?$skip=1' }, 'v2').nextLink, 'A?$skip=1');
  assert.deepEqual(parseCollectionPage({ value: [{ a: 1 }] }, 'v2'), { value: [{ a: 1 }], nextLink: undefined });
});

test('parseCollectionPage reads the recorded real Items page', { skip: reference.skip }, () => {
  const body: unknown = JSON.parse(readFileSync(referencePath('sap-b1', 'samples', 'v2_items_top5_b1sl-python.json'), 'utf8'));
  const page = parseCollectionPage<{ ItemCode: string }>(body, 'v2');
  assert.equal(page.value.length, 5);
  assert.equal(typeof page.value[0]!.ItemCode, 'string');
  assert.equal(page.nextLink, undefined);
});

test('parseCollectionPage refuses bodies that are not a collection page', () => {
  for (const body of [null, [], 'x', { values: [] }, { value: {} }, { value: [], '@odata.nextLink': 5 }]) {
    assert.throws(() => parseCollectionPage(body, 'v2'), (error: unknown) => error instanceof ConnectorError && error.failureType === 'system_error');
  }
});

test('stringLiteral quotes and doubles embedded quotes', () => {
  assert.equal(stringLiteral('C001'), "'C001'");
  assert.equal(stringLiteral("O'Brien's"), "'O''Brien''s'");
  assert.equal(stringLiteral(''), "''");
});

test('buildQuery percent-encodes values and keeps the option names', () => {
  const query = buildQuery(
    {
      filter: `UpdateDate ge '2024-01-15' and CardCode eq ${stringLiteral("A&B+C #1 = 100%")}`,
      select: ['DocEntry', 'DocNum', 'DocumentLines'],
      orderBy: ['UpdateDate asc', 'DocEntry asc'],
      top: 100,
    },
    'v2',
  );
  assert.equal(
    query,
    "$filter=UpdateDate%20ge%20'2024-01-15'%20and%20CardCode%20eq%20'A%26B%2BC%20%231%20%3D%20100%25'" +
      '&$select=DocEntry,DocNum,DocumentLines&$orderby=UpdateDate%20asc,DocEntry%20asc&$top=100',
  );
  // What a server decodes is exactly the filter that was built.
  const decoded = new URLSearchParams(query.replace(/\+/g, '%2B'));
  assert.equal(decoded.get('$filter'), "UpdateDate ge '2024-01-15' and CardCode eq 'A&B+C #1 = 100%'");
  assert.equal(decoded.get('$orderby'), 'UpdateDate asc,DocEntry asc');
});

test('buildQuery leaves out empty parts, and refuses a $top that is not a whole number', () => {
  assert.equal(buildQuery({ filter: ' ', select: [], orderBy: [] }, 'v2'), '');
  assert.equal(buildQuery({ top: 0 }, 'v1'), '$top=0');
  assert.throws(() => buildQuery({ top: -1 }, 'v2'), ConnectorError);
  assert.throws(() => buildQuery({ top: 1.5 }, 'v2'), ConnectorError);
});
