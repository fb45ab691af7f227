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
 * served posting times agree with the order in which stock moved.
 */
import { isBusinessDay } from '../streams.js';
import { FAMILIES, FOREIGN_CURRENCIES, LOCAL_CURRENCY, PAYMENT_MEANS_BY_GROUP, REGIONS } from '../catalog.js';
import type { Demand } from '../demand.js';
import type { CompanyFacts, ItemFacts, PartnerFacts } from '../facts.js';
import type { CompanyPlan, WindowName } from '../plan.js';
import { Rng } from '../random.js';
import { Agenda } from './agenda.js';
import { amountsOf, lineTotalOf, taxRuleFor, type DocAmounts } from './amounts.js';
import { Books, PAYMENTS } from './books.js';
import { NONE, STATUS, type ChangeCause, type DocStore, type HeaderInput } from './doc-store.js';
import { KIND_LIST, KINDS, MEANS, PURPOSE, type DocumentKind } from './kinds.js';
import { cents, round2, round6 } from './money.js';
import { add, StockBook, WAREHOUSES } from './stock.js';

/** A line to ship: what is wanted, at which price; where it comes from on the base order. */
interface ShipLine {
  item: number;
  quantity: number;
  price: number;
  discount: number;
  promo: number;
  baseRow?: number;
  baseLine?: number;
}

type Event =
  | 'fulfil'
  | 'invoiceDelivery'
  | 'returnDelivery'
  | 'creditInvoice'
  | 'cancelInvoice'
  | 'payInvoice'
  | 'arrive'
  | 'cancelPurchaseOrder'
  | 'returnReceipt'
  | 'invoiceReceipt'
  | 'payPurchaseInvoice';

/** Share of orders invoiced with the goods (no delivery note first). */
const DIRECT_INVOICE_SHARE = 0.2;
const SALES_RETURN_SHARE = 0.03;
const CREDIT_NOTE_SHARE = 0.04;
const CANCELLATION_SHARE = 0.025;
const PURCHASE_RETURN_SHARE = 0.03;
const PURCHASE_ORDER_CANCEL_SHARE = 0.015;
const SLOW_PAYER_SHARE = 0.04;
/** How many business days an order waits for goods that are short before it ships what there is. */
const ORDER_RETRIES = 2;
const MAX_PURCHASE_LINES = 30;
/** Cases of an item kept on top of expected demand, since a single order line is often ten cases or more. */
const LOT = 12;
/** Fresh items selling at least this much per day in a warehouse are kept in stock; the rest is bought to order. */
const FRESH_STOCKED_RATE = 0.5;
const MAX_OPENING_LINES = 40;

export class Operations {
  private readonly items: ItemFacts[];
  private readonly customers: (PartnerFacts | undefined)[] = [];
  private readonly vendors: (PartnerFacts | undefined)[] = [];
  /** Average daily demand per item-warehouse over the history (the company's forecast). */
  private readonly demandRate: Float64Array;
  private readonly agenda: Agenda<Event>;
  private readonly retries = new Map<number, number>();
  private readonly nextReview: Int32Array;
  private readonly rng: Rng;
  private readonly s: Record<keyof typeof KINDS, DocStore>;
  /** Checks, card slips and cash received and not yet deposited, in cents, by payment means. */
  private readonly undeposited = new Float64Array(4);
  private readonly stock: StockBook;

  constructor(
    private readonly plan: CompanyPlan,
    private readonly facts: CompanyFacts,
    private readonly demand: Demand,
    private readonly books: Books,
  ) {
    this.items = Array.from({ length: plan.itemCount }, (_, i) => facts.item(i));
    this.demandRate = new Float64Array(plan.itemCount * WAREHOUSES);
    this.agenda = new Agenda(plan.firstDay, plan.days);
    this.nextReview = new Int32Array(FAMILIES.length * WAREHOUSES);
    this.rng = new Rng(plan.seed, 'operations');
    this.stock = books.stock;
    this.s = Object.fromEntries(Object.entries(KINDS).map(([name, k]) => [name, books.stores[k.store]!])) as Record<keyof typeof KINDS, DocStore>;
  }

  run(): void {
    this.takeOrders();
    const first = this.plan.firstDay;
    for (let f = 0; f < FAMILIES.length; f++) {
      for (let w = 0; w < WAREHOUSES; w++) this.nextReview[f * WAREHOUSES + w] = first + this.rng.int(f, 1, 0, FAMILIES[f]!.purchasing.reviewDays - 1, w);
    }
    for (let d = 0; d < this.plan.days; d++) this.runDay(first + d);
    this.books.seal();
  }

  /** Item facts of a generated item (cached: documents read them for every line). */
  item(index: number): ItemFacts {
    return this.items[index] ?? this.facts.item(index);
  }

  customer(index: number): PartnerFacts {
    return (this.customers[index] ??= this.facts.customer(index));
  }

  vendor(index: number): PartnerFacts {
    return (this.vendors[index] ??= this.facts.vendor(index));
  }

  /** Tax of a line of a document of `kind` in the given currency, by item. */
  taxOf(kind: DocumentKind, foreign: boolean): (item: number) => { rate: number; code: string } {
    return (item) => {
      const line = this.items[item]?.line ?? this.facts.item(item).line;
      return taxRuleFor(kind.side !== 'inventory', foreign, line.taxRate, line.taxCode);
    };
  }

  amounts(kind: DocumentKind, index: number): DocAmounts {
    const store = this.books.stores[kind.store]!;
    return amountsOf(store, index, this.taxOf(kind, store.currency.get(index) !== 0));
  }

  // ---- the day --------------------------------------------------------------------------------------------

  private runDay(day: number): void {
    if (day === this.plan.firstDay) this.step(KINDS.goodsReceipts, day, 'goodsReceipt', () => this.opening(day));
    this.step(KINDS.goodsReceiptsPO, day, 'arrival', () => this.arrivals(day, false));
    this.step(KINDS.purchaseInvoices, day, 'arrival', () => this.arrivals(day, true));
    this.step(KINDS.purchaseReturns, day, 'purchaseReturn', () => this.purchaseReturns(day));
    this.step(KINDS.purchaseInvoices, day, 'purchaseInvoice', () => this.purchaseInvoicing(day));
    this.step(KINDS.transfers, day, 'transfer', () => this.transfers(day));
    this.ordersOfDay(day);
    this.step(KINDS.deliveries, day, 'delivery', () => this.fulfilments(day, false));
    this.step(KINDS.invoices, day, 'directInvoice', () => this.fulfilments(day, true));
    this.step(KINDS.returns, day, 'salesReturn', () => this.salesReturns(day));
    this.step(KINDS.creditNotes, day, 'creditNote', () => this.creditNotes(day));
    this.step(KINDS.invoices, day, 'cancellation', () => this.cancellations(day));
    this.step(KINDS.goodsReceipts, day, 'goodsReceipt', () => this.countGains(day));
    this.step(KINDS.goodsIssues, day, 'goodsIssue', () => this.goodsIssues(day));
    this.step(KINDS.invoices, day, 'invoice', () => this.invoicing(day));
    this.paymentStep(PAYMENTS.incoming, day, 'incomingPayment', () => this.incomingPayments(day));
    this.paymentStep(PAYMENTS.outgoing, day, 'vendorPayment', () => this.vendorPayments(day));
    this.deposit(day);
    this.purchaseOrderCancellations(day);
    this.step(KINDS.purchaseOrders, day, 'purchaseOrder', () => this.purchasing(day));
  }

  private step(kind: DocumentKind, day: number, window: WindowName, work: () => void): void {
    const from = this.books.stores[kind.store]!.count;
    work();
    this.books.timeStep(kind.store, from, day, window);
  }

