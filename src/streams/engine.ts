/**
 * The one read engine. For a group of streams fed by one entity set it plans a pass from their
 * states (cursor/pass.ts, with the group's cursor policy), reads the entity set from a page source
 * in key order one page at a time (paging by key, never by $skip), yields each page's records and
 * then a checkpoint per stream, and finishes with the state the next read starts from. It knows
 * entity sets only through their StreamDefinition and the Service Layer only through the page
 * source; it writes nothing: the command writes what it yields, one message at a time, so that a
 * slow reader of stdout slows the read down.
 */
import { asConnectorError, endsRun, systemError, type ConnectorError } from '../errors.js';
import type { Logger } from '../logging.js';
import type { AirbyteMessage } from '../protocol/generated/airbyte-protocol.js';
import { errorTraceMessage, estimateMessage, recordMessage, streamStateMessage, streamStatusMessage } from '../protocol/messages.js';
import type { ReadGroup, ConfiguredMember } from './selection.js';
import type { SavedState } from './state.js';
import { addDays, compareKeys, keyLiteral, type KeyValue } from './cursor/ordering.js';
import { checkpointState, completedState, pageFilter, planPass, type PassPlan } from './cursor/pass.js';
import type { CursorSettings, PassBound, PassCheckpoint } from './cursor/policy.js';
import type { PageSource } from './page-source.js';
import { EntityHashes, requestedProperties, type PageContext, type RawEntity } from './records.js';

/** The settings of a read that the engine applies. */
export interface ReadSettings {
  pageSize: number;
  companyDb: string | null;
  startDate: string | undefined;
  replaySince: string | undefined;
  lookbackDays: number;
  rereadWindowDays: number;
}

export interface EngineContext {
  source: PageSource;
  logger: Logger;
  settings: ReadSettings;
  /** This run's account of nulled values (see NulledValues). */
  nulledValues: NulledValues;
  signal: AbortSignal;
}

/**
 * Reads one group; returns false when it failed (its streams are then INCOMPLETE). A failure that
 * ends the run (see ConnectorError.endsRun) is thrown instead, for the command to report once.
 */
export async function* readGroup(group: ReadGroup, ctx: EngineContext): AsyncGenerator<AirbyteMessage, boolean> {
  for (const member of group.members) yield streamStatusMessage(member.name, 'STARTED');
  try {
    yield* runPass(group, ctx);
    for (const member of group.members) yield streamStatusMessage(member.name, 'COMPLETE');
    return true;
  } catch (error) {
    if (ctx.signal.aborted || endsRun(error)) throw error;
    const failure = asConnectorError(error);
    ctx.logger.error(`Reading ${group.definition.entitySet} failed: ${failure.message}`);
    yield* failureMessages(
      group.members.map((member) => member.name),
      failure,
    );
    return false;
  }
}

/** A failure of some streams: an ERROR trace for each, and each INCOMPLETE. */
export function* failureMessages(streams: string[], failure: ConnectorError): Generator<AirbyteMessage> {
  for (const stream of streams) {
    yield errorTraceMessage(failure, stream);
    yield streamStatusMessage(stream, 'INCOMPLETE');
  }
}

/** One cause, one error: a failure that ends the run is one ERROR trace, then every stream it stopped is INCOMPLETE. */
export function* runFailureMessages(streams: Iterable<string>, failure: ConnectorError): Generator<AirbyteMessage> {
  yield errorTraceMessage(failure);
  for (const stream of streams) yield streamStatusMessage(stream, 'INCOMPLETE');
}

/** The company-safe current day: whatever the company's time zone, its date is not before this. */
export function companySafeToday(source: PageSource, logger: Logger): string {
  const serverToday = source.serverToday();
  if (serverToday) return addDays(serverToday, -1);
  // Without the server's clock, allow for this machine's clock being ahead of it as well.
  logger.warn("The Service Layer sent no Date header; using this machine's clock, less two days, as the start of the pass.");
  return addDays(new Date().toISOString().slice(0, 10), -2);
}

async function* runPass(group: ReadGroup, ctx: EngineContext): AsyncGenerator<AirbyteMessage> {
  const { definition, members, policy } = group;
  const { source, logger, settings } = ctx;
  const cursorSettings: CursorSettings = {
    today: companySafeToday(source, logger),
    startDate: settings.startDate,
    replaySince: settings.replaySince,
    lookbackDays: settings.lookbackDays,
    rereadWindowDays: settings.rereadWindowDays,
  };
  const plan = planPass(
    policy,
    members.map((member) => ({ syncMode: member.syncMode, state: member.cursor })),
    cursorSettings,
  );
  warnAboutFutureState(group, cursorSettings.today, logger);
  logger.info(describePlan(group, plan));

  yield* estimate(group, plan, ctx);
  // A fresh pass starts on the day the server had when it was about to serve its first page.
  const startedOn = plan.resumedStartedOn ?? companySafeToday(source, logger);
  const select = requestedProperties(
    definition,
    members.map((member) => member.shaper),
  );
  const counts = new Map<string, number>(members.map((member) => [member.name, 0]));
  const page: PageContext = { companyDb: settings.companyDb, sourceUrlOf: (key) => source.entityUrl(definition.entitySet, key as KeyValue) };
  let afterKey = plan.afterKey;
  let maxKey = plan.maxKey;
  let firstPage = true;

  for (;;) {
    if (ctx.signal.aborted) throw systemError('The read was stopped.');
    const { records, morePages } = await source.readPage(
      {
        entitySet: definition.entitySet,
        filter: pageFilter(policy, definition.key, plan.bound, afterKey),
        select,
        orderBy: definition.key,
        pageSize: settings.pageSize,
      },
      ctx.signal,
    );
    if (firstPage) {
      for (const member of members) yield streamStatusMessage(member.name, 'RUNNING');
      firstPage = false;
    }
    for (const entity of records) {
      const key = entity[definition.key];
      if (typeof key !== 'number' && typeof key !== 'string') {
        throw systemError(`A record of ${definition.entitySet} came without its key ${definition.key}.`);
      }
      if (afterKey !== undefined && !advances(key, afterKey)) {
        // Paging by key relies on the server honouring $orderby and the key filter; going on
        // would loop or skip records.
        throw systemError(
          `The Service Layer returned ${definition.entitySet} keys out of order (${keyLiteral(key)} after ${keyLiteral(afterKey)}); the read was stopped to avoid losing records.`,
        );
      }
      yield* entityRecords(entity, key, members, page, counts, ctx.nulledValues);
      afterKey = key;
      if (policy.tracksMaxKey && (maxKey === undefined || compareKeys(key, maxKey) > 0)) maxKey = key;
    }
    if (morePages && records.length > 0) {
      const progress: PassCheckpoint<PassBound> = { bound: plan.bound, startedOn, afterKey: afterKey!, ...(maxKey !== undefined ? { maxKey } : {}) };
      yield* stateMessages(members, counts, (member) => checkpointState(policy, member.saved, progress));
      continue;
    }
    yield* stateMessages(members, counts, (member) => completedState(policy, member.cursor, startedOn, maxKey));
    return;
  }
}

