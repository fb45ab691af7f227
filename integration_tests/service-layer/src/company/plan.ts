/**
 * The company's history as numbers: how many of each record exist, on which day each was posted and when it
 * was last changed. Everything is a pure function of (seed, scale, clock start); no record is stored.
 */
import { dateOfDay, dayOfLocalMs, timeOfSeconds, weekday } from '../model/dates.js';
import { MONTHLY_ENTRIES, REGIONS } from './catalog.js';
import { Rng } from './random.js';
import { DayStream, DerivedStream, isBusinessDay, JournalLayout } from './streams.js';

export interface PlanOptions {
  seed: number;
  scale: number;
  /** Company-local ms of the clock start; the history ends the day before. */
  clockStartMs: number;
}

/** A moment in company-local time, split as the Service Layer shows it. */
export interface Stamp {
  date: string;
  time: string;
  /** Day number, for comparisons. */
  day: number;
  second: number;
}

/** Journal entry kinds, in posting order within a day. */
export const JE_KIND = {
  invoice: 0,
  creditNote: 1,
  goodsReceipt: 2,
  purchaseInvoice: 3,
  incomingPayment: 4,
  vendorPayment: 5,
  manual: 6,
} as const;

const INVOICES_AT_SCALE_1 = 2000;
const OPEN_HOURS_START = 7 * 3600;
const OPEN_HOURS_LENGTH = 11 * 3600;
/** Rows last changed before this many days into the history predate the UpdateTS column: UpdateTime is null. */
const DAYS_WITHOUT_UPDATE_TIME = 75;

export class CompanyPlan {
  readonly seed: number;
  readonly scale: number;
  readonly firstDay: number;
  readonly days: number;
  readonly invoices: DayStream;
  readonly creditNotes: DayStream;
  readonly purchaseOrders: DayStream;
  readonly goodsReceipts: DerivedStream;
  readonly purchaseInvoices: DerivedStream;
  readonly incomingPayments: DerivedStream;
  readonly vendorPayments: DerivedStream;
  readonly manualEntries: DayStream;
  readonly journal: JournalLayout;
  readonly itemCount: number;
  readonly customerCount: number;
  readonly vendorCount: number;
  readonly promoCount: number;
  private readonly timeRngs = new Map<string, Rng>();

  constructor(options: PlanOptions) {
    if (!(options.scale > 0)) throw new Error(`scale must be a positive number, got ${options.scale}`);
    this.seed = options.seed;
    this.scale = options.scale;
    const clockDay = dayOfLocalMs(options.clockStartMs);
    const clockYear = Number(dateOfDay(clockDay).slice(0, 4));
    this.firstDay = Date.UTC(clockYear - 1, 0, 1) / 86_400_000;
    this.days = clockDay - this.firstDay;

    const invoiceMean = this.dailyMeans(INVOICES_AT_SCALE_1 * this.scale);
    this.invoices = this.baseStream('invoices', invoiceMean, 1);
    this.creditNotes = this.baseStream('creditNotes', invoiceMean, 0.05);
    this.purchaseOrders = this.baseStream('purchaseOrders', invoiceMean, 0.3);
    this.goodsReceipts = this.derived('goodsReceipts', this.purchaseOrders, 2, [2, 9], 0.04);
    this.purchaseInvoices = this.derived('purchaseInvoices', this.goodsReceipts, 2, [1, 6], 0.03);
    this.incomingPayments = this.derived('incomingPayments', this.invoices, 3, [12, 55], 0.25);
    this.vendorPayments = this.derived('vendorPayments', this.purchaseInvoices, 2, [20, 45], 0.1);
    this.manualEntries = this.monthEndStream(MONTHLY_ENTRIES.length * REGIONS.length + 1);
    this.journal = new JournalLayout([
      this.invoices,
      this.creditNotes,
      this.goodsReceipts,
      this.purchaseInvoices,
      this.incomingPayments,
      this.vendorPayments,
      this.manualEntries,
    ]);
    this.itemCount = Math.max(30, Math.round(240 * this.scale));
    this.customerCount = Math.max(20, Math.round(300 * this.scale));
    this.vendorCount = Math.max(10, Math.round(40 * this.scale));
    this.promoCount = Math.max(10, Math.round(60 * Math.min(this.scale, 20)));
  }

  get lastDay(): number {
    return this.firstDay + this.days - 1;
  }

