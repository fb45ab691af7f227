/**
 * key_and_posting_window (journal entries, payments): its state shape, including the states the
 * previous release wrote, the bound of a fresh and of a resumed pass, the page filter, the
 * completed state, the catalog's cursor fields and the manifest fragment.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { catalogEntries } from '../../../src/streams/catalog.js';
import { pageFilter } from '../../../src/streams/cursor/pass.js';
import { definition, policyOf, problemOf, read, renderedFilter, savedCompletion, savedFreshBound, savedPlan, settings } from './helpers.js';

const journal = policyOf('journal_entries');
const payments = policyOf('incoming_payments');

describe('key_and_posting_window state shape', () => {
  test('reads the states the current release writes, giving each meaning of "since" its own name', () => {
    assert.deepEqual(read(journal, {}), { finished: undefined, pass: undefined });
    assert.deepEqual(read(journal, { max_key: 5587, since: '2026-11-24' }), {
      finished: { maxKey: 5587, windowEndsOn: '2026-11-24' },
      pass: undefined,
    });
    assert.deepEqual(read(journal, { max_key: 7 }), { finished: { maxKey: 7 }, pass: undefined });
    // A checkpoint of a second sync, as the previous release wrote it.
    assert.deepEqual(
      read(journal, {
        since: '2026-11-24',
        max_key: 5587,
        pass: { bound: { key_above: 5587, window_since: '2026-09-25' }, started_on: '2026-11-24', after_key: 5242, max_key: 5242 },
      }),
      {
        finished: { maxKey: 5587, windowEndsOn: '2026-11-24' },
        pass: { bound: { keyAbove: 5587, postedSince: '2026-09-25' }, startedOn: '2026-11-24', afterKey: 5242, maxKey: 5242 },
      },
    );
  });

  test('writes a finished state and a bound in the same form as before', () => {
    assert.equal(JSON.stringify(journal.writeFinished({ maxKey: 5587, windowEndsOn: '2026-11-24' })), '{"max_key":5587,"since":"2026-11-24"}');
    assert.deepEqual(journal.writeFinished(undefined), {});
    assert.equal(JSON.stringify(journal.writeBound({ postedSince: '2026-09-25', keyAbove: 5587 })), '{"key_above":5587,"window_since":"2026-09-25"}');
  });

  test("a state of another cursor policy's shape is named, with what the stream keeps", () => {
    assert.match(problemOf(journal, { since: '2026-11-20' }) ?? '', /without "max_key"/);
    assert.match(
      problemOf(journal, { max_key: 7, pass: { bound: { since: '2026-11-20' }, started_on: '2026-11-21' } }) ?? '',
      /passes are bound by "key_above" and "window_since"/,
    );
    assert.equal(problemOf(journal, { max_key: 7, since: '2026-11-20' }), undefined);
    assert.equal(problemOf(journal, {}), undefined, 'an empty state is a first read');
  });
});

describe('key_and_posting_window passes', () => {
  test('streams without a change stamp read new keys plus a posting window', () => {
    assert.deepEqual(savedFreshBound(journal, { syncMode: 'incremental', state: { max_key: 500 } }), {
      key_above: 500,
      window_since: '2026-09-25',
    });
    assert.deepEqual(savedFreshBound(journal, { syncMode: 'incremental', state: undefined }, { ...settings, startDate: '2025-01-01' }), {
      window_since: '2025-01-01',
    });
    assert.deepEqual(savedFreshBound(journal, { syncMode: 'incremental', state: undefined }), {});
    // The window hangs off the day the previous pass started, so that a state from the future reads nothing new.
    assert.deepEqual(
      savedFreshBound(journal, { syncMode: 'incremental', state: { max_key: 500, since: '2026-11-01' } }, { ...settings, rereadWindowDays: 10 }),
      {
        key_above: 500,
        window_since: '2026-10-22',
      },
    );
  });

  test('replay_since widens the window whatever the state', () => {
    assert.deepEqual(savedFreshBound(journal, { syncMode: 'incremental', state: { max_key: 500 } }, { ...settings, replaySince: '2026-01-01' }), {
      key_above: 500,
      window_since: '2026-01-01',
    });
  });

  test('a checkpoint the current release wrote resumes after its key, keeping the highest key seen', () => {
    const pass = { bound: { key_above: 5587, window_since: '2026-09-25' }, started_on: '2026-11-24', after_key: 5392, max_key: 5392 };
    assert.deepEqual(
      savedPlan(journal, [
        { syncMode: 'incremental', state: { since: '2026-11-24', max_key: 5587, pass } },
        { syncMode: 'incremental', state: { since: '2026-11-24', max_key: 5587, pass: { ...pass, after_key: 5242, max_key: 5242 } } },
      ]),
      { bound: { key_above: 5587, window_since: '2026-09-25' }, afterKey: 5242, maxKey: 5392, resumedStartedOn: '2026-11-24' },
    );
  });

  test('the page filter reads new keys or the window, then the key position', () => {
    assert.equal(journal.boundFilter({ keyAbove: 500, postedSince: '2026-09-25' }), "(JdtNum gt 500 or ReferenceDate ge '2026-09-25')");
    assert.equal(journal.boundFilter({ postedSince: '2025-01-01' }), "ReferenceDate ge '2025-01-01'");
    assert.equal(journal.boundFilter({}), undefined);
    assert.equal(
      pageFilter(journal, 'JdtNum', { keyAbove: 500, postedSince: '2026-09-25' }, 700),
      "(JdtNum gt 500 or ReferenceDate ge '2026-09-25') and JdtNum gt 700",
    );
    assert.equal(payments.boundFilter({ keyAbove: 17, postedSince: '2026-11-15' }), "(DocEntry gt 17 or DocDate ge '2026-11-15')");
  });

  test('a finished pass keeps the highest key and moves the window end to the day it started, never backwards', () => {
    assert.deepEqual(savedCompletion(journal, { max_key: 120 }, '2026-11-23', 99), { max_key: 120, since: '2026-11-23' });
    assert.deepEqual(savedCompletion(journal, { max_key: 12, since: '2026-11-01' }, '2026-11-23', 99), { max_key: 99, since: '2026-11-23' });
    assert.deepEqual(savedCompletion(journal, { max_key: 12, since: '2099-01-01' }, '2026-11-23', 99), { max_key: 99, since: '2099-01-01' });
    assert.deepEqual(savedCompletion(journal, undefined, '2026-11-23', undefined), {});
    assert.equal(journal.countsFrom(read(journal, { max_key: 1, since: '2099-01-01' }).finished), '2099-01-01');
  });
});

test('the catalog offers incremental sync on the key, and the parent key on lines', () => {
  const [header, lines] = catalogEntries(definition('journal_entries'));
  assert.deepEqual(header!.stream.supported_sync_modes, ['full_refresh', 'incremental']);
  assert.deepEqual(header!.stream.default_cursor_field, ['jdt_num']);
  assert.deepEqual(lines!.stream.default_cursor_field, ['jdt_num']);
  const [payment, invoices] = catalogEntries(definition('incoming_payments'));
  assert.deepEqual(payment!.stream.default_cursor_field, ['doc_entry']);
  assert.deepEqual(invoices!.stream.default_cursor_field, ['doc_entry']);
});

describe('key_and_posting_window manifest fragment', () => {
  test('a later sync reads new keys and what was posted in the re-read window, counted from today', () => {
    assert.equal(renderedFilter(journal, { start: 5600, end: Number.POSITIVE_INFINITY }), "(JdtNum gt 5600 or ReferenceDate ge '2026-09-26')");
    assert.equal(
      renderedFilter(payments, { start: 17, end: Number.POSITIVE_INFINITY }, { reread_window_days: 10 }),
      "(DocEntry gt 17 or DocDate ge '2026-11-15')",
    );
  });

  test('a first sync reads from start_date by posting date, or everything', () => {
    assert.equal(renderedFilter(journal, { start: 0, end: Number.POSITIVE_INFINITY }, { start_date: '2025-01-01' }), "ReferenceDate ge '2025-01-01'");
    assert.equal(renderedFilter(journal, { start: 0, end: Number.POSITIVE_INFINITY }), null);
  });

  test('is an IncrementingCountCursor on the key column', () => {
    assert.deepEqual(journal.manifest.incrementalSync('jdt_num'), {
      type: 'IncrementingCountCursor',
      cursor_field: 'jdt_num',
      start_value: 0,
    });
  });
});
