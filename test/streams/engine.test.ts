/**
 * The read engine through its page-source interface: pages are fed from a list, the messages it
 * yields are collected as they come. Paging by key, checkpoints, resuming, estimates, and the
 * guard against a server that ignores the key filter.
 */
import { test } from 'node:test';
import { createHash } from 'node:crypto';
import assert from 'node:assert/strict';
import { NulledValues, readGroups, type EngineContext } from '../../src/streams/engine.js';
import { selectStreams, type ReadGroup } from '../../src/streams/selection.js';
import { catalogEntries, type CatalogEntry } from '../../src/streams/catalog.js';
import { shippedStreams } from '../../src/streams/definitions.js';
import { silentLogger, type Logger } from '../../src/logging.js';
import type { AirbyteMessage } from '../../src/protocol/generated/airbyte-protocol.js';
import type { SavedState } from '../../src/streams/state.js';
import type { Page, PageRequest, PageSource, SourceRecord } from '../../src/streams/page-source.js';
import { sourceRecord } from '../../src/streams/service-layer-pages.js';
import { CollectionScanner } from '../../src/service-layer/collection-scanner.js';
import { RowProjection } from '../../src/service-layer/row-projection.js';
import { keyLiteral } from '../../src/streams/cursor/ordering.js';
import { configError, transientError } from '../../src/errors.js';

type Entity = Record<string, unknown>;

/** What the fake sources remember of a page request: the request, and the $filter it came to. */
type SeenRequest = PageRequest & { filter: string | undefined };

/** A page of the given entities, as a Service Layer session hands it to the engine (scanned from their JSON). */
function pageOf(entities: Entity[], request: PageRequest, morePages: boolean): Page {
  const scanner = new CollectionScanner(new RowProjection(request.childRows));
  const body = Buffer.from(JSON.stringify({ value: entities }), 'utf8');
  const scanned = scanner.write(body);
  scanner.end();
  const records = scanned.map(({ start, end, collections }) => sourceRecord(() => body.subarray(start, end), collections, request.entitySet, request.orderBy, request.childRows));
  async function* all(): AsyncGenerator<SourceRecord[]> {
    if (records.length > 0) yield records;
  }
  return { records: all(), arrived: Promise.resolve({ morePages, lastKey: records.at(-1)?.key }), cancel: () => undefined };
}

/** A page source that serves the given pages in turn and remembers what it was asked. */
function listedPages(pages: Entity[][], options: { count?: number } = {}): PageSource & { requests: SeenRequest[]; counts: (string | undefined)[] } {
  const requests: SeenRequest[] = [];
  const counts: (string | undefined)[] = [];
  return {
    requests,
    counts,
    readPage(request) {
      requests.push({ ...request, filter: request.filterAfter(request.afterKey) });
      return pageOf(pages[requests.length - 1] ?? [], request, requests.length < pages.length);
    },
    async countRecords(_entitySet, filter) {
      counts.push(filter);
      return options.count ?? pages.flat().length;
    },
    async keyRange() {
      return undefined;
    },
    serverToday: () => '2026-11-25',
    entityUrl: (entitySet, key) => `https://b1:50000/b1s/v2/${entitySet}(${keyLiteral(key)})`,
  };
}

/** Every message the engine yields for the groups, and whether every stream ended COMPLETE. */
async function collect(groups: readonly ReadGroup[], ctx: EngineContext): Promise<{ messages: AirbyteMessage[]; ok: boolean }> {
  const messages: AirbyteMessage[] = [];
  for await (const batch of readGroups(groups, ctx)) messages.push(...batch);
  const ok = !messages.some((m) => m.trace?.stream_status?.status === 'INCOMPLETE');
  return { messages, ok };
}

const offered = new Map<string, CatalogEntry>();
for (const definition of shippedStreams) for (const entry of catalogEntries(definition)) offered.set(entry.stream.name, entry);

interface Run {
  messages: AirbyteMessage[];
  ok: boolean;
  source: ReturnType<typeof listedPages>;
}