  private paymentStep(store: number, day: number, window: WindowName, work: () => void): void {
    const from = this.books.paymentStore(store).count;
    work();
    this.books.timeStep(store, from, day, window);
  }

  private nextBusinessDay(day: number): number {
    let d = day;
    while (!isBusinessDay(d)) d++;
    return d;
  }

  private slotOf(store: DocStore, index: number, row: number): number {
    return StockBook.slot(store.item.get(row), store.warehouse.get(index));
  }

  private currencyIndex(partner: PartnerFacts): number {
    return partner.currency === LOCAL_CURRENCY ? 0 : 1 + FOREIGN_CURRENCIES.findIndex((c) => c.code === partner.currency);
  }

  private rateOf(partner: PartnerFacts, day: number): number {
    return partner.currency === LOCAL_CURRENCY ? 1 : this.plan.rateOn(partner.currency, day);
  }

  private regionIndex(partner: PartnerFacts): number {
    return REGIONS.indexOf(partner.region);
  }

  // ---- sales ----------------------------------------------------------------------------------------------

  /** All sales orders (pure demand) go into the order store up front; the forecast is their average. */
  private takeOrders(): void {
    const orders = this.s.orders;
    const stream = this.plan.orders;
    for (let i = 0; i < stream.total; i++) {
      const o = this.demand.order(i);
      const foreign = o.customer.currency !== LOCAL_CURRENCY;
      const rate = this.rateOf(o.customer, o.day);
      const w = this.regionIndex(o.customer);
      orders.addDocument({ day: o.day, partner: o.customer.index, warehouse: w, currency: this.currencyIndex(o.customer), rate, discount: o.customer.headerDiscount });
      for (const l of o.lines) {
        const row = orders.addLine({ item: l.item, quantity: l.quantity, price: foreign ? round2(l.listPrice / rate) : l.listPrice, discount: l.discountPercent, promo: l.promo });
        orders.openQuantity.set(row, l.quantity);
        add(this.demandRate, StockBook.slot(l.item, w), l.quantity);
      }
      this.agenda.add('fulfil', this.nextBusinessDay(o.day + o.leadDays), i);
    }
    for (let d = 0; d < this.plan.days; d++) {
      if (stream.counts[d]! > 0) this.books.timeStep(KINDS.orders.store, stream.starts[d]!, this.plan.firstDay + d, 'order');
    }
    for (let slot = 0; slot < this.demandRate.length; slot++) this.demandRate[slot] = this.demandRate[slot]! / this.plan.days;
  }

  private ordersOfDay(day: number): void {
    const stream = this.plan.orders;
    const d = day - this.plan.firstDay;
    const orders = this.s.orders;
    for (let i = stream.starts[d]!; i < stream.starts[d + 1]!; i++) {
      const [first, end] = orders.linesOf(i);
      for (let row = first; row < end; row++) add(this.stock.committed, this.slotOf(orders, i, row), orders.openQuantity.get(row));
    }
  }

  private isDirect(order: number): boolean {
    const customer = this.customer(this.s.orders.partner.get(order));
    return customer.currency !== LOCAL_CURRENCY || this.rng.unit(order, 2) < DIRECT_INVOICE_SHARE;
  }

  /** Ships due orders with a delivery (or, for `direct` ones, an invoice with the goods). */
  private fulfilments(day: number, direct: boolean): void {
    const orders = this.s.orders;
    for (const order of this.agenda.due('fulfil', day)) {
      if (this.isDirect(order) !== direct || orders.status.get(order) !== STATUS.open) continue;
      const [first, end] = orders.linesOf(order);
      let complete = true;
      let any = false;
      for (let row = first; row < end; row++) {
        const available = Math.floor(this.stock.available(this.slotOf(orders, order, row), day));
        const wanted = orders.openQuantity.get(row);
        if (wanted <= 0) continue;
        if (available < wanted) complete = false;
        if (available > 0) any = true;
      }
      const tries = this.retries.get(order) ?? 0;
      if (!complete && tries < ORDER_RETRIES) {
        this.retries.set(order, tries + 1);
        this.agenda.add('fulfil', this.nextBusinessDay(day + 1), order);
        continue;
      }
      if (!any) {
        this.closeOrder(order, STATUS.cancelled, { day, second: 16 * 3600 });
        continue;
      }
      this.ship(order, day, direct ? KINDS.invoices : KINDS.deliveries);
    }
  }

  private ship(order: number, day: number, kind: DocumentKind): number {
    const orders = this.s.orders;
    const [first, end] = orders.linesOf(order);
    const lines: ShipLine[] = [];
    for (let row = first; row < end; row++) {
      lines.push({ item: orders.item.get(row), quantity: orders.openQuantity.get(row), price: orders.price.get(row), discount: orders.lineDiscount.get(row), promo: orders.promo.get(row), baseRow: row, baseLine: row - first });
    }
    const header = { partner: orders.partner.get(order), warehouse: orders.warehouse.get(order), currency: orders.currency.get(order), rate: orders.rate.get(order), discount: orders.discount.get(order) };
    const doc = this.shipLines(kind, { ...header, base: order, baseType: KINDS.orders.object }, lines, day);
    this.closeOrder(order, STATUS.closed, { store: kind.store, index: doc });
    return doc;
  }

  /** A delivery (or an invoice with the goods) of what is available of `lines`, at the stock's moving average. */
  private shipLines(kind: DocumentKind, header: Omit<HeaderInput, 'day'>, lines: readonly ShipLine[], day: number): number {
    const store = this.books.stores[kind.store]!;
    const w = header.warehouse;
    const doc = store.addDocument({ ...header, day });
    for (const l of lines) {
      const slot = StockBook.slot(l.item, w);
      const quantity = Math.min(l.quantity, Math.floor(this.stock.available(slot, day)));
      if (quantity <= 0) continue;
      const line = store.addLine({ item: l.item, quantity, price: l.price, discount: l.discount, baseLine: l.baseLine, baseRow: l.baseRow, promo: l.promo });
      const issue = this.stock.issue(slot, quantity, day, store);
      store.cost.set(line, issue.unitCost);
      store.value.set(line, issue.value);
      store.openQuantity.set(line, quantity);
    }
    if (store.dropLastIfEmpty()) throw new Error(`Nothing of the ${kind.entitySet} lines is in stock in ${REGIONS[w]!.warehouse}`);
    if (kind === KINDS.deliveries) {
      const invoiceDay = this.nextBusinessDay(day + this.rng.int(doc, 3, 1, 3));
      this.agenda.add('invoiceDelivery', invoiceDay, doc);
      if (this.rng.unit(doc, 4) < SALES_RETURN_SHARE) this.agenda.add('returnDelivery', Math.min(invoiceDay, this.nextBusinessDay(day + this.rng.int(doc, 5, 0, 1))), doc);
    } else {
      this.invoiced(doc, day, true);
    }
    return doc;
  }

  /** Closes (or cancels) an order: its open quantities are no longer committed. */
  private closeOrder(order: number, status: number, cause: { store: number; index: number } | { day: number; second: number }): void {
    const orders = this.s.orders;
    const [first, end] = orders.linesOf(order);
    for (let row = first; row < end; row++) {
      add(this.stock.committed, this.slotOf(orders, order, row), -orders.openQuantity.get(row));
      orders.openQuantity.set(row, 0);
    }
    orders.change(order, status, cause);
  }

