/**
 * Record numbering by day. A stream says how many records of one kind were posted on each day of the history; a
 * record's position in its stream is its key order (DocEntry = index + 1), so the day of any record, and its
 * position within the day (which gives its time), are found by binary search without looking at records.
 */
import { weekday } from '../model/dates.js';

export class DayStream {
  /** starts[d] = index of the first record of day offset d; starts[days] = total. */
  readonly starts: Float64Array;

  constructor(readonly firstDay: number, readonly counts: Int32Array) {
    this.starts = new Float64Array(counts.length + 1);
    for (let d = 0; d < counts.length; d++) this.starts[d + 1] = this.starts[d]! + counts[d]!;
  }

  /** The stream of records whose days are `dayOf(0..count-1)`, non-decreasing (records kept in posting order). */
  static ofDays(firstDay: number, days: number, count: number, dayOf: (index: number) => number): DayStream {
    const counts = new Int32Array(days);
    let previous = -Infinity;
    for (let i = 0; i < count; i++) {
      const day = dayOf(i);
      if (day < previous) throw new Error(`Records out of day order at ${i}`);
      previous = day;
      counts[day - firstDay]!++;
    }
    return new DayStream(firstDay, counts);
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

export function isBusinessDay(day: number): boolean {
  const w = weekday(day);
  return w !== 0 && w !== 6;
}

/**
 * Journal entry numbering: every posting of every day in a fixed order of kinds (see Journal), so JdtNum follows
 * posting dates.
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
