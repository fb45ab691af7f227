/**
 * Selection reads each configured stream's saved state with its cursor policy: a state of another
 * policy's shape stops the read before it starts, naming the stream, instead of reading the whole
 * history again without a word.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConnectorError } from '../../src/errors.js';
import { silentLogger } from '../../src/logging.js';
import { catalogEntries, type CatalogEntry } from '../../src/streams/catalog.js';
import { shippedStreams } from '../../src/streams/definitions.js';
import { selectStreams } from '../../src/streams/selection.js';
import type { SavedState } from '../../src/streams/state.js';

const offered = new Map<string, CatalogEntry>();
for (const definition of shippedStreams) for (const entry of catalogEntries(definition)) offered.set(entry.stream.name, entry);

function select(states: Record<string, SavedState>) {
  const streams = Object.keys(states).map((name) => ({
    stream: offered.get(name)!.stream,
    sync_mode: 'incremental' as const,
    destination_sync_mode: 'append_dedup' as const,
  }));
  return selectStreams({ streams }, offered, new Map(Object.entries(states)), silentLogger);
}

test('each member carries its state as saved and as its policy reads it; one group per entity set with its policy', () => {
  const selection = select({
    invoices: { since: '2026-11-20' },
    invoice_lines: { since: '2026-11-20' },
    journal_entries: { max_key: 9, since: '2026-11-20' },
  });
  assert.deepEqual(
    selection.groups.map((group) => [group.definition.entitySet, group.policy.kind, group.members.map((member) => member.name)]),
    [
      ['Invoices', 'change_stamp', ['invoices', 'invoice_lines']],
      ['JournalEntries', 'key_and_posting_window', ['journal_entries']],
    ],
  );
  const journal = selection.groups[1]!.members[0]!;
  assert.deepEqual(journal.saved, { max_key: 9, since: '2026-11-20' });
  assert.deepEqual(journal.cursor, { finished: { maxKey: 9, windowEndsOn: '2026-11-20' }, pass: undefined });
});

test("a state of another policy's shape is a config_error naming the stream and what it keeps", () => {
  const cases: [Record<string, SavedState>, RegExp][] = [
    [
      { invoices: { max_key: 7 } },
      /state of stream invoices is not understood: max_key belongs to journal entries and payments; this stream keeps \{"since": "YYYY-MM-DD"\}\. Expected/,
    ],
    [{ journal_entries: { since: '2026-11-01' } }, /state of stream journal_entries is not understood: it has "since" without "max_key"/],
  ];
  for (const [states, message] of cases) {
    assert.throws(
      () => select(states),
      (error: unknown) => error instanceof ConnectorError && error.failureType === 'config_error' && message.test(error.message),
      JSON.stringify(states),
    );
  }
});