  /** What follows a posted invoice: its payment, maybe a credit memo, maybe (direct ones) a cancellation. */
  private invoiced(invoice: number, day: number, direct: boolean): void {
    const customer = this.customer(this.s.invoices.partner.get(invoice));
    const terms = customer.payTerms.days;
    const slow = this.rng.unit(invoice, 6) < SLOW_PAYER_SHARE ? 2.5 : 1;
    this.agenda.add('payInvoice', this.nextBusinessDay(day + Math.round(terms * slow * (0.5 + this.rng.unit(invoice, 7)))), invoice);
    if (customer.currency !== LOCAL_CURRENCY) return;
    if (direct && this.rng.unit(invoice, 8) < CANCELLATION_SHARE) {
      this.agenda.add('cancelInvoice', this.nextBusinessDay(day + this.rng.int(invoice, 9, 0, 2)), invoice);
    } else if (this.rng.unit(invoice, 10) < CREDIT_NOTE_SHARE) {
      this.agenda.add('creditInvoice', this.nextBusinessDay(day + this.rng.int(invoice, 11, 2, 20)), invoice);
    }
  }

  /** Customers refuse part of a delivery before it is invoiced: the goods go back into the batches they left. */
  private salesReturns(day: number): void {
    for (const delivery of this.agenda.due('returnDelivery', day)) {
      if (this.s.deliveries.status.get(delivery) !== STATUS.open) continue;
      const [first, end] = this.s.deliveries.linesOf(delivery);
      const row = first + this.rng.int(delivery, 12, 0, end - first - 1);
      const open = this.s.deliveries.openQuantity.get(row);
      if (open > 0) this.returnDelivery(delivery, row, Math.max(1, Math.ceil(open * (0.2 + 0.8 * this.rng.unit(delivery, 13)))), day);
    }
  }

  /** A return of `quantity` of line `row` of a delivery not yet invoiced. */
  returnDelivery(delivery: number, row: number, quantity: number, day: number): number {
    const deliveries = this.s.deliveries;
    const returns = this.s.returns;
    const doc = returns.addDocument({
      day,
      partner: deliveries.partner.get(delivery),
      warehouse: deliveries.warehouse.get(delivery),
      currency: deliveries.currency.get(delivery),
      rate: deliveries.rate.get(delivery),
      discount: deliveries.discount.get(delivery),
      base: delivery,
      baseType: KINDS.deliveries.object,
    });
    this.restock(deliveries, delivery, row, returns, quantity);
    returns.status.set(doc, STATUS.closed);
    deliveries.openQuantity.add(row, -quantity);
    if (this.allInvoiced(deliveries, delivery)) deliveries.change(delivery, STATUS.closed, { store: KINDS.returns.store, index: doc });
    return doc;
  }

  private allInvoiced(store: DocStore, index: number): boolean {
    const [first, end] = store.linesOf(index);
    for (let row = first; row < end; row++) if (store.openQuantity.get(row) > 0) return false;
    return true;
  }

  /**
   * Adds a line to the last document of `target` bringing `quantity` of line `row` of `source` back into stock:
   * into the batches that line took, at the unit cost it left at (its whole value when all of it comes back).
   */
  private restock(source: DocStore, index: number, row: number, target: DocStore, quantity: number, sourceForBatches?: { store: DocStore; row: number }): void {
    const slot = this.slotOf(source, index, row);
    const cost = source.cost.get(row);
    const value = quantity === source.quantity.get(row) && source.value.get(row) > 0 ? source.value.get(row) : cents(quantity * cost);
    const [first] = source.linesOf(index);
    target.addLine({
      item: source.item.get(row),
      quantity,
      price: source.price.get(row),
      discount: source.lineDiscount.get(row),
      cost,
      value,
      baseLine: row - first,
      baseRow: row,
      promo: source.promo.get(row),
    });
    this.stock.receive(slot, quantity, value);
    if (!this.stock.isBatchManaged(source.item.get(row))) return;
    const batches = sourceForBatches ?? { store: source, row };
    const [a, b] = batches.store.allocationsOf(batches.row);
    let rest = quantity;
    for (let i = a; i < b && rest > 0; i++) {
      const take = Math.min(rest, batches.store.batchQuantity.get(i));
      this.stock.addToBatch(slot, batches.store.batch.get(i), take);
      target.addAllocation(batches.store.batch.get(i), take);
      rest -= take;
    }
  }

  /** Invoices due deliveries for what was not returned; the delivery already posted the cost of goods. */
  private invoicing(day: number): void {
    for (const delivery of this.agenda.due('invoiceDelivery', day)) {
      if (this.s.deliveries.status.get(delivery) === STATUS.open) this.invoiceDelivery(delivery, day);
    }
  }

  invoiceDelivery(delivery: number, day: number): number {
    const deliveries = this.s.deliveries;
    const invoices = this.s.invoices;
    const doc = invoices.addDocument({
      day,
      partner: deliveries.partner.get(delivery),
      warehouse: deliveries.warehouse.get(delivery),
      currency: deliveries.currency.get(delivery),
      rate: deliveries.rate.get(delivery),
      discount: deliveries.discount.get(delivery),
      base: delivery,
      baseType: KINDS.deliveries.object,
    });
    const [first, end] = deliveries.linesOf(delivery);
    for (let row = first; row < end; row++) {
      const quantity = deliveries.openQuantity.get(row);
      if (quantity <= 0) continue;
      const cost = deliveries.cost.get(row);
      const line = invoices.addLine({
        item: deliveries.item.get(row),
        quantity,
        price: deliveries.price.get(row),
        discount: deliveries.lineDiscount.get(row),
        cost,
        value: quantity === deliveries.quantity.get(row) ? deliveries.value.get(row) : cents(quantity * cost),
        baseLine: row - first,
        baseRow: row,
        promo: deliveries.promo.get(row),
      });
      invoices.openQuantity.set(line, quantity);
      deliveries.openQuantity.set(row, 0);
    }
    deliveries.change(delivery, STATUS.closed, { store: KINDS.invoices.store, index: doc });
    this.invoiced(doc, day, false);
    return doc;
  }

  /** Credit memos for goods returned after invoicing: stock comes back at the invoice's cost. */
  private creditNotes(day: number): void {
    const invoices = this.s.invoices;
    for (const invoice of this.agenda.due('creditInvoice', day)) {
      if (invoices.status.get(invoice) === STATUS.cancelled) continue;
      const [first, end] = invoices.linesOf(invoice);
      const pick = first + this.rng.int(invoice, 14, 0, end - first - 1);
      const rows = end - first > 1 && this.rng.unit(invoice, 15) < 0.3 ? [pick, first + ((pick - first + 1) % (end - first))] : [pick];
      const wanted = rows.map((row, n) => [row, Math.max(1, Math.ceil(invoices.openQuantity.get(row) * (0.1 + 0.9 * this.rng.unit(invoice, 16, n))))] as [number, number]);
      this.creditInvoice(invoice, wanted, day);
    }
  }

  /**
   * A credit memo for `[row, quantity]` lines of an invoice (at most what is still creditable), or -1. Based on an
   * open invoice it is reconciled with it: it reduces what the customer owes; else it stays open (a credit).
   */
  creditInvoice(invoice: number, lines: [number, number][], day: number): number {
    const invoices = this.s.invoices;
    const credits = this.s.creditNotes;
    const doc = credits.addDocument({
      day,
      partner: invoices.partner.get(invoice),
      warehouse: invoices.warehouse.get(invoice),
      currency: invoices.currency.get(invoice),
      rate: invoices.rate.get(invoice),
      discount: invoices.discount.get(invoice),
      base: invoice,
      baseType: KINDS.invoices.object,
    });
    const fromDelivery = invoices.baseType.get(invoice) === KINDS.deliveries.object;
    for (const [row, wanted] of lines) {
      const quantity = Math.min(wanted, invoices.openQuantity.get(row));
      if (quantity <= 0) continue;
      this.restock(invoices, invoice, row, credits, quantity, fromDelivery ? { store: this.s.deliveries, row: invoices.baseRow.get(row) } : undefined);
      invoices.openQuantity.add(row, -quantity);
    }
    if (credits.dropLastIfEmpty()) return -1;
    if (invoices.status.get(invoice) === STATUS.open) {
      const total = this.amounts(KINDS.creditNotes, doc);
      invoices.paid.add(invoice, total.total);
      invoices.paidFC.add(invoice, total.totalFC);
      credits.paid.add(doc, total.total);
      credits.paidFC.add(doc, total.totalFC);
      credits.status.set(doc, STATUS.closed);
      const settled = invoices.paid.get(invoice) >= this.amounts(KINDS.invoices, invoice).total;
      invoices.change(invoice, settled ? STATUS.closed : STATUS.open, { store: KINDS.creditNotes.store, index: doc });
    }
    return doc;
  }

