/**
 * Marketing and inventory documents (Document entity type) served from the books: sales orders, deliveries, A/R
 * invoices, returns, A/R credit memos, purchase orders, goods receipt POs, A/P invoices, goods returns, goods
 * receipts and goods issues. Status, PaidToDate and change stamps follow what happened later (a delivery is
 * closed and stamped when its invoice is posted, an invoice when its payment is).
 *
 * The cost a line moved stock at is served as SAP exposes it: GrossBuyPrice is the unit cost (GrossBase -5, "item
 * cost"), GrossProfitTotalBasePrice the line's cost (quantity x unit cost, as posted), GrossProfit the line total
 * minus that cost. The Service Layer does not expose the StockPrice/StockSum columns of the line tables.
 */
import { dateOfDay } from '../model/dates.js';
import { NumberedSource, type Core, type Key } from '../store/source.js';
import { ACCOUNT } from './catalog.js';
import { NONE, STATUS } from './books/doc-store.js';
import { KINDS, KIND_LIST, PURPOSE, type DocumentKind } from './books/kinds.js';
import { amountOf } from './books/money.js';
import type { CompanyPlan, Stamp } from './plan.js';
import type { DocumentView, ViewLine, Views } from './views.js';
import type { BatchNames } from './batches.js';

const ROUTES = ['R01', 'R02', 'R03', 'R04', 'R05', 'R06'];

/** What a document store is served with besides the books: journal entry numbers and batch names. */
export interface DocumentContext {
  views: Views;
  plan: CompanyPlan;
  batches: BatchNames;
  /** JdtNum of the journal entry a document posted, or null. */
  transNumOf(kind: DocumentKind, index: number): number | null;
  /** Number of documents of the kind (the pass's and those posted later). */
  countOf(kind: DocumentKind): number;
  /** Posts a new document of the kind, stamped now (mutations); returns its index. */
  post(kind: DocumentKind, stamp: Stamp, sequence: number, values: Record<string, unknown>): number;
  /** Values given with an inserted document that the books do not hold (Comments...). */
  extras(kind: DocumentKind, index: number): Record<string, unknown> | undefined;
}

export class DocumentSource extends NumberedSource {
  readonly keyProperty = 'DocEntry';
  readonly entitySet: string;

  constructor(
    private readonly kind: DocumentKind,
    private readonly context: DocumentContext,
  ) {
    super();
    this.entitySet = kind.entitySet;
  }

  get count(): number {
    return this.context.countOf(this.kind);
  }

  record(index: number): Core {
    const record = documentRecord(this.context.views.document(this.kind, index), this.context);
    const extras = this.context.extras(this.kind, index);
    return extras ? Object.assign(record, structuredClone(extras)) : record;
  }

  /** Inserted documents are posted like any other (journal entry, stock); see Company.post. */
  post(stamp: Stamp, sequence: number, values: Record<string, unknown>): Key {
    return this.context.post(this.kind, stamp, sequence, values) + 1;
  }

  create(): Core {
    throw new Error(`${this.entitySet} are posted, not created`);
  }
}

function statusOf(v: DocumentView): { open: boolean; cancelled: boolean; cancellation: boolean } {
  const cancellation = v.cancels !== NONE;
  const cancelled = v.status === STATUS.cancelled;
  return { open: v.status === STATUS.open && !cancellation, cancelled, cancellation };
}

