/**
 * The one read engine. It reads read groups (the streams fed by one entity set) on one or more
 * page sources, one per Service Layer session, and yields batches of Airbyte messages; it writes
 * nothing: the command writes each batch, and takes the next only once stdout has drained, so a
 * slow reader of stdout slows the read down. It knows entity sets only through their
 * StreamDefinition and the Service Layer only through the page source.
 *
 * For each group it plans a pass from the members' states (cursor/pass.ts, with the group's cursor
 * policy) and reads the entity set in key order, paged by key, never by $skip. Each page is read as
 * it arrives, and the next page is asked for as soon as the previous one has arrived whole (paging
 * by key needs only its last key), while its records are still being shaped and written: a
 * session's wait for the server overlaps the engine's work, and a session still has only one
 * request at a time.
 *
 * With several sessions, every group is first planned and counted, and then up to that many groups
 * are read at once, the largest first, each session taking the next group when it is free; a large
 * group whose keys are numbers is split into key ranges that the sessions read side by side
 * (key-ranges.ts), and its checkpoints hold the contiguous prefix that is complete (group-pass.ts). A failure of one group leaves the others running; a failure that
 * ends the run (see ConnectorError.endsRun) stops every session and is thrown, for the command to
 * report once.
 */
import { asConnectorError, endsRun, systemError, type ConnectorError } from '../errors.js';
import type { Logger } from '../logging.js';
import type { AirbyteMessage } from '../protocol/generated/airbyte-protocol.js';
import { errorTraceMessage, estimateMessage, recordMessage, streamStatusMessage } from '../protocol/messages.js';
import { BatchQueue } from './batch-queue.js';
import { addDays, compareKeys, keyLiteral, type KeyValue } from './cursor/ordering.js';
import { pageFilter, planPass, type PassPlan } from './cursor/pass.js';
import type { CursorSettings, PassBound } from './cursor/policy.js';
import { groupFailureMessages, GroupPass, OutputBatch, type RangeProgress } from './group-pass.js';
import { splitKeyRange, type KeyRange } from './key-ranges.js';
import type { Page, PageRequest, PageSource, SourceRecord } from './page-source.js';
import { requestedProperties, sapProperties, type PageContext, type ShapedRecord } from './records.js';
import type { ConfiguredMember, ReadGroup } from './selection.js';

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
  /** One page source per Service Layer session; as many groups or key ranges are read at once. */
  sources: PageSource[];
  logger: Logger;
  settings: ReadSettings;
  /** This run's account of nulled values (see NulledValues). */
  nulledValues: NulledValues;
  signal: AbortSignal;
}

/**
 * A batch is handed to the writer once the records in it came from about this much JSON: a handful
 * of large writes per page rather than one per record. Larger batches are not faster, and each
 * session may have one waiting to be written while it shapes the next, so they cost memory: at
 * 1 MiB, four sessions peaked at about 270 MB (benchmark.ts), at 128 KiB below 150 MB.
 */
const BATCH_SOURCE_BYTES = 128 * 1024;

/**
 * A group is split into key ranges only when it has at least this many pages per session to read:
 * smaller ones are read faster whole than the extra requests that find their keys cost.
 */
const PAGES_PER_SESSION_TO_SPLIT = 2;

/** Each session gets about this many ranges of a split group, so that they finish close together. */
const RANGES_PER_SESSION = 2;

/**
 * Reads the groups and yields their messages in batches. Throws a failure that ends the run (see
 * ConnectorError.endsRun), or the stop of a read that was aborted; a group that fails alone is
 * reported in the batches (an ERROR trace and INCOMPLETE for each of its streams).
 */
export async function* readGroups(groups: readonly ReadGroup[], ctx: EngineContext): AsyncGenerator<AirbyteMessage[]> {
  const output = new BatchQueue<AirbyteMessage[]>();
  const stop = new AbortController();
  const signal = AbortSignal.any([ctx.signal, stop.signal]);
  const run: RunContext = { ...ctx, signal, output };
  const reading = (async () => {
    let toRead = groups.map((group): Task => ({ kind: 'group', group }));
    if (ctx.sources.length > 1) {
      // Several sessions: every group is planned and counted first, and the largest are read first,
      // so that the sessions finish together instead of one reading a large group alone at the end.
      const planned: PlannedGroup[] = [];
      await runTasks(new TaskQueue(groups.map((group): Task => ({ kind: 'plan', group, planned }))), run);
      const size = (group: PlannedGroup): number => group.count ?? Number.MAX_SAFE_INTEGER;
      toRead = planned.sort((a, b) => size(b) - size(a)).map((group): Task => ({ kind: 'planned', planned: group }));
    }
    await runTasks(new TaskQueue(toRead), run);
  })();
  reading.then(
    () => output.close(),
    (error: unknown) => output.fail(ctx.signal.aborted ? systemError('The read was stopped.') : error),
  );
  try {
    for (let batch = await output.take(); batch !== undefined; batch = await output.take()) yield batch;
  } finally {
    stop.abort(new Error('The read has ended.'));
    await reading.catch(() => undefined);
  }
}