  /**
   * A wrong invoice is cancelled: SAP Business One 9.0+ adds a cancellation document (CancelStatus csCancellation)
   * that reverses its journal entry and stock at the original cost, and reopens its base order, which is then
   * shipped again.
   */
  private cancellations(day: number): void {
    const invoices = this.s.invoices;
    for (const invoice of this.agenda.due('cancelInvoice', day)) {
      if (invoices.status.get(invoice) !== STATUS.open || invoices.paid.get(invoice) !== 0) continue;
      const doc = this.cancellationOf(KINDS.invoices, invoice, day);
      invoices.change(invoice, STATUS.cancelled, { store: KINDS.invoices.store, index: doc });
      const order = this.reopenBase(KINDS.invoices, invoice, { store: KINDS.invoices.store, index: doc });
      this.retries.delete(order);
      this.agenda.add('fulfil', this.nextBusinessDay(day + 1), order);
    }
  }

  /**
   * After a document was cancelled its base is open again for what it had copied (SAP restores the base
   * document's open quantities): an order, a delivery, a purchase order or a goods receipt PO. Returns the base.
   */
  reopenBase(kind: DocumentKind, index: number, cause: ChangeCause): number {
    const store = this.books.stores[kind.store]!;
    const baseType = store.baseType.get(index);
    const base = store.base.get(index);
    const baseKind = KIND_LIST.find((k) => k.object === baseType);
    if (!baseKind || base === NONE) return NONE;
    const baseStore = this.books.stores[baseKind.store]!;
    const [first, end] = store.linesOf(index);
    for (let row = first; row < end; row++) {
      const baseRow = store.baseRow.get(row);
      if (baseRow === NONE) continue;
      const quantity = store.quantity.get(row);
      baseStore.openQuantity.add(baseRow, quantity);
      const slot = StockBook.slot(baseStore.item.get(baseRow), baseStore.warehouse.get(base));
      if (baseKind === KINDS.orders) add(this.stock.committed, slot, quantity);
      if (baseKind === KINDS.purchaseOrders) add(this.stock.ordered, slot, quantity);
    }
    if (baseKind !== KINDS.invoices) baseStore.change(base, STATUS.open, cause);
    return base;
  }

  /** Cancels an open sales or purchase order in place: what it had committed or ordered is released. */
  cancelOrder(kind: DocumentKind, order: number, day: number, second: number): void {
    if (kind === KINDS.orders) {
      this.closeOrder(order, STATUS.cancelled, { day, second });
      return;
    }
    const orders = this.s.purchaseOrders;
    const [first, end] = orders.linesOf(order);
    for (let row = first; row < end; row++) {
      add(this.stock.ordered, this.slotOf(orders, order, row), -orders.openQuantity.get(row));
      orders.openQuantity.set(row, 0);
    }
    orders.change(order, STATUS.cancelled, { day, second });
  }

  /**
   * Adds the cancellation document of document `index` of `kind`: same lines, stock back at the same values.
   * Refused (as SAP refuses it) when the stock it would take out is no longer there.
   */
  cancellationOf(kind: DocumentKind, index: number, day: number): number {
    const store = this.books.stores[kind.store]!;
    if (kind === KINDS.transfers || kind === KINDS.orders || kind === KINDS.purchaseOrders) throw new Error(`${kind.entitySet} are not cancelled with a cancellation document`);
    const inbound = stockComesBack(kind);
    const moves = movesStock(kind, store, index);
    if (moves && !inbound) {
      const [first, end] = store.linesOf(index);
      for (let row = first; row < end; row++) {
        const slot = this.slotOf(store, index, row);
        if (store.quantity.get(row) > this.stock.quantity[slot]! + 1e-9 || store.value.get(row) > this.stock.value[slot]!) {
          throw new Error(`${kind.entitySet}(${index + 1}) cannot be cancelled: its stock of item ${this.items[store.item.get(row)]!.code} was already used`);
        }
        const [a, b] = store.allocationsOf(row);
        for (let i = a; i < b; i++) {
          if (store.batchQuantity.get(i) > this.stock.batchStock(store.batch.get(i), store.warehouse.get(index)) + 1e-9) {
            throw new Error(`${kind.entitySet}(${index + 1}) cannot be cancelled: a batch it received was already used`);
          }
        }
      }
    }
    const doc = store.addDocument({
      day,
      partner: store.partner.get(index),
      warehouse: store.warehouse.get(index),
      currency: store.currency.get(index),
      rate: store.rate.get(index),
      discount: store.discount.get(index),
      base: index,
      baseType: kind.object,
      cancels: index,
    });
    const [first, end] = store.linesOf(index);
    for (let row = first; row < end; row++) {
      const slot = this.slotOf(store, index, row);
      store.addLine({
        item: store.item.get(row),
        quantity: store.quantity.get(row),
        price: store.price.get(row),
        discount: store.lineDiscount.get(row),
        cost: store.cost.get(row),
        value: store.value.get(row),
        baseLine: row - first,
        baseRow: row,
        promo: store.promo.get(row),
      });
      if (!moves) continue;
      const [a, b] = store.allocationsOf(row);
      if (inbound) {
        this.stock.receive(slot, store.quantity.get(row), store.value.get(row));
        for (let i = a; i < b; i++) {
          this.stock.addToBatch(slot, store.batch.get(i), store.batchQuantity.get(i));
          store.addAllocation(store.batch.get(i), store.batchQuantity.get(i));
        }
      } else {
        const batches: [number, number][] = [];
        for (let i = a; i < b; i++) batches.push([store.batch.get(i), store.batchQuantity.get(i)]);
        this.stock.issueAtValue(slot, store.quantity.get(row), store.value.get(row), day, store, batches);
      }
    }
    store.status.set(doc, STATUS.closed);
    return doc;
  }

  // ---- payments -------------------------------------------------------------------------------------------

  private incomingPayments(day: number): void {
    const invoices = this.s.invoices;
    for (const invoice of this.agenda.due('payInvoice', day)) {
      if (invoices.status.get(invoice) !== STATUS.open) continue;
      const customer = this.customer(invoices.partner.get(invoice));
      const weights = PAYMENT_MEANS_BY_GROUP[customer.groupCode] ?? [1, 0, 0, 0];
      this.pay(PAYMENTS.incoming, KINDS.invoices, invoice, day, customer, this.rng.weighted(weights, invoice, 17));
    }
  }

  private vendorPayments(day: number): void {
    const invoices = this.s.purchaseInvoices;
    for (const invoice of this.agenda.due('payPurchaseInvoice', day)) {
      if (invoices.status.get(invoice) !== STATUS.open) continue;
      const vendor = this.vendor(invoices.partner.get(invoice));
      this.pay(PAYMENTS.outgoing, KINDS.purchaseInvoices, invoice, day, vendor, this.rng.unit(invoice, 18) < 0.15 ? MEANS.check : MEANS.transfer);
    }
  }