export function documentRecord(v: DocumentView, context: DocumentContext): Core {
  const k = v.kind;
  const { open, cancelled, cancellation } = statusOf(v);
  const partner = v.partner;
  const sales = k.side === 'sales';
  const foreign = v.currency !== 'USD';
  const a = v.amounts;
  const dueDays = partner ? (k === KINDS.purchaseOrders ? 7 : partner.payTerms.days) : 0;
  const paid = k === KINDS.invoices || k === KINDS.creditNotes || k === KINDS.purchaseInvoices;
  const baseKind = v.base ? KIND_LIST.find((x) => x.object === v.base!.type) : undefined;
  const comments = cancellation
    ? `Cancellation of ${k.memo} ${k.docNumBase + v.cancels + 1}.`
    : baseKind && v.base
      ? `Based On ${baseKind.memo} ${baseKind.docNumBase + v.base.entry}.`
      : k.side === 'inventory'
        ? PURPOSE_TEXT[v.purpose] ?? null
        : null;
  return {
    DocEntry: v.docEntry,
    DocNum: v.docNum,
    DocType: 'dDocument_Items',
    DocDate: v.posted.date,
    DocDueDate: dateOfDay(v.posted.day + dueDays),
    CardCode: partner?.code ?? null,
    CardName: partner?.name ?? null,
    Address: partner ? `${partner.city}\r${v.region.state} ${v.region.zip}\rUSA` : null,
    NumAtCard: sales ? `PO-${(v.docEntry * 7919) % 100000}` : null,
    DocTotal: amountOf(a.total),
    DocCurrency: v.currency,
    DocRate: v.rate,
    Comments: comments,
    JournalMemo: partner ? `${k.memo} - ${partner.code}` : k.memo,
    PaymentGroupCode: partner ? partner.payTerms.code : -1,
    DocTime: v.posted.time,
    SalesPersonCode: sales && partner ? partner.salesPerson : -1,
    Confirmed: 'tYES',
    Series: k.series,
    TaxDate: v.posted.date,
    DocObjectCode: k.objectCode,
    ShipToCode: partner ? 'Ship To' : null,
    DiscountPercent: v.discountPercent,
    CreationDate: v.posted.date,
    UpdateDate: v.updated.date,
    UserSign: 1 + (v.docEntry % 5),
    TransNum: context.transNumOf(k, v.index),
    VatSum: amountOf(a.tax),
    VatSumSys: amountOf(a.tax),
    VatSumFc: foreign ? amountOf(a.taxFC) : 0,
    DocTotalFc: foreign ? amountOf(a.totalFC) : 0,
    DocTotalSys: amountOf(a.total),
    CancelDate: v.cancelDate,
    DocumentStatus: open ? 'bost_Open' : 'bost_Close',
    PayToCode: partner ? 'Bill To' : null,
    TotalDiscount: amountOf(a.discount),
    TotalDiscountFC: foreign ? amountOf(a.discountFC) : 0,
    TotalDiscountSC: amountOf(a.discount),
    Cancelled: cancelled ? 'tYES' : 'tNO',
    ControlAccount: partner ? (sales ? ACCOUNT.receivable : ACCOUNT.payable) : null,
    CancelStatus: cancellation ? 'csCancellation' : cancelled ? 'csYes' : 'csNo',
    UpdateTime: context.plan.updateTimeOf(v.updated),
    PaidToDate: paid ? amountOf(v.paid) : 0,
    PaidToDateFC: paid && foreign ? amountOf(v.paidFC) : 0,
    PaidToDateSys: paid ? amountOf(v.paid) : 0,
    DataVersion: 1 + v.changes,
    U_Channel: sales && partner ? partner.channel : k.side === 'purchasing' ? 'Purchasing' : null,
    U_DeliveryRoute: sales ? `${v.region.code}-${ROUTES[v.docEntry % ROUTES.length]}` : null,
    DocumentLines: v.lines.map((l) => documentLine(v, l, open, context)),
  };
}

const PURPOSE_TEXT: Record<number, string> = {
  [PURPOSE.opening]: 'Opening balance',
  [PURPOSE.adjustment]: 'Cycle count difference',
  [PURPOSE.expiry]: 'Expired batches written off',
};

