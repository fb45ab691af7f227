/**
 * The page source of a real read: a thin adapter over one Service Layer session, which signs in,
 * retries and cuts each answer into its records as it arrives; this turns a page request into the
 * OData query, and each record's JSON into the entity, its key and its hashes, as the engine takes
 * them. The reading of answers runs ahead of the engine by a bounded amount (read-ahead.ts), and
 * their bytes wait in one buffer per session (byte-queue.ts).
 */
import { systemError } from '../errors.js';
import type { ScannedCollection, ScannedRecord } from '../service-layer/collection-scanner.js';
import type { ServiceLayerClient } from '../service-layer/client.js';
import { buildQuery } from '../service-layer/odata.js';
import { ByteQueue } from './byte-queue.js';
import { keyLiteral, type KeyValue } from './cursor/ordering.js';
import type { Page, PageEnd, PageRequest, PageSource, SourceRecord } from './page-source.js';
import { ReadAhead } from './read-ahead.js';
import { leavesOut, recordText, rowsText } from './record-json.js';
import { EntityHashes, nameOf, type RawEntity } from './records.js';
import { RowProjection } from '../service-layer/row-projection.js';

/**
 * How far the reading of answers may run ahead of the engine, shared by the sessions of a read. A
 * page has arrived, and the next request goes out, once its end is within a session's share of what
 * the engine has parsed. What is left of the page must keep the engine busy while the server starts
 * on the next: a Service Layer builds a page whole before it sends its first byte, which takes the
 * benchmark's simulator 100 to 200 ms for pages of 500 documents, and the engine works through
 * about 70 MB of JSON a second. At concurrency 1 the fast profile read in 22-24 s with 4 MB, 20-21 s
 * with 8 MB, 19-20 s with 12 MB and 18.6-19.5 s with 16 MB, for 10 MB more resident memory per
 * 4 MB. With several sessions the engine is kept busy by the others, so each needs less. The bytes
 * wait in each session's one buffer (byte-queue.ts).
 */
const READ_AHEAD_BYTES = 12 * 1024 * 1024;

/** How much of what has arrived is parsed at a time: a fraction of an output batch (engine.ts). */
const PARSE_SLICE_BYTES = 32 * 1024;

/**
 * A record at least this large has the rows of its collections parsed a slice of PARSE_SLICE_BYTES
 * at a time, as the engine takes them. Parsed whole, an entity takes about four times its JSON in
 * memory, and its records are all shaped before any is written.
 */
const LARGE_RECORD_BYTES = 1024 * 1024;

/** The pages of one session of a read that has `sessions` of them. */
export function serviceLayerPages(client: ServiceLayerClient, sessions: number): PageSource {
  // A session reads its pages one after another, so one queue holds the bytes of all of them.
  const readAheadBytes = Math.ceil(READ_AHEAD_BYTES / sessions);
  const arrivedBytes = new ByteQueue(undefined, readAheadBytes);
  return {
    readPage: (request, signal) => readPage(client, arrivedBytes, readAheadBytes, request, signal),
    async countRecords(entitySet, filter, signal) {
      const query = filter ? `?${buildQuery({ filter }, client.dialect)}` : '';
      const text = await client.getText(`${entitySet}/$count${query}`, { signal, accept: 'text/plain' });
      const count = Number(text.trim());
      return Number.isSafeInteger(count) && count >= 0 ? count : undefined;
    },
    async keyRange(entitySet, key, filter, signal) {
      const end = async (direction: 'asc' | 'desc'): Promise<KeyValue | undefined> => {
        const query = buildQuery({ filter, select: [key], orderBy: [`${key} ${direction}`], top: 1 }, client.dialect);
        const body = await client.getJson<{ value?: RawEntity[] }>(`${entitySet}?${query}`, { signal });
        return body.value?.[0] === undefined ? undefined : keyOf(body.value[0], entitySet, key);
      };
      const first = await end('asc');
      if (first === undefined) return undefined;
      const last = await end('desc');
      return last === undefined ? undefined : { first, last };
    },
    serverToday: () => client.lastServerDate()?.toISOString().slice(0, 10),
    entityUrl: (entitySet, key) => `${client.serviceRoot.href}${entitySet}(${keyLiteral(key)})`,
  };
}

function keyOf(entity: RawEntity, entitySet: string, key: string): KeyValue {
  const value = entity[key];
  if (typeof value !== 'number' && typeof value !== 'string') throw systemError(`A record of ${entitySet} came without its key ${key}.`);
  return value;
}

