/**
 * Documents posted after the generated history, through the mutation API: posted the way the company would, by
 * the same desks (see postLate).
 */
import { LOCAL_CURRENCY } from '../catalog.js';
import type { PartnerFacts } from '../facts.js';
import { Desk } from './desk.js';
import { NONE, STATUS } from './doc-store.js';
import { KINDS, PURPOSE, type DocumentKind } from './kinds.js';
import { cents, round2 } from './money.js';
import type { ShipLine } from './sales.js';
import { add, StockBook, WAREHOUSES } from './stock.js';

export class LatePostings extends Desk {
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
        return this.latest(KINDS.deliveries, (d) => this.s.deliveries.status.get(d) === STATUS.open, (d, row) => this.desks.sales.returnDelivery(d, row, 1, day));
      case KINDS.creditNotes:
        return this.latest(
          KINDS.invoices,
          (i) => this.s.invoices.status.get(i) !== STATUS.cancelled && this.s.invoices.cancels.get(i) === NONE && this.s.invoices.currency.get(i) === 0,
          (i, row) => this.desks.sales.creditInvoice(i, [[row, 1]], day),
        );
      case KINDS.goodsReceiptsPO:
        return this.oldestOpenOrder(false, day);
      case KINDS.purchaseInvoices: {
        const receipts = this.s.goodsReceiptsPO;
        for (let r = 0; r < receipts.count; r++) if (receipts.status.get(r) === STATUS.open) return this.desks.purchasing.invoiceReceipt(r, day);
        return this.oldestOpenOrder(true, day);
      }
      case KINDS.purchaseReturns:
        return this.latest(KINDS.goodsReceiptsPO, (r) => this.s.goodsReceiptsPO.status.get(r) === STATUS.open, (r, row) => this.desks.purchasing.returnReceipt(r, row, 1, day));
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
    if (kind !== KINDS.orders) return this.desks.sales.shipLines(kind, header, this.inStock(lines, w, day, sequence, customer, rate), day);
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
      const local = this.desks.purchasing.purchasePrice(item, day);
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
      if ((this.vendor(orders.partner.get(o)).currency !== LOCAL_CURRENCY) === importers) return this.desks.purchasing.receiveOrder(o, day);
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
