/**
 * The saved state of a stream as Airbyte stores it, and reading the --state file in every form
 * Airbyte passes it: an array of STREAM states, a one-element GLOBAL array, or a legacy object keyed
 * by stream name. This module knows the form only (which fields exist and what type each holds);
 * what the fields mean is the stream's cursor policy's business (cursor/), which reads them into
 * its own named state.
 *
 * The field names are those every release so far has written (users have them saved in Airbyte,
 * and an older release must still read what a newer one wrote); they are shared by the policies,
 * so a name here can mean different things to different policies: `since` is the day the last
 * finished pass started, from which a change-stamp stream re-reads changes and on which a
 * key-and-window stream's re-read window ends.
 */
import { configError } from '../errors.js';
import type { KeyValue } from './cursor/ordering.js';

/** Which records a pass reads, in saved form; an empty bound reads everything. */
export interface SavedBound {
  since?: string;
  key_above?: KeyValue;
  window_since?: string;
}

/** A pass over an entity set that has started and not finished, in saved form. */
export interface SavedPass {
  bound: SavedBound;
  /** Company-safe date on which the pass started. */
  started_on: string;
  /** Last key emitted: the pass resumes after it. */
  after_key?: KeyValue;
  /** Highest key seen by the pass so far. */
  max_key?: KeyValue;
}

/** The state of one stream, in saved form. */
export interface SavedState {
  since?: string;
  max_key?: KeyValue;
  /** Present while a pass is under way: the checkpoint to resume from. */
  pass?: SavedPass;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads whatever was given with --state into stream name -> blob. */
export function parseStateInput(input: unknown): Map<string, SavedState> {
  const states = new Map<string, SavedState>();
  if (input === null || input === undefined) return states;
  if (Array.isArray(input)) {
    if (input.length === 1 && isObject(input[0]) && input[0].type === 'GLOBAL') {
      const global = input[0].global;
      const streamStates = isObject(global) ? global.stream_states : undefined;
      if (!Array.isArray(streamStates)) throw stateError('the GLOBAL state has no global.stream_states array');
      for (const entry of streamStates) addStreamState(states, entry, 'global.stream_states');
      return states;
    }
    input.forEach((message, index) => {
      if (!isObject(message)) throw stateError(`element ${index} is not an object`);
      if (message.type === 'GLOBAL') throw stateError('a GLOBAL state must be the only element of the array');
      if (message.type !== 'STREAM' && message.type !== undefined) {
        throw stateError(`element ${index} has type ${JSON.stringify(message.type)}; expected STREAM (or a single GLOBAL element)`);
      }
      if (message.type === undefined && !isObject(message.stream)) throw stateError(`element ${index} is not a STREAM state message`);
      addStreamState(states, message.stream, `element ${index}`);
    });
    return states;
  }
  if (isObject(input)) {
    // The legacy form: {"invoices": {...}, ...}, sometimes wrapped as {"type": "LEGACY", "data": {...}}.
    const legacy = input.type === 'LEGACY' && isObject(input.data) ? input.data : input;
    for (const [name, blob] of Object.entries(legacy)) {
      states.set(name, validateBlob(name, blob));
    }
    return states;
  }
  throw stateError(`expected an array of state messages or an object keyed by stream name, got ${typeof input}`);
}

function addStreamState(states: Map<string, SavedState>, entry: unknown, where: string): void {
  if (!isObject(entry)) throw stateError(`${where}: missing stream object`);
  const descriptor = entry.stream_descriptor;
  if (!isObject(descriptor) || typeof descriptor.name !== 'string' || descriptor.name === '') {
    throw stateError(`${where}: stream_descriptor.name is missing`);
  }
  // A null or absent stream_state means "no state yet" in Airbyte's own resets.
  if (entry.stream_state === null || entry.stream_state === undefined) return;
  states.set(descriptor.name, validateBlob(descriptor.name, entry.stream_state));
}

/** What this connector writes, for messages about a state it cannot read. */
export const EXPECTED_STATE_SHAPE =
  '{"since": "YYYY-MM-DD"} for documents, {"max_key": <highest key read>, "since": "YYYY-MM-DD"} for journal entries and payments, ' +
  'or {} for full-refresh streams (master data, items, business partners), each with a "pass" object while a read is under way';

/**
 * A field this connector does not write means the state comes from elsewhere (another connector,
 * a hand edit): ignoring it would silently read the whole history again, so it is an error.
 */
function rejectUnknownFields(record: Record<string, unknown>, known: readonly string[], where: string, problem: (what: string) => never): void {
  const unknown = Object.keys(record).filter((key) => !known.includes(key));
  if (unknown.length > 0) problem(`${where}${unknown.map((key) => JSON.stringify(key)).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not part of this connector's state`);
}

function validateBlob(stream: string, blob: unknown): SavedState {
  if (blob === null || blob === undefined) return {};
  if (!isObject(blob)) throw stateError(`the state of stream ${stream} must be an object, got ${JSON.stringify(blob)}`);
  const problem = (what: string): never => {
    throw stateError(
      `the state of stream ${stream} is not understood: ${what}. Expected ${EXPECTED_STATE_SHAPE}. ` +
        'If it was written by another connector or by hand, fix it, or reset the stream in Airbyte to read it in full',
    );
  };
  rejectUnknownFields(blob, ['since', 'max_key', 'pass'], '', problem);
  const result: SavedState = {};
  if (blob.since !== undefined) result.since = checkDate(blob.since, 'since', problem);
  if (blob.max_key !== undefined) result.max_key = checkKey(blob.max_key, 'max_key', problem);
  if (blob.pass !== undefined) {
    if (!isObject(blob.pass)) problem('pass must be an object');
    const pass = blob.pass as Record<string, unknown>;
    rejectUnknownFields(pass, ['bound', 'started_on', 'after_key', 'max_key'], 'in pass, ', problem);
    const bound = isObject(pass.bound) ? pass.bound : problem('pass.bound must be an object');
    rejectUnknownFields(bound, ['since', 'key_above', 'window_since'], 'in pass.bound, ', problem);
    result.pass = {
      bound: {
        ...(bound.since !== undefined ? { since: checkDate(bound.since, 'pass.bound.since', problem) } : {}),
        ...(bound.key_above !== undefined ? { key_above: checkKey(bound.key_above, 'pass.bound.key_above', problem) } : {}),
        ...(bound.window_since !== undefined ? { window_since: checkDate(bound.window_since, 'pass.bound.window_since', problem) } : {}),
      },
      started_on: checkDate(pass.started_on, 'pass.started_on', problem),
      ...(pass.after_key !== undefined ? { after_key: checkKey(pass.after_key, 'pass.after_key', problem) } : {}),
      ...(pass.max_key !== undefined ? { max_key: checkKey(pass.max_key, 'pass.max_key', problem) } : {}),
    };
  }
  return result;
}

function checkDate(value: unknown, field: string, problem: (what: string) => never): string {
  if (typeof value !== 'string' || !DATE.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    return problem(`${field} must be a date YYYY-MM-DD, got ${JSON.stringify(value)}`);
  }
  return value;
}

function checkKey(value: unknown, field: string, problem: (what: string) => never): KeyValue {
  if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'string') return value;
  return problem(`${field} must be a number or a string, got ${JSON.stringify(value)}`);
}

export function stateError(what: string) {
  return configError(`The --state file is not a valid Airbyte state: ${what}.`);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
