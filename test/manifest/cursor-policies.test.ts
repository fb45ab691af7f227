/**
 * The manifest fragment of each cursor policy: the $filter its requests carry (rendered as the
 * engine renders request parameters, an empty one dropped) and its incremental_sync.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { manifestCursor } from '../../src/manifest/cursor-policies.js';
import { shippedStreams } from '../../src/streams/definitions.js';
import { interpolateOption } from '../helpers/declarative/interpolation.js';
import { durationMs } from '../helpers/declarative/engine.js';
import { interpolate } from '../helpers/declarative/interpolation.js';

const definition = (name: string) => shippedStreams.find((d) => d.name === name)!;
const now = () => new Date('2026-11-25T10:00:00Z');

function renderedFilter(name: string, slice: Record<string, unknown>, config: Record<string, unknown> = {}): unknown {
  const filter = manifestCursor(definition(name).cursor).filter(definition(name));
  assert.ok(filter);
  return interpolateOption(filter, { config, stream_interval: slice, stream_slice: slice }, { now });
}

describe('change_stamp', () => {
  const cursor = manifestCursor(definition('invoices').cursor);

  test('filters on the change date from the slice start, by day', () => {
    assert.equal(renderedFilter('invoices', { start_time: '2026-11-23', end_time: '2026-11-25' }), "UpdateDate ge '2026-11-23'");
  });

  test('is a DatetimeBasedCursor on the given cursor field, by day, with a one-day lookback plus lookback_days', () => {
    const sync = cursor.incrementalSync('parent_updated_at')!;
    assert.equal(sync.type, 'DatetimeBasedCursor');
    assert.equal(sync['cursor_field'], 'parent_updated_at');
    assert.equal(sync['datetime_format'], '%Y-%m-%d');
    assert.deepEqual(sync['cursor_datetime_formats'], ['%Y-%m-%dT%H:%M:%S']);
    // No step: one slice without an upper bound (see cursor-policies.ts).
    assert.equal(sync['step'], undefined);
    assert.equal(sync['end_time_option'], undefined);
    const lookback = (config: Record<string, unknown>) => durationMs(String(interpolate(String(sync['lookback_window']), { config })));
    assert.equal(lookback({}), 86_400_000);
    assert.equal(lookback({ lookback_days: 3 }), 4 * 86_400_000);
    const start = sync['start_datetime'] as { datetime: string };
    assert.equal(interpolate(start.datetime, { config: { start_date: '2024-01-01' } }), '2024-01-01');
    assert.equal(interpolate(start.datetime, { config: {} }), '1900-01-01');
  });
});

describe('key_and_posting_window', () => {
  test('a later sync reads new keys and what was posted in the re-read window, counted from today', () => {
    assert.equal(renderedFilter('journal_entries', { start: 5600, end: Number.POSITIVE_INFINITY }), "(JdtNum gt 5600 or ReferenceDate ge '2026-09-26')");
    assert.equal(renderedFilter('incoming_payments', { start: 17, end: Number.POSITIVE_INFINITY }, { reread_window_days: 10 }), "(DocEntry gt 17 or DocDate ge '2026-11-15')");
  });

  test('a first sync reads from start_date by posting date, or everything', () => {
    assert.equal(renderedFilter('journal_entries', { start: 0, end: Number.POSITIVE_INFINITY }, { start_date: '2025-01-01' }), "ReferenceDate ge '2025-01-01'");
    assert.equal(renderedFilter('journal_entries', { start: 0, end: Number.POSITIVE_INFINITY }), null);
  });

  test('is an IncrementingCountCursor on the key column', () => {
    assert.deepEqual(manifestCursor(definition('journal_entries').cursor).incrementalSync('jdt_num'), {
      type: 'IncrementingCountCursor',
      cursor_field: 'jdt_num',
      start_value: 0,
    });
  });
});

describe('none', () => {
  test('reads everything, full refresh', () => {
    const cursor = manifestCursor(definition('items').cursor);
    assert.equal(cursor.filter(definition('items')), undefined);
    assert.equal(cursor.incrementalSync('updated_at'), undefined);
  });
});
