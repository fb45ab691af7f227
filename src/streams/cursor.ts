/**
 * The cursor policies in one place: which records a pass must read (its bound), whether an
 * interrupted pass can be resumed, the $filter for a bound, and the state a finished pass leaves.
 *
 * Why passes are bounded by days and resumed by key (see README, "Incremental sync"):
 * the Service Layer's UpdateDate is a day and its UpdateTime filters compare hours and minutes
 * while ignoring the date, so a change stamp cannot be used as a precise cursor. A pass therefore
 * reads every record whose change date is on or after a day, in key order, paging by key (not by
 * $skip, which drifts when records change mid-read). The next pass starts from the day the
 * previous one started, so records changed while it ran, including across midnight, are read
 * again. Duplicates are expected; destinations deduplicate by primary key.
 */
import type { CursorPolicy, StreamDefinition } from './definitions.js';
import type { KeyValue, PassBound, PassProgress, StreamStateBlob } from './state.js';
import { stringLiteral } from '../service-layer/odata.js';

export type SyncMode = 'full_refresh' | 'incremental';

export interface MemberCursorInput {
  syncMode: SyncMode;
  state: StreamStateBlob | undefined;
}

export interface CursorSettings {
  /** The company-safe current day: the server's UTC date minus one day. */
  today: string;
  startDate?: string | undefined;
  replaySince?: string | undefined;
  lookbackDays: number;
  rereadWindowDays: number;
}

export interface PassPlan {
  bound: PassBound;
  afterKey: KeyValue | undefined;
  maxKey: KeyValue | undefined;
  /** Set when an interrupted pass is continued; a fresh pass takes its start day when it starts. */
  resumedStartedOn: string | undefined;
}

