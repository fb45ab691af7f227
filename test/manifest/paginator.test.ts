/**
 * Paging by the OData next link of either dialect, rendered as the engine renders the cursor
 * value and the stop condition.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { paginator } from '../../src/manifest/paginator.js';
import { requester } from '../../src/manifest/requester.js';
import { shippedStreams } from '../../src/streams/definitions.js';
import { interpolate, interpolateBoolean, interpolateOption } from '../helpers/declarative/interpolation.js';

type Any = Record<string, any>;
const strategy = (paginator() as Any)['pagination_strategy'];
const next = (response: unknown) => interpolate(strategy.cursor_value, { response, config: {} });
const stops = (response: unknown) => interpolateBoolean(strategy.stop_condition, { response, config: {} });

describe('paging', () => {
  test('follows the v2 and the v1 next link, relative to the service root, as the path', () => {
    assert.equal(next({ value: [{}], '@odata.nextLink': 'Invoices?$skip=20' }), 'Invoices?$skip=20');
    assert.equal(next({ value: [{}], 'odata.nextLink': "Items?$filter=ItemCode%20ge%20'A'&$skip=20" }), "Items?$filter=ItemCode%20ge%20'A'&$skip=20");
    assert.deepEqual((paginator() as Any)['page_token_option'], { type: 'RequestPath' });
  });

  test('stops without a next link, and on an empty page', () => {
    assert.equal(next({ value: [{}] }), '');
    assert.equal(stops({ value: [{}], '@odata.nextLink': 'Invoices?$skip=20' }), false);
    assert.equal(stops({ value: [], '@odata.nextLink': 'Invoices?$skip=20' }), true);
  });

  test('sends the query options with the first page only: a next link carries the whole query', () => {
    const invoices = shippedStreams.find((d) => d.name === 'invoices')!;
    const parameters = (requester({ definition: invoices, select: ['DocEntry', 'DocTotal'], filter: "UpdateDate ge '{{ stream_interval.start_time }}'" }) as Any)['request_parameters'] as Record<string, string>;
    const first = { config: {}, next_page_token: null, stream_interval: { start_time: '2026-11-01' } };
    const later = { ...first, next_page_token: { next_page_token: 'Invoices?$skip=20' } };
    assert.deepEqual(
      Object.fromEntries(Object.entries(parameters).map(([name, value]) => [name, interpolateOption(value, first)])),
      { $select: 'DocEntry,DocTotal', $orderby: 'DocEntry asc', $filter: "UpdateDate ge '2026-11-01'" },
    );
    for (const value of Object.values(parameters)) assert.equal(interpolateOption(value, later), null);
  });

  test('asks for the configured page size with Prefer: odata.maxpagesize', () => {
    const invoices = shippedStreams.find((d) => d.name === 'invoices')!;
    const headers = (requester({ definition: invoices, select: ['DocEntry'], filter: undefined }) as Any)['request_headers'];
    assert.equal(interpolateOption(headers.prefer, { config: { page_size: 200 } }), 'odata.maxpagesize=200');
    assert.equal(interpolateOption(headers.prefer, { config: {} }), 'odata.maxpagesize=20');
  });
});