async function run(
  streams: string[],
  pages: Entity[][],
  options: { syncMode?: 'full_refresh' | 'incremental'; states?: Record<string, SavedState>; logger?: Logger; count?: number } = {},
): Promise<Run> {
  const selection = selectStreams(
    {
      streams: streams.map((name) => ({
        stream: offered.get(name)!.stream,
        sync_mode: options.syncMode ?? 'full_refresh',
        destination_sync_mode: 'overwrite',
      })),
    },
    offered,
    new Map(Object.entries(options.states ?? {})),
    silentLogger,
  );
  const source = listedPages(pages, options);
  const logger = options.logger ?? silentLogger;
  const ctx: EngineContext = {
    sources: [source],
    logger,
    settings: { pageSize: 2, companyDb: 'SBO', startDate: undefined, replaySince: undefined, lookbackDays: 0, rereadWindowDays: 60 },
    nulledValues: new NulledValues(logger),
    signal: new AbortController().signal,
  };
  return { ...(await collect(selection.groups, ctx)), source };
}

const records = (messages: AirbyteMessage[], stream?: string): Record<string, unknown>[] =>
  messages.flatMap((m) => (m.type === 'RECORD' && m.record && (stream === undefined || m.record.stream === stream) ? [m.record.data] : []));
const states = (messages: AirbyteMessage[], stream?: string) =>
  messages.flatMap((m) =>
    m.type === 'STATE' && m.state?.stream && (stream === undefined || m.state.stream.stream_descriptor.name === stream)
      ? [m.state.stream.stream_state]
      : [],
  );
const statuses = (messages: AirbyteMessage[]) => messages.flatMap((m) => (m.trace?.type === 'STREAM_STATUS' ? [m.trace.stream_status!.status] : []));

test('text keys follow the database collation: a case-insensitive order is accepted and paged by key', async () => {
  const { ok, messages, source } = await run(
    ['warehouses'],
    [[{ WarehouseCode: 'a-north' }, { WarehouseCode: 'B-south' }], [{ WarehouseCode: 'c-west' }]],
  );
  assert.equal(ok, true);
  assert.deepEqual(
    records(messages).map((data) => data['warehouse_code']),
    ['a-north', 'B-south', 'c-west'],
  );
  assert.equal(source.requests[1]!.filter, "WarehouseCode gt 'B-south'");
  assert.equal(source.requests[0]!.orderBy, 'WarehouseCode');
  assert.deepEqual(states(messages)[0], { pass: { bound: {}, started_on: '2026-11-24', after_key: 'B-south' } });
  assert.deepEqual(states(messages).at(-1), {});
});

test('a server that ignores the key filter stops the stream instead of looping or skipping', async () => {
  const { ok, messages } = await run(['journal_entries'], [[{ JdtNum: 5 }, { JdtNum: 6 }], [{ JdtNum: 3 }]]);
  assert.equal(ok, false);
  const error = messages.find((m) => m.trace?.type === 'ERROR')!;
  assert.match(error.trace!.error!.message, /out of order/);
  assert.equal(statuses(messages).at(-1), 'INCOMPLETE');
});

