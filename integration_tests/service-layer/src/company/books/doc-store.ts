/**
 * The documents the books posted, one store per document kind, in posting order (DocEntry = position + 1): the
 * header, line and batch-allocation facts a document is served and journalized from, and what happened to it
 * afterwards (closed, cancelled, paid). Numbers only, in growable typed arrays.
 */
import { FloatColumn, IntColumn, SmallFloatColumn } from './columns.js';

export const NONE = -1;

/** Document status as the books track it (DocumentStatus open/closed, Cancelled). */
export const STATUS = { open: 0, closed: 1, cancelled: 2 } as const;

export interface HeaderInput {
  day: number;
  /** Customer or vendor index, or NONE. */
  partner: number;
  /** Warehouse (region) index; the source warehouse of a transfer. */
  warehouse: number;
  /** Destination warehouse of a transfer, else NONE. */
  toWarehouse?: number;
  /** 0 = local currency, else 1 + index in FOREIGN_CURRENCIES. */
  currency?: number;
  rate?: number;
  /** Header discount in percent. */
  discount?: number;
  /** Index of the base document in its own store, and its object number (13, 15, 17, 20, 22...). */
  base?: number;
  baseType?: number;
  /** For a cancellation document: index of the document it cancels. */
  cancels?: number;
  /** Kind-specific reason (goods issue: breakage or expiry write-off...). */
  purpose?: number;
}

export interface LineInput {
  item: number;
  quantity: number;
  /** Unit price before the line discount, in the document currency. */
  price: number;
  discount?: number;
  /** Unit cost in local currency (six decimals): the moving average the line moved stock at. */
  cost?: number;
  /** Stock value the line moved, in cents (positive). */
  value?: number;
  /** Line of the base document this line copies, and that line's position in the base store. */
  baseLine?: number;
  baseRow?: number;
  promo?: number;
}

export class DocStore {
  readonly day = new IntColumn(64);
  /** Second of the day it was posted at (set when its processing step ends, see Operations). */
  readonly second = new IntColumn(64);
  readonly partner = new IntColumn(64);
  readonly warehouse = new IntColumn(64);
  readonly toWarehouse = new IntColumn(64);
  readonly currency = new IntColumn(64);
  readonly rate = new FloatColumn(64);
  readonly discount = new SmallFloatColumn(64);
  readonly base = new IntColumn(64);
  readonly baseType = new IntColumn(64);
  readonly cancels = new IntColumn(64);
  readonly purpose = new IntColumn(64);
  readonly lineStart = new IntColumn(64);
  /**
   * What happened later: the status, how many changes, and the last change, either a document of another store
   * (the payment that closed an invoice: its posting time is the change time) or a moment (day and second).
   */
  readonly status = new IntColumn(64);
  readonly changes = new IntColumn(64);
  readonly updatedByStore = new IntColumn(64);
  readonly updatedBy = new IntColumn(64);
  readonly updatedDay = new IntColumn(64);
  readonly updatedSecond = new IntColumn(64);
  readonly cancelledByStore = new IntColumn(64);
  readonly cancelledBy = new IntColumn(64);
  /** Amount settled (payments, credit memos applied), in local cents and document-currency cents. */
  readonly paid = new FloatColumn(64);
  readonly paidFC = new FloatColumn(64);
  private readonly headerColumns: (IntColumn | FloatColumn | SmallFloatColumn)[];
  private readonly otherColumns: (IntColumn | FloatColumn | SmallFloatColumn)[];

  readonly item = new IntColumn(256);
  readonly quantity = new FloatColumn(256);
  readonly price = new FloatColumn(256);
  readonly lineDiscount = new SmallFloatColumn(256);
  readonly cost = new FloatColumn(256);
  readonly value = new FloatColumn(256);
  readonly baseLine = new IntColumn(256);
  readonly baseRow = new IntColumn(256);
  readonly promo = new IntColumn(256);
  /** Quantity still open (orders and purchase orders: not yet delivered or received). */
  readonly openQuantity = new FloatColumn(256);
  readonly batchStart = new IntColumn(256);

  readonly batch = new IntColumn(256);
  readonly batchQuantity = new FloatColumn(256);

  constructor(readonly name: string) {
    this.headerColumns = [
      this.day, this.second, this.partner, this.warehouse, this.toWarehouse, this.currency, this.rate, this.discount, this.base, this.baseType,
      this.cancels, this.purpose, this.lineStart, this.status, this.changes, this.updatedByStore, this.updatedBy, this.updatedDay, this.updatedSecond,
      this.cancelledByStore, this.cancelledBy, this.paid, this.paidFC,
    ];
    this.otherColumns = [
      this.item, this.quantity, this.price, this.lineDiscount, this.cost, this.value, this.baseLine, this.baseRow, this.promo, this.openQuantity,
      this.batchStart, this.batch, this.batchQuantity,
    ];
  }

