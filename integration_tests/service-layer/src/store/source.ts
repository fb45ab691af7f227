/**
 * A generated entity set: a fixed number of records in key order, each produced on demand from its index.
 * Records are "cores": canonical values of the properties the generator sets; every other property takes its
 * default when served.
 */
import type { Stamp } from '../company/plan.js';

export type Key = string | number;
export type Core = Record<string, unknown>;

export interface RecordSource {
  readonly entitySet: string;
  readonly keyProperty: string;
  readonly count: number;
  keyAt(index: number): Key;
  /** Index of a generated record's key, else -1. */
  indexOf(key: Key): number;
  /** A fresh copy of the record at `index`. */
  record(index: number): Core;
  /** A plausible new record with this key, created at `stamp` (for inserts). */
  create(key: Key, stamp: Stamp, sequence: number): Core;
  /**
   * For sets the books keep: posts a new record at `stamp` the way the company would (with `values` the books do
   * not hold shown on it) and returns its key. Such sets take inserts through here, not through create.
   */
  post?(stamp: Stamp, sequence: number, values: Record<string, unknown>): Key;
  /** Brings a changed record's values that follow the books (an item's stock) up to date when it is read. */
  refresh?(record: Core): void;
  /** The key an insert gets when the greatest existing key is `last`. */
  nextKey(last: Key | undefined): Key;
}

/** Key order: numbers by value, strings by UTF-16 code units. */
export function compareKeys(a: Key, b: Key): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Records keyed 1..count (DocEntry, JdtNum...). */
export abstract class NumberedSource implements RecordSource {
  abstract readonly entitySet: string;
  abstract readonly keyProperty: string;
  abstract readonly count: number;

  keyAt(index: number): Key {
    return index + 1;
  }

  indexOf(key: Key): number {
    if (typeof key !== 'number' || !Number.isInteger(key) || key < 1 || key > this.count) return -1;
    return key - 1;
  }

  nextKey(last: Key | undefined): Key {
    return (typeof last === 'number' ? last : this.count) + 1;
  }

  abstract record(index: number): Core;
  abstract create(key: Key, stamp: Stamp, sequence: number): Core;
}

/** A small fixed list of records, sorted by key once. */
export class ListSource implements RecordSource {
  private readonly rows: Core[];

  constructor(
    readonly entitySet: string,
    readonly keyProperty: string,
    rows: Core[],
    private readonly creator: (key: Key, stamp: Stamp) => Core,
    /** Fills the values that change with the books (an account's balance) when a record is read. */
    private readonly live?: (record: Core) => void,
  ) {
    this.rows = [...rows].sort((a, b) => compareKeys(a[keyProperty] as Key, b[keyProperty] as Key));
  }

  get count(): number {
    return this.rows.length;
  }

  keyAt(index: number): Key {
    return this.rows[index]![this.keyProperty] as Key;
  }

  indexOf(key: Key): number {
    let lo = 0;
    let hi = this.rows.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = compareKeys(this.keyAt(mid), key);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  record(index: number): Core {
    const record = structuredClone(this.rows[index]!);
    this.live?.(record);
    return record;
  }

  create(key: Key, stamp: Stamp): Core {
    return this.creator(key, stamp);
  }

  /** Numbers count up; codes with a numeric tail (PR0060) too; other codes have no next one. */
  nextKey(last: Key | undefined): Key {
    if (typeof last === 'number' || (last === undefined && typeof this.keyAt(0) === 'number')) {
      return (typeof last === 'number' ? last : 0) + 1;
    }
    return nextCode(this.entitySet, this.keyProperty, last);
  }
}

export function nextCode(entitySet: string, keyProperty: string, last: Key | undefined): string {
  const m = /^(.*?)(\d+)$/.exec(String(last ?? ''));
  if (!m) throw new Error(`Inserting into ${entitySet} needs the key in the record (${keyProperty})`);
  const next = String(Number(m[2]) + 1);
  return `${m[1]}${next.padStart(m[2]!.length, '0')}`;
}