test('a group yields its statuses, an estimate, records of parent and lines, then a checkpoint per stream after each page', async () => {
  const invoice = (entry: number, lines: number) => ({
    DocEntry: entry,
    UpdateDate: '2026-11-20T00:00:00Z',
    UpdateTime: '10:00:00',
    DocumentLines: Array.from({ length: lines }, (_, line) => ({ LineNum: line, ItemCode: `I${line}` })),
  });
  const { ok, messages, source } = await run(['invoices', 'invoice_lines'], [[invoice(1, 2), invoice(2, 1)], [invoice(3, 1)]], {
    syncMode: 'incremental',
    states: { invoices: { since: '2026-11-20' }, invoice_lines: { since: '2026-11-20' } },
  });
  assert.equal(ok, true);
  assert.deepEqual(
    messages.map((m) => (m.type === 'TRACE' ? `${m.trace!.type}${m.trace!.stream_status ? `:${m.trace!.stream_status.status}` : ''}` : m.type)),
    [
      ...['STREAM_STATUS:STARTED', 'STREAM_STATUS:STARTED', 'ESTIMATE', 'STREAM_STATUS:RUNNING', 'STREAM_STATUS:RUNNING'],
      ...['RECORD', 'RECORD', 'RECORD', 'RECORD', 'RECORD', 'STATE', 'STATE'],
      ...['RECORD', 'RECORD', 'STATE', 'STATE'],
      ...['STREAM_STATUS:COMPLETE', 'STREAM_STATUS:COMPLETE'],
    ],
  );
  assert.equal(source.counts[0], "UpdateDate ge '2026-11-20'");
  assert.deepEqual(
    source.requests.map((request) => request.filter),
    ["UpdateDate ge '2026-11-20'", "UpdateDate ge '2026-11-20' and DocEntry gt 2"],
  );
  assert.deepEqual(source.requests[0]!.select.slice(0, 3), ['DocEntry', 'UpdateDate', 'UpdateTime']);
  assert.ok(source.requests[0]!.select.includes('DocumentLines'), 'the lines come with their header');
  assert.deepEqual(states(messages, 'invoices'), [
    { since: '2026-11-20', pass: { bound: { since: '2026-11-20' }, started_on: '2026-11-24', after_key: 2 } },
    { since: '2026-11-24' },
  ]);
  const lines = records(messages, 'invoice_lines');
  assert.deepEqual(
    lines.map((line) => [line['doc_entry'], line['line_num'], line['parent_updated_at']]),
    [
      [1, 0, '2026-11-20T10:00:00'],
      [1, 1, '2026-11-20T10:00:00'],
      [2, 0, '2026-11-20T10:00:00'],
      [3, 0, '2026-11-20T10:00:00'],
    ],
  );
  assert.equal(records(messages, 'invoices')[0]!['_b1_source_url'], 'https://b1:50000/b1s/v2/Invoices(1)');
  const counts = messages.flatMap((m) => (m.type === 'STATE' ? [m.state!.sourceStats!.recordCount] : []));
  assert.deepEqual(counts, [2, 3, 1, 1]);
});

test("a line's batch allocations: one record per line and batch, keyed by the document, the line it sits on and its batch, with the document's stamp and hash", async () => {
  const line = (lineNum: number, batches: [string, number][], baseLineNumber: number | null = lineNum) => ({
    LineNum: lineNum,
    ItemCode: 'FD000007',
    BatchNumbers: batches.map(([batch, quantity]) => ({ BatchNumberProperty: batch, Quantity: quantity, BaseLineNumber: baseLineNumber })),
  });
  const delivery = {
    DocEntry: 41,
    UpdateDate: '2026-11-20T00:00:00Z',
    UpdateTime: '10:00:00',
    // A line without batches (an item not managed in batches), and a server that leaves BaseLineNumber empty.
    DocumentLines: [
      line(0, [
        ['B-1', 2],
        ['B-2', 3],
      ]),
      line(1, []),
      line(3, [['B-1', 1]], null),
    ],
  };
  const { ok, messages, source } = await run(['delivery_notes', 'delivery_notes_batch_numbers'], [[delivery]], { syncMode: 'incremental' });
  assert.equal(ok, true);
  assert.deepEqual(offered.get('delivery_notes_batch_numbers')!.stream.source_defined_primary_key, [
    ['doc_entry'],
    ['base_line_number'],
    ['batch_number_property'],
  ]);
  assert.deepEqual(offered.get('delivery_notes_batch_numbers')!.stream.default_cursor_field, ['parent_updated_at']);
  assert.ok(source.requests[0]!.select.includes('DocumentLines'), 'the batches come with their lines, in the one request');
  const batches = records(messages, 'delivery_notes_batch_numbers');
  assert.deepEqual(
    batches.map((b) => [b['doc_entry'], b['base_line_number'], b['batch_number_property'], b['quantity'], b['parent_updated_at']]),
    [
      [41, 0, 'B-1', 2, '2026-11-20T10:00:00'],
      [41, 0, 'B-2', 3, '2026-11-20T10:00:00'],
      [41, 3, 'B-1', 1, '2026-11-20T10:00:00'],
    ],
  );
  const [header] = records(messages, 'delivery_notes');
  assert.ok(
    batches.every((b) => b['_b1_parent_record_hash'] === header!['_b1_record_hash']),
    "the document's hash: rows of its current version share it",
  );
  assert.equal(new Set(batches.map((b) => b['_b1_record_hash'])).size, 3, 'each allocation has its own hash');
  assert.equal(batches[0]!['_b1_source_url'], 'https://b1:50000/b1s/v2/DeliveryNotes(41)');
});