/** Runs the tasks on every session, each session taking the next task when it is free. */
async function runTasks(tasks: TaskQueue, run: RunContext): Promise<void> {
  await Promise.all(
    run.sources.map(async (source) => {
      for (let task = await tasks.next(); task !== undefined; task = await tasks.next()) {
        try {
          await runTask(task, tasks, source, run);
        } finally {
          tasks.finished();
        }
      }
    }),
  );
}

/** One failure, one error: a failure that ends the run is one ERROR trace, then every stream it stopped is INCOMPLETE. */
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

/**
 * What a session does next: plan and count a group (to be read later, with the others), read a
 * group (planning it first, unless it was), or read a key range of a group being read.
 */
type Task =
  | { kind: 'plan'; group: ReadGroup; planned: PlannedGroup[] }
  | { kind: 'group'; group: ReadGroup }
  | { kind: 'planned'; planned: PlannedGroup }
  | { kind: 'range'; pass: GroupPass; range: RangeProgress };

/** A group's pass, planned from its members' states, and how many records it covers. */
interface PlannedGroup {
  group: ReadGroup;
  plan: PassPlan<PassBound>;
  /** The $filter of the whole pass. */
  filter: string | undefined;
  count: number | undefined;
}

interface RunContext extends EngineContext {
  output: BatchQueue<AirbyteMessage[]>;
}

/**
 * What the sessions work on, first come first served: the tasks in the order given (groups in
 * catalog order with one session, largest first with several), with the key ranges of a split group
 * put first, so that the free sessions help finish the group that was
 * split. A session waits for work while another may still split a group.
 */
class TaskQueue {
  private readonly waiting: Task[];
  private running = 0;
  private wakeUp: (() => void)[] = [];

  constructor(tasks: Task[]) {
    this.waiting = tasks;
  }

  async next(): Promise<Task | undefined> {
    for (;;) {
      const task = this.waiting.shift();
      if (task) {
        this.running++;
        return task;
      }
      if (this.running === 0) return undefined;
      await new Promise<void>((resolve) => this.wakeUp.push(resolve));
    }
  }

  /** Tasks to run before the others. */
  putFirst(tasks: Task[]): void {
    this.waiting.unshift(...tasks);
    this.wakeAll();
  }

  finished(): void {
    this.running--;
    this.wakeAll();
  }

  private wakeAll(): void {
    for (const wake of this.wakeUp.splice(0)) wake();
  }
}

async function runTask(task: Task, tasks: TaskQueue, source: PageSource, run: RunContext): Promise<void> {
  let pass: GroupPass | undefined;
  try {
    if (task.kind === 'plan') {
      task.planned.push(await planGroup(task.group, source, run));
    } else if (task.kind === 'range') {
      pass = task.pass;
      await readRange(pass, task.range, source, run);
    } else {
      pass = await startPass(task.kind === 'group' ? await planGroup(task.group, source, run) : task.planned, source, run);
      const [first, ...others] = pass.ranges;
      const started = pass;
      tasks.putFirst(others.map((range): Task => ({ kind: 'range', pass: started, range })));
      await readRange(pass, first!, source, run);
    }
  } catch (error) {
    if (run.signal.aborted || endsRun(error)) throw error;
    // A range stopped by another range's failure adds nothing: that failure is the group's report.
    const group = task.kind === 'range' ? task.pass.group : task.kind === 'planned' ? task.planned.group : task.group;
    await put(run, pass ? pass.fail(error, run.logger) : groupFailureMessages(group, error, run.logger));
  }
}

async function put(run: RunContext, messages: AirbyteMessage[] | undefined): Promise<void> {
  if (messages && messages.length > 0) await run.output.put(messages);
}

/** Plans a group: STARTED statuses, the pass plan from its members' states, and the estimate. */
async function planGroup(group: ReadGroup, source: PageSource, run: RunContext): Promise<PlannedGroup> {
  const { definition, members, policy } = group;
  const { logger, settings } = run;
  await put(
    run,
    members.map((member) => streamStatusMessage(member.name, 'STARTED')),
  );
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
  const filter = pageFilter(policy, definition.key, plan.bound, plan.afterKey);
  return { group, plan, filter, count: await estimate(group, filter, source, run) };
}

