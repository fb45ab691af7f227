import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boundFilter, completedState, covers, freshBound, mergeBounds, pageFilter, planPass, type CursorSettings } from '../../src/streams/cursor.js';
import { shippedStreams, type StreamDefinition } from '../../src/streams/definitions.js';

const invoices = shippedStreams.find((d) => d.name === 'invoices')!;
const journal = shippedStreams.find((d) => d.name === 'journal_entries')!;
const items = shippedStreams.find((d) => d.name === 'items')!;
const settings: CursorSettings = { today: '2026-11-24', lookbackDays: 0, rereadWindowDays: 60 };

test('a change-stamp stream re-reads from the saved day, minus the look-back', () => {
  assert.deepEqual(freshBound(invoices.cursor, { syncMode: 'incremental', state: { since: '2026-11-20' } }, settings), { since: '2026-11-20' });
  assert.deepEqual(freshBound(invoices.cursor, { syncMode: 'incremental', state: { since: '2026-11-20' } }, { ...settings, lookbackDays: 3 }), {
    since: '2026-11-17',
  });
  assert.deepEqual(freshBound(invoices.cursor, { syncMode: 'incremental', state: undefined }, { ...settings, startDate: '2024-01-01' }), {
    since: '2024-01-01',
  });
  assert.deepEqual(freshBound(invoices.cursor, { syncMode: 'incremental', state: undefined }, settings), {});
  assert.deepEqual(freshBound(invoices.cursor, { syncMode: 'full_refresh', state: { since: '2026-11-20' } }, settings), {});
});

test('replay_since widens the bound whatever the state, and never narrows it', () => {
  assert.deepEqual(
    freshBound(invoices.cursor, { syncMode: 'incremental', state: { since: '2026-11-20' } }, { ...settings, replaySince: '2026-10-01' }),
    {
      since: '2026-10-01',
    },
  );
  assert.deepEqual(
    freshBound(invoices.cursor, { syncMode: 'incremental', state: { since: '2026-11-20' } }, { ...settings, replaySince: '2026-11-22' }),
    {
      since: '2026-11-20',
    },
  );
  assert.deepEqual(freshBound(journal.cursor, { syncMode: 'incremental', state: { max_key: 500 } }, { ...settings, replaySince: '2026-01-01' }), {
    key_above: 500,
    window_since: '2026-01-01',
  });
});

test('streams without a change stamp read new keys plus a posting window', () => {
  assert.deepEqual(freshBound(journal.cursor, { syncMode: 'incremental', state: { max_key: 500 } }, settings), {
    key_above: 500,
    window_since: '2026-09-25',
  });
  assert.deepEqual(freshBound(journal.cursor, { syncMode: 'incremental', state: undefined }, { ...settings, startDate: '2025-01-01' }), {
    window_since: '2025-01-01',
  });
  assert.equal(boundFilter(journal, { key_above: 500, window_since: '2026-09-25' }), "(JdtNum gt 500 or ReferenceDate ge '2026-09-25')");
  assert.equal(
    pageFilter(journal, { key_above: 500, window_since: '2026-09-25' }, 700),
    "(JdtNum gt 500 or ReferenceDate ge '2026-09-25') and JdtNum gt 700",
  );
});

test('master data always reads everything, paged by key', () => {
  assert.deepEqual(freshBound(items.cursor, { syncMode: 'incremental', state: { since: '2026-01-01' } }, settings), {});
  assert.equal(pageFilter(items, {}, "A'1"), "ItemCode gt 'A''1'");
  assert.equal(pageFilter(items, {}, undefined), undefined);
});