test('a document of more than a megabyte: its lines are parsed and handed on a slice at a time, every line once and in order, the STATE after the last', async () => {
  const lines = Array.from({ length: 1500 }, (_, line) => ({
    LineNum: line,
    ItemCode: `FD${line}`,
    ItemDescription: `${'x'.repeat(700)} ${line}`,
    BatchNumbers: [{ BatchNumberProperty: `B-${line}`, Quantity: 1, BaseLineNumber: line }],
  }));
  const delivery = { DocEntry: 41, UpdateDate: '2026-11-20T00:00:00Z', UpdateTime: '10:00:00', DocumentLines: lines };
  assert.ok(JSON.stringify(delivery).length > 1024 * 1024);
  const streams = ['delivery_notes', 'delivery_note_lines', 'delivery_notes_batch_numbers'];
  const selection = selectStreams(
    { streams: streams.map((name) => ({ stream: offered.get(name)!.stream, sync_mode: 'full_refresh', destination_sync_mode: 'overwrite' })) },
    offered,
    new Map(),
    silentLogger,
  );
  const source = listedPages([[delivery]]);
  const batches: AirbyteMessage[][] = [];
  for await (const batch of readGroups(selection.groups, {
    sources: [source],
    logger: silentLogger,
    settings: { pageSize: 2, companyDb: 'SBO', startDate: undefined, replaySince: undefined, lookbackDays: 0, rereadWindowDays: 60 },
    nulledValues: new NulledValues(silentLogger),
    signal: new AbortController().signal,
  }))
    batches.push(batch);
  const messages = batches.flat();
  const sha256 = (value: unknown): string => createHash('sha256').update(JSON.stringify(value)).digest('hex');
  assert.deepEqual(
    records(messages, 'delivery_note_lines').map((line) => [line['doc_entry'], line['line_num'], line['item_description'], line['_b1_record_hash']]),
    lines.map((line) => [41, line.LineNum, line.ItemDescription, sha256(line)]),
  );
  assert.deepEqual(
    records(messages, 'delivery_notes_batch_numbers').map((batch) => [batch['base_line_number'], batch['batch_number_property'], batch['_b1_record_hash']]),
    lines.map((line) => [line.LineNum, `B-${line.LineNum}`, sha256(line.BatchNumbers[0])]),
  );
  assert.equal(records(messages, 'delivery_notes').length, 1);
  const withRecords = batches.filter((batch) => batch.some((m) => m.type === 'RECORD'));
  assert.ok(withRecords.length > 2, `the lines leave in several batches (${withRecords.length})`);
  const firstState = messages.findIndex((m) => m.type === 'STATE');
  assert.ok(firstState > messages.findLastIndex((m) => m.type === 'RECORD'), 'no STATE before the last record of the document');
  assert.deepEqual(
    messages.flatMap((m) => (m.type === 'STATE' ? [[m.state!.stream!.stream_descriptor.name, m.state!.sourceStats!.recordCount]] : [])),
    [
      ['delivery_notes', 1],
      ['delivery_note_lines', 1500],
      ['delivery_notes_batch_numbers', 1500],
    ],
  );
});