  /** On Fridays the checks, card slips and cash received during the week go to the bank. */
  private deposit(day: number): void {
    if ((((day + 4) % 7) + 7) % 7 !== 5) return;
    const u = this.undeposited;
    if (u[MEANS.check]! + u[MEANS.creditCard]! + u[MEANS.cash]! === 0) return;
    const d = this.books.deposits;
    d.day.push(day);
    d.checks.push(u[MEANS.check]!);
    d.cards.push(u[MEANS.creditCard]!);
    d.cash.push(u[MEANS.cash]!);
    u.fill(0);
  }

  /** Pays what is open on an invoice; in a foreign currency at the day's rate (the difference is an exchange result). */
  pay(paymentStore: number, kind: DocumentKind, invoice: number, day: number, partner: PartnerFacts, means: number): number {
    const invoices = this.books.stores[kind.store]!;
    const amounts = this.amounts(kind, invoice);
    const open = amounts.total - invoices.paid.get(invoice);
    const openFC = amounts.totalFC - invoices.paidFC.get(invoice);
    const currency = invoices.currency.get(invoice);
    const rate = currency === 0 ? 1 : this.plan.rateOn(FOREIGN_CURRENCIES[currency - 1]!.code, day);
    const payment = this.books.paymentStore(paymentStore).add({
      day,
      partner: partner.index,
      invoice,
      means,
      currency,
      rate,
      applied: open,
      appliedFC: openFC,
      received: currency === 0 ? open : cents((openFC / 100) * rate),
    });
    invoices.paid.add(invoice, open);
    invoices.paidFC.add(invoice, openFC);
    invoices.change(invoice, STATUS.closed, { store: paymentStore, index: payment });
    if (paymentStore === PAYMENTS.incoming && means !== MEANS.transfer) add(this.undeposited, means, this.books.incoming.received.get(payment));
    return payment;
  }

  // ---- purchasing -----------------------------------------------------------------------------------------

  /**
   * End-of-day purchasing, per product family and warehouse on the family's review days, from the family's vendor
   * for that region, for what open sales orders hold plus a stock for what is expected until the next delivery.
   * Demand comes in lumps (an order line is often ten cases or more), so dry, frozen and non-food goods keep a
   * lot's worth on top of the expected demand, with a minimum order quantity: slow items keep old stock. Fresh
   * (batch-managed) goods expire, so only the fast movers are stocked, for a few days; the others are bought
   * against open orders, to arrive the next morning.
   */
  private purchasing(day: number): void {
    if (!isBusinessDay(day)) return;
    const available = this.plan.itemsAvailable(day);
    for (let f = 0; f < FAMILIES.length; f++) {
      const family = FAMILIES[f]!;
      const lead = (family.purchasing.leadDays[0] + family.purchasing.leadDays[1]) / 2;
      for (let w = 0; w < WAREHOUSES; w++) {
        const review = f * WAREHOUSES + w;
        if (this.nextReview[review]! > day) continue;
        this.nextReview[review] = day + family.purchasing.reviewDays;
        const lines: [number, number][] = [];
        for (let item = f; item < available; item += FAMILIES.length) {
          const slot = StockBook.slot(item, w);
          const rate = this.demandRate[slot]!;
          const committed = this.stock.committed[slot]!;
          const position = this.stock.available(slot, day + lead) + this.stock.ordered[slot]! - committed;
          let reorderPoint: number;
          let orderUpTo: number;
          if (family.batchManaged) {
            orderUpTo = rate >= FRESH_STOCKED_RATE ? rate * (family.purchasing.reviewDays + lead + 1) : 0;
            reorderPoint = orderUpTo;
          } else {
            if (rate <= 0 && committed <= 0) continue;
            orderUpTo = rate * (family.purchasing.reviewDays + lead + 7) + LOT;
            reorderPoint = rate * (lead + 7) + LOT / 2;
          }
          if (position >= reorderPoint) continue;
          const minimum = family.batchManaged ? 1 : Math.max(4, Math.ceil(rate * 14));
          lines.push([item, Math.max(minimum, Math.ceil(orderUpTo - position))]);
        }
        if (lines.length > 0) this.purchaseOrder(this.vendorFor(f, w), w, lines, day);
      }
    }
  }

  /** The family's vendor serving a region (families have a vendor or a few, each serving some regions). */
  private vendorFor(family: number, warehouse: number): PartnerFacts {
    const vendors = Math.max(1, Math.floor((this.plan.vendorCount - 1 - family) / FAMILIES.length) + 1);
    return this.vendor(family + FAMILIES.length * (warehouse % vendors));
  }

  private purchaseOrder(vendor: PartnerFacts, w: number, lines: readonly [number, number][], day: number): void {
    const orders = this.s.purchaseOrders;
    const foreign = vendor.currency !== LOCAL_CURRENCY;
    const rate = this.rateOf(vendor, day);
    for (let start = 0; start < lines.length; start += MAX_PURCHASE_LINES) {
      const doc = orders.addDocument({ day, partner: vendor.index, warehouse: w, currency: this.currencyIndex(vendor), rate });
      for (const [item, quantity] of lines.slice(start, start + MAX_PURCHASE_LINES)) {
        const local = this.purchasePrice(item, day);
        const row = orders.addLine({ item, quantity, price: foreign ? round2(local / rate) : local });
        orders.openQuantity.set(row, quantity);
        add(this.stock.ordered, StockBook.slot(item, w), quantity);
      }
      const family = this.items[lines[start]![0]]!.family;
      const arrival = this.nextBusinessDay(day + this.rng.int(doc, 19, family.purchasing.leadDays[0], family.purchasing.leadDays[1]));
      if (!family.batchManaged && this.rng.unit(doc, 20) < PURCHASE_ORDER_CANCEL_SHARE) this.agenda.add('cancelPurchaseOrder', arrival + 10, doc);
      else this.agenda.add('arrive', arrival, doc);
    }
  }

  /** A vendor's price: the item's cost drifting over the year, with some noise per purchase. */
  private purchasePrice(item: number, day: number): number {
    const offset = day - this.plan.firstDay;
    const drift = 1 + 0.04 * Math.sin((2 * Math.PI * offset) / 365 + item);
    return Math.round(this.items[item]!.cost * drift * (0.97 + 0.06 * this.rng.unit(item, 21, offset)) * 100) / 100;
  }

  private purchaseOrderCancellations(day: number): void {
    for (const order of this.agenda.due('cancelPurchaseOrder', day)) {
      if (this.s.purchaseOrders.status.get(order) === STATUS.open) this.cancelOrder(KINDS.purchaseOrders, order, day, 11 * 3600);
    }
  }

  /**
   * Goods arrive for due purchase orders: a goods receipt PO, or from importers an A/P invoice with the goods.
   * Fresh goods get a batch (admission today, made a day or two ago, expiring after their shelf life).
   */
  private arrivals(day: number, invoiced: boolean): void {
    const orders = this.s.purchaseOrders;
    for (const order of this.agenda.due('arrive', day)) {
      const foreign = this.vendor(orders.partner.get(order)).currency !== LOCAL_CURRENCY;
      if (foreign === invoiced && orders.status.get(order) === STATUS.open) this.receiveOrder(order, day);
    }
  }

