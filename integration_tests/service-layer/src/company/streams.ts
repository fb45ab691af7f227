/**
 * Document numbering as a pure function of the day plan. A stream says how many records of one kind were
 * posted on each day of the history; a record's position in its stream is its key order (DocEntry = index + 1),
 * so finding the day of any record, or the records of any day, needs no stored records.
 *
 * A derived stream (payments of invoices, receipts of orders...) is built from a source stream: each source
 * day is split in a few buckets, each bucket gets a lag, and all its records but a few trailing ones (left open)
 * produce one derived record on source day + lag. Derived records are numbered in the order of their own day.
 */
import { weekday } from '../model/dates.js';

export class DayStream {
  /** starts[d] = index of the first record of day offset d; starts[days] = total. */
  readonly starts: Float64Array;

  constructor(readonly firstDay: number, readonly counts: Int32Array) {
    this.starts = new Float64Array(counts.length + 1);
    for (let d = 0; d < counts.length; d++) this.starts[d + 1] = this.starts[d]! + counts[d]!;
  }

  get days(): number {
    return this.counts.length;
  }

  get total(): number {
    return this.starts[this.counts.length]!;
  }

  /** Day offset of the record at `index` (0 <= index < total). */
  dayOffsetOf(index: number): number {
    let lo = 0;
    let hi = this.counts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.starts[mid]! <= index) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  dayOf(index: number): number {
    return this.firstDay + this.dayOffsetOf(index);
  }

  /** Position of the record within its day and the day's count. */
  positionOf(index: number): { dayOffset: number; position: number; count: number } {
    const dayOffset = this.dayOffsetOf(index);
    return { dayOffset, position: index - this.starts[dayOffset]!, count: this.counts[dayOffset]! };
  }
}

export interface DerivedSpec {
  /** Buckets per source day. */
  groups: number;
  /** Calendar days from the source day to the derived record (before moving off weekends). */
  lagDays(sourceDayOffset: number, group: number): number;
  /** How many trailing records of a bucket get no derived record. */
  openCount(sourceDayOffset: number, group: number, bucketSize: number): number;
}

export class DerivedStream extends DayStream {
  private readonly bucketTarget: Int32Array;
  private readonly bucketDerived: Int32Array;
  private readonly bucketOffsetInTarget: Float64Array;
  /** For each target day offset, the buckets landing on it, ascending: bucketIds[bucketStart[t] .. bucketStart[t+1]). */
  private readonly targetBucketStart: Int32Array;
  private readonly targetBucketIds: Int32Array;

  constructor(
    readonly source: DayStream,
    private readonly spec: DerivedSpec,
  ) {
    const days = source.days;
    const g = spec.groups;
    const bucketTarget = new Int32Array(days * g).fill(-1);
    const bucketDerived = new Int32Array(days * g);
    const counts = new Int32Array(days);
    for (let d = 0; d < days; d++) {
      for (let k = 0; k < g; k++) {
        const b = d * g + k;
        const size = DerivedStream.bucketSizeOf(source.counts[d]!, g, k);
        if (size === 0) continue;
        const target = businessDayOnOrAfter(source.firstDay, d + spec.lagDays(d, k));
        if (target >= days) continue;
        const derived = Math.max(0, size - Math.min(size, spec.openCount(d, k, size)));
        bucketTarget[b] = target;
        bucketDerived[b] = derived;
        counts[target] = counts[target]! + derived;
      }
    }
    super(source.firstDay, counts);
    this.bucketTarget = bucketTarget;
    this.bucketDerived = bucketDerived;

    const perTarget = new Int32Array(days + 1);
    for (let b = 0; b < bucketTarget.length; b++) if (bucketTarget[b]! >= 0) perTarget[bucketTarget[b]! + 1]!++;
    for (let t = 0; t < days; t++) perTarget[t + 1] = perTarget[t + 1]! + perTarget[t]!;
    this.targetBucketStart = perTarget;
    const fill = perTarget.slice(0, days);
    const ids = new Int32Array(perTarget[days]!);
    const offsets = new Float64Array(bucketTarget.length);
    const running = new Float64Array(days);
    for (let b = 0; b < bucketTarget.length; b++) {
      const t = bucketTarget[b]!;
      if (t < 0) continue;
      ids[fill[t]!++] = b;
      offsets[b] = running[t]!;
      running[t] = running[t]! + bucketDerived[b]!;
    }
    this.targetBucketIds = ids;
    this.bucketOffsetInTarget = offsets;
  }

