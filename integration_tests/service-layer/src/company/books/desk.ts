/**
 * What the desks of the company's operations share: the books, the forecast, the agenda of what is due on later
 * days, cached facts, and the helpers every desk uses (moving stock back into its batches, receiving into a new
 * batch, closing an order). Each desk (sales, purchasing, inventory, settlement, cancellation, late postings) is a
 * Desk over one Shared state.
 */
import { FAMILIES, FOREIGN_CURRENCIES, LOCAL_CURRENCY, REGIONS } from '../catalog.js';
import type { CompanyFacts, ItemFacts, PartnerFacts } from '../facts.js';
import type { CompanyPlan } from '../plan.js';
import { Rng } from '../random.js';
import { isBusinessDay } from '../streams.js';
import { Agenda } from './agenda.js';
import { amountsOf, taxRuleFor, type DocAmounts } from './amounts.js';
import type { Books } from './books.js';
import type { Cancellation } from './cancellation.js';
import { STATUS, type ChangeCause, type DocStore } from './doc-store.js';
import type { Inventory } from './inventory.js';
import { KINDS, type DocumentKind } from './kinds.js';
import type { LatePostings } from './late.js';
import { cents } from './money.js';
import type { Purchasing } from './purchasing.js';
import type { Sales } from './sales.js';
import type { Settlement } from './settlement.js';
import { add, StockBook, WAREHOUSES } from './stock.js';

/** Things that fall due on a later day. */
export type Event =
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

export interface Desks {
  sales: Sales;
  purchasing: Purchasing;
  inventory: Inventory;
  settlement: Settlement;
  cancellation: Cancellation;
  late: LatePostings;
}

export class Shared {
  readonly items: ItemFacts[];
  readonly customers: (PartnerFacts | undefined)[] = [];
  readonly vendors: (PartnerFacts | undefined)[] = [];
  /** Average daily demand per item-warehouse over the history (the company's forecast). */
  readonly demandRate: Float64Array;
  readonly agenda: Agenda<Event>;
  /** Business days an order has waited for goods. */
  readonly retries = new Map<number, number>();
  /** Next review day per family and warehouse. */
  readonly nextReview: Int32Array;
  readonly rng: Rng;
  readonly s: Record<keyof typeof KINDS, DocStore>;
  /** Checks, card slips and cash received and not yet deposited, in cents, by payment means. */
  readonly undeposited = new Float64Array(4);
  desks!: Desks;

  constructor(
    readonly plan: CompanyPlan,
    readonly facts: CompanyFacts,
    readonly books: Books,
  ) {
    this.items = Array.from({ length: plan.itemCount }, (_, i) => facts.item(i));
    this.demandRate = new Float64Array(plan.itemCount * WAREHOUSES);
    this.agenda = new Agenda(plan.firstDay, plan.days);
    this.nextReview = new Int32Array(FAMILIES.length * WAREHOUSES);
    this.rng = new Rng(plan.seed, 'operations');
    this.s = Object.fromEntries(Object.entries(KINDS).map(([name, k]) => [name, books.stores[k.store]!])) as Record<keyof typeof KINDS, DocStore>;
  }
}

export abstract class Desk {
  protected readonly plan: CompanyPlan;
  protected readonly facts: CompanyFacts;
  protected readonly books: Books;
  protected readonly stock: StockBook;
  protected readonly s: Record<keyof typeof KINDS, DocStore>;
  protected readonly agenda: Agenda<Event>;
  protected readonly rng: Rng;
  protected readonly demandRate: Float64Array;
  protected readonly items: ItemFacts[];
  protected readonly retries: Map<number, number>;
  protected readonly nextReview: Int32Array;
  protected readonly undeposited: Float64Array;

  constructor(private readonly shared: Shared) {
    this.plan = shared.plan;
    this.facts = shared.facts;
    this.books = shared.books;
    this.stock = shared.books.stock;
    this.s = shared.s;
    this.agenda = shared.agenda;
    this.rng = shared.rng;
    this.demandRate = shared.demandRate;
    this.items = shared.items;
    this.retries = shared.retries;
    this.nextReview = shared.nextReview;
    this.undeposited = shared.undeposited;
  }

  protected get desks(): Desks {
    return this.shared.desks;
  }

  /** Item facts of a generated item (cached: documents read them for every line). */
  item(index: number): ItemFacts {
    return this.items[index] ?? this.facts.item(index);
  }

  customer(index: number): PartnerFacts {
    return (this.shared.customers[index] ??= this.facts.customer(index));
  }

