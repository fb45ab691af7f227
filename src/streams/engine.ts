/**
 * The one read engine. For a group of streams fed by one entity set it plans a pass from their
 * states (cursor/pass.ts, with the group's cursor policy), reads the entity set in key order one page at a time (paging by key, never by $skip),
 * emits each page's records and then a checkpoint per stream, and finishes with the state the
 * next read starts from. It knows entity sets only through their StreamDefinition.
 */
import { asConnectorError, endsRun, systemError, type ConnectorError } from '../errors.js';
import type { Logger } from '../logging.js';
import type { MessageEmitter } from '../protocol/emitter.js';
import { errorTraceMessage, estimateMessage, recordMessage, streamStateMessage, streamStatusMessage } from '../protocol/messages.js';
import { buildQuery, parseCollectionPage } from '../service-layer/odata.js';
import type { ServiceLayerClient } from '../service-layer/client.js';
import type { ReadGroup, ConfiguredMember } from './selection.js';
import type { SavedState } from './state.js';
import { addDays, compareKeys, keyLiteral, type KeyValue } from './cursor/ordering.js';
import { checkpointState, completedState, pageFilter, planPass, type PassPlan } from './cursor/pass.js';
import type { CursorSettings, PassBound, PassCheckpoint } from './cursor/policy.js';
import { EntityHashes, type PageContext, type RawEntity } from './records.js';

export interface EngineContext {
  client: ServiceLayerClient;
  emitter: MessageEmitter;
  logger: Logger;
  pageSize: number;
  companyDb: string | null;
  startDate: string | undefined;
  replaySince: string | undefined;
  lookbackDays: number;
  rereadWindowDays: number;
  signal: AbortSignal;
}

/**
 * Reads one group; returns false when it failed (its streams are then INCOMPLETE). A failure that
 * ends the run (see ConnectorError.endsRun) is thrown instead, for the command to report once.
 */
export async function readGroup(group: ReadGroup, ctx: EngineContext): Promise<boolean> {
  const { emitter } = ctx;
  for (const member of group.members) await emitter.emit(streamStatusMessage(member.name, 'STARTED'));
  try {
    await runPass(group, ctx);
    for (const member of group.members) await emitter.emit(streamStatusMessage(member.name, 'COMPLETE'));
    return true;
  } catch (error) {
    if (ctx.signal.aborted || endsRun(error)) throw error;
    const failure = asConnectorError(error);
    ctx.logger.error(`Reading ${group.definition.entitySet} failed: ${failure.message}`);
    await reportFailure(
      group.members.map((member) => member.name),
      failure,
      emitter,
    );
    return false;
  }
}

export async function reportFailure(streams: string[], failure: ConnectorError, emitter: MessageEmitter): Promise<void> {
  for (const stream of streams) {
    await emitter.emit(errorTraceMessage(failure, stream));
    await emitter.emit(streamStatusMessage(stream, 'INCOMPLETE'));
  }
}

/** One cause, one error: a failure that ends the run is one ERROR trace, then every stream it stopped is INCOMPLETE. */
export async function reportRunFailure(streams: Iterable<string>, failure: ConnectorError, emitter: MessageEmitter): Promise<void> {
  await emitter.emit(errorTraceMessage(failure));
  for (const stream of streams) await emitter.emit(streamStatusMessage(stream, 'INCOMPLETE'));
}

/** The company-safe current day: whatever the company's time zone, its date is not before this. */
export function companySafeToday(client: ServiceLayerClient, logger: Logger): string {
  const serverDate = client.lastServerDate();
  if (serverDate) return addDays(serverDate.toISOString().slice(0, 10), -1);
  // Without the server's clock, allow for this machine's clock being ahead of it as well.
  logger.warn("The Service Layer sent no Date header; using this machine's clock, less two days, as the start of the pass.");
  return addDays(new Date().toISOString().slice(0, 10), -2);
}