test('bounds merge to their union and coverage is checked field by field', () => {
  assert.deepEqual(mergeBounds([{ since: '2026-11-20' }, { since: '2026-11-10' }]), { since: '2026-11-10' });
  assert.deepEqual(mergeBounds([{ since: '2026-11-20' }, {}]), {});
  assert.deepEqual(mergeBounds([{ key_above: 9, window_since: '2026-10-01' }, { window_since: '2025-01-01' }]), {
    key_above: 9,
    window_since: '2025-01-01',
  });
  assert.ok(covers({}, { since: '2026-01-01' }));
  assert.ok(!covers({ since: '2026-01-01' }, {}));
  assert.ok(covers({ since: '2026-01-01' }, { since: '2026-02-01' }));
  assert.ok(!covers({ since: '2026-03-01' }, { since: '2026-02-01' }));
  assert.ok(!covers({ key_above: 5 }, { window_since: '2026-01-01' }));
  assert.ok(covers({ key_above: 5, window_since: '2025-01-01' }, { key_above: 7, window_since: '2026-01-01' }));
});

test('an interrupted pass is resumed after its last key when every member was in it', () => {
  const pass = { bound: { since: '2026-11-10' }, after_key: 40, started_on: '2026-11-23', max_key: 40 };
  const plan = planPass(
    invoices.cursor,
    [
      { syncMode: 'incremental', state: { since: '2026-11-10', pass } },
      { syncMode: 'incremental', state: { since: '2026-11-10', pass: { ...pass, after_key: 38 } } },
    ],
    settings,
  );
  assert.deepEqual(plan, { bound: { since: '2026-11-10' }, afterKey: 38, maxKey: 40, resumedStartedOn: '2026-11-23' });
});

test('a new pass replaces an interrupted one that no longer covers what is needed, keeping what it promised', () => {
  const pass = { bound: { since: '2026-11-10' }, after_key: 40, started_on: '2026-11-23' };
  const replay = planPass(invoices.cursor, [{ syncMode: 'incremental', state: { since: '2026-11-10', pass } }], {
    ...settings,
    replaySince: '2026-01-01',
  });
  assert.deepEqual(replay, { bound: { since: '2026-01-01' }, afterKey: undefined, maxKey: undefined, resumedStartedOn: undefined });
  // A member that joined after the interruption has its own needs: start over, for both.
  const mixed = planPass(
    invoices.cursor,
    [
      { syncMode: 'incremental', state: { since: '2026-11-10', pass } },
      { syncMode: 'incremental', state: undefined },
    ],
    settings,
  );
  assert.deepEqual(mixed.bound, {});
  assert.equal(mixed.afterKey, undefined);
  // An interrupted replay is not lost when replay_since is removed before the retry... if members disagree.
  const widened = planPass(
    invoices.cursor,
    [
      { syncMode: 'incremental', state: { since: '2026-11-20', pass: { bound: { since: '2026-01-01' }, after_key: 5, started_on: '2026-11-23' } } },
      { syncMode: 'incremental', state: { since: '2026-11-20' } },
    ],
    settings,
  );
  assert.deepEqual(widened.bound, { since: '2026-01-01' });
});

test('a finished pass moves the cursor to the day it started, never backwards', () => {
  assert.deepEqual(completedState(invoices.cursor, { since: '2026-11-01' }, '2026-11-23', 99), { since: '2026-11-23' });
  assert.deepEqual(completedState(invoices.cursor, { since: '2099-01-01' }, '2026-11-23', 99), { since: '2099-01-01' });
  assert.deepEqual(completedState(journal.cursor, { max_key: 120 }, '2026-11-23', 99), { max_key: 120, since: '2026-11-23' });
  assert.deepEqual(completedState(journal.cursor, { max_key: 12, since: '2026-11-01' }, '2026-11-23', 99), { max_key: 99, since: '2026-11-23' });
  assert.deepEqual(completedState(journal.cursor, undefined, '2026-11-23', undefined), {});
  assert.deepEqual(completedState(items.cursor, undefined, '2026-11-23', 'Z9'), {});
});

test('every shipped stream definition has a key and a schema', () => {
  const names = new Set<string>();
  for (const definition of shippedStreams as readonly StreamDefinition[]) {
    for (const name of [definition.name, ...definition.children.map((c) => c.name)]) {
      assert.ok(!names.has(name), `duplicate stream ${name}`);
      names.add(name);
    }
    assert.ok(definition.schema && definition.key);
  }
  assert.equal(names.size, 25);
});