  /**
   * When the record at `index` of `stream` was posted: its day, and a time of day that grows with its position
   * in the day so DocEntry order and creation time agree.
   */
  postingStamp(stream: DayStream, index: number, kind: string): Stamp {
    const { dayOffset, position, count } = stream.positionOf(index);
    let rng = this.timeRngs.get(kind);
    if (!rng) {
      rng = new Rng(this.seed, `time:${kind}`);
      this.timeRngs.set(kind, rng);
    }
    const second = OPEN_HOURS_START + Math.floor(((position + rng.unit(index)) / count) * OPEN_HOURS_LENGTH);
    return this.stamp(stream.firstDay + dayOffset, second);
  }

  stamp(day: number, second: number): Stamp {
    return { date: dateOfDay(day), time: timeOfSeconds(second), day, second };
  }

  /** UpdateTime as stored: null on rows last touched before the time stamp column existed. */
  updateTimeOf(stamp: Stamp): string | null {
    return stamp.day < this.firstDay + DAYS_WITHOUT_UPDATE_TIME ? null : stamp.time;
  }

  /** Customers that exist on a day: most predate the history, the rest were created along it in key order. */
  customersAvailable(day: number): number {
    return this.availableOn(this.customerCount, 0.7, day);
  }

  itemsAvailable(day: number): number {
    return this.availableOn(this.itemCount, 0.9, day);
  }

  /** Creation day of master record `index` of `count` of which `share` predate the history (then `preDay`). */
  creationDay(count: number, share: number, index: number, preDay: number): number {
    const initial = Math.floor(count * share);
    if (index < initial) return preDay;
    return this.firstDay + Math.floor(((index - initial + 1) / (count - initial + 1)) * this.days);
  }

  private availableOn(count: number, share: number, day: number): number {
    const initial = Math.floor(count * share);
    const progress = Math.min(1, Math.max(0, (day - this.firstDay) / this.days));
    return Math.max(1, Math.min(count, initial + Math.floor((count - initial) * progress)));
  }

  /** Expected count per day, summing to `total`, with a weekday pattern and a seasonal curve with a December peak. */
  private dailyMeans(total: number): Float64Array {
    const weights = new Float64Array(this.days);
    const weekdayFactor = [0, 1.15, 1.0, 1.0, 1.05, 0.9, 0];
    let sum = 0;
    for (let d = 0; d < this.days; d++) {
      const day = this.firstDay + d;
      const date = dateOfDay(day);
      const month = Number(date.slice(5, 7));
      const dayOfYear = day - Date.UTC(Number(date.slice(0, 4)), 0, 1) / 86_400_000;
      const season = 1 + 0.12 * Math.sin((2 * Math.PI * (dayOfYear - 80)) / 365) + (month === 12 ? 0.25 : 0);
      const w = weekdayFactor[weekday(day)]! * season;
      weights[d] = w;
      sum += w;
    }
    for (let d = 0; d < this.days; d++) weights[d] = (weights[d]! * total) / sum;
    return weights;
  }

  private baseStream(kind: string, means: Float64Array, factor: number): DayStream {
    const rng = new Rng(this.seed, `count:${kind}`);
    const counts = new Int32Array(this.days);
    for (let d = 0; d < this.days; d++) {
      const mean = means[d]! * factor;
      if (mean <= 0) continue;
      counts[d] = Math.floor(mean * (0.85 + 0.3 * rng.unit(d, 0)) + rng.unit(d, 1));
    }
    return new DayStream(this.firstDay, counts);
  }

  private derived(
    kind: string,
    source: DayStream,
    groups: number,
    lag: [number, number],
    openChance: number,
  ): DerivedStream {
    const rng = new Rng(this.seed, `derive:${kind}`);
    return new DerivedStream(source, {
      groups,
      lagDays: (d, g) => rng.int(d, 0, lag[0], lag[1], g),
      openCount: (d, g) => (rng.unit(d, 1, g) < openChance ? 1 : 0),
    });
  }

  /** `perMonth` entries on the last business day of every month of the history (not the running month). */
  private monthEndStream(perMonth: number): DayStream {
    const counts = new Int32Array(this.days);
    for (let d = 0; d < this.days; d++) {
      const day = this.firstDay + d;
      if (!isBusinessDay(day)) continue;
      let next = day + 1;
      while (!isBusinessDay(next)) next++;
      if (dateOfDay(next).slice(0, 7) !== dateOfDay(day).slice(0, 7)) counts[d] = perMonth;
    }
    return new DayStream(this.firstDay, counts);
  }
}
