/**
 * none (master data, items, business partners): every sync reads everything; only an interrupted
 * pass is kept, to resume after its last key.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { catalogEntries } from '../../../src/streams/catalog.js';
import { definition, policyOf, problemOf, read, savedCompletion, savedFreshBound, savedPlan } from './helpers.js';

const items = policyOf('items');

test('state shape: only an interrupted pass is read; what another policy kept costs nothing here', () => {
  assert.equal(problemOf(items, {}), undefined);
  assert.deepEqual(read(items, {}), { finished: undefined, pass: undefined });
  assert.deepEqual(read(items, { pass: { bound: {}, started_on: '2026-11-24', after_key: 'FD00150' } }), {
    finished: undefined,
    pass: { bound: {}, startedOn: '2026-11-24', afterKey: 'FD00150' },
  });
  // A stream that had another policy before (a custom entity set whose change date was removed).
  assert.deepEqual(read(items, { since: '2026-01-01', max_key: 4 }), { finished: undefined, pass: undefined });
  assert.deepEqual(items.writeFinished(undefined), {});
  assert.deepEqual(items.writeBound({}), {});
});

test('an interrupted pass resumes after its key; one that another policy bounded starts again', () => {
  assert.deepEqual(savedPlan(items, [{ syncMode: 'full_refresh', state: { pass: { bound: {}, started_on: '2026-11-24', after_key: 'FD00150' } } }]), {
    bound: {},
    afterKey: 'FD00150',
    maxKey: undefined,
    resumedStartedOn: '2026-11-24',
  });
  assert.deepEqual(
    savedPlan(items, [
      { syncMode: 'full_refresh', state: { pass: { bound: { since: '2026-11-01' }, started_on: '2026-11-24', after_key: 'FD00150' } } },
    ]),
    {
      bound: {},
      afterKey: undefined,
      maxKey: undefined,
      resumedStartedOn: undefined,
    },
  );
});

test('reads everything, keeps nothing when finished, and has no day to count from', () => {
  assert.deepEqual(savedFreshBound(items, { syncMode: 'incremental', state: { since: '2026-01-01' } }), {});
  assert.equal(items.boundFilter({}), undefined);
  assert.deepEqual(savedCompletion(items, undefined, '2026-11-23', 'Z9'), {});
  assert.equal(items.countsFrom(undefined), undefined);
});

test('the catalog offers full refresh only, and the manifest reads everything', () => {
  for (const entry of catalogEntries(definition('items'))) {
    assert.deepEqual(entry.stream.supported_sync_modes, ['full_refresh']);
    assert.equal(entry.stream.default_cursor_field, undefined);
    assert.equal(entry.stream.source_defined_cursor, undefined);
  }
  assert.equal(items.manifest.filter(), undefined);
  assert.equal(items.manifest.incrementalSync('updated_at'), undefined);
});