test("a large entity whose collection a parent column also reads (a rule's lines as a JSON column) keeps its rows for that column", async () => {
  const lines = Array.from({ length: 12_000 }, (_, line) => ({
    CenterCode: `C${line}`,
    TotalInCenter: line,
    EffectiveFrom: '2026-01-01T00:00:00Z',
    EffectiveTo: null,
    Remarks: 'r'.repeat(60),
  }));
  const rule = { FactorCode: 'SPLIT', FactorDescription: 'Split', DistributionRuleLines: lines };
  assert.ok(JSON.stringify(rule).length > 1024 * 1024);
  const { ok, messages } = await run(['distribution_rules', 'distribution_rule_lines'], [[rule]]);
  assert.equal(ok, true);
  const [parent] = records(messages, 'distribution_rules');
  assert.deepEqual(
    parent!['distribution_rule_lines'],
    lines.map((line) => ({ center_code: line.CenterCode, total_in_center: line.TotalInCenter, effective_from: '2026-01-01', effective_to: null })),
  );
  assert.deepEqual(
    records(messages, 'distribution_rule_lines').map((line) => [line['factor_code'], line['center_code'], line['total_in_center']]),
    lines.map((line) => ['SPLIT', line.CenterCode, line.TotalInCenter]),
  );
});

test('keys that are not one property: a rule line by rule, center and validity; a financial year by its code, paged by its AbsEntry', async () => {
  assert.deepEqual(offered.get('distribution_rule_lines')!.stream.source_defined_primary_key, [['factor_code'], ['center_code'], ['effective_from']]);
  const rule = {
    FactorCode: 'ALLREG',
    DistributionRuleLines: [
      { CenterCode: 'NE', TotalInCenter: 40, EffectiveFrom: '2025-01-01T00:00:00Z', EffectiveTo: '2025-12-31T00:00:00Z' },
      { CenterCode: 'NE', TotalInCenter: 38, EffectiveFrom: '2026-01-01T00:00:00Z', EffectiveTo: null },
    ],
  };
  const rules = await run(['distribution_rule_lines'], [[rule]]);
  assert.deepEqual(
    records(rules.messages).map((l) => [l['factor_code'], l['center_code'], l['effective_from'], l['total_in_center']]),
    [
      ['ALLREG', 'NE', '2025-01-01', 40],
      ['ALLREG', 'NE', '2026-01-01', 38],
    ],
  );
  const years = offered.get('financial_years')!.stream;
  assert.deepEqual(years.source_defined_primary_key, [['code']]);
  assert.deepEqual(years.supported_sync_modes, ['full_refresh']);
  const read = await run(['financial_years'], [[{ AbsEntry: 1, Code: '2025' }], [{ AbsEntry: 2, Code: '2026' }]]);
  assert.deepEqual(
    records(read.messages).map((y) => [y['code'], y['abs_entry']]),
    [
      ['2025', 1],
      ['2026', 2],
    ],
  );
  assert.deepEqual(
    read.source.requests.map((r) => [r.orderBy, r.filter]),
    [
      ['AbsEntry', undefined],
      ['AbsEntry', 'AbsEntry gt 1'],
    ],
  );
});

test('a checkpoint the previous release wrote resumes after its key, and the next checkpoint carries the finished state as saved', async () => {
  const saved = {
    since: '2026-11-24',
    max_key: 5587,
    pass: { bound: { key_above: 5587, window_since: '2026-09-25' }, started_on: '2026-11-24', after_key: 5600, max_key: 5600 },
  };
  const { ok, messages, source } = await run(['journal_entries'], [[{ JdtNum: 5601 }, { JdtNum: 5602 }], [{ JdtNum: 5603 }]], {
    syncMode: 'incremental',
    states: { journal_entries: saved },
  });
  assert.equal(ok, true);
  assert.equal(source.requests[0]!.filter, "(JdtNum gt 5587 or ReferenceDate ge '2026-09-25') and JdtNum gt 5600");
  assert.deepEqual(
    states(messages).map((state) => JSON.stringify(state)),
    [
      '{"since":"2026-11-24","max_key":5587,"pass":{"bound":{"key_above":5587,"window_since":"2026-09-25"},"started_on":"2026-11-24","after_key":5602,"max_key":5602}}',
      '{"max_key":5603,"since":"2026-11-24"}',
    ],
  );
});

