/**
 * Cancelling: orders and purchase orders are cancelled in place; posted documents get a cancellation document
 * (SAP Business One 9.0+: same lines, CancelStatus csCancellation, the exact reverse of the document's stock and
 * journal entry), and the base document they copied is open again.
 */
import { Desk } from './desk.js';
import { NONE, STATUS, type ChangeCause, type DocStore } from './doc-store.js';
import { KIND_LIST, KINDS, type DocumentKind } from './kinds.js';
import { add, StockBook } from './stock.js';

export class Cancellation extends Desk {
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
    this.closeOrder(order, STATUS.cancelled, { day, second }, kind);
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
    const doc = store.addFollowUp(store, index, day, kind.object, { cancels: index });
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
