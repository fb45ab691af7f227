/**
 * One pass over the entity set of a read group (a parent stream and its children), possibly split
 * into key ranges that several sessions read at once (key-ranges.ts). It is where the output of the
 * pass is accounted for, as each batch is handed to the writer: how many records each stream has
 * emitted since its last STATE, how far each range has been read, and the checkpoints.
 *
 * A checkpoint may only promise what has been written before it. With several ranges under way, the
 * pass is complete up to a key only where every range before that key is finished: the checkpoint
 * holds the end of that contiguous prefix (the progress within the first unfinished range), as
 * Airbyte's concurrent CDK checkpoints the contiguous completed slices. Records of later ranges
 * that are already written are read again if the read is resumed from it: duplicates, never a gap.
 * The state keeps the form every release has written ({"pass": {"after_key": ...}}), so a state
 * written by a split pass resumes in any release, and one written before resumes here.
 */
import { asConnectorError } from '../errors.js';
import type { Logger } from '../logging.js';
import type { AirbyteMessage } from '../protocol/generated/airbyte-protocol.js';
import { errorTraceMessage, streamStateMessage, streamStatusMessage } from '../protocol/messages.js';
import { latest, type KeyValue } from './cursor/ordering.js';
import { checkpointState, completedState, type PassPlan } from './cursor/pass.js';
import type { PassBound } from './cursor/policy.js';
import type { KeyRange } from './key-ranges.js';
import type { ConfiguredMember, ReadGroup } from './selection.js';
import type { SavedState } from './state.js';

/** A key range of the pass, and how far its output has been handed to the writer. */
export interface RangeProgress extends KeyRange {
  /** The last key whose records have been handed to the writer. */
  reached: KeyValue | undefined;
  done: boolean;
}

/** Messages of one range on their way to the writer, with what they hold. */
export class OutputBatch {
  readonly messages: AirbyteMessage[] = [];
  /** Records per member of the group, in the group's order. */
  readonly counts: number[];
  /** The key of the last entity whose records are in the batch. */
  lastKey: KeyValue | undefined;
  /** The size of the JSON these records came from: a batch is handed on once it holds BATCH_SOURCE_BYTES of it (engine.ts). */
  sourceBytes = 0;

  constructor(members: number) {
    this.counts = new Array<number>(members).fill(0);
  }
}

/** Where a batch ends: within a page, at the end of a page, or at the end of its range. */
export type BatchEnd = 'within_page' | 'page' | 'range';

export class GroupPass {
  readonly ranges: RangeProgress[];
  /** Aborted when the group fails: its other ranges stop. */
  readonly signal: AbortSignal;
  private readonly stop = new AbortController();
  /** Records per member since the member's last STATE. */
  private readonly counts: number[];
  private maxKey: KeyValue | undefined;
  private running = false;
  private failed = false;

  constructor(
    readonly group: ReadGroup,
    private readonly plan: PassPlan<PassBound>,
    /** The company-safe day the pass started. */
    private readonly startedOn: string,
    ranges: KeyRange[],
    signal: AbortSignal,
  ) {
    this.ranges = ranges.map((range) => ({ ...range, reached: undefined, done: false }));
    this.counts = group.members.map(() => 0);
    this.maxKey = plan.maxKey;
    this.signal = AbortSignal.any([signal, this.stop.signal]);
  }

  get bound(): PassBound {
    return this.plan.bound;
  }

  /** The RUNNING statuses, the first time the pass has a page; nothing after that. */
  runningStatuses(): AirbyteMessage[] {
    if (this.running || this.failed) return [];
    this.running = true;
    return this.group.members.map((member) => streamStatusMessage(member.name, 'RUNNING'));
  }

  /**
   * Accounts for a batch of `range` as it is handed to the writer, and completes it: at the end of
   * a page, each member's STATE; at the end of the pass, the final states and COMPLETE statuses.
   * Undefined once the group has failed: nothing more of it is written.
   */
  commit(range: RangeProgress, batch: OutputBatch, end: BatchEnd): AirbyteMessage[] | undefined {
    if (this.failed) return undefined;
    batch.counts.forEach((count, index) => (this.counts[index]! += count));
    if (batch.lastKey !== undefined) {
      range.reached = batch.lastKey;
      if (this.group.policy.tracksMaxKey) this.maxKey = latest(this.maxKey, batch.lastKey);
    }
    const messages = batch.messages;
    if (end === 'within_page') return messages;
    if (end === 'range') range.done = true;
    const { members, policy } = this.group;
    if (this.ranges.every((each) => each.done)) {
      messages.push(...this.states((member) => completedState(policy, member.cursor, this.startedOn, this.maxKey)));
      for (const member of members) messages.push(streamStatusMessage(member.name, 'COMPLETE'));
      return messages;
    }
    const progress = {
      bound: this.plan.bound,
      startedOn: this.startedOn,
      ...this.resumePoint(),
      ...(this.maxKey !== undefined ? { maxKey: this.maxKey } : {}),
    };
    messages.push(...this.states((member) => checkpointState(policy, member.saved, progress)));
    return messages;
  }

  /**
   * The group has failed: its other ranges stop, and its streams get an ERROR trace each and end
   * INCOMPLETE, once, however many of its ranges fail.
   */
  fail(error: unknown, logger: Logger): AirbyteMessage[] {
    if (this.failed) return [];
    this.failed = true;
    this.stop.abort(error);
    return groupFailureMessages(this.group, error, logger);
  }

  /** Where a resumed read would continue: after the last key written of the first unfinished range. */
  private resumePoint(): { afterKey?: KeyValue } {
    const range = this.ranges.find((each) => !each.done)!;
    const afterKey = range.reached ?? range.after;
    return afterKey === undefined ? {} : { afterKey };
  }

  private states(stateOf: (member: ConfiguredMember) => SavedState): AirbyteMessage[] {
    return this.group.members.map((member, index) => {
      const message = streamStateMessage(member.name, stateOf(member) as Record<string, unknown>, this.counts[index]!);
      this.counts[index] = 0;
      return message;
    });
  }
}

/** A group that failed: an ERROR trace for each of its streams, and each INCOMPLETE. */
export function groupFailureMessages(group: ReadGroup, error: unknown, logger: Logger): AirbyteMessage[] {
  const failure = asConnectorError(error);
  logger.error(`Reading ${group.definition.entitySet} failed: ${failure.message}`);
  return group.members.flatMap((member) => [errorTraceMessage(failure, member.name), streamStatusMessage(member.name, 'INCOMPLETE')]);
}