async function runPass(group: ReadGroup, ctx: EngineContext): Promise<void> {
  const { definition, members, policy } = group;
  const { client, emitter, logger } = ctx;
  const settings: CursorSettings = {
    today: companySafeToday(client, logger),
    startDate: ctx.startDate,
    replaySince: ctx.replaySince,
    lookbackDays: ctx.lookbackDays,
    rereadWindowDays: ctx.rereadWindowDays,
  };
  const plan = planPass(
    policy,
    members.map((member) => ({ syncMode: member.syncMode, state: member.cursor })),
    settings,
  );
  warnAboutFutureState(group, settings.today, logger);
  logger.info(describePlan(group, plan));

  await emitEstimate(group, plan, ctx);
  // A fresh pass starts on the day the server had when it was about to serve its first page.
  const startedOn = plan.resumedStartedOn ?? companySafeToday(client, logger);
  const select = selectedProperties(group);
  const counts = new Map<string, number>(members.map((member) => [member.name, 0]));
  let afterKey = plan.afterKey;
  let maxKey = plan.maxKey;
  let firstPage = true;

  for (;;) {
    if (ctx.signal.aborted) throw systemError('The read was stopped.');
    const query = buildQuery({ filter: pageFilter(policy, definition.key, plan.bound, afterKey), select, orderBy: [`${definition.key} asc`] }, client.dialect);
    const body = await client.getJson(`${definition.entitySet}?${query}`, { pageSize: ctx.pageSize, signal: ctx.signal });
    const page = parseCollectionPage<RawEntity>(body, client.dialect);
    if (firstPage) {
      for (const member of members) await emitter.emit(streamStatusMessage(member.name, 'RUNNING'));
      firstPage = false;
    }
    const pageContext: PageContext = {
      companyDb: ctx.companyDb,
      sourceUrlOf: (key) => `${client.serviceRoot.href}${definition.entitySet}(${keyLiteral(key as KeyValue)})`,
    };
    for (const entity of page.value) {
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
      await emitEntity(entity, members, pageContext, counts, ctx);
      afterKey = key;
      if (policy.tracksMaxKey && (maxKey === undefined || compareKeys(key, maxKey) > 0)) maxKey = key;
    }
    const more = page.nextLink !== undefined && page.value.length > 0;
    if (more) {
      const progress: PassCheckpoint<PassBound> = { bound: plan.bound, startedOn, afterKey: afterKey!, ...(maxKey !== undefined ? { maxKey } : {}) };
      await emitStates(members, counts, emitter, (member) => checkpointState(policy, member.saved, progress));
      continue;
    }
    await emitStates(members, counts, emitter, (member) => completedState(policy, member.cursor, startedOn, maxKey));
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

async function emitEntity(
  entity: RawEntity,
  members: ConfiguredMember[],
  page: PageContext,
  counts: Map<string, number>,
  ctx: EngineContext,
): Promise<void> {
  const hashes = new EntityHashes(entity);
  const emittedAt = Date.now();
  for (const member of members) {
    const shaper = member.shaper;
    const shaped = shaper.child ? shaper.childRecords(entity, hashes, page) : [shaper.parentRecord(entity, hashes, page)];
    for (const record of shaped) {
      await ctx.emitter.emit(recordMessage(member.name, record.data, emittedAt, record.changes));
      for (const change of record.changes) reportNulledValue(ctx, member.name, change.field, entity[shaper.definition.key]);
    }
    counts.set(member.name, counts.get(member.name)! + shaped.length);
  }
}

/**
 * Every nulled value is in its record's meta.changes; the log names the first few of each column
 * with their keys, so that a column that never fits its type does not flood the sync log.
 */
const NULLED_VALUES_LOGGED_PER_COLUMN = 5;
const nulledValueCounts = new Map<string, number>();

function reportNulledValue(ctx: EngineContext, stream: string, field: string, key: unknown): void {
  const id = `${stream}.${field}`;
  const seen = (nulledValueCounts.get(id) ?? 0) + 1;
  nulledValueCounts.set(id, seen);
  if (seen <= NULLED_VALUES_LOGGED_PER_COLUMN) {
    ctx.logger.warn(`${stream}: the value of ${field} could not be typed and was nulled (key ${String(key)}); see the record's meta.changes.`);
  }
  if (seen === NULLED_VALUES_LOGGED_PER_COLUMN) {
    ctx.logger.warn(`${stream}: further nulled values of ${field} are only reported in the records' meta.changes.`);
  }
}

async function emitStates(
  members: ConfiguredMember[],
  counts: Map<string, number>,
  emitter: MessageEmitter,
  stateOf: (member: ConfiguredMember) => SavedState,
): Promise<void> {
  for (const member of members) {
    await emitter.emit(streamStateMessage(member.name, stateOf(member) as Record<string, unknown>, counts.get(member.name)!));
    counts.set(member.name, 0);
  }
}

function selectedProperties(group: ReadGroup): string[] {
  const { definition } = group;
  const properties = new Set<string>([definition.key]);
  if (definition.changeStamp) {
    properties.add(definition.changeStamp.dateProperty);
    if (definition.changeStamp.timeProperty) properties.add(definition.changeStamp.timeProperty);
  }
  for (const member of group.members) {
    if (member.shaper.child) properties.add(member.shaper.child.collection);
    else for (const property of member.shaper.sapProperties()) properties.add(property);
  }
  return [...properties];
}

async function emitEstimate(group: ReadGroup, plan: PassPlan<PassBound>, ctx: EngineContext): Promise<void> {
  const { definition, policy } = group;
  const parent = group.members.find((member) => !member.shaper.child);
  if (!parent) return;
  try {
    const filter = pageFilter(policy, definition.key, plan.bound, plan.afterKey);
    const text = await ctx.client.getText(`${definition.entitySet}/$count${filter ? `?${buildQuery({ filter }, ctx.client.dialect)}` : ''}`, {
      signal: ctx.signal,
      accept: 'text/plain',
    });
    const count = Number(text.trim());
    if (Number.isSafeInteger(count) && count >= 0) await ctx.emitter.emit(estimateMessage(parent.name, count));
  } catch (error) {
    if (ctx.signal.aborted) throw error;
    // The estimate is only a progress hint; the read itself will report a real problem.
    ctx.logger.debug(`No record count for ${definition.entitySet}: ${asConnectorError(error).message}`);
  }
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