  /** Receives a purchase order in full; importers' goods come with their A/P invoice. Returns the document. */
  receiveOrder(order: number, day: number): number {
    const orders = this.s.purchaseOrders;
    const vendor = this.vendor(orders.partner.get(order));
    const foreign = vendor.currency !== LOCAL_CURRENCY;
    const kind = foreign ? KINDS.purchaseInvoices : KINDS.goodsReceiptsPO;
    const store = this.books.stores[kind.store]!;
    const rate = foreign ? this.rateOf(vendor, day) : orders.rate.get(order);
    const w = orders.warehouse.get(order);
    const doc = store.addDocument({ day, partner: vendor.index, warehouse: w, currency: orders.currency.get(order), rate, base: order, baseType: KINDS.purchaseOrders.object });
    const [first, end] = orders.linesOf(order);
    for (let row = first; row < end; row++) {
      const item = orders.item.get(row);
      const quantity = orders.quantity.get(row);
      const { lineTotal } = lineTotalOf(quantity, orders.price.get(row), 0, foreign, rate);
      const line = store.addLine({ item, quantity, price: orders.price.get(row), cost: round6(lineTotal / 100 / quantity), value: lineTotal, baseLine: row - first, baseRow: row });
      store.openQuantity.set(line, quantity);
      this.receiveNew(StockBook.slot(item, w), item, quantity, lineTotal, day, store);
      add(this.stock.ordered, StockBook.slot(item, w), -orders.openQuantity.get(row));
      orders.openQuantity.set(row, 0);
    }
    orders.change(order, STATUS.closed, { store: kind.store, index: doc });
    if (foreign) {
      this.agenda.add('payPurchaseInvoice', this.nextBusinessDay(day + this.rng.int(doc, 22, 20, 45)), doc);
      return doc;
    }
    const invoiceDay = this.nextBusinessDay(day + this.rng.int(doc, 23, 1, 6));
    this.agenda.add('invoiceReceipt', invoiceDay, doc);
    if (this.rng.unit(doc, 24) < PURCHASE_RETURN_SHARE) this.agenda.add('returnReceipt', Math.min(invoiceDay, this.nextBusinessDay(day + this.rng.int(doc, 25, 0, 1))), doc);
    return doc;
  }

  /** Receives new goods; batch items into a new batch recorded on the last line of `store`. */
  private receiveNew(slot: number, item: number, quantity: number, value: number, day: number, store: DocStore): void {
    if (!this.stock.isBatchManaged(item)) {
      this.stock.receive(slot, quantity, value);
      return;
    }
    const manufactured = day - this.rng.int(slot, 26, 0, 1, day);
    const batch = this.stock.createBatch(item, slot % WAREHOUSES, day, manufactured, manufactured + this.items[item]!.shelfLifeDays);
    this.stock.receive(slot, quantity, value, batch);
    store.addAllocation(batch, quantity);
  }

  /** Damaged goods found on arrival go back to the vendor before the invoice comes, at the receipt's price. */
  private purchaseReturns(day: number): void {
    const receipts = this.s.goodsReceiptsPO;
    for (const receipt of this.agenda.due('returnReceipt', day)) {
      if (receipts.status.get(receipt) !== STATUS.open) continue;
      const [first, end] = receipts.linesOf(receipt);
      const row = first + this.rng.int(receipt, 27, 0, end - first - 1);
      this.returnReceipt(receipt, row, Math.ceil(receipts.openQuantity.get(row) * (0.1 + 0.4 * this.rng.unit(receipt, 28))), day);
    }
  }

  /**
   * A goods return of up to `wanted` of line `row` of a goods receipt PO (from the batch it received), or -1 when
   * the stock is no longer there (never the last unit, never more value than the stock holds).
   */
  returnReceipt(receipt: number, row: number, wanted: number, day: number): number {
    const receipts = this.s.goodsReceiptsPO;
    const returns = this.s.purchaseReturns;
    const [first] = receipts.linesOf(receipt);
    const slot = this.slotOf(receipts, receipt, row);
    const item = receipts.item.get(row);
    const [a] = receipts.allocationsOf(row);
    const batch = this.stock.isBatchManaged(item) ? receipts.batch.get(a) : NONE;
    const limit = batch === NONE ? this.stock.quantity[slot]! - 1 : Math.min(this.stock.batchStock(batch, slot % WAREHOUSES), this.stock.quantity[slot]! - 1);
    const quantity = Math.min(wanted, receipts.openQuantity.get(row), Math.floor(limit));
    if (quantity <= 0) return -1;
    const cost = receipts.cost.get(row);
    const value = cents(quantity * cost);
    if (value >= this.stock.value[slot]!) return -1;
    const doc = returns.addDocument({ day, partner: receipts.partner.get(receipt), warehouse: receipts.warehouse.get(receipt), base: receipt, baseType: KINDS.goodsReceiptsPO.object });
    returns.addLine({ item, quantity, price: receipts.price.get(row), cost, value, baseLine: row - first, baseRow: row });
    this.stock.issueAtValue(slot, quantity, value, day, returns, batch === NONE ? undefined : [[batch, quantity]]);
    returns.status.set(doc, STATUS.closed);
    receipts.openQuantity.add(row, -quantity);
    if (this.allInvoiced(receipts, receipt)) receipts.change(receipt, STATUS.closed, { store: KINDS.purchaseReturns.store, index: doc });
    return doc;
  }

  /** A/P invoices for goods receipts, for what was not returned; they clear goods received not invoiced. */
  private purchaseInvoicing(day: number): void {
    for (const receipt of this.agenda.due('invoiceReceipt', day)) {
      if (this.s.goodsReceiptsPO.status.get(receipt) === STATUS.open) this.invoiceReceipt(receipt, day);
    }
  }

  invoiceReceipt(receipt: number, day: number): number {
    const receipts = this.s.goodsReceiptsPO;
    const invoices = this.s.purchaseInvoices;
    const doc = invoices.addDocument({ day, partner: receipts.partner.get(receipt), warehouse: receipts.warehouse.get(receipt), base: receipt, baseType: KINDS.goodsReceiptsPO.object });
    const [first, end] = receipts.linesOf(receipt);
    for (let row = first; row < end; row++) {
      const quantity = receipts.openQuantity.get(row);
      if (quantity <= 0) continue;
      const cost = receipts.cost.get(row);
      invoices.addLine({ item: receipts.item.get(row), quantity, price: receipts.price.get(row), cost, value: quantity === receipts.quantity.get(row) ? receipts.value.get(row) : cents(quantity * cost), baseLine: row - first, baseRow: row });
      receipts.openQuantity.set(row, 0);
    }
    if (invoices.dropLastIfEmpty()) return -1;
    receipts.change(receipt, STATUS.closed, { store: KINDS.purchaseInvoices.store, index: doc });
    this.agenda.add('payPurchaseInvoice', this.nextBusinessDay(day + this.rng.int(doc, 29, 20, 45)), doc);
    return doc;
  }

  // ---- inventory ------------------------------------------------------------------------------------------

  /** Opening stock on the first day, by goods receipts against the opening balance account (lots of 40 lines). */
  private opening(day: number): void {
    const store = this.s.goodsReceipts;
    const available = this.plan.itemsAvailable(day);
    for (let w = 0; w < WAREHOUSES; w++) {
      for (let f = 0; f < FAMILIES.length; f++) {
        const family = FAMILIES[f]!;
        let lines = MAX_OPENING_LINES;
        for (let item = f; item < available; item += FAMILIES.length) {
          const slot = StockBook.slot(item, w);
          const rate = this.demandRate[slot]!;
          const lead = (family.purchasing.leadDays[0] + family.purchasing.leadDays[1]) / 2;
          const slowExtra = rate < 0.05 ? this.rng.int(slot, 30, 2, 6) : 0;
          const quantity = family.batchManaged ? Math.ceil(rate * 3) : Math.ceil(rate * (family.purchasing.reviewDays / 2 + lead + 10)) + slowExtra;
          if (quantity <= 0) continue;
          if (lines === MAX_OPENING_LINES) {
            store.addDocument({ day, partner: NONE, warehouse: w, purpose: PURPOSE.opening });
            lines = 0;
          }
          const cost = Math.round(this.items[item]!.cost * (0.97 + 0.06 * this.rng.unit(slot, 31)) * 100) / 100;
          const value = cents(quantity * cost);
          store.addLine({ item, quantity, price: cost, cost, value });
          this.receiveNew(slot, item, quantity, value, day - this.rng.int(slot, 32, 0, 2), store);
          lines++;
        }
      }
    }
  }

