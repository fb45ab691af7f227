/**
 * Runs collection queries over an entity table. Key-ordered queries (no $orderby, or the key alone) stream from
 * the key bound of the filter and remember where each page ended, so both `Key gt X` paging and $skip paging
 * cost O(page). Other orders scan once, sort the matching keys and keep them for the following pages until the
 * table changes; counts are kept the same way. A change to the table invalidates everything, as a new query on
 * a real database would see the change.
 */
import type { SchemaModel, StructuredType } from '../model/schema.js';
import { compareKeys, type Core, type Key } from '../store/source.js';
import type { EntityTable } from '../store/table.js';
import type { QueryOptions } from './query-options.js';

interface Cursor {
  version: number;
  /** Matching rows before `resume`. */
  consumed: number;
  resume: { key: Key; inclusive: boolean };
}

const MAX_CURSORS_PER_QUERY = 4;
const MAX_CACHED_QUERIES = 16;

export interface PageRows {
  rows: Generator<Core>;
  /** Rows the page may hold at most (Infinity when unlimited). */
  limit: number;
}

export class QueryEngine {
  private readonly cursors = new Map<string, Cursor[]>();
  private readonly sorted = new Map<string, { version: number; keys: Key[] }>();
  private readonly counts = new Map<string, { version: number; count: number }>();

  constructor(private readonly schema: SchemaModel) {}

  /** Number of records matching the filter. */
  count(table: EntityTable, options: QueryOptions): number {
    if (!options.predicate) return table.count;
    const signature = `${table.entitySet}\n${options.filterText}`;
    const cached = this.counts.get(signature);
    if (cached && cached.version === table.version) return cached.count;
    let n = 0;
    const predicate = options.predicate;
    for (const e of this.boundedScan(table, options, false)) if (!predicate || predicate(e.record)) n++;
    remember(this.counts, signature, { version: table.version, count: n });
    return n;
  }

  /** The rows of one page: `pageSize` rows at most (0 = no paging), $top and $skip applied. */
  page(table: EntityTable, options: QueryOptions, pageSize: number): PageRows {
    const limit = Math.min(pageSize > 0 ? pageSize : Infinity, options.top ?? Infinity);
    const type = this.schema.typeOfSet(table.entitySet);
    const direction = keyDirection(type, options);
    if (direction !== undefined) return { rows: this.keyOrdered(table, options, limit, direction === 'desc'), limit };
    return { rows: this.sortedRows(table, type, options, limit), limit };
  }

  private *boundedScan(table: EntityTable, options: QueryOptions, descending: boolean, resume?: { key: Key; inclusive: boolean }) {
    const { lower, upper } = options.keyBounds;
    const start = resume ?? (descending ? upper : lower);
    const stop = descending ? lower : upper;
    const scan = descending ? table.scanDescending(start) : table.scan(start);
    for (const e of scan) {
      if (stop) {
        const c = compareKeys(e.key, stop.key);
        const beyond = descending ? c < 0 || (c === 0 && !stop.inclusive) : c > 0 || (c === 0 && !stop.inclusive);
        if (beyond) return;
      }
      yield e;
    }
  }

  private *keyOrdered(table: EntityTable, options: QueryOptions, limit: number, descending: boolean): Generator<Core> {
    if (limit === 0) return;
    const signature = `${table.entitySet}\n${options.filterText}\n${descending ? 'desc' : 'asc'}`;
    const cursor = this.bestCursor(signature, table.version, options.skip);
    let matched = cursor?.consumed ?? 0;
    let emitted = 0;
    const predicate = options.predicate;
    for (const e of this.boundedScan(table, options, descending, cursor?.resume)) {
      if (predicate && !predicate(e.record)) continue;
      if (matched < options.skip) {
        matched++;
        continue;
      }
      matched++;
      emitted++;
      yield e.record;
      if (emitted >= limit) {
        this.saveCursor(signature, { version: table.version, consumed: matched, resume: { key: e.key, inclusive: false } });
        return;
      }
    }
  }

  private bestCursor(signature: string, version: number, skip: number): Cursor | undefined {
    let best: Cursor | undefined;
    for (const c of this.cursors.get(signature) ?? []) {
      if (c.version === version && c.consumed <= skip && (!best || c.consumed > best.consumed)) best = c;
    }
    return best;
  }

  private saveCursor(signature: string, cursor: Cursor): void {
    const list = (this.cursors.get(signature) ?? []).filter((c) => c.version === cursor.version && c.consumed !== cursor.consumed);
    list.push(cursor);
    while (list.length > MAX_CURSORS_PER_QUERY) list.shift();
    this.cursors.delete(signature);
    this.cursors.set(signature, list);
    while (this.cursors.size > MAX_CACHED_QUERIES) this.cursors.delete(this.cursors.keys().next().value!);
  }

  private *sortedRows(table: EntityTable, type: StructuredType, options: QueryOptions, limit: number): Generator<Core> {
    const keys = this.sortedKeys(table, type, options);
    const end = Math.min(keys.length, options.skip + (Number.isFinite(limit) ? limit : keys.length));
    for (let i = options.skip; i < end; i++) {
      const record = table.get(keys[i]!);
      if (record) yield record;
    }
  }

  private sortedKeys(table: EntityTable, type: StructuredType, options: QueryOptions): Key[] {
    const signature = `${table.entitySet}\n${options.filterText}\n${options.orderbyText}`;
    const cached = this.sorted.get(signature);
    if (cached && cached.version === table.version) return cached.keys;
    const orders = options.orderby.map((o) => ({ ...o, property: type.byName.get(o.name)!, fallback: type.defaults.get(o.name) }));
    const rows: { key: Key; values: unknown[] }[] = [];
    const predicate = options.predicate;
    for (const e of this.boundedScan(table, options, false)) {
      if (predicate && !predicate(e.record)) continue;
      rows.push({
        key: e.key,
        values: orders.map((o) => {
          const v = e.record[o.name];
          return sortValue(this.schema, o.property.kind === 'enum' ? o.property.typeName : undefined, v === undefined ? o.fallback : v);
        }),
      });
    }
    rows.sort((a, b) => {
      for (let i = 0; i < orders.length; i++) {
        const c = compareSortValues(a.values[i], b.values[i]);
        if (c !== 0) return orders[i]!.desc ? -c : c;
      }
      return compareKeys(a.key, b.key);
    });
    const keys = rows.map((r) => r.key);
    remember(this.sorted, signature, { version: table.version, keys });
    return keys;
  }
}

/** 'asc' or 'desc' when the order is the key's (or none), else undefined. */
function keyDirection(type: StructuredType, options: QueryOptions): 'asc' | 'desc' | undefined {
  if (options.orderby.length === 0) return 'asc';
  if (options.orderby.length === 1 && type.key.length === 1 && options.orderby[0]!.name === type.key[0]) {
    return options.orderby[0]!.desc ? 'desc' : 'asc';
  }
  return undefined;
}

function sortValue(schema: SchemaModel, enumName: string | undefined, v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (enumName) return schema.enums.get(enumName)?.find(([m]) => m === v)?.[1] ?? null;
  return v;
}

/** Nulls first, as the databases under the Service Layer sort ascending. */
function compareSortValues(a: unknown, b: unknown): number {
  if (a === null) return b === null ? 0 : -1;
  if (b === null) return 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function remember<T>(map: Map<string, T>, key: string, value: T): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > MAX_CACHED_QUERIES) map.delete(map.keys().next().value!);
}
