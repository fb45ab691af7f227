/**
 * The cursor policies seen from outside: states in their saved form, as Airbyte stores them (tests
 * give and expect the JSON the connector reads and writes), and manifest filters rendered as the
 * declarative engine renders them.
 */
import assert from 'node:assert/strict';
import { interpolateOption } from '../../helpers/declarative/interpolation.js';
import { cursorPolicyOf } from '../../../src/streams/cursor/index.js';
import { completedState, freshBound, planPass, type SyncMode } from '../../../src/streams/cursor/pass.js';
import type { CursorPolicy, CursorSettings, CursorState, PassBound } from '../../../src/streams/cursor/policy.js';
import type { KeyValue } from '../../../src/streams/cursor/ordering.js';
import { shippedStreams, type StreamDefinition } from '../../../src/streams/definitions.js';
import type { SavedBound, SavedState } from '../../../src/streams/state.js';

export const settings: CursorSettings = { today: '2026-11-24', lookbackDays: 0, rereadWindowDays: 60 };

export function definition(name: string): StreamDefinition {
  const found = shippedStreams.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no shipped stream ${name}`);
  return found;
}

export function policyOf(name: string): CursorPolicy {
  return cursorPolicyOf(definition(name));
}

/** A saved state as the policy reads it; a state it cannot read fails the test. */
export function read(policy: CursorPolicy, saved: SavedState): CursorState<unknown, PassBound> {
  const reading = policy.readState(saved);
  if ('problem' in reading) throw new Error(`unexpected problem: ${reading.problem}`);
  return reading.state;
}

/** Why the policy cannot read a saved state, or undefined when it can. */
export function problemOf(policy: CursorPolicy, saved: SavedState): string | undefined {
  const reading = policy.readState(saved);
  return 'problem' in reading ? reading.problem : undefined;
}

export interface SavedMember {
  syncMode: SyncMode;
  state: SavedState | undefined;
}

const member = (policy: CursorPolicy, saved: SavedMember) => ({ syncMode: saved.syncMode, state: saved.state && read(policy, saved.state) });

/** The bound a new pass needs for one stream, in saved form. */
export function savedFreshBound(policy: CursorPolicy, saved: SavedMember, at: CursorSettings = settings): SavedBound {
  return policy.writeBound(freshBound(policy, member(policy, saved), at));
}

/** The plan of a group's pass, its bound in saved form. */
export function savedPlan(policy: CursorPolicy, members: SavedMember[], at: CursorSettings = settings) {
  const plan = planPass(
    policy,
    members.map((saved) => member(policy, saved)),
    at,
  );
  return { ...plan, bound: policy.writeBound(plan.bound) };
}

/** The state a finished pass saves. */
export function savedCompletion(policy: CursorPolicy, previous: SavedState | undefined, startedOn: string, maxKey: KeyValue | undefined): SavedState {
  return completedState(policy, previous && read(policy, previous), startedOn, maxKey);
}

/** A policy's manifest $filter as the engine renders a request parameter for a slice (an empty one is dropped: null). */
export function renderedFilter(policy: CursorPolicy, slice: Record<string, unknown>, config: Record<string, unknown> = {}): unknown {
  const filter = policy.manifest.filter();
  assert.ok(filter);
  return interpolateOption(filter, { config, stream_interval: slice, stream_slice: slice }, { now: () => new Date('2026-11-25T10:00:00Z') });
}
