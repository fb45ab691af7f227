/**
 * Stock as the books hold it: quantity and value per item and warehouse, valued at moving average per warehouse
 * (SAP Business One's "Moving Average" valuation with item cost managed per warehouse: every receipt adds its
 * value, every issue takes quantity x current average), committed and ordered quantities, and for batch-managed
 * items the quantity of every batch in every warehouse. Issues take batches first-expiry-first-out and never
 * take expired ones; values are whole cents, so the inventory accounts can equal the stock value to the cent.
 */
import { FloatColumn, IntColumn } from './columns.js';
import { cents, unitCostOf } from './money.js';

export const WAREHOUSES = 3;

/** Adds `delta` to entry `i` of a typed array. */
export function add(array: Float64Array, i: number, delta: number): void {
  array[i] = array[i]! + delta;
}

/** Where issues record the batches they took (a document store's allocation columns). */
export interface AllocationSink {
  addAllocation(batch: number, quantity: number): void;
}

export interface Issue {
  /** Unit cost the quantity left at (six decimals). */
  unitCost: number;
  /** Value that left, in cents. */
  value: number;
}

export class StockBook {
  /** Per item-warehouse (item * WAREHOUSES + warehouse). */
  readonly quantity: Float64Array;
  readonly value: Float64Array;
  readonly committed: Float64Array;
  readonly ordered: Float64Array;
  /** Last unit cost of the item-warehouse, for receipts and issues when nothing is in stock. */
  readonly lastCost: Float64Array;
  readonly batchItem = new IntColumn(1024);
  readonly batchWarehouse = new IntColumn(1024);
  readonly admission = new IntColumn(1024);
  readonly manufactured = new IntColumn(1024);
  readonly expiry = new IntColumn(1024);
  /** Batch quantity per warehouse: batchQuantity[batch * WAREHOUSES + warehouse]. */
  readonly batchQuantity = new FloatColumn(3072);
  /** Batches with stock per item-warehouse, in expiry order. */
  private readonly lots: number[][];

  constructor(
    readonly itemCount: number,
    private readonly batchManaged: (item: number) => boolean,
  ) {
    const n = itemCount * WAREHOUSES;
    this.quantity = new Float64Array(n);
    this.value = new Float64Array(n);
    this.committed = new Float64Array(n);
    this.ordered = new Float64Array(n);
    this.lastCost = new Float64Array(n);
    this.lots = Array.from({ length: n }, () => []);
  }

  /** Frees the spare capacity of the batch columns. */
  trim(): void {
    for (const c of [this.batchItem, this.batchWarehouse, this.admission, this.manufactured, this.expiry, this.batchQuantity]) c.trim();
  }

  get batchCount(): number {
    return this.batchItem.length;
  }

  static slot(item: number, warehouse: number): number {
    return item * WAREHOUSES + warehouse;
  }

  isBatchManaged(item: number): boolean {
    return this.batchManaged(item);
  }

  /** Current moving-average unit cost of an item-warehouse (the last known one when out of stock). */
  unitCost(slot: number): number {
    const q = this.quantity[slot]!;
    return q > 0 ? unitCostOf(this.value[slot]!, q) : this.lastCost[slot]!;
  }

  /** Quantity that can be issued on `day`: all of it, or for batch items the batches not yet expired. */
  available(slot: number, day: number): number {
    if (!this.batchManaged(Math.floor(slot / WAREHOUSES))) return this.quantity[slot]!;
    const w = slot % WAREHOUSES;
    let total = 0;
    for (const b of this.lots[slot]!) if (this.expiry.get(b) >= day) total += this.batchQuantity.get(b * WAREHOUSES + w);
    return total;
  }

  /** Quantity of the item-warehouse in batches expired before `day`. */
  expired(slot: number, day: number): number {
    const w = slot % WAREHOUSES;
    let total = 0;
    for (const b of this.lots[slot]!) if (this.expiry.get(b) < day) total += this.batchQuantity.get(b * WAREHOUSES + w);
    return total;
  }

  /** A new batch of an item, received into a warehouse on its admission day. */
  createBatch(item: number, warehouse: number, admission: number, manufactured: number, expiry: number): number {
    const id = this.batchItem.push(item);
    this.batchWarehouse.push(warehouse);
    this.admission.push(admission);
    this.manufactured.push(manufactured);
    this.expiry.push(expiry);
    for (let w = 0; w < WAREHOUSES; w++) this.batchQuantity.push(0);
    return id;
  }

