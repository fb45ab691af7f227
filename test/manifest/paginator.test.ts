/**
 * Paging by key, as the engine renders it: the cursor is the last key of the page (a number stays
 * a number, text stays text), the stream ends where the image's read ends, and every request
 * carries the policy's bound, and after the first page the key condition, in the $filter.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { paginator } from '../../src/manifest/paginator.js';
import { requester } from '../../src/manifest/requester.js';
import { cursorPolicyOf } from '../../src/streams/cursor/index.js';
import { shippedStreams } from '../../src/streams/definitions.js';
import { interpolate, interpolateBoolean, interpolateOption } from '../helpers/declarative/interpolation.js';

type Any = Record<string, any>;
const strategyOf = (key: string) => (paginator(key) as Any)['pagination_strategy'];
const next = (key: string, response: unknown) => interpolate(strategyOf(key).cursor_value, { response, config: {}, last_record: null });
const stops = (response: unknown) => interpolateBoolean(strategyOf('DocEntry').stop_condition, { response, config: {}, last_record: null });
const definition = (name: string) => shippedStreams.find((d) => d.name === name)!;
const globals = { now: () => new Date('2026-11-25T10:00:00Z') };

/** The query options of a stream's request for a slice and a page token, as the engine renders them (null: dropped). */
function options(name: string, slice: Record<string, unknown>, token: unknown, config: Record<string, unknown> = {}): Record<string, unknown> {
  const d = definition(name);
  const parameters = (requester({ definition: d, select: [d.key, 'DocTotal'], filter: cursorPolicyOf(d).manifest.filter() }) as Any)['request_parameters'] as Record<string, string>;
  const scope = { config, stream_interval: slice, stream_slice: slice, next_page_token: token === undefined ? null : { next_page_token: token } };
  return Object.fromEntries(Object.entries(parameters).map(([option, value]) => [option, interpolateOption(value, scope, globals)]));
}

describe('paging by key', () => {
  test("the cursor is the key of the page's last Service Layer record, exactly", () => {
    assert.equal(next('DocEntry', { value: [{ DocEntry: 7 }, { DocEntry: 9 }], '@odata.nextLink': 'Invoices?$skip=2' }), 9);
    // Text that looks like a number, or holds a quote, stays that text.
    assert.equal(next('ItemCode', { value: [{ ItemCode: '00123' }], 'odata.nextLink': 'Items?$skip=1' }), '00123');
    assert.equal(next('ItemCode', { value: [{ ItemCode: "FD'7 \"x\"" }], 'odata.nextLink': 'Items?$skip=1' }), "FD'7 \"x\"");
    assert.equal(next('CardCode', { value: [{ CardCode: '1e5' }], 'odata.nextLink': 'x' }), '1e5');
    assert.equal((paginator('DocEntry') as Any)['page_token_option'], undefined, 'the token is not sent as an option of its own');
  });

  test('stops where the image stops: a page without records or without a next link (either dialect)', () => {
    assert.equal(stops({ value: [{ DocEntry: 1 }], '@odata.nextLink': 'Invoices?$skip=20' }), false);
    assert.equal(stops({ value: [{ DocEntry: 1 }], 'odata.nextLink': 'Invoices?$skip=20' }), false);
    assert.equal(stops({ value: [{ DocEntry: 1 }] }), true);
    assert.equal(stops({ value: [], '@odata.nextLink': 'Invoices?$skip=20' }), true);
  });

  test('documents: the change-date bound on every page, and the key after the first', () => {
    const slice = { start_time: '2026-11-01', end_time: '2026-11-25' };
    assert.deepEqual(options('invoices', slice, undefined), { $select: 'DocEntry,DocTotal', $orderby: 'DocEntry asc', $filter: "UpdateDate ge '2026-11-01'" });
    assert.deepEqual(options('invoices', slice, 20), { $select: 'DocEntry,DocTotal', $orderby: 'DocEntry asc', $filter: "UpdateDate ge '2026-11-01' and DocEntry gt 20" });
  });

  test('journal entries: the key or re-read-window bound, or none at all, and the key', () => {
    const fresh = { start: 0, end: Infinity };
    assert.equal(options('journal_entries', fresh, undefined)['$filter'], null, 'a first sync without start_date reads everything');
    assert.equal(options('journal_entries', fresh, 40)['$filter'], 'JdtNum gt 40');
    assert.equal(options('journal_entries', fresh, 40, { start_date: '2026-01-01' })['$filter'], "ReferenceDate ge '2026-01-01' and JdtNum gt 40");
    assert.equal(options('journal_entries', { start: 500, end: Infinity }, 540, { reread_window_days: 10 })['$filter'], "(JdtNum gt 500 or ReferenceDate ge '2026-11-15') and JdtNum gt 540");
  });

  test('master data: text keys quoted, quotes doubled, as OData and the image write them', () => {
    assert.deepEqual(options('items', {}, undefined), { $select: 'ItemCode,DocTotal', $orderby: 'ItemCode asc', $filter: null });
    assert.equal(options('items', {}, "FD'7")['$filter'], "ItemCode gt 'FD''7'");
    assert.equal(options('items', {}, '00123')['$filter'], "ItemCode gt '00123'");
  });

  test('asks for the configured page size with Prefer: odata.maxpagesize', () => {
    const headers = (requester({ definition: definition('invoices'), select: ['DocEntry'], filter: undefined }) as Any)['request_headers'];
    assert.equal(interpolateOption(headers.prefer, { config: { page_size: 200 } }), 'odata.maxpagesize=200');
    assert.equal(interpolateOption(headers.prefer, { config: {} }), 'odata.maxpagesize=20');
  });
});
