/**
 * The sales desk: orders come in (pure demand), are shipped from stock when due (a delivery, or an invoice with
 * the goods), waiting a day or two for goods that are short; deliveries are invoiced for what the customer kept,
 * returns and credit memos bring stock back at the cost it left at, a wrong invoice is cancelled and re-invoiced.
 */
import { LOCAL_CURRENCY, REGIONS } from '../catalog.js';
import type { Demand } from '../demand.js';
import { Desk } from './desk.js';
import { STATUS, type HeaderInput } from './doc-store.js';
import { KINDS, type DocumentKind } from './kinds.js';
import { round2 } from './money.js';
import { add, StockBook } from './stock.js';

const DIRECT_INVOICE_SHARE = 0.2;
const SALES_RETURN_SHARE = 0.03;
const CREDIT_NOTE_SHARE = 0.04;
const CANCELLATION_SHARE = 0.025;
const SLOW_PAYER_SHARE = 0.04;
/** How many business days an order waits for goods that are short before it ships what there is. */
const ORDER_RETRIES = 2;

/** A line to ship: what is wanted, at which price; where it comes from on the base order. */
export interface ShipLine {
  item: number;
  quantity: number;
  price: number;
  discount: number;
  promo: number;
  baseRow?: number;
  baseLine?: number;
}

export class Sales extends Desk {
  /** All sales orders (pure demand) go into the order store up front; the forecast is their average. */
  takeOrders(demand: Demand): void {
    const orders = this.s.orders;
    const stream = this.plan.orders;
    for (let i = 0; i < stream.total; i++) {
      const o = demand.order(i);
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

  ordersOfDay(day: number): void {
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
  fulfilments(day: number, direct: boolean): void {
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
  shipLines(kind: DocumentKind, header: Omit<HeaderInput, 'day'>, lines: readonly ShipLine[], day: number): number {
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
  salesReturns(day: number): void {
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
    const doc = returns.addFollowUp(deliveries, delivery, day, KINDS.deliveries.object);
    this.restock(deliveries, delivery, row, returns, quantity);
    this.settleReturn(deliveries, delivery, row, quantity, KINDS.returns, doc);
    return doc;
  }

  /** Invoices due deliveries for what was not returned; the delivery already posted the cost of goods. */
  invoicing(day: number): void {
    for (const delivery of this.agenda.due('invoiceDelivery', day)) {
      if (this.s.deliveries.status.get(delivery) === STATUS.open) this.invoiceDelivery(delivery, day);
    }
  }

  invoiceDelivery(delivery: number, day: number): number {
    const deliveries = this.s.deliveries;
    const invoices = this.s.invoices;
    const doc = invoices.addFollowUp(deliveries, delivery, day, KINDS.deliveries.object);
    this.copyOpenLines(deliveries, delivery, invoices);
    deliveries.change(delivery, STATUS.closed, { store: KINDS.invoices.store, index: doc });
    this.invoiced(doc, day, false);
    return doc;
  }

  /** Credit memos for goods returned after invoicing: stock comes back at the invoice's cost. */
  creditNotes(day: number): void {
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
    const doc = credits.addFollowUp(invoices, invoice, day, KINDS.invoices.object);
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
  cancellations(day: number): void {
    const invoices = this.s.invoices;
    for (const invoice of this.agenda.due('cancelInvoice', day)) {
      if (invoices.status.get(invoice) !== STATUS.open || invoices.paid.get(invoice) !== 0) continue;
      const doc = this.desks.cancellation.cancellationOf(KINDS.invoices, invoice, day);
      invoices.change(invoice, STATUS.cancelled, { store: KINDS.invoices.store, index: doc });
      const order = this.desks.cancellation.reopenBase(KINDS.invoices, invoice, { store: KINDS.invoices.store, index: doc });
      this.retries.delete(order);
      this.agenda.add('fulfil', this.nextBusinessDay(day + 1), order);
    }
  }
}
