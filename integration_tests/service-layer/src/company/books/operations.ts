/**
 * The company's operations, run day by day over the whole history: customers order (pure demand), the
 * warehouses deliver what they hold (or invoice with the goods), invoices follow deliveries, customers return
 * goods and get credit memos, payments come in; purchasing buys fresh goods daily against open orders and the
 * rest by periodic review, vendors deliver (goods receipt PO, or invoice with the goods for importers), goods
 * are returned to vendors, invoices are paid; stock is transferred between warehouses, counted, broken and
 * written off when expired. Every movement goes through the stock book at moving average, so each document line
 * records the cost it moved stock at, and everything is deterministic for a seed.
 *
 * Each processing step of a day posts its documents in a time window (plan.WINDOW) in processing order, so the
 * served posting times agree with the order in which stock moved. The desks (sales.ts, purchasing.ts...) do the
 * work; this class runs the days and is what the rest of the simulator talks to.
 */
import { FAMILIES } from '../catalog.js';
import type { Demand } from '../demand.js';
import type { CompanyFacts, ItemFacts, PartnerFacts } from '../facts.js';
import type { CompanyPlan, WindowName } from '../plan.js';
import type { DocAmounts } from './amounts.js';
import { PAYMENTS, type Books } from './books.js';
import { Cancellation } from './cancellation.js';
import { Shared, type Desks } from './desk.js';
import type { ChangeCause } from './doc-store.js';
import { Inventory } from './inventory.js';
import { KINDS, type DocumentKind } from './kinds.js';
import { LatePostings } from './late.js';
import { Purchasing } from './purchasing.js';
import { Sales } from './sales.js';
import { Settlement } from './settlement.js';
import { WAREHOUSES } from './stock.js';

export { movesStock } from './cancellation.js';

export class Operations {
  private readonly shared: Shared;
  private readonly desks: Desks;

  constructor(
    private readonly plan: CompanyPlan,
    facts: CompanyFacts,
    private readonly demand: Demand,
    private readonly books: Books,
  ) {
    this.shared = new Shared(plan, facts, books);
    const shared = this.shared;
    this.desks = {
      sales: new Sales(shared),
      purchasing: new Purchasing(shared),
      inventory: new Inventory(shared),
      settlement: new Settlement(shared),
      cancellation: new Cancellation(shared),
      late: new LatePostings(shared),
    };
    shared.desks = this.desks;
  }

  run(): void {
    this.desks.sales.takeOrders(this.demand);
    const first = this.plan.firstDay;
    for (let f = 0; f < FAMILIES.length; f++) {
      for (let w = 0; w < WAREHOUSES; w++) this.shared.nextReview[f * WAREHOUSES + w] = first + this.shared.rng.int(f, 1, 0, FAMILIES[f]!.purchasing.reviewDays - 1, w);
    }
    for (let d = 0; d < this.plan.days; d++) this.runDay(first + d);
    this.books.seal();
  }

  private runDay(day: number): void {
    const { sales, purchasing, inventory, settlement } = this.desks;
    if (day === this.plan.firstDay) this.step(KINDS.goodsReceipts, day, 'goodsReceipt', () => inventory.opening(day));
    this.step(KINDS.goodsReceiptsPO, day, 'arrival', () => purchasing.arrivals(day, false));
    this.step(KINDS.purchaseInvoices, day, 'arrival', () => purchasing.arrivals(day, true));
    this.step(KINDS.purchaseReturns, day, 'purchaseReturn', () => purchasing.purchaseReturns(day));
    this.step(KINDS.purchaseInvoices, day, 'purchaseInvoice', () => purchasing.purchaseInvoicing(day));
    this.step(KINDS.transfers, day, 'transfer', () => inventory.transfers(day));
    sales.ordersOfDay(day);
    this.step(KINDS.deliveries, day, 'delivery', () => sales.fulfilments(day, false));
    this.step(KINDS.invoices, day, 'directInvoice', () => sales.fulfilments(day, true));
    this.step(KINDS.returns, day, 'salesReturn', () => sales.salesReturns(day));
    this.step(KINDS.creditNotes, day, 'creditNote', () => sales.creditNotes(day));
    this.step(KINDS.invoices, day, 'cancellation', () => sales.cancellations(day));
    this.step(KINDS.goodsReceipts, day, 'goodsReceipt', () => inventory.countGains(day));
    this.step(KINDS.goodsIssues, day, 'goodsIssue', () => inventory.goodsIssues(day));
    this.step(KINDS.invoices, day, 'invoice', () => sales.invoicing(day));
    this.step(PAYMENTS.incoming, day, 'incomingPayment', () => settlement.incomingPayments(day));
    this.step(PAYMENTS.outgoing, day, 'vendorPayment', () => settlement.vendorPayments(day));
    settlement.deposit(day);
    purchasing.purchaseOrderCancellations(day);
    this.step(KINDS.purchaseOrders, day, 'purchaseOrder', () => purchasing.purchasing(day));
  }

  /** Runs one processing step and times what it posted (a document kind's store, or a payment store). */
  private step(kindOrStore: DocumentKind | number, day: number, window: WindowName, work: () => void): void {
    const store = typeof kindOrStore === 'number' ? kindOrStore : kindOrStore.store;
    const from = store < this.books.stores.length ? this.books.stores[store]!.count : this.books.paymentStore(store).count;
    work();
    this.books.timeStep(store, from, day, window);
  }

  /** Item facts of a generated item (cached: documents read them for every line). */
  item(index: number): ItemFacts {
    return this.desks.sales.item(index);
  }

  customer(index: number): PartnerFacts {
    return this.desks.sales.customer(index);
  }

  vendor(index: number): PartnerFacts {
    return this.desks.sales.vendor(index);
  }

  amounts(kind: DocumentKind, index: number): DocAmounts {
    return this.desks.sales.amounts(kind, index);
  }

  pay(paymentStore: number, kind: DocumentKind, invoice: number, day: number, partner: PartnerFacts, means: number): number {
    return this.desks.settlement.pay(paymentStore, kind, invoice, day, partner, means);
  }

  cancellationOf(kind: DocumentKind, index: number, day: number): number {
    return this.desks.cancellation.cancellationOf(kind, index, day);
  }

  reopenBase(kind: DocumentKind, index: number, cause: ChangeCause): number {
    return this.desks.cancellation.reopenBase(kind, index, cause);
  }

  cancelOrder(kind: DocumentKind, order: number, day: number, second: number): void {
    this.desks.cancellation.cancelOrder(kind, order, day, second);
  }

  postLate(kind: DocumentKind, day: number, sequence: number, partner: number | undefined): number {
    return this.desks.late.postLate(kind, day, sequence, partner);
  }
}