  /** Goods found at a cycle count (a unit or two) come in at the current cost against the count difference account. */
  private countGains(day: number): void {
    if (!isBusinessDay(day)) return;
    const store = this.s.goodsReceipts;
    const available = this.plan.itemsAvailable(day);
    for (let w = 0; w < WAREHOUSES; w++) {
      if (this.rng.unit(day, 33, w) >= 0.05) continue;
      const item = this.stockedItem(day, w, 34, false);
      if (item < 0 || item >= available) continue;
      const slot = StockBook.slot(item, w);
      const quantity = this.rng.int(day, 35, 1, 2, w);
      const cost = this.stock.unitCost(slot);
      const value = cents(quantity * cost);
      store.addDocument({ day, partner: NONE, warehouse: w, purpose: PURPOSE.adjustment });
      store.addLine({ item, quantity, price: cost, cost, value });
      this.stock.receive(slot, quantity, value);
    }
  }

  /**
   * Goods issues: breakage now and then, and on the last business day of each month the batches that expired
   * are written off (what expires after the last write-off is still in stock, expired, at the clock date).
   */
  private goodsIssues(day: number): void {
    if (!isBusinessDay(day)) return;
    const store = this.s.goodsIssues;
    for (let w = 0; w < WAREHOUSES; w++) {
      if (this.rng.unit(day, 36, w) < 0.15) {
        const item = this.stockedItem(day, w, 37, true);
        if (item >= 0) {
          store.addDocument({ day, partner: NONE, warehouse: w, purpose: PURPOSE.adjustment });
          this.issueLine(store, StockBook.slot(item, w), 1, day);
        }
      }
    }
    if (!this.plan.isMonthEnd(day)) return;
    for (let w = 0; w < WAREHOUSES; w++) {
      let open = false;
      for (let f = 0; f < FAMILIES.length; f++) {
        if (!FAMILIES[f]!.batchManaged) continue;
        for (let item = f; item < this.plan.itemCount; item += FAMILIES.length) {
          const slot = StockBook.slot(item, w);
          const batches: [number, number][] = [];
          let quantity = 0;
          for (const b of this.stock.batchesOf(slot)) {
            if (this.stock.expiry.get(b) >= day) continue;
            const q = this.stock.batchStock(b, w);
            batches.push([b, q]);
            quantity += q;
          }
          if (quantity <= 0) continue;
          if (!open) {
            store.addDocument({ day, partner: NONE, warehouse: w, purpose: PURPOSE.expiry });
            open = true;
          }
          this.issueLine(store, slot, quantity, day, batches);
        }
      }
    }
  }

  private issueLine(store: DocStore, slot: number, quantity: number, day: number, batches?: [number, number][]): void {
    const line = store.addLine({ item: Math.floor(slot / WAREHOUSES), quantity, price: 0 });
    const issue = this.stock.issue(slot, quantity, day, store, batches);
    store.price.set(line, issue.unitCost);
    store.cost.set(line, issue.unitCost);
    store.value.set(line, issue.value);
  }

  /** A random item with available stock in a warehouse (a few tries), or -1. */
  private stockedItem(day: number, w: number, salt: number, batchItemsToo: boolean): number {
    const available = this.plan.itemsAvailable(day);
    for (let attempt = 0; attempt < 6; attempt++) {
      const item = this.rng.int(day, salt, 0, available - 1, w * 8 + attempt);
      if (!batchItemsToo && this.stock.isBatchManaged(item)) continue;
      if (this.stock.available(StockBook.slot(item, w), day) >= 2) return item;
    }
    return -1;
  }

  /**
   * Twice a week the warehouses even out: an item-warehouse below its reorder point gets stock from a warehouse
   * holding more than it needs, one stock transfer per pair of warehouses, at the sending warehouse's cost.
   */
  private transfers(day: number): void {
    const weekday = (((day + 4) % 7) + 7) % 7;
    if (weekday !== 2 && weekday !== 4) return;
    const store = this.s.transfers;
    const pairs = new Map<number, [number, number][]>();
    const promised = new Map<number, number>();
    const available = this.plan.itemsAvailable(day);
    for (let item = 0; item < available; item++) {
      const family = this.items[item]!.family;
      const lead = (family.purchasing.leadDays[0] + family.purchasing.leadDays[1]) / 2;
      for (let w = 0; w < WAREHOUSES; w++) {
        const slot = StockBook.slot(item, w);
        const rate = this.demandRate[slot]!;
        if (rate <= 0) continue;
        const position = this.stock.quantity[slot]! + this.stock.ordered[slot]! - this.stock.committed[slot]!;
        if (position >= Math.max(1, rate * (lead + 4))) continue;
        const need = Math.ceil(rate * (lead + 7) - position);
        for (let v = 0; v < WAREHOUSES && need > 0; v++) {
          if (v === w) continue;
          const donor = StockBook.slot(item, v);
          const keep = this.stock.committed[donor]! + this.demandRate[donor]! * (family.purchasing.reviewDays + lead + 10);
          const surplus = Math.floor(this.stock.available(donor, day) - keep - (promised.get(donor) ?? 0));
          if (surplus < 1) continue;
          const key = v * WAREHOUSES + w;
          let list = pairs.get(key);
          if (!list) pairs.set(key, (list = []));
          const quantity = Math.min(need, surplus);
          list.push([item, quantity]);
          promised.set(donor, (promised.get(donor) ?? 0) + quantity);
          break;
        }
      }
    }
    for (const [key, list] of [...pairs].sort(([a], [b]) => a - b)) {
      const from = Math.floor(key / WAREHOUSES);
      const to = key % WAREHOUSES;
      store.addDocument({ day, partner: NONE, warehouse: from, toWarehouse: to });
      for (const [item, quantity] of list) this.transferLine(store, item, from, to, quantity, day);
    }
  }

  /** A transfer line: out of one warehouse at its cost (FEFO batches), into the other with the same value and batches. */
  private transferLine(store: DocStore, item: number, from: number, to: number, quantity: number, day: number): void {
    const target = StockBook.slot(item, to);
    const line = store.addLine({ item, quantity, price: 0 });
    const issue = this.stock.issue(StockBook.slot(item, from), quantity, day, store);
    store.price.set(line, issue.unitCost);
    store.cost.set(line, issue.unitCost);
    store.value.set(line, issue.value);
    this.stock.receive(target, quantity, issue.value);
    const [a, b] = store.allocationsOf(line);
    for (let i = a; i < b; i++) this.stock.addToBatch(target, store.batch.get(i), store.batchQuantity.get(i));
  }

  // ---- documents posted after the history (the mutation API) --------------------------------------------

  /**
   * Posts a document of `kind` on `day` the way the company would: a sales or purchase order like an earlier one
   * (for `partner` when given); a delivery or an invoice with the goods of such an order's items, from stock; a
   * return, credit memo, goods receipt PO, A/P invoice or goods return following the latest document it can
   * follow; a goods receipt, goods issue or transfer of a unit of stock. Throws, saying why, when there is none.
   */
  postLate(kind: DocumentKind, day: number, sequence: number, partner: number | undefined): number {
    switch (kind) {
      case KINDS.orders:
      case KINDS.deliveries:
      case KINDS.invoices:
        return this.salesLike(kind, day, sequence, partner);
      case KINDS.purchaseOrders:
        return this.purchaseOrderLike(day, sequence, partner);
      case KINDS.returns:
        return this.latest(KINDS.deliveries, (d) => this.s.deliveries.status.get(d) === STATUS.open, (d, row) => this.returnDelivery(d, row, 1, day));
      case KINDS.creditNotes:
        return this.latest(
          KINDS.invoices,
          (i) => this.s.invoices.status.get(i) !== STATUS.cancelled && this.s.invoices.cancels.get(i) === NONE && this.s.invoices.currency.get(i) === 0,
          (i, row) => this.creditInvoice(i, [[row, 1]], day),
        );
      case KINDS.goodsReceiptsPO:
        return this.oldestOpenOrder(false, day);
      case KINDS.purchaseInvoices: {
        const receipts = this.s.goodsReceiptsPO;
        for (let r = 0; r < receipts.count; r++) if (receipts.status.get(r) === STATUS.open) return this.invoiceReceipt(r, day);
        return this.oldestOpenOrder(true, day);
      }
      case KINDS.purchaseReturns:
        return this.latest(KINDS.goodsReceiptsPO, (r) => this.s.goodsReceiptsPO.status.get(r) === STATUS.open, (r, row) => this.returnReceipt(r, row, 1, day));
      case KINDS.goodsReceipts:
      case KINDS.goodsIssues:
      case KINDS.transfers:
        return this.unitMovement(kind, day, sequence);
      default:
        throw new Error(`${kind.entitySet} cannot be posted`);
    }
  }