  private static bucketSizeOf(dayCount: number, groups: number, group: number): number {
    return Math.floor((dayCount * (group + 1)) / groups) - Math.floor((dayCount * group) / groups);
  }

  private bucketStartInDay(dayCount: number, group: number): number {
    return Math.floor((dayCount * group) / this.spec.groups);
  }

  /** Source record of the derived record at `index`. */
  sourceIndexOf(index: number): number {
    const t = this.dayOffsetOf(index);
    let rest = index - this.starts[t]!;
    for (let i = this.targetBucketStart[t]!; i < this.targetBucketStart[t + 1]!; i++) {
      const b = this.targetBucketIds[i]!;
      const n = this.bucketDerived[b]!;
      if (rest < n) {
        const d = Math.floor(b / this.spec.groups);
        const k = b % this.spec.groups;
        return this.source.starts[d]! + this.bucketStartInDay(this.source.counts[d]!, k) + rest;
      }
      rest -= n;
    }
    throw new Error(`Derived index ${index} out of range`);
  }

  /** Derived record of the source record at `sourceIndex`, or -1 when it has none (still open). */
  derivedIndexOf(sourceIndex: number): number {
    const { dayOffset, position, count } = this.source.positionOf(sourceIndex);
    const g = this.spec.groups;
    let k = 0;
    while (k < g - 1 && position >= this.bucketStartInDay(count, k + 1)) k++;
    const b = dayOffset * g + k;
    const within = position - this.bucketStartInDay(count, k);
    if (this.bucketTarget[b]! < 0 || within >= this.bucketDerived[b]!) return -1;
    return this.starts[this.bucketTarget[b]!]! + this.bucketOffsetInTarget[b]! + within;
  }
}

/** Day offset moved forward off Saturday and Sunday. */
export function businessDayOnOrAfter(firstDay: number, dayOffset: number): number {
  let d = dayOffset;
  while (!isBusinessDay(firstDay + d)) d++;
  return d;
}

export function isBusinessDay(day: number): boolean {
  const w = weekday(day);
  return w !== 0 && w !== 6;
}

/**
 * Journal entry numbering: every posting of every day in a fixed order of kinds (invoices, credit notes, goods
 * receipts, A/P invoices, incoming payments, outgoing payments, manual entries), so JdtNum follows posting dates.
 */
export class JournalLayout {
  private readonly dayStarts: Float64Array;
  /** kindStarts[d * kinds + k] = offset of kind k within day d. */
  private readonly kindStarts: Float64Array;

  constructor(private readonly kinds: readonly DayStream[]) {
    const days = kinds[0]!.days;
    this.dayStarts = new Float64Array(days + 1);
    this.kindStarts = new Float64Array(days * kinds.length);
    for (let d = 0; d < days; d++) {
      let offset = 0;
      for (let k = 0; k < kinds.length; k++) {
        this.kindStarts[d * kinds.length + k] = offset;
        offset += kinds[k]!.counts[d]!;
      }
      this.dayStarts[d + 1] = this.dayStarts[d]! + offset;
    }
  }

  get total(): number {
    return this.dayStarts[this.dayStarts.length - 1]!;
  }

  /** Journal entry index of record `index` of kind `kind`. */
  entryOf(kind: number, index: number): number {
    const stream = this.kinds[kind]!;
    const d = stream.dayOffsetOf(index);
    return this.dayStarts[d]! + this.kindStarts[d * this.kinds.length + kind]! + (index - stream.starts[d]!);
  }

  /** Kind, record index and day offset of journal entry `entry`. */
  sourceOf(entry: number): { kind: number; index: number; dayOffset: number } {
    let lo = 0;
    let hi = this.dayStarts.length - 2;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.dayStarts[mid]! <= entry) lo = mid;
      else hi = mid - 1;
    }
    const within = entry - this.dayStarts[lo]!;
    for (let k = this.kinds.length - 1; k >= 0; k--) {
      const start = this.kindStarts[lo * this.kinds.length + k]!;
      if (within >= start && this.kinds[k]!.counts[lo]! > within - start) {
        return { kind: k, index: this.kinds[k]!.starts[lo]! + (within - start), dayOffset: lo };
      }
    }
    throw new Error(`Journal entry ${entry} out of range`);
  }
}