/** Starts reading a planned group: its key ranges, when it is worth splitting over the sessions, and its pass. */
async function startPass(planned: PlannedGroup, source: PageSource, run: RunContext): Promise<GroupPass> {
  const { group, plan } = planned;
  // A fresh pass starts on the day the server had when it was about to serve its first page.
  const startedOn = plan.resumedStartedOn ?? companySafeToday(source, run.logger);
  const ranges = await keyRanges(group, plan, planned.filter, planned.count, source, run);
  return new GroupPass(group, plan, startedOn, ranges, run.signal);
}

async function estimate(group: ReadGroup, filter: string | undefined, source: PageSource, run: RunContext): Promise<number | undefined> {
  const { definition } = group;
  let count: number | undefined;
  try {
    count = await source.countRecords(definition.entitySet, filter, run.signal);
  } catch (error) {
    if (run.signal.aborted || endsRun(error)) throw error;
    // The estimate is only a progress hint; the read itself will report a real problem.
    run.logger.debug(`No record count for ${definition.entitySet}: ${asConnectorError(error).message}`);
  }
  const parent = group.members.find((member) => !member.shaper.child);
  if (count !== undefined && parent) await put(run, [estimateMessage(parent.name, count)]);
  return count;
}

/** One range for the whole pass, or, with several sessions and enough pages, ranges of keys for them to share. */
async function keyRanges(
  group: ReadGroup,
  plan: PassPlan<PassBound>,
  filter: string | undefined,
  count: number | undefined,
  source: PageSource,
  run: RunContext,
): Promise<KeyRange[]> {
  const whole: KeyRange[] = [{ after: plan.afterKey, upTo: undefined }];
  const sessions = run.sources.length;
  const pages = count === undefined ? 0 : Math.ceil(count / run.settings.pageSize);
  if (sessions < 2 || pages < sessions * PAGES_PER_SESSION_TO_SPLIT) return whole;
  const { entitySet, key } = group.definition;
  let span: { first: KeyValue; last: KeyValue } | undefined;
  try {
    span = await source.keyRange(entitySet, key, filter, run.signal);
  } catch (error) {
    if (run.signal.aborted || endsRun(error)) throw error;
    run.logger.debug(`${entitySet} is read in one range: its first and last keys could not be read (${asConnectorError(error).message}).`);
    return whole;
  }
  if (!span) return whole;
  const ranges = splitKeyRange(plan.afterKey, span.first, span.last, Math.min(sessions * RANGES_PER_SESSION, Math.floor(pages / PAGES_PER_SESSION_TO_SPLIT)));
  if (ranges.length > 1) run.logger.info(`Reading ${entitySet} in ${ranges.length} key ranges side by side (${count} records).`);
  return ranges;
}

/**
 * Reads one key range of a pass, page by page: each page's records are shaped as they arrive and
 * handed on in batches; the next page is asked for as soon as this one has arrived whole.
 */
async function readRange(pass: GroupPass, range: RangeProgress, source: PageSource, run: RunContext): Promise<void> {
  const { definition, members, policy } = pass.group;
  const { settings } = run;
  const signal = pass.signal;
  const select = requestedProperties(
    definition,
    members.map((member) => member.shaper),
  );
  const childRows = rowPropertiesRead(members);
  const request = (afterKey: KeyValue | undefined): PageRequest => ({
    entitySet: definition.entitySet,
    childRows,
    filterAfter: (after) => pageFilter(policy, definition.key, pass.bound, after, range.upTo),
    afterKey,
    select,
    orderBy: definition.key,
    pageSize: settings.pageSize,
  });
  const context: PageContext = { companyDb: settings.companyDb, sourceUrlOf: (key) => source.entityUrl(definition.entitySet, key as KeyValue) };
  let page: Page | undefined = source.readPage(request(range.after), signal);
  let next: Page | undefined;
  let previousKey = range.after;
  try {
    while (page) {
      const current: Page = page;
      // Pipelining: the next page goes out as soon as this one has arrived whole.
      const arrived = current.arrived.then((end) => {
        if (end.morePages && end.lastKey !== undefined && !signal.aborted) next = source.readPage(request(end.lastKey), signal);
      });
      // Its failure is also the records' failure, thrown below.
      arrived.catch(() => undefined);
      let batch = new OutputBatch(members.length);
      /** Hands the batch on before the page's end (no STATE), and starts the next. */
      const handOnWithinPage = async (): Promise<void> => {
        await put(run, pass.commit(range, batch, 'within_page'));
        batch = new OutputBatch(members.length);
        await socketsRead();
      };
      for await (const records of current.records) {
        if (signal.aborted) throw signal.reason;
        batch.messages.push(...pass.runningStatuses());
        for (const record of records) {
          checkOrder(definition.entitySet, record.key, previousKey, range);
          // A large entity's records are handed on as its rows are parsed.
          for (const adding = addRecords(() => batch, record, pass, context, run); !adding.next().done; ) await handOnWithinPage();
          previousKey = record.key;
          if (batch.sourceBytes >= BATCH_SOURCE_BYTES) await handOnWithinPage();
        }
      }
      await arrived;
      batch.messages.unshift(...pass.runningStatuses());
      page = next;
      next = undefined;
      await put(run, pass.commit(range, batch, page ? 'page' : 'range'));
    }
  } finally {
    page?.cancel();
    next?.cancel();
  }
}

