/**
 * A cursor policy: how a stream finds what changed since its last sync. Each policy is one module
 * (change-stamp.ts, key-and-posting-window.ts, none.ts) implementing this interface, and the
 * engine, the catalog, the manifest and custom entity sets ask the stream's policy (index.ts looks
 * it up) instead of switching on its kind.
 *
 * What every policy shares (pass.ts): a read is a pass over the entity set in key order, paged by
 * key, never by $skip, which drifts when records change mid-read. The policy bounds the pass
 * (which records it must read); each page ends with a checkpoint that holds the pass's bound, the
 * last key emitted and the day the pass started, so that an interrupted pass resumes after that
 * key; a finished pass leaves the policy's own state, from which the next pass is bounded.
 */
import type { ResolvedConfig } from '../../config/load.js';
import type { Component } from '../../manifest/components.js';
import type { ChildStreamDefinition, CursorDeclaration, StreamDefinition } from '../definitions.js';
import type { SavedBound, SavedPass, SavedState } from '../state.js';
import type { KeyValue } from './ordering.js';

export type CursorKind = CursorDeclaration['kind'];

/**
 * Which records a pass reads, as lower bounds by condition, each policy naming its own: a record
 * is read when it meets any of them. A bound without conditions reads everything.
 */
export type PassBound = { readonly [condition: string]: KeyValue | undefined };

/** A pass that has started and not finished: where an interrupted read resumes. */
export interface PassCheckpoint<Bound extends PassBound> {
  bound: Bound;
  /** Company-safe day on which the pass started. */
  startedOn: string;
  /** Last key emitted: the pass resumes after it. */
  afterKey?: KeyValue;
  /** Highest key the pass has seen (policies that find new records by key). */
  maxKey?: KeyValue;
}

/** A stream's saved state as its policy reads it. */
export interface CursorState<Finished, Bound extends PassBound> {
  /** What the last finished pass left; undefined before the first one. */
  finished: Finished | undefined;
  /** Present while a pass is under way. */
  pass: PassCheckpoint<Bound> | undefined;
}

/** A saved state the policy can read, or why it cannot: a state it would misread is never ignored. */
export type StateReading<Finished, Bound extends PassBound> = { state: CursorState<Finished, Bound> } | { problem: string };

export interface CursorSettings {
  /** The company-safe current day: the server's UTC date minus one day. */
  today: string;
  startDate?: string | undefined;
  replaySince?: string | undefined;
  lookbackDays: number;
  rereadWindowDays: number;
}

/** A policy's part of the declarative manifest (see manifest/). */
export interface ManifestCursor {
  /** The $filter template of every request of the entity set, or undefined to read everything. */
  filter(): string | undefined;
  /** The stream's incremental_sync component, or undefined when the stream is full refresh only. */
  incrementalSync(cursorField: string): Component | undefined;
}

/**
 * One cursor policy, made for one stream definition (so it knows the key and the properties it
 * filters on). Its methods are declared as methods so that a policy with its own state types is
 * also a CursorPolicy<unknown>: code outside the policy carries states without looking into them.
 */
export interface CursorPolicy<Finished = unknown, Bound extends PassBound = PassBound> {
  readonly kind: CursorKind;
  /** Whether a pass keeps the highest key it read (new records are found by key). */
  readonly tracksMaxKey: boolean;

  /** The state shape: reads a saved state (in the form every release so far has written). */
  readState(saved: SavedState): StateReading<Finished, Bound>;
  /** The saved form of a finished pass's state. */
  writeFinished(finished: Finished | undefined): SavedState;
  /** The saved form of a pass's bound. */
  writeBound(bound: Bound): SavedBound;

  /** What a new incremental pass must read for a stream in this state. */
  freshBound(finished: Finished | undefined, settings: CursorSettings): Bound;
  /** The $filter that selects a bound's records, or undefined for everything. */
  boundFilter(bound: Bound): string | undefined;
  /** The state a stream keeps after its pass has finished. */
  completed(previous: Finished | undefined, startedOn: string, maxKey: KeyValue | undefined): Finished | undefined;
  /** The day the next pass is counted from, if the state keeps one (a day in the future reads nothing). */
  countsFrom(finished: Finished | undefined): string | undefined;

  /** The catalog's default cursor field of the parent stream, or undefined: full refresh only. */
  parentCursorField(keyColumn: string): string | undefined;
  /** The same for a child stream made of one of the parent's collections. */
  childCursorField(child: ChildStreamDefinition): string | undefined;

  readonly manifest: ManifestCursor;
}

/** An entry of the custom_entity_sets setting. */
export type CustomEntitySet = ResolvedConfig['custom_entity_sets'][number];

/** What index.ts knows of a policy module: how a stream table row and a custom entity set declare the policy. */
export interface CursorModule<Kind extends CursorKind> {
  /** The policy of a stream definition that declares it. */
  create(definition: StreamDefinition, declared: Extract<CursorDeclaration, { kind: Kind }>): CursorPolicy;
  /** The declaration a custom entity set makes, or the setting it lacks for this policy. */
  declare(entry: CustomEntitySet): Extract<CursorDeclaration, { kind: Kind }> | { missingSetting: string };
}

/** Day-granular, as the Service Layer compares dates: the manifest's date format. */
export const DAY_FORMAT = '%Y-%m-%d';

/** Reads the policy-independent part of a saved pass; the policy reads its bound. */
export function readPass<Bound extends PassBound>(
  saved: SavedPass | undefined,
  readBound: (bound: SavedBound) => Bound,
): PassCheckpoint<Bound> | undefined {
  if (saved === undefined) return undefined;
  return {
    bound: readBound(saved.bound),
    startedOn: saved.started_on,
    ...(saved.after_key !== undefined ? { afterKey: saved.after_key } : {}),
    ...(saved.max_key !== undefined ? { maxKey: saved.max_key } : {}),
  };
}