  /** Frees the spare capacity of every column. */
  trim(): void {
    for (const c of [...this.headerColumns, ...this.otherColumns]) c.trim();
  }

  get count(): number {
    return this.day.length;
  }

  get lineCount(): number {
    return this.item.length;
  }

  /** Starts a document; its lines follow with addLine. Returns its index. */
  addDocument(h: HeaderInput): number {
    const last = this.day.length > 0 ? this.day.get(this.day.length - 1) : -Infinity;
    if (h.day < last) throw new Error(`${this.name}: documents must be added in posting order`);
    this.day.push(h.day);
    this.second.push(0);
    this.partner.push(h.partner);
    this.warehouse.push(h.warehouse);
    this.toWarehouse.push(h.toWarehouse ?? NONE);
    this.currency.push(h.currency ?? 0);
    this.rate.push(h.rate ?? 1);
    this.discount.push(h.discount ?? 0);
    this.base.push(h.base ?? NONE);
    this.baseType.push(h.baseType ?? NONE);
    this.cancels.push(h.cancels ?? NONE);
    this.purpose.push(h.purpose ?? 0);
    this.lineStart.push(this.item.length);
    this.status.push(STATUS.open);
    this.changes.push(0);
    this.updatedByStore.push(NONE);
    this.updatedBy.push(NONE);
    this.updatedDay.push(NONE);
    this.updatedSecond.push(0);
    this.cancelledByStore.push(NONE);
    this.cancelledBy.push(NONE);
    this.paid.push(0);
    return this.paidFC.push(0);
  }

  /**
   * Starts a document that follows document `index` of `base` (same partner, warehouse, currency, rate and header
   * discount), with `base` as its base document of type `baseType`. Returns its index.
   */
  addFollowUp(base: DocStore, index: number, day: number, baseType: number, extra: Partial<HeaderInput> = {}): number {
    return this.addDocument({
      day,
      partner: base.partner.get(index),
      warehouse: base.warehouse.get(index),
      currency: base.currency.get(index),
      rate: base.rate.get(index),
      discount: base.discount.get(index),
      base: index,
      baseType,
      ...extra,
    });
  }

  /** Adds a line to the last document. Returns its row (position among all lines of the store). */
  addLine(l: LineInput): number {
    this.item.push(l.item);
    this.quantity.push(l.quantity);
    this.price.push(l.price);
    this.lineDiscount.push(l.discount ?? 0);
    this.cost.push(l.cost ?? 0);
    this.value.push(l.value ?? 0);
    this.baseLine.push(l.baseLine ?? NONE);
    this.baseRow.push(l.baseRow ?? NONE);
    this.promo.push(l.promo ?? NONE);
    this.openQuantity.push(0);
    return this.batchStart.push(this.batch.length);
  }

  /** Records that the last line took `quantity` of batch `batch`. */
  addAllocation(batch: number, quantity: number): void {
    this.batch.push(batch);
    this.batchQuantity.push(quantity);
  }

  /** Drops a document added last that got no line (nothing could be delivered). */
  dropLastIfEmpty(): boolean {
    const last = this.day.length - 1;
    if (last < 0 || this.lineStart.get(last) !== this.item.length) return false;
    for (const c of this.headerColumns) c.length--;
    return true;
  }

  /** Rows of the lines of document `index`: [first, end). */
  linesOf(index: number): [number, number] {
    return [this.lineStart.get(index), index + 1 < this.count ? this.lineStart.get(index + 1) : this.item.length];
  }

  /** Allocation positions of line `row`: [first, end). */
  allocationsOf(row: number): [number, number] {
    return [this.batchStart.get(row), row + 1 < this.lineCount ? this.batchStart.get(row + 1) : this.batch.length];
  }

  /** Document index of a line row (binary search over line starts). */
  documentOfRow(row: number): number {
    let lo = 0;
    let hi = this.count - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.lineStart.get(mid) <= row) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** Records a change of a document after its posting (UpdateDate/UpdateTime, DataVersion) and its new status. */
  change(index: number, status: number, cause: ChangeCause): void {
    this.status.set(index, status);
    this.changes.add(index, 1);
    if ('store' in cause) {
      this.updatedByStore.set(index, cause.store);
      this.updatedBy.set(index, cause.index);
    } else {
      this.updatedByStore.set(index, NONE);
      this.updatedDay.set(index, cause.day);
      this.updatedSecond.set(index, cause.second);
    }
    if (status === STATUS.cancelled) {
      this.cancelledByStore.set(index, this.updatedByStore.get(index));
      this.cancelledBy.set(index, 'store' in cause ? cause.index : NONE);
    }
  }
}

/** What changed a document: another document (its posting moment), or a moment of its own. */
export type ChangeCause = { store: number; index: number } | { day: number; second: number };
