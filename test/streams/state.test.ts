import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStateInput } from '../../src/streams/state.js';
import { ConnectorError } from '../../src/errors.js';

const blob = { since: '2026-11-20' };

test('reads an array of STREAM states', () => {
  const states = parseStateInput([
    { type: 'STREAM', stream: { stream_descriptor: { name: 'invoices' }, stream_state: blob } },
    { type: 'STREAM', stream: { stream_descriptor: { name: 'journal_entries' }, stream_state: { max_key: 7 } } },
    { type: 'STREAM', stream: { stream_descriptor: { name: 'items' }, stream_state: null } },
  ]);
  assert.deepEqual(Object.fromEntries(states), { invoices: blob, journal_entries: { max_key: 7 } });
});

test('reads a one-element GLOBAL array and a legacy object', () => {
  const global = parseStateInput([
    { type: 'GLOBAL', global: { shared_state: {}, stream_states: [{ stream_descriptor: { name: 'invoices' }, stream_state: blob }] } },
  ]);
  assert.deepEqual(Object.fromEntries(global), { invoices: blob });
  assert.deepEqual(Object.fromEntries(parseStateInput({ invoices: blob })), { invoices: blob });
  assert.deepEqual(Object.fromEntries(parseStateInput({ type: 'LEGACY', data: { invoices: blob } })), { invoices: blob });
  assert.equal(parseStateInput([]).size, 0);
  assert.equal(parseStateInput(null).size, 0);
});

test('keeps a checkpoint of an interrupted pass', () => {
  const pass = { bound: { key_above: 5, window_since: '2026-09-01' }, after_key: 44, started_on: '2026-11-23', max_key: 44 };
  const states = parseStateInput({ journal_entries: { max_key: 5, pass } });
  assert.deepEqual(states.get('journal_entries'), { max_key: 5, pass });
});

test('anything else is a config_error that says what is wrong', () => {
  const cases: [unknown, RegExp][] = [
    ['invoices', /expected an array of state messages/],
    [42, /expected an array/],
    [[{ type: 'GLOBAL', global: {} }], /stream_states/],
    [
      [
        { type: 'GLOBAL', global: { stream_states: [] } },
        { type: 'GLOBAL', global: { stream_states: [] } },
      ],
      /only element/,
    ],
    [[{ type: 'LEGACY', data: {} }], /has type "LEGACY"/],
    [[{ type: 'STREAM', stream: { stream_state: {} } }], /stream_descriptor.name/],
    [{ invoices: { since: '20-11-2026' } }, /invoices.*since must be a date/],
    [{ invoices: 'yesterday' }, /state of stream invoices must be an object/],
    [{ invoices: { pass: { bound: {}, started_on: 'x' } } }, /pass.started_on/],
    [{ journal_entries: { max_key: { a: 1 } } }, /max_key must be a number or a string/],
    // Another connector's cursor, or a typo: never a silent full re-read.
    [{ invoices: { updated_at: '2026-11-20T10:00:00' } }, /state of stream invoices is not understood: "updated_at" is not part of this connector's state\. Expected \{"since"/],
    [{ invoices: { since: '2026-11-20', cursor: 1 } }, /invoices.*"cursor" is not part/],
    [{ invoices: { pass: { bound: { since: '2026-11-20' }, started_on: '2026-11-21', afterKey: 4 } } }, /in pass, "afterKey"/],
    [{ invoices: { pass: { bound: { from: '2026-11-20' }, started_on: '2026-11-21' } } }, /in pass\.bound, "from"/],
  ];
  for (const [input, message] of cases) {
    assert.throws(
      () => parseStateInput(input),
      (error: unknown) => error instanceof ConnectorError && error.failureType === 'config_error' && message.test(error.message),
      `input ${JSON.stringify(input)}`,
    );
  }
});
