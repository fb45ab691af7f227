/**
 * The purchasing desk: reviews stock per product family and warehouse and orders from the family's vendor,
 * receives what arrives (goods receipt PO, or for importers an A/P invoice with the goods, fresh goods in new
 * batches), sends damaged goods back, and books the vendors' invoices for what was kept.
 */
import { FAMILIES, LOCAL_CURRENCY } from '../catalog.js';
import type { PartnerFacts } from '../facts.js';
import { isBusinessDay } from '../streams.js';
import { lineTotalOf } from './amounts.js';
import { Desk } from './desk.js';
import { NONE, STATUS } from './doc-store.js';
import { KINDS } from './kinds.js';
import { cents, round2, round6 } from './money.js';
import { add, StockBook, WAREHOUSES } from './stock.js';

const PURCHASE_RETURN_SHARE = 0.03;
const PURCHASE_ORDER_CANCEL_SHARE = 0.015;
const MAX_PURCHASE_LINES = 30;
/** Cases of an item kept on top of expected demand, since a single order line is often ten cases or more. */
const LOT = 12;
/** Fresh items selling at least this much per day in a warehouse are kept in stock; the rest is bought to order. */
const FRESH_STOCKED_RATE = 0.5;

export class Purchasing extends Desk {
  /**
   * End-of-day purchasing, per product family and warehouse on the family's review days, from the family's vendor
   * for that region, for what open sales orders hold plus a stock for what is expected until the next delivery.
   * Demand comes in lumps (an order line is often ten cases or more), so dry, frozen and non-food goods keep a
   * lot's worth on top of the expected demand, with a minimum order quantity: slow items keep old stock. Fresh
   * (batch-managed) goods expire, so only the fast movers are stocked, for a few days; the others are bought
   * against open orders, to arrive the next morning.
   */
  purchasing(day: number): void {
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
  purchasePrice(item: number, day: number): number {
    const offset = day - this.plan.firstDay;
    const drift = 1 + 0.04 * Math.sin((2 * Math.PI * offset) / 365 + item);
    return Math.round(this.items[item]!.cost * drift * (0.97 + 0.06 * this.rng.unit(item, 21, offset)) * 100) / 100;
  }

  purchaseOrderCancellations(day: number): void {
    for (const order of this.agenda.due('cancelPurchaseOrder', day)) {
      if (this.s.purchaseOrders.status.get(order) === STATUS.open) this.desks.cancellation.cancelOrder(KINDS.purchaseOrders, order, day, 11 * 3600);
    }
  }

  /**
   * Goods arrive for due purchase orders: a goods receipt PO, or from importers an A/P invoice with the goods.
   * Fresh goods get a batch (admission today, made a day or two ago, expiring after their shelf life).
   */
  arrivals(day: number, invoiced: boolean): void {
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

  /** Damaged goods found on arrival go back to the vendor before the invoice comes, at the receipt's price. */
  purchaseReturns(day: number): void {
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
    const doc = returns.addFollowUp(receipts, receipt, day, KINDS.goodsReceiptsPO.object);
    returns.addLine({ item, quantity, price: receipts.price.get(row), cost, value, baseLine: row - first, baseRow: row });
    this.stock.issueAtValue(slot, quantity, value, day, returns, batch === NONE ? undefined : [[batch, quantity]]);
    this.settleReturn(receipts, receipt, row, quantity, KINDS.purchaseReturns, doc);
    return doc;
  }

  /** A/P invoices for goods receipts, for what was not returned; they clear goods received not invoiced. */
  purchaseInvoicing(day: number): void {
    for (const receipt of this.agenda.due('invoiceReceipt', day)) {
      if (this.s.goodsReceiptsPO.status.get(receipt) === STATUS.open) this.invoiceReceipt(receipt, day);
    }
  }

  invoiceReceipt(receipt: number, day: number): number {
    const receipts = this.s.goodsReceiptsPO;
    const invoices = this.s.purchaseInvoices;
    const doc = invoices.addFollowUp(receipts, receipt, day, KINDS.goodsReceiptsPO.object);
    this.copyOpenLines(receipts, receipt, invoices);
    if (invoices.dropLastIfEmpty()) return -1;
    receipts.change(receipt, STATUS.closed, { store: KINDS.purchaseInvoices.store, index: doc });
    this.agenda.add('payPurchaseInvoice', this.nextBusinessDay(day + this.rng.int(doc, 29, 20, 45)), doc);
    return doc;
  }
}
