/**
 * The simulated company database: the books (every document the company's operations posted, its stock and its
 * journal), served as one table per entity set, all generated from (seed, scale, clock start). Documents posted
 * later through the mutation API go through the same books: stock moves, journal entries follow.
 */
import { dateOfDay } from '../model/dates.js';
import type { SchemaModel } from '../model/schema.js';
import type { BooksGroundTruth } from '../types.js';
import { STANDARD_ENTITY_SETS } from '../model/entity-sets.js';
import type { RecordSource } from '../store/source.js';
import { EntityTable } from '../store/table.js';
import { BatchNames, BatchNumberDetailsSource } from './batches.js';
import { Books, PAYMENTS } from './books/books.js';
import { NONE, STATUS } from './books/doc-store.js';
import { KINDS, kindOfSet, type DocumentKind } from './books/kinds.js';
import { Operations } from './books/operations.js';
import { FAMILIES } from './catalog.js';
import { Demand } from './demand.js';
import { DOCUMENT_KINDS, DocumentSource, type DocumentContext } from './documents.js';
import { CompanyFacts } from './facts.js';
import { Journal, JournalSource } from './journal.js';
import { booksGroundTruth } from './ground-truth.js';
import { Ledger } from './ledger.js';
import {
  accountSource,
  dimensionSource,
  distributionRuleSource,
  financialYearSource,
  itemGroupSource,
  ItemSource,
  PartnerSource,
  profitCenterSource,
  promotionSource,
  warehouseSource,
} from './master.js';
import { Payments, PaymentSource } from './payments.js';
import { CompanyPlan, type PlanOptions, type Stamp } from './plan.js';
import { TransferSource } from './transfers.js';
import { Views } from './views.js';

/** Entity sets in the order $metadata lists them. */
export const ENTITY_SET_ORDER: readonly string[] = [...STANDARD_ENTITY_SETS, 'U_FD_PROMOS'];

/** Record values a posted document cannot take from a mutation: they come from the books. */
const POSTED_PROPERTIES = new Set(['DocEntry', 'DocNum', 'DocDate', 'DocCurrency', 'DocRate', 'DocTotal', 'DocTotalFc', 'VatSum', 'DiscountPercent', 'TotalDiscount', 'DocumentLines', 'StockTransferLines', 'TransNum', 'FromWarehouse', 'ToWarehouse', 'PaymentInvoices']);

export class Company {
  readonly plan: CompanyPlan;
  readonly facts: CompanyFacts;
  readonly books: Books;
  readonly ops: Operations;
  readonly views: Views;
  readonly journal: Journal;
  readonly ledger: Ledger;
  /** The books' own figures for finance tie-outs (ground-truth.ts). */
  readonly groundTruth: BooksGroundTruth;
  readonly tables = new Map<string, EntityTable>();
  /** Values given with inserted documents that the books do not hold (Comments...), by entity set and index. */
  private readonly extras = new Map<string, Record<string, unknown>>();

  constructor(
    readonly schema: SchemaModel,
    options: PlanOptions,
  ) {
    this.plan = new CompanyPlan(options);
    this.facts = new CompanyFacts(this.plan);
    this.books = new Books(this.plan, this.plan.itemCount, (item) => FAMILIES[item % FAMILIES.length]!.batchManaged);
    this.ops = new Operations(this.plan, this.facts, new Demand(this.plan, this.facts), this.books);
    this.ops.run();
    this.views = new Views(this.books, this.ops);
    const payments = new Payments(this.books, this.ops);
    this.journal = new Journal(this.plan, this.books, this.views, payments);
    this.ledger = new Ledger(this.journal);
    const batches = new BatchNames(this.books.stock);
    this.groundTruth = booksGroundTruth(this.ledger, this.books.stock, batches, this.ops, dateOfDay);
    const context: DocumentContext = {
      views: this.views,
      plan: this.plan,
      batches,
      transNumOf: (kind, index) => this.journal.transNumOf(kind, index),
      countOf: (kind) => this.books.stores[kind.store]!.count,
      post: (kind, stamp, sequence, values) => this.post(kind, stamp, sequence, values),
      extras: (kind, index) => this.extras.get(`${kind.entitySet}:${index}`),
    };
    const sources: RecordSource[] = [
      ...DOCUMENT_KINDS.map((k) => new DocumentSource(k, context)),
      new JournalSource(this.journal),
      new PaymentSource('IncomingPayments', this.books, this.ops, (store, stamp) => this.postPayment(store, stamp)),
      new PaymentSource('VendorPayments', this.books, this.ops, (store, stamp) => this.postPayment(store, stamp)),
      new ItemSource(this.plan, this.facts, this.books.stock),
      new PartnerSource(this.plan, this.facts),
      accountSource((code) => this.ledger.balanceOf(code)),
      profitCenterSource(),
      dimensionSource(),
      distributionRuleSource(this.plan),
      warehouseSource(),
      itemGroupSource(),
      new TransferSource(context, batches),
      new BatchNumberDetailsSource(this.books.stock, batches, this.ops),
      financialYearSource(this.plan),
      promotionSource(this.plan, this.facts),
    ];
    for (const source of sources) {
      if (!schema.entitySet(source.entitySet)) throw new Error(`No model for entity set ${source.entitySet}`);
      this.tables.set(source.entitySet, new EntityTable(source));
    }
  }