  private salesLike(kind: DocumentKind, day: number, sequence: number, partner: number | undefined): number {
    const orders = this.s.orders;
    const template = sequence % this.plan.orders.total;
    const customer = this.customer(partner ?? orders.partner.get(template));
    const w = this.regionIndex(customer);
    const rate = this.rateOf(customer, day);
    const header = { partner: customer.index, warehouse: w, currency: this.currencyIndex(customer), rate, discount: customer.headerDiscount };
    const [first, end] = orders.linesOf(template);
    const lines: ShipLine[] = [];
    for (let row = first; row < end; row++) {
      const price = customer.currency === LOCAL_CURRENCY ? this.items[orders.item.get(row)]!.price : round2(this.items[orders.item.get(row)]!.price / rate);
      lines.push({ item: orders.item.get(row), quantity: orders.quantity.get(row), price, discount: orders.lineDiscount.get(row), promo: orders.promo.get(row) });
    }
    if (kind !== KINDS.orders) return this.shipLines(kind, header, this.inStock(lines, w, day, sequence, customer, rate), day);
    const doc = orders.addDocument({ ...header, day });
    for (const l of lines) {
      const row = orders.addLine(l);
      orders.openQuantity.set(row, l.quantity);
      add(this.stock.committed, StockBook.slot(l.item, w), l.quantity);
    }
    return doc;
  }

  /** The lines if any of them is in stock, else a few items the warehouse has (a counter sale of what is there). */
  private inStock(lines: ShipLine[], w: number, day: number, sequence: number, customer: PartnerFacts, rate: number): ShipLine[] {
    if (lines.some((l) => this.stock.available(StockBook.slot(l.item, w), day) >= 1)) return lines;
    const found: ShipLine[] = [];
    for (let n = 0; n < this.items.length && found.length < 3; n++) {
      const item = (sequence * 7919 + n) % this.items.length;
      if (this.stock.available(StockBook.slot(item, w), day) < 1) continue;
      const price = customer.currency === LOCAL_CURRENCY ? this.items[item]!.price : round2(this.items[item]!.price / rate);
      found.push({ item, quantity: 2, price, discount: 0, promo: NONE });
    }
    return found;
  }

  private purchaseOrderLike(day: number, sequence: number, partner: number | undefined): number {
    const orders = this.s.purchaseOrders;
    if (orders.count === 0) throw new Error('No purchase order to copy');
    const template = sequence % orders.count;
    const vendor = this.vendor(partner ?? orders.partner.get(template));
    const w = orders.warehouse.get(template);
    const rate = this.rateOf(vendor, day);
    const doc = orders.addDocument({ day, partner: vendor.index, warehouse: w, currency: this.currencyIndex(vendor), rate });
    const [first, end] = orders.linesOf(template);
    for (let row = first; row < end; row++) {
      const item = orders.item.get(row);
      const local = this.purchasePrice(item, day);
      const line = orders.addLine({ item, quantity: orders.quantity.get(row), price: vendor.currency === LOCAL_CURRENCY ? local : round2(local / rate) });
      orders.openQuantity.set(line, orders.quantity.get(row));
      add(this.stock.ordered, StockBook.slot(item, w), orders.quantity.get(row));
    }
    return doc;
  }

  /** Posts `post(document, row)` for the latest document of `kind` that qualifies and has an open line. */
  private latest(kind: DocumentKind, qualifies: (index: number) => boolean, post: (index: number, row: number) => number): number {
    const store = this.books.stores[kind.store]!;
    for (let i = store.count - 1; i >= 0; i--) {
      if (!qualifies(i)) continue;
      const [first, end] = store.linesOf(i);
      for (let row = first; row < end; row++) {
        if (store.openQuantity.get(row) <= 0) continue;
        const doc = post(i, row);
        if (doc >= 0) return doc;
      }
    }
    throw new Error(`No ${kind.entitySet} document is open to follow`);
  }

  private oldestOpenOrder(importers: boolean, day: number): number {
    const orders = this.s.purchaseOrders;
    for (let o = 0; o < orders.count; o++) {
      if (orders.status.get(o) !== STATUS.open) continue;
      if ((this.vendor(orders.partner.get(o)).currency !== LOCAL_CURRENCY) === importers) return this.receiveOrder(o, day);
    }
    throw new Error('No purchase order is open to receive');
  }

  /** A unit counted in, broken, or moved to another warehouse. */
  private unitMovement(kind: DocumentKind, day: number, sequence: number): number {
    for (let attempt = 0; attempt < WAREHOUSES; attempt++) {
      const w = (sequence + attempt) % WAREHOUSES;
      const item = this.stockedItem(day, w, 40 + sequence, kind !== KINDS.goodsReceipts);
      if (item < 0) continue;
      const slot = StockBook.slot(item, w);
      const store = this.books.stores[kind.store]!;
      if (kind === KINDS.goodsReceipts) {
        const cost = this.stock.unitCost(slot);
        const doc = store.addDocument({ day, partner: NONE, warehouse: w, purpose: PURPOSE.adjustment });
        store.addLine({ item, quantity: 1, price: cost, cost, value: cents(cost) });
        this.stock.receive(slot, 1, cents(cost));
        return doc;
      }
      if (kind === KINDS.goodsIssues) {
        const doc = store.addDocument({ day, partner: NONE, warehouse: w, purpose: PURPOSE.adjustment });
        this.issueLine(store, slot, 1, day);
        return doc;
      }
      const to = (w + 1) % WAREHOUSES;
      const doc = store.addDocument({ day, partner: NONE, warehouse: w, toWarehouse: to });
      this.transferLine(store, item, w, to, 1, day);
      return doc;
    }
    throw new Error(`No stock to post ${kind.entitySet} for`);
  }
}

/** Whether the cancellation of a document of `kind` brings stock back (it took stock out). */
function stockComesBack(kind: DocumentKind): boolean {
  return kind === KINDS.deliveries || kind === KINDS.invoices || kind === KINDS.purchaseReturns || kind === KINDS.goodsIssues;
}

/** Whether documents of `kind` move stock (invoices based on a delivery do not: the delivery did). */
export function movesStock(kind: DocumentKind, store: DocStore, index: number): boolean {
  switch (kind) {
    case KINDS.orders:
    case KINDS.purchaseOrders:
      return false;
    case KINDS.invoices: {
      const cancels = store.cancels.get(index);
      const base = cancels === NONE ? index : cancels;
      return store.baseType.get(base) !== KINDS.deliveries.object;
    }
    case KINDS.purchaseInvoices: {
      const cancels = store.cancels.get(index);
      const base = cancels === NONE ? index : cancels;
      return store.baseType.get(base) !== KINDS.goodsReceiptsPO.object;
    }
    default:
      return true;
  }
}