  /** Adds quantity worth `valueCents`, into `batch` for batch items. */
  receive(slot: number, quantity: number, valueCents: number, batch?: number): void {
    this.quantity[slot] = this.quantity[slot]! + quantity;
    this.value[slot] = this.value[slot]! + valueCents;
    if (quantity > 0) this.lastCost[slot] = unitCostOf(this.value[slot]!, this.quantity[slot]!);
    if (batch !== undefined) this.addToBatch(slot, batch, quantity);
  }

  /**
   * Takes quantity out at the current average (the whole remaining value when it empties the item-warehouse),
   * batches first-expiry-first-out among those valid on `day` (or the given ones), recorded in `sink`.
   */
  issue(slot: number, quantity: number, day: number, sink?: AllocationSink, fromBatches?: readonly [number, number][]): Issue {
    const onHand = this.quantity[slot]!;
    if (quantity > onHand + 1e-9) throw new Error(`Issue of ${quantity} exceeds stock ${onHand} of slot ${slot}`);
    const unitCost = this.unitCost(slot);
    const value = quantity >= onHand ? this.value[slot]! : cents(quantity * unitCost);
    this.quantity[slot] = onHand - quantity;
    this.value[slot] = this.value[slot]! - value;
    if (this.batchManaged(Math.floor(slot / WAREHOUSES))) this.takeBatches(slot, quantity, day, sink, fromBatches);
    return { unitCost, value };
  }

  /** Takes an exact value out with the quantity (a return at its base document's price). */
  issueAtValue(slot: number, quantity: number, valueCents: number, day: number, sink?: AllocationSink, fromBatches?: readonly [number, number][]): void {
    this.quantity[slot] = this.quantity[slot]! - quantity;
    this.value[slot] = this.value[slot]! - valueCents;
    if (this.batchManaged(Math.floor(slot / WAREHOUSES))) this.takeBatches(slot, quantity, day, sink, fromBatches);
  }

  /** Quantity of a batch in a warehouse. */
  batchStock(batch: number, warehouse: number): number {
    return this.batchQuantity.get(batch * WAREHOUSES + warehouse);
  }

  /** Batches of an item-warehouse that hold stock, in expiry order. */
  batchesOf(slot: number): readonly number[] {
    return this.lots[slot]!;
  }

  addToBatch(slot: number, batch: number, quantity: number): void {
    const w = slot % WAREHOUSES;
    const before = this.batchQuantity.get(batch * WAREHOUSES + w);
    this.batchQuantity.set(batch * WAREHOUSES + w, before + quantity);
    if (before <= 0 && before + quantity > 0) this.insertLot(slot, batch);
  }

  private takeBatches(slot: number, quantity: number, day: number, sink?: AllocationSink, fromBatches?: readonly [number, number][]): void {
    const w = slot % WAREHOUSES;
    if (fromBatches) {
      for (const [b, q] of fromBatches) {
        this.removeFromBatch(slot, b, q);
        sink?.addAllocation(b, q);
      }
      return;
    }
    let rest = quantity;
    const lots = this.lots[slot]!;
    for (let i = 0; i < lots.length && rest > 1e-9; ) {
      const b = lots[i]!;
      if (this.expiry.get(b) < day) {
        i++;
        continue;
      }
      const have = this.batchQuantity.get(b * WAREHOUSES + w);
      const take = Math.min(have, rest);
      rest -= take;
      sink?.addAllocation(b, take);
      if (this.removeFromBatch(slot, b, take)) continue;
      i++;
    }
    if (rest > 1e-9) throw new Error(`Batches of slot ${slot} short by ${rest} on day ${day}`);
  }

  /** Returns true when the batch emptied (and left the lot list). */
  private removeFromBatch(slot: number, batch: number, quantity: number): boolean {
    const w = slot % WAREHOUSES;
    const left = this.batchQuantity.get(batch * WAREHOUSES + w) - quantity;
    if (left < -1e-9) throw new Error(`Batch ${batch} of slot ${slot} short by ${-left}`);
    this.batchQuantity.set(batch * WAREHOUSES + w, Math.max(0, left));
    if (left > 1e-9) return false;
    const lots = this.lots[slot]!;
    const i = lots.indexOf(batch);
    if (i >= 0) lots.splice(i, 1);
    return true;
  }

  private insertLot(slot: number, batch: number): void {
    const lots = this.lots[slot]!;
    const exp = this.expiry.get(batch);
    let i = lots.length;
    while (i > 0 && (this.expiry.get(lots[i - 1]!) > exp || (this.expiry.get(lots[i - 1]!) === exp && lots[i - 1]! > batch))) i--;
    lots.splice(i, 0, batch);
  }
}
