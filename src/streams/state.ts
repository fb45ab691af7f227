/**
 * The per-stream state blob, and reading the --state file in every form Airbyte passes it:
 * an array of STREAM states, a one-element GLOBAL array, or a legacy object keyed by stream name.
 */
import { configError } from '../errors.js';

export type KeyValue = string | number;

/** Which records a pass reads; an empty bound reads everything. */
export interface PassBound {
  /** change_stamp: records whose change date is on or after this day (YYYY-MM-DD). */
  since?: string;
  /** key_and_posting_window: records with a key above this one... */
  key_above?: KeyValue;
  /** ...or posted on or after this day. */
  window_since?: string;
}

/** A pass over an entity set that has started and not finished. */
export interface PassProgress {
  bound: PassBound;
  /** Last key emitted: the pass resumes after it. */
  after_key?: KeyValue;
  /** Company-safe date on which the pass started (the server's UTC date minus one day). */
  started_on: string;
  /** Highest key seen by the pass so far. */
  max_key?: KeyValue;
}

export interface StreamStateBlob {
  /**
   * The day the last finished pass started (company-safe). change_stamp: the next pass reads
   * records changed on or after it. key_and_posting_window: the re-read window ends on it.
   */
  since?: string;
  /** key_and_posting_window: highest key read by a finished pass. */
  max_key?: KeyValue;
  /** Present while a pass is under way: the checkpoint to resume from. */
  pass?: PassProgress;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads whatever was given with --state into stream name -> blob. */
export function parseStateInput(input: unknown): Map<string, StreamStateBlob> {
  const states = new Map<string, StreamStateBlob>();
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

function addStreamState(states: Map<string, StreamStateBlob>, entry: unknown, where: string): void {
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
  '{"since": "YYYY-MM-DD"} for documents, items and partners, {"max_key": <highest key read>, "since": "YYYY-MM-DD"} for journal entries ' +
  'and payments, or {} for full-refresh streams, each with a "pass" object while a read is under way';

/**
 * A field this connector does not write means the state comes from elsewhere (another connector,
 * a hand edit): ignoring it would silently read the whole history again, so it is an error.
 */
function rejectUnknownFields(record: Record<string, unknown>, known: readonly string[], where: string, problem: (what: string) => never): void {
  const unknown = Object.keys(record).filter((key) => !known.includes(key));
  if (unknown.length > 0) problem(`${where}${unknown.map((key) => JSON.stringify(key)).join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not part of this connector's state`);
}

function validateBlob(stream: string, blob: unknown): StreamStateBlob {
  if (blob === null || blob === undefined) return {};
  if (!isObject(blob)) throw stateError(`the state of stream ${stream} must be an object, got ${JSON.stringify(blob)}`);
  const problem = (what: string): never => {
    throw stateError(
      `the state of stream ${stream} is not understood: ${what}. Expected ${EXPECTED_STATE_SHAPE}. ` +
        'If it was written by another connector or by hand, fix it, or reset the stream in Airbyte to read it in full',
    );
  };
  rejectUnknownFields(blob, ['since', 'max_key', 'pass'], '', problem);
  const result: StreamStateBlob = {};
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