/**
 * The collections only child streams read, with the properties they read of each row: for a child
 * stream, those its columns read; for one whose records are rows nested in the collection's rows
 * (a line's batch allocations), the nested collection and the key of the row that holds it. A
 * parent column that reads a collection needs its rows whole.
 */
function rowPropertiesRead(members: readonly ConfiguredMember[]): Map<string, string[]> {
  const readByParent = new Set(members.flatMap((member) => (member.shaper.child ? [] : sapProperties(member.shaper.columns))));
  const read = new Map<string, string[]>();
  for (const { shaper } of members) {
    const child = shaper.child;
    if (!child || readByParent.has(child.collection)) continue;
    const properties = child.nested ? [child.nested.collection, ...child.lineKey] : sapProperties(shaper.columns);
    read.set(child.collection, [...new Set([...(read.get(child.collection) ?? []), ...properties])]);
  }
  return read;
}

/**
 * Lets the sockets be read. Handing a batch on resolves without a turn of the event loop while
 * stdout takes it, so without this the answer that has arrived would wait in the kernel until the
 * engine ran out of records: the page would be read late, and the next page asked for late.
 */
function socketsRead(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Paging by key relies on the server honouring $orderby and the key filter; going on after a key
 * out of order would loop or skip records. Numbers compare as numbers; text keys are ordered by
 * the database's collation (case-insensitive on SQL Server, binary on HANA), which this process
 * cannot reproduce, so for them only a repeated key is a sign that the server ignored the filter.
 */
function checkOrder(entitySet: string, key: KeyValue, previous: KeyValue | undefined, range: KeyRange): void {
  const inOrder =
    previous === undefined || (typeof key === 'number' && typeof previous === 'number' ? key > previous : key !== previous);
  const inRange = range.upTo === undefined || typeof key !== 'number' || compareKeys(key, range.upTo) <= 0;
  if (!inOrder || !inRange) {
    throw systemError(
      `The Service Layer returned ${entitySet} keys out of order (${keyLiteral(key)} after ${previous === undefined ? 'the start' : keyLiteral(previous)}${inRange ? '' : `, beyond ${keyLiteral(range.upTo!)}`}); the read was stopped to avoid losing records.`,
    );
  }
}

/**
 * The records of one entity, for every stream of its group, into the batch. Between two slices of
 * a large entity's rows it pauses, for the batch to be handed on; the entity's key is the batch's
 * last only once all its records are in.
 */
function* addRecords(batch: () => OutputBatch, record: SourceRecord, pass: GroupPass, page: PageContext, run: RunContext): Generator<void> {
  const { entity, hashes, key } = record;
  const emittedAt = Date.now();
  const members = pass.group.members;
  const add = (index: number, shaped: ShapedRecord[]): void => {
    const member = members[index]!;
    const { messages, counts } = batch();
    for (const { data, changes } of shaped) {
      messages.push(recordMessage(member.name, data, emittedAt, changes));
      for (const change of changes) run.nulledValues.report(member.name, change.field, key);
    }
    counts[index]! += shaped.length;
  };
  for (let index = 0; index < members.length; index++) {
    const shaper = members[index]!.shaper;
    if (!shaper.child) {
      add(index, [shaper.parentRecord(entity, hashes, page)]);
      continue;
    }
    for (let firstRow = 0, rows = record.rows(shaper.child.collection, 0); rows.length > 0; rows = record.rows(shaper.child.collection, firstRow)) {
      if (firstRow > 0) yield;
      add(index, shaper.childRecords(entity, rows, firstRow, hashes, page));
      firstRow += rows.length;
    }
  }
  batch().lastKey = key;
  batch().sourceBytes += record.bytes;
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