/**
 * Whether a key comes after the previous one in the server's order. Numbers compare as numbers;
 * text keys are ordered by the database's collation (case-insensitive on SQL Server, binary on
 * HANA), which this process cannot reproduce, so for them only a repeated key is a sign that the
 * server ignored the key filter.
 */
function advances(key: KeyValue, previous: KeyValue): boolean {
  if (typeof key === 'number' && typeof previous === 'number') return key > previous;
  return key !== previous;
}

function* entityRecords(
  entity: RawEntity,
  key: KeyValue,
  members: ConfiguredMember[],
  page: PageContext,
  counts: Map<string, number>,
  nulledValues: NulledValues,
): Generator<AirbyteMessage> {
  const hashes = new EntityHashes(entity);
  const emittedAt = Date.now();
  for (const member of members) {
    const shaper = member.shaper;
    const shaped = shaper.child ? shaper.childRecords(entity, hashes, page) : [shaper.parentRecord(entity, hashes, page)];
    for (const record of shaped) {
      yield recordMessage(member.name, record.data, emittedAt, record.changes);
      for (const change of record.changes) nulledValues.report(member.name, change.field, key);
    }
    counts.set(member.name, counts.get(member.name)! + shaped.length);
  }
}

/**
 * Every nulled value is in its record's meta.changes; the log names the first few of each column
 * with their keys, so that a column that never fits its type does not flood the sync log. One per
 * run, so that two runs in one process count apart.
 */
export class NulledValues {
  private static readonly LOGGED_PER_COLUMN = 5;
  private readonly counts = new Map<string, number>();

  constructor(private readonly logger: Logger) {}

  report(stream: string, field: string, key: KeyValue): void {
    const id = `${stream}.${field}`;
    const seen = (this.counts.get(id) ?? 0) + 1;
    this.counts.set(id, seen);
    if (seen <= NulledValues.LOGGED_PER_COLUMN) {
      this.logger.warn(`${stream}: the value of ${field} could not be typed and was nulled (key ${String(key)}); see the record's meta.changes.`);
    }
    if (seen === NulledValues.LOGGED_PER_COLUMN) {
      this.logger.warn(`${stream}: further nulled values of ${field} are only reported in the records' meta.changes.`);
    }
  }
}

function* stateMessages(
  members: ConfiguredMember[],
  counts: Map<string, number>,
  stateOf: (member: ConfiguredMember) => SavedState,
): Generator<AirbyteMessage> {
  for (const member of members) {
    yield streamStateMessage(member.name, stateOf(member) as Record<string, unknown>, counts.get(member.name)!);
    counts.set(member.name, 0);
  }
}

async function* estimate(group: ReadGroup, plan: PassPlan<PassBound>, ctx: EngineContext): AsyncGenerator<AirbyteMessage> {
  const { definition, policy } = group;
  const parent = group.members.find((member) => !member.shaper.child);
  if (!parent) return;
  let count: number | undefined;
  try {
    count = await ctx.source.countRecords(definition.entitySet, pageFilter(policy, definition.key, plan.bound, plan.afterKey), ctx.signal);
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    // The estimate is only a progress hint; the read itself will report a real problem.
    ctx.logger.debug(`No record count for ${definition.entitySet}: ${asConnectorError(error).message}`);
  }
  if (count !== undefined) yield estimateMessage(parent.name, count);
}

function warnAboutFutureState(group: ReadGroup, today: string, logger: Logger): void {
  for (const member of group.members) {
    const countsFrom = group.policy.countsFrom(member.cursor?.finished);
    if (member.syncMode === 'incremental' && countsFrom !== undefined && countsFrom > addDays(today, 2)) {
      logger.warn(
        `The saved state of ${member.name} starts at ${countsFrom}, after the Service Layer's current date; nothing before it will be read. Reset the stream or set replay_since if this is not intended.`,
      );
    }
  }
}

function describePlan(group: ReadGroup, plan: PassPlan<PassBound>): string {
  const names = group.members.map((member) => member.name).join(', ');
  const bound = pageFilter(group.policy, group.definition.key, plan.bound, undefined) ?? 'all records';
  const resume = plan.resumedStartedOn ? `, resuming after key ${plan.afterKey === undefined ? '(start)' : keyLiteral(plan.afterKey)}` : '';
  return `Reading ${group.definition.entitySet} for ${names}: ${bound}${resume}.`;
}