test('nulled values are counted per run: each run logs the first few of a column again', async () => {
  const logs: string[] = [];
  const logger: Logger = { ...silentLogger, warn: (message) => logs.push(message) };
  const page = Array.from({ length: 7 }, (_, index) => ({ ItemCode: `I${index}`, QuantityOnStock: 'lots' }));
  for (let attempt = 0; attempt < 2; attempt++) await run(['items'], [page], { logger });
  const perRun = logs.filter((line) => /could not be typed/.test(line)).length;
  assert.equal(perRun, 10, 'five per column per run, twice');
  assert.equal(logs.filter((line) => /further nulled values/.test(line)).length, 2);
});

test('a server without a count gives no estimate, and the read goes on', async () => {
  const source = listedPages([[{ WarehouseCode: 'W1' }]]);
  source.countRecords = async () => undefined;
  const selection = selectStreams(
    { streams: [{ stream: offered.get('warehouses')!.stream, sync_mode: 'full_refresh', destination_sync_mode: 'overwrite' }] },
    offered,
    new Map(),
    silentLogger,
  );
  const { messages } = await collect(selection.groups, {
    sources: [source],
    logger: silentLogger,
    settings: { pageSize: 2, companyDb: null, startDate: undefined, replaySince: undefined, lookbackDays: 0, rereadWindowDays: 60 },
    nulledValues: new NulledValues(silentLogger),
    signal: new AbortController().signal,
  });
  assert.equal(messages.filter((m) => m.trace?.type === 'ESTIMATE').length, 0);
  assert.equal(records(messages).length, 1);
});

/**
 * A session on a table of entities in key order: it honours the key filters the engine sends
 * ("Key gt n", "Key le n"), counts and finds the first and last key like the Service Layer, and
 * fails the requests `fails` picks. Every session of a test shares the table and the log.
 */
function tableSession(
  tables: Record<string, Entity[]>,
  log: { session: number; entitySet: string; filter: string | undefined }[],
  session: number,
  options: { fails?: (entitySet: string) => Error | undefined } = {},
): PageSource {
  const matching = (entitySet: string, key: string, filter: string | undefined): Entity[] => {
    const after = filter && new RegExp(`${key} gt (\\d+)`).exec(filter);
    const upTo = filter && new RegExp(`${key} le (\\d+)`).exec(filter);
    return (tables[entitySet] ?? []).filter(
      (entity) => (!after || (entity[key] as number) > Number(after[1])) && (!upTo || (entity[key] as number) <= Number(upTo[1])),
    );
  };
  return {
    readPage(request) {
      const filter = request.filterAfter(request.afterKey);
      log.push({ session, entitySet: request.entitySet, filter });
      const failure = options.fails?.(request.entitySet);
      if (failure) {
        const failed = Promise.reject(failure);
        failed.catch(() => undefined);
        return {
          records: (async function* (): AsyncGenerator<SourceRecord[]> {
            throw failure;
          })(),
          arrived: failed,
          cancel: () => undefined,
        };
      }
      const rows = matching(request.entitySet, request.orderBy, filter);
      return pageOf(rows.slice(0, request.pageSize), request, rows.length > request.pageSize);
    },
    async countRecords(entitySet, filter) {
      const key = entitySet === 'JournalEntries' ? 'JdtNum' : 'DocEntry';
      return matching(entitySet, key, filter).length;
    },
    async keyRange(entitySet, key, filter) {
      const rows = matching(entitySet, key, filter);
      return rows.length === 0 ? undefined : { first: rows[0]![key] as number, last: rows.at(-1)![key] as number };
    },
    serverToday: () => '2026-11-25',
    entityUrl: (entitySet, key) => `https://b1:50000/b1s/v2/${entitySet}(${keyLiteral(key)})`,
  };
}

