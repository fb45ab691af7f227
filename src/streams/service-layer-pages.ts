/**
 * The page source of a real read: a thin adapter over one Service Layer session, which signs in,
 * retries and cuts each answer into its records as it arrives; this turns a page request into the
 * OData query, and each record's JSON into the entity, its key and its hashes, as the engine takes
 * them. The reading of an answer runs ahead of the engine by a bounded amount (read-ahead.ts).
 */
import { systemError } from '../errors.js';
import type { ScannedRecord } from '../service-layer/collection-scanner.js';
import type { ServiceLayerClient } from '../service-layer/client.js';
import { buildQuery } from '../service-layer/odata.js';
import { keyLiteral, type KeyValue } from './cursor/ordering.js';
import type { Page, PageEnd, PageRequest, PageSource, SourceRecord } from './page-source.js';
import { ReadAhead } from './read-ahead.js';
import { EntityHashes, type RawEntity } from './records.js';

/**
 * How far the reading of an answer may run ahead of the engine. The page has arrived (and the next
 * request goes out) once its end is within this much of what the engine has taken: a few
 * milliseconds of the engine's work, which is as much as the next request needs to overlap with the
 * end of this page, and small enough that several sessions with pages of full documents (many
 * megabytes each) stay within the memory budget.
 */
const READ_AHEAD_BYTES = 256 * 1024;

export function serviceLayerPages(client: ServiceLayerClient): PageSource {
  return {
    readPage: (request, signal) => readPage(client, request, signal),
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

function readPage(client: ServiceLayerClient, request: PageRequest, signal: AbortSignal): Page {
  const { entitySet, orderBy } = request;
  const stop = new AbortController();
  const forwardAbort = (): void => stop.abort(signal.reason);
  signal.addEventListener('abort', forwardAbort, { once: true });
  const readAhead = new ReadAhead<ScannedRecord>(READ_AHEAD_BYTES);
  let taken = 0;
  let last: ScannedRecord | undefined;
  const lastKey = (): KeyValue | undefined => (last === undefined ? undefined : keyOf(parse(last), entitySet, orderBy));

  const arrived: Promise<PageEnd> = client
    .readCollectionPage(
      // A retry after a body cut short starts after the last record handed on.
      () => `${entitySet}?${buildQuery({ filter: request.filterAfter(lastKey() ?? request.afterKey), select: [...request.select], orderBy: [`${orderBy} asc`] }, client.dialect)}`,
      { pageSize: request.pageSize, signal: stop.signal },
      {
        take(records) {
          taken += records.length;
          last = records.at(-1);
          let bytes = 0;
          for (const record of records) bytes += record.bytes.length;
          return readAhead.push(records, bytes);
        },
        get taken() {
          return taken;
        },
      },
    )
    .then(
      ({ nextLink }) => {
        readAhead.end();
        return { morePages: nextLink !== undefined, lastKey: lastKey() };
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
    stop.abort(new Error('The page is no longer read.'));
    readAhead.abandon(new Error('The page is no longer read.'));
  };
  async function* records(): AsyncGenerator<SourceRecord[]> {
    let finished = false;
    try {
      for await (const scanned of readAhead.take()) {
        yield scanned.map((record) => sourceRecord(record, entitySet, orderBy));
      }
      finished = true;
    } finally {
      if (!finished) cancel();
    }
  }
  return { records: records(), arrived, cancel };
}

/** A record as the engine takes it: parsed once, its key, and its hashes from the bytes it came as. */
export function sourceRecord(record: ScannedRecord, entitySet: string, keyProperty: string): SourceRecord {
  const entity = parse(record);
  return { entity, key: keyOf(entity, entitySet, keyProperty), hashes: new EntityHashes(record), bytes: record.bytes.length };
}

function parse(record: ScannedRecord): RawEntity {
  return JSON.parse(record.bytes.toString('utf8')) as RawEntity;
}