function readPage(client: ServiceLayerClient, arrivedBytes: ByteQueue, readAheadBytes: number, request: PageRequest, signal: AbortSignal): Page {
  const { entitySet, orderBy } = request;
  const stop = new AbortController();
  const forwardAbort = (): void => stop.abort(signal.reason);
  signal.addEventListener('abort', forwardAbort, { once: true });
  const readAhead = new ReadAhead<ScannedRecord>(readAheadBytes);
  let taken = 0;
  let cancelled = false;
  /** Where the current attempt's body starts in the queue. */
  let bodyStart = arrivedBytes.end;
  /** Where this page's bytes end in the queue, so far. */
  let receivedEnd = arrivedBytes.end;
  /** Where the records the engine has parsed end in the queue. */
  let parsedEnd = arrivedBytes.end;
  /** The last record that arrived: its bytes are kept until the page has ended, for its key. */
  let last: ScannedRecord | undefined;
  const lastKey = (): KeyValue | undefined => (last === undefined ? undefined : keyOf(parse(arrivedBytes.bytes(last.start, last.end)), entitySet, orderBy));
  const releaseParsed = (): void => arrivedBytes.release(last === undefined ? parsedEnd : Math.min(parsedEnd, last.start));

  const arrived: Promise<PageEnd> = client
    .readCollectionPage(
      // A retry after a body cut short starts after the last record handed on.
      () => `${entitySet}?${buildQuery({ filter: request.filterAfter(lastKey() ?? request.afterKey), select: [...request.select], orderBy: [`${orderBy} asc`] }, client.dialect)}`,
      { pageSize: request.pageSize, signal: stop.signal, projection: new RowProjection(request.childRows) },
      {
        startBody() {
          bodyStart = arrivedBytes.end;
        },
        take(piece, records) {
          if (cancelled) return;
          arrivedBytes.append(piece);
          receivedEnd = arrivedBytes.end;
          if (records.length === 0) return;
          taken += records.length;
          let bytes = 0;
          for (const record of records) {
            record.start += bodyStart;
            record.end += bodyStart;
            bytes += record.end - record.start;
          }
          last = records.at(-1);
          return readAhead.push(records, bytes);
        },
        get taken() {
          return taken;
        },
      },
    )
    .then(
      ({ nextLink }) => {
        try {
          return { morePages: nextLink !== undefined, lastKey: lastKey() };
        } finally {
          // Also when the last record has no key: the engine then meets the same error in it.
          last = undefined;
          readAhead.end();
        }
      },
      (error: unknown) => {
        readAhead.fail(error);
        throw error;
      },
    )
    .finally(() => signal.removeEventListener('abort', forwardAbort));
  // The engine may stop before it asks how the page ended.
  arrived.catch(() => undefined);

  const cancel = (): void => {
    if (cancelled) return;
    cancelled = true;
    stop.abort(new Error('The page is no longer read.'));
    readAhead.abandon(new Error('The page is no longer read.'));
    last = undefined;
    arrivedBytes.release(receivedEnd);
  };
  async function* records(): AsyncGenerator<SourceRecord[]> {
    let finished = false;
    try {
      for await (const arrivedRecords of readAhead.take()) {
        // Parsed a slice at a time, as the engine gets to them: records parsed long before they are
        // written would outlive the young generation and be collected only by full collections.
        for (let from = 0; from < arrivedRecords.length; ) {
          const slice: SourceRecord[] = [];
          let bytes = 0;
          while (from < arrivedRecords.length && bytes < PARSE_SLICE_BYTES) {
            const { start, end, collections } = arrivedRecords[from++]!;
            slice.push(sourceRecord(() => arrivedBytes.bytes(start, end), collections, entitySet, orderBy, request.childRows));
            bytes += end - start;
            parsedEnd = end;
          }
          // Released once the engine is done with the slice: a large record's rows are parsed then.
          yield slice;
          releaseParsed();
          readAhead.taken(bytes);
        }
      }
      finished = true;
    } finally {
      if (!finished) cancel();
    }
  }
  return { records: records(), arrived, cancel };
}

/**
 * A record as the engine takes it: parsed once, its key, and its hashes from the bytes it came as.
 * `bytesOf` gives its bytes whenever asked: a large record's rows are parsed from them later, and
 * the buffer they wait in may have moved them by then.
 */
export function sourceRecord(
  bytesOf: () => Buffer,
  collections: readonly ScannedCollection[],
  entitySet: string,
  keyProperty: string,
  childRows: ReadonlyMap<string, readonly string[]> = new Map(),
): SourceRecord {
  const bytes = bytesOf();
  const hashes = new EntityHashes(bytes, collections);
  /** The collections whose rows are parsed apart, by name: only a large record's. */
  const apart = new Map<string, ScannedCollection>();
  if (bytes.length >= LARGE_RECORD_BYTES) {
    for (const collection of collections) {
      const name = nameOf(bytes, collection);
      if (childRows.has(name)) apart.set(name, collection);
    }
  }
  const asSent = apart.size === 0 && !leavesOut(collections);
  const entity = asSent ? parse(bytes) : (JSON.parse(recordText(bytes, collections, new Set(apart.values()))) as RawEntity);
  return {
    entity,
    key: keyOf(entity, entitySet, keyProperty),
    hashes,
    bytes: bytes.length,
    rows(collection, from) {
      const scanned = apart.get(collection);
      if (scanned === undefined) {
        const all = entity[collection];
        return Array.isArray(all) && from === 0 ? all : [];
      }
      const rows = scanned.rows;
      if (from >= rows.length) return [];
      let to = from + 1;
      while (to < rows.length && rows[to]![1] - rows[from]![0] <= PARSE_SLICE_BYTES) to++;
      return JSON.parse(rowsText(bytesOf(), scanned, from, to)) as unknown[];
    },
  };
}

function parse(bytes: Buffer): RawEntity {
  return JSON.parse(bytes.toString('utf8')) as RawEntity;
}