  table(entitySet: string): EntityTable {
    const t = this.tables.get(entitySet);
    if (!t) throw new Error(`Unknown entity set '${entitySet}'. Served: ${[...this.tables.keys()].join(', ')}`);
    return t;
  }

  /** Something in the books changed: every served set may show it (stock, journal, statuses), caches start over. */
  changed(): void {
    for (const t of this.tables.values()) t.version++;
    this.ledger.invalidate();
  }

  /**
   * Posts a document inserted through the mutation API: the document, its stock movement and its journal entry,
   * stamped with the clock. `values` other than CardCode (which picks the partner) are shown on the record.
   */
  post(kind: DocumentKind, stamp: Stamp, sequence: number, values: Record<string, unknown>): number {
    const refused = Object.keys(values).filter((name) => POSTED_PROPERTIES.has(name));
    if (refused.length > 0) throw new Error(`${kind.entitySet} take ${refused.join(', ')} from the books; insert without them`);
    const { CardCode: cardCode, ...rest } = values;
    let partner: number | undefined;
    if (cardCode !== undefined) {
      const index = this.facts.partnerIndexOf(String(cardCode));
      const customers = this.plan.customerCount;
      const sales = kind.side === 'sales';
      if (index < 0 || (sales ? index >= customers : index < customers) || (kind !== KINDS.orders && kind !== KINDS.invoices && kind !== KINDS.deliveries && kind !== KINDS.purchaseOrders)) {
        throw new Error(`${kind.entitySet} cannot be posted for CardCode ${JSON.stringify(cardCode)}`);
      }
      partner = sales ? index : index - customers;
    }
    const store = this.books.stores[kind.store]!;
    const from = store.count;
    const index = this.ops.postLate(kind, stamp.day, sequence, partner);
    this.stampLate(store, from, stamp);
    this.journalize(kind, from);
    if (Object.keys(rest).length > 0) this.extras.set(`${kind.entitySet}:${index}`, rest);
    this.changed();
    return index;
  }

  /** An inserted payment settles the oldest invoice still open on its side. */
  postPayment(store: number, stamp: Stamp): number {
    const kind = store === PAYMENTS.incoming ? KINDS.invoices : KINDS.purchaseInvoices;
    const invoices = this.books.stores[kind.store]!;
    for (let i = 0; i < invoices.count; i++) {
      if (invoices.status.get(i) !== STATUS.open || invoices.cancels.get(i) !== NONE) continue;
      const partner = store === PAYMENTS.incoming ? this.ops.customer(invoices.partner.get(i)) : this.ops.vendor(invoices.partner.get(i));
      const payments = this.books.paymentStore(store);
      const index = this.ops.pay(store, kind, i, stamp.day, partner, 0);
      payments.second.set(index, stamp.second);
      this.journal.append({ type: 'payment', store, index, cancellation: false });
      this.changed();
      return index;
    }
    throw new Error(`No open ${kind.entitySet} to pay`);
  }