  vendor(index: number): PartnerFacts {
    return (this.shared.vendors[index] ??= this.facts.vendor(index));
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

  protected nextBusinessDay(day: number): number {
    let d = day;
    while (!isBusinessDay(d)) d++;
    return d;
  }

  protected slotOf(store: DocStore, index: number, row: number): number {
    return StockBook.slot(store.item.get(row), store.warehouse.get(index));
  }

  protected currencyIndex(partner: PartnerFacts): number {
    return partner.currency === LOCAL_CURRENCY ? 0 : 1 + FOREIGN_CURRENCIES.findIndex((c) => c.code === partner.currency);
  }

  protected rateOf(partner: PartnerFacts, day: number): number {
    return partner.currency === LOCAL_CURRENCY ? 1 : this.plan.rateOn(partner.currency, day);
  }

  protected regionIndex(partner: PartnerFacts): number {
    return REGIONS.indexOf(partner.region);
  }

  /**
   * Closes (or cancels) a sales order or a purchase order: its open quantities are no longer committed (or on
   * order).
   */
  protected closeOrder(order: number, status: number, cause: ChangeCause, kind: DocumentKind = KINDS.orders): void {
    const orders = this.books.stores[kind.store]!;
    const open = kind === KINDS.orders ? this.stock.committed : this.stock.ordered;
    const [first, end] = orders.linesOf(order);
    for (let row = first; row < end; row++) {
      add(open, this.slotOf(orders, order, row), -orders.openQuantity.get(row));
      orders.openQuantity.set(row, 0);
    }
    orders.change(order, status, cause);
  }

  /**
   * Books return `doc` (already holding its line) against line `row` of document `index` of `base`: the return is
   * closed at once, the base line's open quantity drops, and the base closes when nothing of it is left open.
   */
  protected settleReturn(base: DocStore, index: number, row: number, quantity: number, returnKind: DocumentKind, doc: number): void {
    this.books.stores[returnKind.store]!.status.set(doc, STATUS.closed);
    base.openQuantity.add(row, -quantity);
    if (this.allInvoiced(base, index)) base.change(index, STATUS.closed, { store: returnKind.store, index: doc });
  }

  protected allInvoiced(store: DocStore, index: number): boolean {
    const [first, end] = store.linesOf(index);
    for (let row = first; row < end; row++) if (store.openQuantity.get(row) > 0) return false;
    return true;
  }

  /**
   * Copies every open line of document `index` of `base` to the last document of `target` (an invoice of a
   * delivery or of a goods receipt), at the base line's cost: the base already moved the stock and posted its
   * value, so the copy carries that value along rather than a new one. The copies stay open (for credit notes);
   * the base lines are then fully copied.
   */
  protected copyOpenLines(base: DocStore, index: number, target: DocStore): void {
    const [first, end] = base.linesOf(index);
    for (let row = first; row < end; row++) {
      const quantity = base.openQuantity.get(row);
      if (quantity <= 0) continue;
      const cost = base.cost.get(row);
      const line = target.addLine({
        item: base.item.get(row),
        quantity,
        price: base.price.get(row),
        discount: base.lineDiscount.get(row),
        cost,
        value: quantity === base.quantity.get(row) ? base.value.get(row) : cents(quantity * cost),
        baseLine: row - first,
        baseRow: row,
        promo: base.promo.get(row),
      });
      target.openQuantity.set(line, quantity);
      base.openQuantity.set(row, 0);
    }
  }

  /**
   * Adds a line to the last document of `target` bringing `quantity` of line `row` of `source` back into stock:
   * into the batches that line took, at the unit cost it left at (its whole value when all of it comes back).
   */
  protected restock(source: DocStore, index: number, row: number, target: DocStore, quantity: number, sourceForBatches?: { store: DocStore; row: number }): void {
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

  /** Receives new goods; batch items into a new batch recorded on the last line of `store`. */
  protected receiveNew(slot: number, item: number, quantity: number, value: number, day: number, store: DocStore): void {
    if (!this.stock.isBatchManaged(item)) {
      this.stock.receive(slot, quantity, value);
      return;
    }
    const manufactured = day - this.rng.int(slot, 26, 0, 1, day);
    const batch = this.stock.createBatch(item, slot % WAREHOUSES, day, manufactured, manufactured + this.items[item]!.shelfLifeDays);
    this.stock.receive(slot, quantity, value, batch);
    store.addAllocation(batch, quantity);
  }

  protected issueLine(store: DocStore, slot: number, quantity: number, day: number, batches?: [number, number][]): void {
    const line = store.addLine({ item: Math.floor(slot / WAREHOUSES), quantity, price: 0 });
    const issue = this.stock.issue(slot, quantity, day, store, batches);
    store.price.set(line, issue.unitCost);
    store.cost.set(line, issue.unitCost);
    store.value.set(line, issue.value);
  }

  /** A random item with available stock in a warehouse (a few tries), or -1. */
  protected stockedItem(day: number, w: number, salt: number, batchItemsToo: boolean): number {
    const available = this.plan.itemsAvailable(day);
    for (let attempt = 0; attempt < 6; attempt++) {
      const item = this.rng.int(day, salt, 0, available - 1, w * 8 + attempt);
      if (!batchItemsToo && this.stock.isBatchManaged(item)) continue;
      if (this.stock.available(StockBook.slot(item, w), day) >= 2) return item;
    }
    return -1;
  }

  /** A transfer line: out of one warehouse at its cost (FEFO batches), into the other with the same value and batches. */
  protected transferLine(store: DocStore, item: number, from: number, to: number, quantity: number, day: number): void {
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
}