/** The line account: revenue on sales, the warehouse's inventory account on purchases, the offset on inventory documents. */
function accountOf(v: DocumentView, l: ViewLine): string {
  if (v.kind.side === 'sales') return l.item.line.revenueAccount;
  if (v.kind.side === 'purchasing') return v.region.inventoryAccount;
  if (v.kind === KINDS.goodsReceipts) return v.purpose === PURPOSE.opening ? ACCOUNT.openingBalance : ACCOUNT.countDifferences;
  return ACCOUNT.writeOffs;
}

function documentLine(v: DocumentView, l: ViewLine, open: boolean, context: DocumentContext): Core {
  const k = v.kind;
  const sales = k.side === 'sales';
  const foreign = v.currency !== 'USD';
  const a = l.amounts;
  // Sales lines carry the cost of goods they moved (or, invoiced after a delivery, that their delivery moved).
  const costed = sales && k !== KINDS.orders;
  const cost = costed ? amountOf(l.value) : 0;
  // Open quantity: orders not yet delivered, purchase orders not yet received, deliveries and goods receipt POs
  // not yet invoiced (nor returned).
  const lineOpen = open && (k === KINDS.orders || k === KINDS.purchaseOrders || k === KINDS.deliveries || k === KINDS.goodsReceiptsPO) ? l.openQuantity : 0;
  const gross = amountOf(a.lineTotal);
  return {
    LineNum: l.lineNum,
    ItemCode: l.item.code,
    ItemDescription: l.item.name,
    Quantity: l.quantity,
    ShipDate: v.posted.date,
    Price: a.price,
    PriceAfterVAT: Math.round(a.price * (1 + a.taxRate) * 100) / 100,
    Currency: v.currency,
    Rate: foreign ? v.rate : 0,
    DiscountPercent: l.discountPercent,
    WarehouseCode: v.region.warehouse,
    SalesPersonCode: sales && v.partner ? v.partner.salesPerson : -1,
    AccountCode: accountOf(v, l),
    CostingCode: l.rule1,
    BaseType: l.base ? l.base.type : -1,
    BaseEntry: l.base ? l.base.entry : null,
    BaseLine: l.base ? l.base.line : null,
    TaxCode: a.taxCode,
    LineTotal: gross,
    TaxPercentagePerRow: a.taxRate * 100,
    TaxTotal: amountOf(a.tax),
    NetTaxAmountFC: foreign ? amountOf(a.taxFC) : 0,
    RowTotalFC: foreign ? amountOf(a.rowTotalFC) : 0,
    RowTotalSC: gross,
    UnitPrice: l.unitPrice,
    LineStatus: open ? 'bost_Open' : 'bost_Close',
    COGSCostingCode: sales ? l.rule1 : null,
    COGSAccountCode: sales ? l.item.line.cogsAccount : null,
    GrossBuyPrice: costed ? l.unitCost : 0,
    GrossBase: costed ? -5 : 0,
    GrossProfitTotalBasePrice: cost,
    CostingCode2: l.rule2,
    COGSCostingCode2: sales ? l.rule2 : null,
    RemainingOpenQuantity: lineOpen,
    OpenAmount: open ? gross : 0,
    DocEntry: v.docEntry,
    GrossProfit: costed ? amountOf(a.lineTotal - l.value) : 0,
    UoMCode: l.item.family.unit,
    InventoryQuantity: l.quantity,
    RemainingOpenInventoryQuantity: lineOpen,
    VisualOrder: l.lineNum,
    MeasureUnit: l.item.family.unit,
    U_PromoCode: l.promo >= 0 ? promoCode(l.promo) : null,
    BatchNumbers: l.batches.map((b) => context.batches.row(l.item.code, b.batch, b.quantity, l.lineNum)),
  };
}

export function promoCode(index: number): string {
  return `PR${String(index + 1).padStart(4, '0')}`;
}

/** The stores of the document kinds the Document entity type serves (all but stock transfers). */
export const DOCUMENT_KINDS: readonly DocumentKind[] = KIND_LIST.filter((k) => k !== KINDS.transfers);