async function readOnSessions(
  streams: string[],
  tables: Record<string, Entity[]>,
  sessions: number,
  options: { states?: Record<string, SavedState>; fails?: (entitySet: string) => Error | undefined; pageSize?: number } = {},
) {
  const selection = selectStreams(
    { streams: streams.map((name) => ({ stream: offered.get(name)!.stream, sync_mode: 'incremental', destination_sync_mode: 'append_dedup' })) },
    offered,
    new Map(Object.entries(options.states ?? {})),
    silentLogger,
  );
  const log: { session: number; entitySet: string; filter: string | undefined }[] = [];
  const sources = Array.from({ length: sessions }, (_, session) => tableSession(tables, log, session, options));
  const result = await collect(selection.groups, {
    sources,
    logger: silentLogger,
    settings: { pageSize: options.pageSize ?? 2, companyDb: 'SBO', startDate: undefined, replaySince: undefined, lookbackDays: 0, rereadWindowDays: 60 },
    nulledValues: new NulledValues(silentLogger),
    signal: new AbortController().signal,
  });
  return { ...result, log };
}

const journalEntries = (count: number, from = 1): Entity[] =>
  Array.from({ length: count }, (_, index) => ({ JdtNum: from + index, ReferenceDate: '2026-11-20T00:00:00Z', Memo: `entry ${from + index}` }));
const warehouses = (count: number): Entity[] => Array.from({ length: count }, (_, index) => ({ WarehouseCode: `W${String(index).padStart(3, '0')}` }));

/** Every STATE of a stream promises only records emitted before it: all keys up to its after_key. */
function assertCheckpointsFollowTheirRecords(messages: AirbyteMessage[], stream: string, keyColumn: string): void {
  const emitted = new Set<number>();
  for (const message of messages) {
    if (message.type === 'RECORD' && message.record!.stream === stream) emitted.add((message.record!.data as Record<string, unknown>)[keyColumn] as number);
    const state = message.state?.stream;
    if (message.type !== 'STATE' || state?.stream_descriptor.name !== stream) continue;
    const afterKey = (state.stream_state as { pass?: { after_key?: number } } | undefined)?.pass?.after_key;
    if (afterKey === undefined) continue;
    for (let key = 1; key <= afterKey; key++) assert.ok(emitted.has(key), `a checkpoint after ${afterKey} before ${key} was emitted`);
  }
}

test('with several sessions, entity sets are read side by side: every record once, each stream ending COMPLETE after its final STATE', async () => {
  const tables = { JournalEntries: journalEntries(7), Warehouses: warehouses(5) };
  const { ok, messages, log } = await readOnSessions(['journal_entries', 'warehouses'], tables, 2, { pageSize: 100 });
  assert.equal(ok, true);
  assert.deepEqual(records(messages, 'journal_entries').map((r) => r['jdt_num']), [1, 2, 3, 4, 5, 6, 7]);
  assert.equal(records(messages, 'warehouses').length, 5);
  assert.deepEqual(new Set(log.map((entry) => entry.session)), new Set([0, 1]), 'both sessions read');
  for (const stream of ['journal_entries', 'warehouses']) {
    const own = messages.filter((m) => m.record?.stream === stream || m.state?.stream?.stream_descriptor.name === stream || m.trace?.stream_status?.stream_descriptor.name === stream);
    assert.equal(own.at(-1)!.trace?.stream_status?.status, 'COMPLETE', stream);
    assert.equal(own.at(-2)!.type, 'STATE', `${stream}: its final STATE comes after all its records`);
  }
});

