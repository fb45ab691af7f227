/**
 * change_stamp (documents): its state shape, including the states the previous release wrote,
 * the bound of a fresh and of a resumed pass, the page filter, the completed state, the catalog's
 * cursor fields and the manifest fragment.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { catalogEntries } from '../../../src/streams/catalog.js';
import { pageFilter } from '../../../src/streams/cursor/pass.js';
import { durationMs } from '../../helpers/declarative/engine.js';
import { interpolate } from '../../helpers/declarative/interpolation.js';
import { definition, policyOf, problemOf, read, renderedFilter, savedCompletion, savedFreshBound, savedPlan, settings } from './helpers.js';

const invoices = policyOf('invoices');

describe('change_stamp state shape', () => {
  test('reads the states the current release writes, giving each meaning of "since" its own name', () => {
    assert.deepEqual(read(invoices, {}), { finished: undefined, pass: undefined });
    assert.deepEqual(read(invoices, { since: '2026-11-24' }), { finished: { changedSince: '2026-11-24' }, pass: undefined });
    // A first read interrupted after a page, and a later one: the pass bound is a change date too.
    assert.deepEqual(read(invoices, { pass: { bound: {}, started_on: '2026-11-24', after_key: 450 } }), {
      finished: undefined,
      pass: { bound: {}, startedOn: '2026-11-24', afterKey: 450 },
    });
    assert.deepEqual(read(invoices, { since: '2026-11-20', pass: { bound: { since: '2026-11-20' }, started_on: '2026-11-24', after_key: 150 } }), {
      finished: { changedSince: '2026-11-20' },
      pass: { bound: { changedSince: '2026-11-20' }, startedOn: '2026-11-24', afterKey: 150 },
    });
  });

  test('writes a finished state and a bound in the same form as before', () => {
    const finished = read(invoices, { since: '2026-11-24' }).finished;
    assert.equal(JSON.stringify(invoices.writeFinished(finished)), '{"since":"2026-11-24"}');
    assert.deepEqual(invoices.writeFinished(undefined), {});
    assert.deepEqual(invoices.writeBound({ changedSince: '2026-11-20' }), { since: '2026-11-20' });
    assert.deepEqual(invoices.writeBound({}), {});
  });

  test("a state of another cursor policy's shape is named, with what the stream keeps", () => {
    assert.match(problemOf(invoices, { max_key: 7 }) ?? '', /keeps \{"since": "YYYY-MM-DD"\}/);
    assert.match(problemOf(invoices, { pass: { bound: { key_above: 3 }, started_on: '2026-11-20' } }) ?? '', /bound by "since" only/);
    assert.equal(problemOf(invoices, { since: '2026-11-20' }), undefined);
  });
});

describe('change_stamp passes', () => {
  test('a change-stamp stream re-reads from the saved day, minus the look-back', () => {
    assert.deepEqual(savedFreshBound(invoices, { syncMode: 'incremental', state: { since: '2026-11-20' } }), { since: '2026-11-20' });
    assert.deepEqual(savedFreshBound(invoices, { syncMode: 'incremental', state: { since: '2026-11-20' } }, { ...settings, lookbackDays: 3 }), {
      since: '2026-11-17',
    });
    assert.deepEqual(savedFreshBound(invoices, { syncMode: 'incremental', state: undefined }, { ...settings, startDate: '2024-01-01' }), {
      since: '2024-01-01',
    });
    assert.deepEqual(savedFreshBound(invoices, { syncMode: 'incremental', state: undefined }), {});
    assert.deepEqual(savedFreshBound(invoices, { syncMode: 'full_refresh', state: { since: '2026-11-20' } }), {});
  });

  test('replay_since widens the bound whatever the state, and never narrows it', () => {
    assert.deepEqual(
      savedFreshBound(invoices, { syncMode: 'incremental', state: { since: '2026-11-20' } }, { ...settings, replaySince: '2026-10-01' }),
      {
        since: '2026-10-01',
      },
    );
    assert.deepEqual(
      savedFreshBound(invoices, { syncMode: 'incremental', state: { since: '2026-11-20' } }, { ...settings, replaySince: '2026-11-22' }),
      {
        since: '2026-11-20',
      },
    );
  });

  test('a checkpoint the current release wrote resumes exactly where it stopped', () => {
    // Lines and header interrupted in the same pass of a second sync (the previous release's JSON).
    const header = { since: '2026-11-24', pass: { bound: { since: '2026-11-24' }, started_on: '2026-11-25', after_key: 750 } };
    const lines = { since: '2026-11-24', pass: { bound: { since: '2026-11-24' }, started_on: '2026-11-25', after_key: 749 } };
    assert.deepEqual(
      savedPlan(invoices, [
        { syncMode: 'incremental', state: header },
        { syncMode: 'incremental', state: lines },
      ]),
      { bound: { since: '2026-11-24' }, afterKey: 749, maxKey: undefined, resumedStartedOn: '2026-11-25' },
    );
  });

  test('the page filter is the change date from the bound, then the key position', () => {
    assert.equal(invoices.boundFilter({ changedSince: '2026-11-20' }), "UpdateDate ge '2026-11-20'");
    assert.equal(invoices.boundFilter({}), undefined);
    assert.equal(pageFilter(invoices, 'DocEntry', { changedSince: '2026-11-20' }, 40), "UpdateDate ge '2026-11-20' and DocEntry gt 40");
  });

  test('a finished pass moves the cursor to the day it started, never backwards', () => {
    assert.deepEqual(savedCompletion(invoices, { since: '2026-11-01' }, '2026-11-23', 99), { since: '2026-11-23' });
    assert.deepEqual(savedCompletion(invoices, { since: '2099-01-01' }, '2026-11-23', 99), { since: '2099-01-01' });
    assert.deepEqual(savedCompletion(invoices, undefined, '2026-11-23', undefined), { since: '2026-11-23' });
    assert.equal(invoices.countsFrom(read(invoices, { since: '2099-01-01' }).finished), '2099-01-01');
  });
});

test('the catalog offers incremental sync on updated_at, and parent_updated_at on lines', () => {
  const [header, lines] = catalogEntries(definition('invoices'));
  assert.deepEqual(header!.stream.supported_sync_modes, ['full_refresh', 'incremental']);
  assert.deepEqual(header!.stream.default_cursor_field, ['updated_at']);
  assert.equal(header!.stream.source_defined_cursor, true);
  assert.deepEqual(lines!.stream.default_cursor_field, ['parent_updated_at']);
  assert.equal(invoices.parentCursorField('doc_entry'), 'updated_at');
});

describe('change_stamp manifest fragment', () => {
  test('filters on the change date from the slice start, by day', () => {
    assert.equal(renderedFilter(invoices, { start_time: '2026-11-23', end_time: '2026-11-25' }), "UpdateDate ge '2026-11-23'");
  });

  test('is a DatetimeBasedCursor on the given cursor field, by day, with a one-day lookback plus lookback_days', () => {
    const sync = invoices.manifest.incrementalSync('parent_updated_at')!;
    assert.equal(sync.type, 'DatetimeBasedCursor');
    assert.equal(sync['cursor_field'], 'parent_updated_at');
    assert.equal(sync['datetime_format'], '%Y-%m-%d');
    assert.deepEqual(sync['cursor_datetime_formats'], ['%Y-%m-%dT%H:%M:%S']);
    // No step: one slice without an upper bound (see change-stamp.ts).
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