  /**
   * Cancels a payment as SAP does: it is marked cancelled, a journal entry reverses its posting (dated now), and
   * the invoice it paid is open again (its PaidToDate back down, its change stamp now).
   */
  cancelPayment(entitySet: 'IncomingPayments' | 'VendorPayments', index: number, stamp: Stamp): void {
    const store = entitySet === 'IncomingPayments' ? PAYMENTS.incoming : PAYMENTS.outgoing;
    const payments = this.books.paymentStore(store);
    if (index < 0 || index >= payments.count) throw new Error(`${entitySet}(${index + 1}) does not exist`);
    if (payments.cancelled.get(index) === 1) throw new Error(`${entitySet}(${index + 1}) is already cancelled`);
    payments.cancelled.set(index, 1);
    this.journal.cancelPayment(store, index, stamp);
    const kind = store === PAYMENTS.incoming ? KINDS.invoices : KINDS.purchaseInvoices;
    const invoices = this.books.stores[kind.store]!;
    const invoice = payments.invoice.get(index);
    invoices.paid.add(invoice, -payments.applied.get(index));
    invoices.paidFC.add(invoice, -payments.appliedFC.get(index));
    invoices.change(invoice, STATUS.open, { day: stamp.day, second: stamp.second });
    this.changed();
  }

  /**
   * Cancels a document. Orders and purchase orders are cancelled in place (their quantities no longer committed
   * or ordered); the others get a cancellation document reversing their journal entry and stock, as SAP Business
   * One 9.0+ does. Like SAP, a paid invoice (cancel its payment first) or a document already followed by another
   * is refused. Returns the key of the cancellation document, if any.
   */
  cancelDocument(entitySet: string, index: number, stamp: Stamp): number | undefined {
    const kind = kindOfSet(entitySet);
    if (!kind) throw new Error(`${entitySet} cannot be cancelled`);
    const store = this.books.stores[kind.store]!;
    if (index < 0 || index >= store.count) throw new Error(`${entitySet}(${index + 1}) does not exist`);
    if (store.status.get(index) === STATUS.cancelled || store.cancels.get(index) !== NONE) throw new Error(`${entitySet}(${index + 1}) is cancelled or is a cancellation`);
    if (kind === KINDS.orders || kind === KINDS.purchaseOrders) {
      if (store.status.get(index) !== STATUS.open) throw new Error(`${entitySet}(${index + 1}) is closed`);
      this.ops.cancelOrder(kind, index, stamp.day, stamp.second);
      this.changed();
      return undefined;
    }
    if (store.paid.get(index) !== 0) throw new Error(`${entitySet}(${index + 1}) is paid or reconciled: cancel its payment first`);
    if (this.hasFollowUp(kind, index)) throw new Error(`${entitySet}(${index + 1}) has a follow-up document`);
    const from = store.count;
    const doc = this.ops.cancellationOf(kind, index, stamp.day);
    this.stampLate(store, from, stamp);
    store.change(index, STATUS.cancelled, { store: kind.store, index: doc });
    this.ops.reopenBase(kind, index, { store: kind.store, index: doc });
    this.journalize(kind, from);
    this.changed();
    return doc + 1;
  }

  /** Whether a later document copied this one (a delivery invoiced, a receipt invoiced or returned...). */
  private hasFollowUp(kind: DocumentKind, index: number): boolean {
    if (kind !== KINDS.deliveries && kind !== KINDS.goodsReceiptsPO && kind !== KINDS.invoices) return false;
    const store = this.books.stores[kind.store]!;
    const [first, end] = store.linesOf(index);
    for (let row = first; row < end; row++) if (store.openQuantity.get(row) !== store.quantity.get(row)) return true;
    return false;
  }

  private stampLate(store: { second: { set(i: number, v: number): void }; count: number }, from: number, stamp: Stamp): void {
    for (let i = from; i < store.count; i++) store.second.set(i, stamp.second);
  }

  private journalize(kind: DocumentKind, from: number): void {
    if (!kind.journal) return;
    const store = this.books.stores[kind.store]!;
    for (let i = from; i < store.count; i++) this.journal.append({ type: 'document', kind, index: i });
  }
}
