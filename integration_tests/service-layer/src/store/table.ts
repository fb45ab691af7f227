/**
 * An entity set as the server sees it: the generated records plus a small overlay of mutated and inserted
 * records. Scans run in key order from any key, generating records one at a time, so memory stays flat
 * whatever the volume.
 */
import { compareKeys, type Core, type Key, type RecordSource } from './source.js';

export interface ScanEntry {
  key: Key;
  record: Core;
}

export class EntityTable {
  /** Bumped on every change; query caches compare it. */
  version = 0;
  private readonly overlay = new Map<Key, Core>();
  /** Keys of inserted records, ascending. */
  private readonly inserted: Key[] = [];

  constructor(readonly source: RecordSource) {}

  get entitySet(): string {
    return this.source.entitySet;
  }

  get keyProperty(): string {
    return this.source.keyProperty;
  }

  get count(): number {
    return this.source.count + this.inserted.length;
  }

  /** The current record with this key, or undefined. */
  get(key: Key): Core | undefined {
    const changed = this.changed(key);
    if (changed) return changed;
    const index = this.source.indexOf(key);
    return index >= 0 ? this.source.record(index) : undefined;
  }

  /** Replaces the record with this key (it must exist). */
  put(key: Key, record: Core): void {
    if (this.get(key) === undefined) throw new Error(`${this.entitySet}(${String(key)}) does not exist`);
    this.overlay.set(key, record);
    this.version++;
  }

  /** Adds a record under a new key. */
  insert(key: Key, record: Core): void {
    if (this.get(key) !== undefined) throw new Error(`${this.entitySet}(${String(key)}) already exists`);
    this.overlay.set(key, record);
    let i = this.inserted.length;
    while (i > 0 && compareKeys(this.inserted[i - 1]!, key) > 0) i--;
    this.inserted.splice(i, 0, key);
    this.version++;
  }

  /** The key the next insert gets: the source's next after the greatest key, skipping keys in use. */
  nextKey(): Key {
    let key = this.source.nextKey(this.lastKey());
    while (this.get(key) !== undefined) key = this.source.nextKey(key);
    return key;
  }

  /** The key at a position in key order. */
  keyAt(position: number): Key | undefined {
    if (position < 0 || position >= this.count) return undefined;
    if (this.inserted.length === 0) return this.source.keyAt(position);
    let n = 0;
    for (const e of this.scan()) {
      if (n++ === position) return e.key;
    }
    return undefined;
  }

  lastKey(): Key | undefined {
    const base = this.source.count > 0 ? this.source.keyAt(this.source.count - 1) : undefined;
    const ins = this.inserted[this.inserted.length - 1];
    if (base === undefined) return ins;
    if (ins === undefined) return base;
    return compareKeys(base, ins) >= 0 ? base : ins;
  }

  /** Records in ascending key order, starting at `from` (inclusive unless said otherwise). */
  *scan(from?: { key: Key; inclusive: boolean }): Generator<ScanEntry> {
    let i = from ? this.lowerBound(from.key, from.inclusive) : 0;
    let j = 0;
    if (from) while (j < this.inserted.length && !keyAfter(this.inserted[j]!, from)) j++;
    const n = this.source.count;
    while (i < n || j < this.inserted.length) {
      const baseKey = i < n ? this.source.keyAt(i) : undefined;
      const insKey = this.inserted[j];
      if (baseKey !== undefined && (insKey === undefined || compareKeys(baseKey, insKey) < 0)) {
        yield { key: baseKey, record: this.changed(baseKey) ?? this.source.record(i) };
        i++;
      } else {
        yield { key: insKey!, record: this.changed(insKey!)! };
        j++;
      }
    }
  }

  /** Records in descending key order, starting at `from` (inclusive unless said otherwise). */
  *scanDescending(from?: { key: Key; inclusive: boolean }): Generator<ScanEntry> {
    let i = from ? this.lowerBound(from.key, !from.inclusive) - 1 : this.source.count - 1;
    let j = this.inserted.length - 1;
    if (from) while (j >= 0 && !keyBefore(this.inserted[j]!, from)) j--;
    while (i >= 0 || j >= 0) {
      const baseKey = i >= 0 ? this.source.keyAt(i) : undefined;
      const insKey = j >= 0 ? this.inserted[j] : undefined;
      if (baseKey !== undefined && (insKey === undefined || compareKeys(baseKey, insKey) > 0)) {
        yield { key: baseKey, record: this.changed(baseKey) ?? this.source.record(i) };
        i--;
      } else {
        yield { key: insKey!, record: this.changed(insKey!)! };
        j--;
      }
    }
  }

  /** A changed or inserted record, with the values that follow the books brought up to date. */
  private changed(key: Key): Core | undefined {
    const record = this.overlay.get(key);
    if (record) this.source.refresh?.(record);
    return record;
  }

  /** First generated index whose key is >= key (or > key when not inclusive). */
  private lowerBound(key: Key, inclusive: boolean): number {
    let lo = 0;
    let hi = this.source.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = compareKeys(this.source.keyAt(mid), key);
      if (c < 0 || (c === 0 && !inclusive)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

function keyAfter(key: Key, from: { key: Key; inclusive: boolean }): boolean {
  const c = compareKeys(key, from.key);
  return c > 0 || (c === 0 && from.inclusive);
}

function keyBefore(key: Key, from: { key: Key; inclusive: boolean }): boolean {
  const c = compareKeys(key, from.key);
  return c < 0 || (c === 0 && from.inclusive);
}
