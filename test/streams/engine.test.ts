/**
 * The read engine against a scripted Service Layer client: paging by key, checkpoints, and the
 * guard against a server that ignores the key filter.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { MessageEmitter } from '../../src/protocol/emitter.js';
import { readGroup, type EngineContext } from '../../src/streams/engine.js';
import { selectStreams } from '../../src/streams/selection.js';
import { catalogEntries, type CatalogEntry } from '../../src/streams/catalog.js';
import { shippedStreams } from '../../src/streams/definitions.js';
import { silentLogger } from '../../src/logging.js';
import type { ServiceLayerClient } from '../../src/service-layer/client.js';

type Page = Record<string, unknown>[];

function scriptedClient(pages: Page[]): { client: ServiceLayerClient; requests: string[] } {
  const requests: string[] = [];
  let index = 0;
  const client = {
    dialect: 'v2',
    serviceRoot: new URL('https://b1:50000/b1s/v2/'),
    lastServerDate: () => new Date('2026-11-25T10:00:00Z'),
    getText: async () => String(pages.flat().length),
    getJson: async (path: string) => {
      requests.push(decodeURIComponent(path));
      const value = pages[index] ?? [];
      index++;
      return { value, ...(index < pages.length ? { '@odata.nextLink': `${path}&$skip=${index}` } : {}) };
    },
  };
  return { client: client as unknown as ServiceLayerClient, requests };
}

function run(streamName: string, pages: Page[]) {
  const lines: Record<string, unknown>[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  const entries = new Map<string, CatalogEntry>();
  for (const definition of shippedStreams) for (const entry of catalogEntries(definition)) entries.set(entry.stream.name, entry);
  const entry = entries.get(streamName)!;
  const selection = selectStreams(
    { streams: [{ stream: entry.stream, sync_mode: 'full_refresh', destination_sync_mode: 'overwrite' }] },
    entries,
    new Map(),
    silentLogger,
  );
  const { client, requests } = scriptedClient(pages);
  const ctx: EngineContext = {
    client,
    emitter: new MessageEmitter(out),
    logger: silentLogger,
    pageSize: 2,
    companyDb: 'SBO',
    startDate: undefined,
    replaySince: undefined,
    lookbackDays: 0,
    rereadWindowDays: 60,
    signal: new AbortController().signal,
  };
  return { result: readGroup(selection.groups[0]!, ctx), lines, requests };
}

test('text keys follow the database collation: a case-insensitive order is accepted and paged by key', async () => {
  const { result, lines, requests } = run('warehouses', [
    [{ WarehouseCode: 'a-north' }, { WarehouseCode: 'B-south' }],
    [{ WarehouseCode: 'c-west' }],
  ]);
  assert.equal(await result, true);
  assert.deepEqual(
    lines.filter((l) => l.type === 'RECORD').map((l) => (l.record as { data: { warehouse_code: string } }).data.warehouse_code),
    ['a-north', 'B-south', 'c-west'],
  );
  assert.match(requests[1]!, /\$filter=WarehouseCode gt 'B-south'/);
  assert.match(requests[0]!, /\$orderby=WarehouseCode asc/);
  const states = lines.filter((l) => l.type === 'STATE').map((l) => (l.state as { stream: { stream_state: unknown } }).stream.stream_state);
  assert.deepEqual(states[0], { pass: { bound: {}, started_on: '2026-11-24', after_key: 'B-south' } });
  assert.deepEqual(states.at(-1), {});
});

test('a server that ignores the key filter stops the stream instead of looping or skipping', async () => {
  const { result, lines } = run('journal_entries', [[{ JdtNum: 5 }, { JdtNum: 6 }], [{ JdtNum: 3 }]]);
  assert.equal(await result, false);
  const error = lines.find((l) => l.type === 'TRACE' && (l.trace as { type: string }).type === 'ERROR')!;
  assert.match((error.trace as { error: { message: string } }).error.message, /out of order/);
  const statuses = lines.filter((l) => l.type === 'TRACE' && (l.trace as { type: string }).type === 'STREAM_STATUS');
  assert.equal((statuses.at(-1)!.trace as { stream_status: { status: string } }).stream_status.status, 'INCOMPLETE');
});