test('with several sessions, every entity set is counted before any is read, and the largest is read first', async () => {
  const tables = { Warehouses: warehouses(3), JournalEntries: journalEntries(9) };
  const { ok, messages, log } = await readOnSessions(['warehouses', 'journal_entries'], tables, 2, { pageSize: 100 });
  assert.equal(ok, true);
  assert.equal(log[0]!.entitySet, 'JournalEntries', JSON.stringify(log));
  const firstRecord = messages.findIndex((m) => m.type === 'RECORD');
  const estimates = messages.flatMap((m, index) => (m.trace?.type === 'ESTIMATE' ? [index] : []));
  assert.equal(estimates.length, 2);
  assert.ok(estimates.every((index) => index < firstRecord), 'both estimates come before the first record');
  assert.deepEqual(records(messages, 'journal_entries').map((r) => r['jdt_num']), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.equal(records(messages, 'warehouses').length, 3);

  // One session reads in catalog order, counting each entity set as it comes to it.
  const one = await readOnSessions(['warehouses', 'journal_entries'], tables, 1, { pageSize: 100 });
  assert.equal(one.log[0]!.entitySet, 'Warehouses');
});

test('a large entity set is split into key ranges over the sessions; each STATE holds the contiguous prefix read, and a resume from any of them loses nothing', async () => {
  const tables = { JournalEntries: journalEntries(40) };
  const { ok, messages, log } = await readOnSessions(['journal_entries'], tables, 3);
  assert.equal(ok, true);
  assert.deepEqual(records(messages).map((r) => r['jdt_num']).sort((a, b) => (a as number) - (b as number)), tables.JournalEntries.map((e) => e['JdtNum']));
  assert.ok(log.some((entry) => /JdtNum le \d+/.test(entry.filter ?? '')), 'the pass was split into key ranges');
  assert.ok(new Set(log.map((entry) => entry.session)).size > 1, 'several sessions read the one entity set');
  assertCheckpointsFollowTheirRecords(messages, 'journal_entries', 'jdt_num');
  const checkpoints = states(messages, 'journal_entries');
  assert.ok(checkpoints.length > 3);
  for (const [index, checkpoint] of checkpoints.entries()) {
    const emittedBefore = new Set<unknown>();
    let seen = 0;
    for (const message of messages) {
      if (message.type === 'RECORD') emittedBefore.add((message.record!.data as Record<string, unknown>)['jdt_num']);
      if (message.type === 'STATE' && seen++ === index) break;
    }
    const resumed = await readOnSessions(['journal_entries'], tables, 3, { states: { journal_entries: checkpoint as SavedState } });
    assert.equal(resumed.ok, true);
    const union = new Set([...emittedBefore, ...records(resumed.messages).map((r) => r['jdt_num'])]);
    assert.equal(union.size, 40, `resumed from checkpoint ${index}: ${JSON.stringify(checkpoint)}`);
  }
});

test('with several sessions, an entity set that fails is INCOMPLETE alone; one whose failure ends the run stops the read', async () => {
  const tables = { JournalEntries: journalEntries(30), Warehouses: warehouses(9) };
  const alone = await readOnSessions(['journal_entries', 'warehouses'], tables, 4, {
    fails: (entitySet) => (entitySet === 'Warehouses' ? transientError('HTTP 500 from Warehouses') : undefined),
  });
  assert.equal(alone.ok, false);
  const final = new Map(alone.messages.flatMap((m) => (m.trace?.stream_status ? [[m.trace.stream_status.stream_descriptor.name, m.trace.stream_status.status] as const] : [])));
  assert.equal(final.get('warehouses'), 'INCOMPLETE');
  assert.equal(final.get('journal_entries'), 'COMPLETE');
  assert.equal(records(alone.messages, 'journal_entries').length, 30, 'the other entity set, split over the other sessions, is read whole');
  assert.equal(alone.messages.filter((m) => m.trace?.type === 'ERROR').length, 1);

  await assert.rejects(
    readOnSessions(['journal_entries', 'warehouses'], tables, 4, {
      fails: (entitySet) => (entitySet === 'Warehouses' ? configError('The Service Layer refused the sign-in', { endsRun: true }) : undefined),
    }),
    /refused the sign-in/,
  );
});