const BOUND_FIELDS = ['since', 'key_above', 'window_since'] as const;

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function compareKeys(a: KeyValue, b: KeyValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const left = String(a);
  const right = String(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

function minDefined<T extends KeyValue>(values: (T | undefined)[]): T | undefined {
  let result: T | undefined;
  for (const value of values) {
    if (value !== undefined && (result === undefined || compareKeys(value, result) < 0)) result = value;
  }
  return result;
}

function maxDefined<T extends KeyValue>(values: (T | undefined)[]): T | undefined {
  let result: T | undefined;
  for (const value of values) {
    if (value !== undefined && (result === undefined || compareKeys(value, result) > 0)) result = value;
  }
  return result;
}

const isEverything = (bound: PassBound): boolean => BOUND_FIELDS.every((field) => bound[field] === undefined);

/** The bound that reads what a stream needs if it started a new pass now. */
export function freshBound(policy: CursorPolicy, member: MemberCursorInput, settings: CursorSettings): PassBound {
  if (member.syncMode === 'full_refresh') return {};
  const replay = settings.replaySince;
  switch (policy.kind) {
    case 'change_stamp': {
      const fromState = member.state?.since !== undefined ? addDays(member.state.since, -settings.lookbackDays) : settings.startDate;
      if (fromState === undefined) return {};
      return { since: minDefined([fromState, replay])! };
    }
    case 'key_and_posting_window': {
      const maxKey = member.state?.max_key;
      if (maxKey !== undefined) {
        // The window hangs off the day the previous pass started (not today), so that a state
        // from the future reads nothing, like every other cursor.
        const windowEnd = member.state?.since ?? settings.today;
        return { key_above: maxKey, window_since: minDefined([addDays(windowEnd, -settings.rereadWindowDays), replay])! };
      }
      if (settings.startDate !== undefined) return { window_since: minDefined([settings.startDate, replay])! };
      return {};
    }
    case 'none':
      return {};
  }
}

/** The smallest bound that reads everything each of the given bounds reads. */
export function mergeBounds(bounds: PassBound[]): PassBound {
  if (bounds.length === 0 || bounds.some(isEverything)) return {};
  const merged: PassBound = {};
  for (const field of BOUND_FIELDS) {
    const value = minDefined(bounds.map((bound) => bound[field]));
    if (value !== undefined) (merged as Record<string, KeyValue>)[field] = value;
  }
  return merged;
}

/** Whether every record `inner` reads is also read by `outer`. */
export function covers(outer: PassBound, inner: PassBound): boolean {
  if (isEverything(outer)) return true;
  if (isEverything(inner)) return false;
  return BOUND_FIELDS.every((field) => {
    const needed = inner[field];
    const available = outer[field];
    return needed === undefined || (available !== undefined && compareKeys(available, needed) <= 0);
  });
}

const sameBound = (a: PassBound, b: PassBound): boolean => BOUND_FIELDS.every((field) => a[field] === b[field]);

/**
 * Plans the pass of a group of streams fed by one entity set (a parent and its children). An
 * interrupted pass is resumed only if every member was interrupted in that same pass and it still
 * reads all they now need; otherwise a new pass reads the union of what they need, including what
 * any interrupted pass was reading, so that nothing an earlier attempt promised is lost.
 */
export function planPass(policy: CursorPolicy, members: MemberCursorInput[], settings: CursorSettings): PassPlan {
  const fresh = mergeBounds(members.map((member) => freshBound(policy, member, settings)));
  const passes = members.map((member) => member.state?.pass);
  const first = passes[0];
  const allInSamePass =
    first !== undefined &&
    passes.every((pass): pass is PassProgress => pass !== undefined && sameBound(pass.bound, first.bound) && pass.started_on === first.started_on);
  if (allInSamePass && covers(first.bound, fresh)) {
    const resumed = passes as PassProgress[];
    const afterKeys = resumed.map((pass) => pass.after_key);
    return {
      bound: first.bound,
      // A member that had not emitted anything yet needs the pass from its beginning.
      afterKey: afterKeys.some((key) => key === undefined) ? undefined : minDefined(afterKeys),
      maxKey: maxDefined(resumed.map((pass) => pass.max_key)),
      resumedStartedOn: first.started_on,
    };
  }
  const interrupted = passes.filter((pass): pass is PassProgress => pass !== undefined).map((pass) => pass.bound);
  return { bound: mergeBounds([fresh, ...interrupted]), afterKey: undefined, maxKey: undefined, resumedStartedOn: undefined };
}

/** The $filter that selects a bound's records, or undefined for everything. */
export function boundFilter(definition: StreamDefinition, bound: PassBound): string | undefined {
  const policy = definition.cursor;
  if (policy.kind === 'change_stamp') {
    const dateProperty = definition.changeStamp?.dateProperty;
    return bound.since !== undefined && dateProperty ? `${dateProperty} ge ${stringLiteral(bound.since)}` : undefined;
  }
  if (policy.kind === 'key_and_posting_window') {
    const parts: string[] = [];
    if (bound.key_above !== undefined) parts.push(`${definition.key} gt ${keyLiteral(bound.key_above)}`);
    if (bound.window_since !== undefined) parts.push(`${policy.postingDateProperty} ge ${stringLiteral(bound.window_since)}`);
    if (parts.length === 0) return undefined;
    return parts.length === 1 ? parts[0] : `(${parts.join(' or ')})`;
  }
  return undefined;
}

/** The $filter of one page: the bound, and the key position reached so far. */
export function pageFilter(definition: StreamDefinition, bound: PassBound, afterKey: KeyValue | undefined): string | undefined {
  const parts = [boundFilter(definition, bound), afterKey === undefined ? undefined : `${definition.key} gt ${keyLiteral(afterKey)}`].filter(
    (part): part is string => part !== undefined,
  );
  return parts.length === 0 ? undefined : parts.join(' and ');
}

export function keyLiteral(key: KeyValue): string {
  return typeof key === 'number' ? String(key) : stringLiteral(key);
}

/** Cursors never move backwards: a state in the future stays (the read warns about it). */
function laterDay(previous: string | undefined, startedOn: string): string {
  return previous !== undefined && previous > startedOn ? previous : startedOn;
}

/** The state a stream keeps after its pass has finished. */
export function completedState(
  policy: CursorPolicy,
  previous: StreamStateBlob | undefined,
  startedOn: string,
  maxKey: KeyValue | undefined,
): StreamStateBlob {
  switch (policy.kind) {
    case 'change_stamp':
      return { since: laterDay(previous?.since, startedOn) };
    case 'key_and_posting_window': {
      const max = maxDefined([previous?.max_key, maxKey]);
      return max === undefined ? {} : { max_key: max, since: laterDay(previous?.since, startedOn) };
    }
    case 'none':
      return {};
  }
}

/**
 * Why a stream's saved state cannot come from its cursor policy, or undefined when it can. A state
 * the policy would not read (a change-stamp stream given only a highest key) would otherwise make
 * the next pass read the whole history again without a word.
 */
export function statePolicyProblem(policy: CursorPolicy, state: StreamStateBlob): string | undefined {
  const boundFields = Object.keys(state.pass?.bound ?? {});
  switch (policy.kind) {
    case 'change_stamp':
      if (state.max_key !== undefined) return 'max_key belongs to journal entries and payments; this stream keeps {"since": "YYYY-MM-DD"}';
      if (boundFields.some((field) => field !== 'since')) return `pass.bound has ${boundFields.join(', ')}; this stream's passes are bound by "since" only`;
      return undefined;
    case 'key_and_posting_window':
      if (state.since !== undefined && state.max_key === undefined) return 'it has "since" without "max_key"; this stream keeps {"max_key": <highest key read>, "since": "YYYY-MM-DD"}';
      if (boundFields.includes('since')) return 'pass.bound has "since"; this stream\'s passes are bound by "key_above" and "window_since"';
      return undefined;
    case 'none':
      return undefined;
  }
}
