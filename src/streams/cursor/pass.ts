/**
 * Passes, the same for every cursor policy: planning the pass of a group of streams fed by one
 * entity set (fresh or resumed), the $filter of each page, and the states a pass saves.
 */
import type { SavedState } from '../state.js';
import { compareKeys, earliest, keyLiteral, latest, type KeyValue } from './ordering.js';
import type { CursorPolicy, CursorSettings, CursorState, PassBound, PassCheckpoint } from './policy.js';

export type SyncMode = 'full_refresh' | 'incremental';

export interface PassMember<Finished, Bound extends PassBound> {
  syncMode: SyncMode;
  state: CursorState<Finished, Bound> | undefined;
}

export interface PassPlan<Bound extends PassBound> {
  bound: Bound;
  afterKey: KeyValue | undefined;
  maxKey: KeyValue | undefined;
  /** Set when an interrupted pass is continued; a fresh pass takes its start day when it starts. */
  resumedStartedOn: string | undefined;
}

const conditionsOf = (bound: PassBound): string[] => Object.keys(bound).filter((condition) => bound[condition] !== undefined);
const readsEverything = (bound: PassBound): boolean => conditionsOf(bound).length === 0;

/** The smallest bound that reads everything each of the given bounds reads. */
export function mergeBounds<Bound extends PassBound>(bounds: Bound[]): Bound {
  if (bounds.length === 0 || bounds.some(readsEverything)) return {} as Bound;
  const merged: Record<string, KeyValue> = {};
  for (const condition of new Set(bounds.flatMap(conditionsOf))) {
    merged[condition] = earliest(...bounds.map((bound) => bound[condition]))!;
  }
  return merged as Bound;
}

/** Whether every record `inner` reads is also read by `outer`. */
export function covers(outer: PassBound, inner: PassBound): boolean {
  if (readsEverything(outer)) return true;
  if (readsEverything(inner)) return false;
  return conditionsOf(inner).every((condition) => {
    const available = outer[condition];
    return available !== undefined && compareKeys(available, inner[condition]!) <= 0;
  });
}

function sameBound(a: PassBound, b: PassBound): boolean {
  const conditions = new Set([...conditionsOf(a), ...conditionsOf(b)]);
  return [...conditions].every((condition) => a[condition] === b[condition]);
}

/** The bound a member needs if a new pass started now: a full refresh reads everything. */
export function freshBound<Finished, Bound extends PassBound>(
  policy: CursorPolicy<Finished, Bound>,
  member: PassMember<Finished, Bound>,
  settings: CursorSettings,
): Bound {
  return member.syncMode === 'full_refresh' ? ({} as Bound) : policy.freshBound(member.state?.finished, settings);
}

/**
 * Plans the pass of a group of streams fed by one entity set (a parent and its children). An
 * interrupted pass is resumed only if every member was interrupted in that same pass and it still
 * reads all they now need; otherwise a new pass reads the union of what they need, including what
 * any interrupted pass was reading, so that nothing an earlier attempt promised is lost.
 */
export function planPass<Finished, Bound extends PassBound>(
  policy: CursorPolicy<Finished, Bound>,
  members: PassMember<Finished, Bound>[],
  settings: CursorSettings,
): PassPlan<Bound> {
  const fresh = mergeBounds(members.map((member) => freshBound(policy, member, settings)));
  const passes = members.map((member) => member.state?.pass);
  const first = passes[0];
  const allInSamePass =
    first !== undefined &&
    passes.every(
      (pass): pass is PassCheckpoint<Bound> => pass !== undefined && sameBound(pass.bound, first.bound) && pass.startedOn === first.startedOn,
    );
  if (allInSamePass && covers(first.bound, fresh)) {
    const resumed = passes as PassCheckpoint<Bound>[];
    const afterKeys = resumed.map((pass) => pass.afterKey);
    return {
      bound: first.bound,
      // A member that had not emitted anything yet needs the pass from its beginning.
      afterKey: afterKeys.some((key) => key === undefined) ? undefined : earliest(...afterKeys),
      maxKey: latest(...resumed.map((pass) => pass.maxKey)),
      resumedStartedOn: first.startedOn,
    };
  }
  const interrupted = passes.filter((pass): pass is PassCheckpoint<Bound> => pass !== undefined).map((pass) => pass.bound);
  return { bound: mergeBounds([fresh, ...interrupted]), afterKey: undefined, maxKey: undefined, resumedStartedOn: undefined };
}

/** The $filter of one page: the policy's bound, the key position reached so far, and the end of the page's key range, if the pass is split. */
export function pageFilter<Bound extends PassBound>(
  policy: CursorPolicy<unknown, Bound>,
  key: string,
  bound: Bound,
  afterKey: KeyValue | undefined,
  upToKey?: KeyValue,
): string | undefined {
  const parts = [
    policy.boundFilter(bound),
    afterKey === undefined ? undefined : `${key} gt ${keyLiteral(afterKey)}`,
    upToKey === undefined ? undefined : `${key} le ${keyLiteral(upToKey)}`,
  ].filter((part): part is string => part !== undefined);
  return parts.length === 0 ? undefined : parts.join(' and ');
}

/**
 * A checkpoint in the middle of a pass. It keeps the stream's finished state exactly as it was
 * saved, so that a pass that is later abandoned (not resumed) leaves the stream where it was.
 */
export function checkpointState<Bound extends PassBound>(
  policy: CursorPolicy<unknown, Bound>,
  saved: SavedState | undefined,
  pass: PassCheckpoint<Bound>,
): SavedState {
  const { pass: _interrupted, ...finished } = saved ?? {};
  return {
    ...finished,
    pass: {
      bound: policy.writeBound(pass.bound),
      started_on: pass.startedOn,
      ...(pass.afterKey !== undefined ? { after_key: pass.afterKey } : {}),
      ...(pass.maxKey !== undefined ? { max_key: pass.maxKey } : {}),
    },
  };
}

/** The state a stream keeps once its pass has finished. */
export function completedState<Finished>(
  policy: CursorPolicy<Finished, PassBound>,
  previous: CursorState<Finished, PassBound> | undefined,
  startedOn: string,
  maxKey: KeyValue | undefined,
): SavedState {
  return policy.writeFinished(policy.completed(previous?.finished, startedOn, maxKey));
}
