/**
 * A posted document as one object, materialized from the books on demand: its partner, warehouse, currency,
 * amounts (books/amounts.ts), lines with the cost they moved stock at and the batches they took, and what
 * happened to it since. The served record (documents.ts) and the journal entry (postings.ts) are both built
 * from this view, so a document and its posting always agree.
 */
import { CENTRALLY_BILLED_GROUP, FOREIGN_CURRENCIES, LOCAL_CURRENCY, REGIONS, SHARED_RULES, type Region } from './catalog.js';
import type { DocAmounts, LineAmounts } from './books/amounts.js';
import type { Books } from './books/books.js';
import { NONE, STATUS } from './books/doc-store.js';
import { KIND_LIST, type DocumentKind } from './books/kinds.js';
import { movesStock, type Operations } from './books/operations.js';
import type { ItemFacts, PartnerFacts } from './facts.js';
import type { Stamp } from './plan.js';

export interface ViewLine {
  row: number;
  lineNum: number;
  item: ItemFacts;
  quantity: number;
  /** Unit price before the line discount, in the document currency. */
  unitPrice: number;
  discountPercent: number;
  amounts: LineAmounts;
  /** Unit cost in local currency the line moved stock at (or, copied from its base, would have). */
  unitCost: number;
  /** Value of the line's stock movement in cents (quantity x unit cost, or the whole value of what was left). */
  value: number;
  base: { type: number; entry: number; line: number } | null;
  batches: { batch: number; quantity: number }[];
  promo: number;
  /** Quantity still open (orders: not delivered; purchase orders: not received; deliveries: not invoiced). */
  openQuantity: number;
  /** Distribution rules of the line (dimension 1: region or the shared regional rule; dimension 2: product line). */
  rule1: string;
  rule2: string;
}

export interface DocumentView {
  kind: DocumentKind;
  index: number;
  docEntry: number;
  docNum: number;
  posted: Stamp;
  partner: PartnerFacts | null;
  region: Region;
  /** Destination of a stock transfer. */
  toRegion: Region | null;
  currency: string;
  rate: number;
  discountPercent: number;
  amounts: DocAmounts;
  lines: ViewLine[];
  movesStock: boolean;
  status: number;
  /** The document this one cancels (CancelStatus csCancellation), as an index in the same store, or NONE. */
  cancels: number;
  base: { type: number; entry: number } | null;
  purpose: number;
  /** Last change after posting, or the posting itself. */
  updated: Stamp;
  changes: number;
  cancelDate: string | null;
  paid: number;
  paidFC: number;
}

export class Views {
  constructor(
    private readonly books: Books,
    private readonly ops: Operations,
  ) {}

  document(kind: DocumentKind, index: number): DocumentView {
    const store = this.books.stores[kind.store]!;
    const partnerIndex = store.partner.get(index);
    const partner = partnerIndex === NONE ? null : kind.side === 'sales' ? this.ops.customer(partnerIndex) : this.ops.vendor(partnerIndex);
    const region = REGIONS[store.warehouse.get(index)]!;
    const to = store.toWarehouse.get(index);
    const currencyIndex = store.currency.get(index);
    const amounts = this.ops.amounts(kind, index);
    const [first, end] = store.linesOf(index);
    const baseKind = store.baseType.get(index) === NONE ? undefined : KIND_LIST.find((k) => k.object === store.baseType.get(index));
    const baseStore = baseKind ? this.books.stores[baseKind.store]! : undefined;
    const rule1 = partner && partner.groupCode === CENTRALLY_BILLED_GROUP ? SHARED_RULES[0]!.code : region.code;
    const lines: ViewLine[] = [];
    for (let row = first; row < end; row++) {
      const item = this.ops.item(store.item.get(row));
      const [a, b] = store.allocationsOf(row);
      const batches: { batch: number; quantity: number }[] = [];
      for (let i = a; i < b; i++) batches.push({ batch: store.batch.get(i), quantity: store.batchQuantity.get(i) });
      const baseRow = store.baseRow.get(row);
      lines.push({
        row,
        lineNum: row - first,
        item,
        quantity: store.quantity.get(row),
        unitPrice: store.price.get(row),
        discountPercent: store.lineDiscount.get(row),
        amounts: amounts.lines[row - first]!,
        unitCost: store.cost.get(row),
        value: store.value.get(row),
        base: baseKind && baseStore && baseRow !== NONE ? { type: baseKind.object, entry: baseStore.documentOfRow(baseRow) + 1, line: store.baseLine.get(row) } : null,
        batches,
        promo: store.promo.get(row),
        openQuantity: store.openQuantity.get(row),
        rule1: kind.side === 'sales' ? rule1 : region.code,
        rule2: item.line.code,
      });
    }
    const posted = this.books.stampOf(kind.store, index);
    const status = store.status.get(index);
    const changedBy = store.updatedByStore.get(index);
    const updated = store.changes.get(index) === 0 ? posted : changedBy !== NONE ? this.books.stampOf(changedBy, store.updatedBy.get(index)) : this.books.plan.stamp(store.updatedDay.get(index), store.updatedSecond.get(index));
    const cancelledBy = store.cancelledByStore.get(index);
    return {
      kind,
      index,
      docEntry: index + 1,
      docNum: kind.docNumBase + index + 1,
      posted,
      partner,
      region,
      toRegion: to === NONE ? null : REGIONS[to]!,
      currency: currencyIndex === 0 ? LOCAL_CURRENCY : FOREIGN_CURRENCIES[currencyIndex - 1]!.code,
      rate: store.rate.get(index),
      discountPercent: store.discount.get(index),
      amounts,
      lines,
      movesStock: movesStock(kind, store, index),
      status,
      cancels: store.cancels.get(index),
      base: baseKind ? { type: baseKind.object, entry: store.base.get(index) + 1 } : null,
      purpose: store.purpose.get(index),
      updated: updated.day > posted.day || (updated.day === posted.day && updated.second > posted.second) ? updated : posted,
      changes: store.changes.get(index),
      cancelDate: status !== STATUS.cancelled ? null : cancelledBy !== NONE ? this.books.stampOf(cancelledBy, store.cancelledBy.get(index)).date : updated.date,
      paid: store.paid.get(index),
      paidFC: store.paidFC.get(index),
    };
  }
}
