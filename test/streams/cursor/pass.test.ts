/**
 * What every cursor policy shares: bounds merge and cover one another, an interrupted pass is
 * resumed or replaced, a full refresh reads everything, a page's filter adds the key position,
 * and a checkpoint carries the stream's finished state as it was saved.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkpointState, covers, mergeBounds, pageFilter } from '../../../src/streams/cursor/pass.js';
import { shippedStreams, type StreamDefinition } from '../../../src/streams/definitions.js';
import { policyOf, read, savedFreshBound, savedPlan, settings } from './helpers.js';

const invoices = policyOf('invoices');
const items = policyOf('items');

test('a full refresh reads everything, whatever the state and the policy', () => {
  assert.deepEqual(savedFreshBound(invoices, { syncMode: 'full_refresh', state: { since: '2026-11-20' } }), {});
  assert.deepEqual(savedFreshBound(policyOf('journal_entries'), { syncMode: 'full_refresh', state: { max_key: 500, since: '2026-11-20' } }), {});
});

test('master data always reads everything, paged by key', () => {
  assert.deepEqual(savedFreshBound(items, { syncMode: 'incremental', state: { since: '2026-01-01' } }), {});
  assert.equal(pageFilter(items, 'ItemCode', {}, "A'1"), "ItemCode gt 'A''1'");
  assert.equal(pageFilter(items, 'ItemCode', {}, undefined), undefined);
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
  const plan = savedPlan(invoices, [
    { syncMode: 'incremental', state: { since: '2026-11-10', pass } },
    { syncMode: 'incremental', state: { since: '2026-11-10', pass: { ...pass, after_key: 38 } } },
  ]);
  assert.deepEqual(plan, { bound: { since: '2026-11-10' }, afterKey: 38, maxKey: 40, resumedStartedOn: '2026-11-23' });
});

test('a new pass replaces an interrupted one that no longer covers what is needed, keeping what it promised', () => {
  const pass = { bound: { since: '2026-11-10' }, after_key: 40, started_on: '2026-11-23' };
  const replay = savedPlan(invoices, [{ syncMode: 'incremental', state: { since: '2026-11-10', pass } }], { ...settings, replaySince: '2026-01-01' });
  assert.deepEqual(replay, { bound: { since: '2026-01-01' }, afterKey: undefined, maxKey: undefined, resumedStartedOn: undefined });
  // A member that joined after the interruption has its own needs: start over, for both.
  const mixed = savedPlan(invoices, [
    { syncMode: 'incremental', state: { since: '2026-11-10', pass } },
    { syncMode: 'incremental', state: undefined },
  ]);
  assert.deepEqual(mixed.bound, {});
  assert.equal(mixed.afterKey, undefined);
  // An interrupted replay is not lost when replay_since is removed before the retry... if members disagree.
  const widened = savedPlan(invoices, [
    { syncMode: 'incremental', state: { since: '2026-11-20', pass: { bound: { since: '2026-01-01' }, after_key: 5, started_on: '2026-11-23' } } },
    { syncMode: 'incremental', state: { since: '2026-11-20' } },
  ]);
  assert.deepEqual(widened.bound, { since: '2026-01-01' });
});

test("a checkpoint carries the stream's finished state exactly as it was saved, beside the pass", () => {
  const journal = policyOf('journal_entries');
  const saved = { since: '2026-11-24', max_key: 5587 };
  const checkpoint = checkpointState(journal, saved, {
    bound: { keyAbove: 5587, postedSince: '2026-09-25' },
    startedOn: '2026-11-25',
    afterKey: 5242,
    maxKey: 5242,
  });
  // The text of the previous release's checkpoint, key order included.
  assert.equal(
    JSON.stringify(checkpoint),
    '{"since":"2026-11-24","max_key":5587,"pass":{"bound":{"key_above":5587,"window_since":"2026-09-25"},"started_on":"2026-11-25","after_key":5242,"max_key":5242}}',
  );
  // A checkpoint of a second interruption replaces the first pass, never nests it.
  const again = checkpointState(journal, checkpoint, { ...read(journal, checkpoint).pass!, afterKey: 5300, maxKey: 5300 });
  assert.deepEqual(again, {
    ...saved,
    pass: { bound: { key_above: 5587, window_since: '2026-09-25' }, started_on: '2026-11-25', after_key: 5300, max_key: 5300 },
  });
  assert.deepEqual(checkpointState(items, undefined, { bound: {}, startedOn: '2026-11-24', afterKey: 'FD00150' }), {
    pass: { bound: {}, started_on: '2026-11-24', after_key: 'FD00150' },
  });
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
  assert.equal(names.size, 52);
});
