/**
 * The company's calendar as numbers: the days of the history, how many sales orders arrive on each day (the only
 * demand that is not a consequence of something else), month ends, the exchange rate of every day, and the time
 * of day each kind of posting happens. Everything is a pure function of (seed, scale, clock start).
 */
import { dateOfDay, dayOfLocalMs, timeOfSeconds, weekday } from '../model/dates.js';
import { FOREIGN_CURRENCIES, type ForeignCurrency } from './catalog.js';
import { Rng } from './random.js';
import { DayStream, isBusinessDay } from './streams.js';

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

/**
 * When in the day each kind of posting happens, in the order the books process them: goods arrive in the
 * morning, orders are taken, deliveries and invoices go out in the afternoon, purchase orders are placed at the
 * end of the day. Keeping the windows apart keeps posting times in the order stock actually moved.
 */
export const WINDOW = {
  arrival: [6 * 3600, 7 * 3600],
  purchaseReturn: [7 * 3600, 7.5 * 3600],
  transfer: [7.5 * 3600, 8 * 3600],
  order: [8 * 3600, 12 * 3600],
  delivery: [12 * 3600, 14 * 3600],
  directInvoice: [14 * 3600, 15 * 3600],
  salesReturn: [15 * 3600, 15.5 * 3600],
  creditNote: [15.5 * 3600, 16 * 3600],
  cancellation: [16 * 3600, 16.5 * 3600],
  goodsReceipt: [16.5 * 3600, 17 * 3600],
  goodsIssue: [17 * 3600, 17.5 * 3600],
  invoice: [17.5 * 3600, 18 * 3600],
  purchaseInvoice: [9 * 3600, 12 * 3600],
  incomingPayment: [9 * 3600, 17 * 3600],
  vendorPayment: [10 * 3600, 16 * 3600],
  purchaseOrder: [18 * 3600, 18.5 * 3600],
  manual: [18.5 * 3600, 19 * 3600],
  closing: [23 * 3600, 23.5 * 3600],
} as const satisfies Record<string, readonly [number, number]>;

export type WindowName = keyof typeof WINDOW;

/** Sales orders over the whole history at scale 1 (most become one invoice). */
const ORDERS_AT_SCALE_1 = 2080;
/** Rows last changed before this many days into the history predate the UpdateTS column: UpdateTime is null. */
const DAYS_WITHOUT_UPDATE_TIME = 75;

export class CompanyPlan {
  readonly seed: number;
  readonly scale: number;
  readonly firstDay: number;
  readonly days: number;
  /** The calendar year of the clock start; the history starts on January 1st of the year before. */
  readonly clockYear: number;
  readonly orders: DayStream;
  readonly itemCount: number;
  readonly customerCount: number;
  readonly vendorCount: number;
  readonly promoCount: number;
  private readonly rates = new Map<ForeignCurrency, Float64Array>();
  private readonly timeRng: Rng;

  constructor(options: PlanOptions) {
    if (!(options.scale > 0)) throw new Error(`scale must be a positive number, got ${options.scale}`);
    this.seed = options.seed;
    this.scale = options.scale;
    const clockDay = dayOfLocalMs(options.clockStartMs);
    this.clockYear = Number(dateOfDay(clockDay).slice(0, 4));
    this.firstDay = Date.UTC(this.clockYear - 1, 0, 1) / 86_400_000;
    this.days = clockDay - this.firstDay;
    this.orders = this.baseStream('orders', this.dailyMeans(ORDERS_AT_SCALE_1 * this.scale));
    this.itemCount = Math.max(30, Math.round(240 * this.scale));
    this.customerCount = Math.max(20, Math.round(300 * this.scale));
    this.vendorCount = Math.max(10, Math.round(40 * this.scale));
    this.promoCount = Math.max(10, Math.round(60 * Math.min(this.scale, 20)));
    this.timeRng = new Rng(this.seed, 'time');
    for (const c of FOREIGN_CURRENCIES) this.rates.set(c.code, this.rateSeries(c.code, c.startRate));
  }

  get lastDay(): number {
    return this.firstDay + this.days - 1;
  }

  /** Day offset (0-based position in the history) of a day number. */
  offsetOf(day: number): number {
    return day - this.firstDay;
  }

  /**
   * The second of the day the record at `position` of `count` records of its kind posted on `day` was posted at:
   * a time in the kind's window that grows with the position, so key order and posting time agree within a day.
   */
  secondAt(day: number, position: number, count: number, window: WindowName, salt: number): number {
    const [start, end] = WINDOW[window];
    return Math.min(86_399, Math.floor(start + ((position + this.timeRng.unit(salt, day)) / Math.max(1, count)) * (end - start)));
  }

  stamp(day: number, second: number): Stamp {
    return { date: dateOfDay(day), time: timeOfSeconds(second), day, second };
  }

  /** UpdateTime as stored: null on rows last touched before the time stamp column existed. */
  updateTimeOf(stamp: Stamp): string | null {
    return stamp.day < this.firstDay + DAYS_WITHOUT_UPDATE_TIME ? null : stamp.time;
  }

  /** The company's rate of a foreign currency on a day (local currency per unit, six decimals, as OCRN rates). */
  rateOn(currency: ForeignCurrency, day: number): number {
    const series = this.rates.get(currency)!;
    return series[Math.min(series.length - 1, Math.max(0, day - this.firstDay))]!;
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

  /** Whether `day` is the last business day of its month. */
  isMonthEnd(day: number): boolean {
    if (!isBusinessDay(day)) return false;
    let next = day + 1;
    while (!isBusinessDay(next)) next++;
    return dateOfDay(next).slice(0, 7) !== dateOfDay(day).slice(0, 7);
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

  private baseStream(kind: string, means: Float64Array): DayStream {
    const rng = new Rng(this.seed, `count:${kind}`);
    const counts = new Int32Array(this.days);
    for (let d = 0; d < this.days; d++) {
      const mean = means[d]!;
      if (mean <= 0) continue;
      counts[d] = Math.floor(mean * (0.85 + 0.3 * rng.unit(d, 0)) + rng.unit(d, 1));
    }
    return new DayStream(this.firstDay, counts);
  }

  /** A daily rate drifting as a bounded random walk around its start (within about ±8%). */
  private rateSeries(currency: string, start: number): Float64Array {
    const rng = new Rng(this.seed, `rate:${currency}`);
    const series = new Float64Array(this.days + 1);
    let log = 0;
    for (let d = 0; d <= this.days; d++) {
      log = 0.97 * log + 0.006 * (rng.unit(d) * 2 - 1);
      series[d] = Math.round(start * Math.exp(log) * 1e6) / 1e6;
    }
    return series;
  }
}
