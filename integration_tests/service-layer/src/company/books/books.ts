/**
 * The company's books: one store per document kind and per payment direction, the stock, and when each record
 * was posted. The operations pass (operations.ts) fills them day by day; documents posted later through the
 * mutation API are appended to the same stores, stamped with the clock.
 */
import type { CompanyPlan, Stamp, WindowName } from '../plan.js';
import { DayStream } from '../streams.js';
import { FloatColumn, IntColumn } from './columns.js';
import { DocStore } from './doc-store.js';
import { KIND_LIST } from './kinds.js';
import { PaymentStore } from './payment-store.js';
import { StockBook } from './stock.js';

/** Store numbers of the payment stores, after the document stores. */
export const PAYMENTS = { incoming: KIND_LIST.length, outgoing: KIND_LIST.length + 1 } as const;

export class Books {
  readonly stores: DocStore[] = KIND_LIST.map((k) => new DocStore(k.entitySet));
  readonly incoming = new PaymentStore();
  readonly outgoing = new PaymentStore();
  readonly stock: StockBook;
  /** Weekly bank deposits of the checks, card slips and cash received since the last one (cents). */
  readonly deposits = { day: new IntColumn(128), checks: new FloatColumn(128), cards: new FloatColumn(128), cash: new FloatColumn(128) };
  /** Per store: the days of the records the pass posted (their stamps follow from their position in the day). */
  private streams: DayStream[] = [];

  constructor(
    readonly plan: CompanyPlan,
    itemCount: number,
    batchManaged: (item: number) => boolean,
  ) {
    this.stock = new StockBook(itemCount, batchManaged);
  }

  /** Freezes the numbering of what the pass posted. */
  seal(): void {
    for (const s of this.stores) s.trim();
    this.incoming.trim();
    this.outgoing.trim();
    this.stock.trim();
    const all = [...this.stores.map((s) => s.day), this.incoming.day, this.outgoing.day];
    this.streams = all.map((days) => DayStream.ofDays(this.plan.firstDay, this.plan.days, days.length, (i) => days.get(i)));
  }

  /** Deposits on each day. */
  depositStream(): DayStream {
    const days = this.deposits.day;
    return DayStream.ofDays(this.plan.firstDay, this.plan.days, days.length, (i) => days.get(i));
  }

  /** Records of a store posted by the pass on each day. */
  stream(store: number): DayStream {
    return this.streams[store]!;
  }

  /** When record `index` of `store` was posted. */
  stampOf(store: number, index: number): Stamp {
    const s = this.dayAndSecond(store);
    return this.plan.stamp(s.day.get(index), s.second.get(index));
  }

  /**
   * Gives the records of `store` from `from` on, all posted on `day` in one processing step, times spread over
   * the step's window in key order: key order and posting time agree, and stock moved in the order of the times.
   */
  timeStep(store: number, from: number, day: number, window: WindowName): void {
    const s = this.dayAndSecond(store);
    const n = s.day.length - from;
    for (let i = from; i < s.day.length; i++) s.second.set(i, this.plan.secondAt(day, i - from, n, window, store * 7919 + i));
  }

  private dayAndSecond(store: number): { day: DocStore['day']; second: DocStore['second'] } {
    return store < this.stores.length ? this.stores[store]! : this.paymentStore(store);
  }

  paymentStore(store: number): PaymentStore {
    return store === PAYMENTS.incoming ? this.incoming : this.outgoing;
  }
}
