/**
 * Marketing documents (Document entity type): A/R invoices, A/R credit memos, purchase orders, goods receipt POs
 * (PurchaseDeliveryNotes) and A/P invoices. Status and change stamps follow what happened next: an invoice is
 * updated (closed, PaidToDate set) on the day its payment was posted, an order when it was received, and so on.
 */
import { dateOfDay } from '../model/dates.js';
import { NumberedSource, type Core, type Key } from '../store/source.js';
import { ACCOUNT } from './catalog.js';
import type { Draft, DraftLine, Drafts } from './drafts.js';
import { JE_KIND, type CompanyPlan, type Stamp } from './plan.js';
import { Rng, round2 } from './random.js';
import type { DayStream, DerivedStream } from './streams.js';

interface DocumentKind {
  entitySet: string;
  objectCode: string;
  /** BoObjectTypes value of the document kind, as BaseType on copied lines. */
  objectNumber: number;
  docNumBase: number;
  series: number;
  memo: string;
  sales: boolean;
  jeKind?: number;
}

const KINDS = {
  Invoices: { entitySet: 'Invoices', objectCode: 'oInvoices', objectNumber: 13, docNumBase: 100000, series: 4, memo: 'A/R Invoices', sales: true, jeKind: JE_KIND.invoice },
  CreditNotes: { entitySet: 'CreditNotes', objectCode: 'oCreditNotes', objectNumber: 14, docNumBase: 500000, series: 5, memo: 'A/R Credit Memos', sales: true, jeKind: JE_KIND.creditNote },
  PurchaseOrders: { entitySet: 'PurchaseOrders', objectCode: 'oPurchaseOrders', objectNumber: 22, docNumBase: 300000, series: 14, memo: 'Purchase Orders', sales: false },
  PurchaseDeliveryNotes: { entitySet: 'PurchaseDeliveryNotes', objectCode: 'oPurchaseDeliveryNotes', objectNumber: 20, docNumBase: 400000, series: 15, memo: 'Goods Receipt PO', sales: false, jeKind: JE_KIND.goodsReceipt },
  PurchaseInvoices: { entitySet: 'PurchaseInvoices', objectCode: 'oPurchaseInvoices', objectNumber: 18, docNumBase: 200000, series: 16, memo: 'A/P Invoices', sales: false, jeKind: JE_KIND.purchaseInvoice },
} satisfies Record<string, DocumentKind>;

export type DocumentSetName = keyof typeof KINDS;

export function docNumOf(entitySet: DocumentSetName, index: number): number {
  return KINDS[entitySet].docNumBase + index + 1;
}

/** What happened to a document after it was posted. */
interface Lifecycle {
  /** The next document (payment, receipt, invoice) that closed it, if any. */
  closedAt?: Stamp;
  cancelledAt?: Stamp;
  /** Every change after creation, oldest first (DataVersion counts them). */
  changes: number;
}

const ROUTES = ['R01', 'R02', 'R03', 'R04', 'R05', 'R06'];

export class DocumentSource extends NumberedSource {
  readonly keyProperty = 'DocEntry';
  private readonly kind: DocumentKind;
  private readonly rng: Rng;

  constructor(
    readonly entitySet: DocumentSetName,
    private readonly plan: CompanyPlan,
    private readonly drafts: Drafts,
  ) {
    super();
    this.kind = KINDS[entitySet];
    this.rng = new Rng(plan.seed, `doc:${entitySet}`);
  }

  get count(): number {
    return this.stream.total;
  }

  private get stream(): DayStream {
    switch (this.entitySet) {
      case 'Invoices':
        return this.plan.invoices;
      case 'CreditNotes':
        return this.plan.creditNotes;
      case 'PurchaseOrders':
        return this.plan.purchaseOrders;
      case 'PurchaseDeliveryNotes':
        return this.plan.goodsReceipts;
      case 'PurchaseInvoices':
        return this.plan.purchaseInvoices;
    }
  }

  private draft(index: number): Draft {
    switch (this.entitySet) {
      case 'Invoices':
        return this.drafts.invoice(index);
      case 'CreditNotes':
        return this.drafts.creditNote(index);
      case 'PurchaseOrders':
        return this.drafts.purchaseOrder(index);
      case 'PurchaseDeliveryNotes':
        return this.drafts.goodsReceipt(index);
      case 'PurchaseInvoices':
        return this.drafts.purchaseInvoice(index);
    }
  }

  /** The stream whose record closes a document of this kind, if any. */
  private get closer(): { stream: DerivedStream; kind: string } | undefined {
    switch (this.entitySet) {
      case 'Invoices':
        return { stream: this.plan.incomingPayments, kind: 'incomingPayment' };
      case 'PurchaseOrders':
        return { stream: this.plan.goodsReceipts, kind: 'goodsReceipt' };
      case 'PurchaseDeliveryNotes':
        return { stream: this.plan.purchaseInvoices, kind: 'purchaseInvoice' };
      case 'PurchaseInvoices':
        return { stream: this.plan.vendorPayments, kind: 'vendorPayment' };
      default:
        return undefined;
    }
  }

  private lifecycle(index: number, posted: Stamp): Lifecycle {
    const closer = this.closer;
    if (this.entitySet === 'CreditNotes') return { closedAt: posted, changes: 0 };
    if (!closer) return { changes: 0 };
    const next = closer.stream.derivedIndexOf(index);
    if (next >= 0) return { closedAt: this.plan.postingStamp(closer.stream, next, closer.kind), changes: 1 };
    // Some documents left open for a while get cancelled a few days after posting.
    const age = this.plan.lastDay - posted.day;
    const cancellable = this.entitySet === 'Invoices' || this.entitySet === 'PurchaseOrders';
    if (cancellable && age > 10 && this.rng.unit(index, 1) < 0.2) {
      const day = Math.min(this.plan.lastDay, posted.day + this.rng.int(index, 2, 0, 3));
      const second = day === posted.day ? Math.min(86_399, posted.second + 600) : this.rng.int(index, 3, 8 * 3600, 17 * 3600);
      return { cancelledAt: this.plan.stamp(day, second), changes: 1 };
    }
    return { changes: 0 };
  }

  record(index: number): Core {
    const draft = this.draft(index);
    return this.build(index, draft, this.lifecycle(index, draft.posted));
  }

  create(key: Key, stamp: Stamp, sequence: number): Core {
    const template = this.draft(Math.min(this.count - 1, sequence % Math.max(1, this.count)));
    const draft: Draft = { ...template, posted: stamp, baseIndex: -1, lines: template.lines.map((l) => ({ ...l, baseLine: undefined })) };
    const core = this.build(Number(key) - 1, draft, { changes: 0 });
    core['TransNum'] = null;
    return core;
  }

  private build(index: number, d: Draft, life: Lifecycle): Core {
    const k = this.kind;
    const docEntry = index + 1;
    const posted = d.posted;
    const closed = life.closedAt !== undefined;
    const cancelled = life.cancelledAt !== undefined;
    const lastChange = life.cancelledAt ?? life.closedAt ?? posted;
    const updated = lastChange.day > posted.day || lastChange.second > posted.second ? lastChange : posted;
    const dueDays = k.sales ? d.partner.payTerms.days : this.entitySet === 'PurchaseOrders' ? 7 : d.partner.payTerms.days;
    const open = !closed && !cancelled;
    const paid = closed && (this.entitySet === 'Invoices' || this.entitySet === 'PurchaseInvoices' || this.entitySet === 'CreditNotes');
    const baseType = this.baseObjectNumber();
    const baseEntry = d.baseIndex >= 0 ? d.baseIndex + 1 : null;
    const comments =
      baseEntry !== null && baseType !== null ? `Based On ${this.baseName()} ${this.baseDocNum(d.baseIndex)}.` : null;

    const core: Core = {
      DocEntry: docEntry,
      DocNum: k.docNumBase + docEntry,
      DocType: 'dDocument_Items',
      DocDate: posted.date,
      DocDueDate: dateOfDay(posted.day + dueDays),
      CardCode: d.partner.code,
      CardName: d.partner.name,
      Address: `${d.partner.city}\r${d.region.state} ${d.region.zip}\rUSA`,
      NumAtCard: k.sales ? `PO-${(docEntry * 7919) % 100000}` : null,
      DocTotal: d.docTotal,
      DocCurrency: 'USD',
      DocRate: 1,
      Comments: comments,
      JournalMemo: `${k.memo} - ${d.partner.code}`,
      PaymentGroupCode: d.partner.payTerms.code,
      DocTime: posted.time,
      SalesPersonCode: k.sales ? d.partner.salesPerson : -1,
      Confirmed: 'tYES',
      Series: k.series,
      TaxDate: posted.date,
      DocObjectCode: k.objectCode,
      ShipToCode: 'Ship To',
      CreationDate: posted.date,
      UpdateDate: updated.date,
      UserSign: 1 + (docEntry % 5),
      TransNum: k.jeKind !== undefined ? this.plan.journal.entryOf(k.jeKind, index) + 1 : null,
      VatSum: d.vatSum,
      VatSumSys: d.vatSum,
      DocTotalSys: d.docTotal,
      CancelDate: cancelled ? life.cancelledAt!.date : null,
      DocumentStatus: open ? 'bost_Open' : 'bost_Close',
      PayToCode: 'Bill To',
      Cancelled: cancelled ? 'tYES' : 'tNO',
      ControlAccount: k.sales ? ACCOUNT.receivable : ACCOUNT.payable,
      CancelStatus: cancelled ? 'csYes' : 'csNo',
      UpdateTime: this.plan.updateTimeOf(updated),
      PaidToDate: paid ? d.docTotal : 0,
      PaidToDateSys: paid ? d.docTotal : 0,
      DataVersion: 1 + life.changes,
      U_Channel: k.sales ? d.partner.channel : 'Purchasing',
      U_DeliveryRoute: `${d.region.code}-${ROUTES[docEntry % ROUTES.length]}`,
      DocumentLines: d.lines.map((l) => this.line(docEntry, d, l, open, baseType, baseEntry)),
    };
    return core;
  }

  private line(docEntry: number, d: Draft, l: DraftLine, open: boolean, baseType: number | null, baseEntry: number | null): Core {
    const sales = this.kind.sales;
    const region = d.region;
    const grossProfit = round2(l.lineTotal - l.quantity * l.unitCost);
    const openQuantity = open && !sales ? l.quantity : 0;
    return {
      LineNum: l.lineNum,
      ItemCode: l.item.code,
      ItemDescription: l.item.name,
      Quantity: l.quantity,
      ShipDate: d.posted.date,
      Price: l.price,
      PriceAfterVAT: round2(l.price * (1 + l.taxRate)),
      Currency: 'USD',
      DiscountPercent: l.discountPercent,
      WarehouseCode: region.warehouse,
      SalesPersonCode: sales ? d.partner.salesPerson : -1,
      AccountCode: sales ? l.item.line.revenueAccount : region.inventoryAccount,
      CostingCode: region.code,
      BaseType: baseType !== null && l.baseLine !== undefined ? baseType : -1,
      BaseEntry: l.baseLine !== undefined ? baseEntry : null,
      BaseLine: l.baseLine !== undefined ? l.baseLine : null,
      TaxCode: l.taxCode,
      LineTotal: l.lineTotal,
      TaxPercentagePerRow: l.taxRate * 100,
      TaxTotal: l.taxTotal,
      RowTotalSC: l.lineTotal,
      StockInmPrice: l.unitCost,
      UnitPrice: l.unitPrice,
      LineStatus: open ? 'bost_Open' : 'bost_Close',
      COGSCostingCode: sales ? region.code : null,
      COGSAccountCode: sales ? l.item.line.cogsAccount : null,
      GrossBuyPrice: l.unitCost,
      CostingCode2: l.item.line.code,
      COGSCostingCode2: sales ? l.item.line.code : null,
      RemainingOpenQuantity: openQuantity,
      OpenAmount: open ? l.lineTotal : 0,
      DocEntry: docEntry,
      GrossProfit: sales ? grossProfit : 0,
      UoMCode: l.item.family.unit,
      InventoryQuantity: l.quantity,
      RemainingOpenInventoryQuantity: openQuantity,
      VisualOrder: l.lineNum,
      MeasureUnit: l.item.family.unit,
      U_PromoCode: l.promoCode,
    };
  }

  private baseObjectNumber(): number | null {
    switch (this.entitySet) {
      case 'CreditNotes':
        return KINDS.Invoices.objectNumber;
      case 'PurchaseDeliveryNotes':
        return KINDS.PurchaseOrders.objectNumber;
      case 'PurchaseInvoices':
        return KINDS.PurchaseDeliveryNotes.objectNumber;
      default:
        return null;
    }
  }

  private baseName(): string {
    return this.entitySet === 'CreditNotes' ? 'A/R Invoices' : this.entitySet === 'PurchaseDeliveryNotes' ? 'Purchase Orders' : 'Goods Receipt PO';
  }

  private baseDocNum(baseIndex: number): number {
    const base: DocumentSetName =
      this.entitySet === 'CreditNotes' ? 'Invoices' : this.entitySet === 'PurchaseDeliveryNotes' ? 'PurchaseOrders' : 'PurchaseDeliveryNotes';
    return docNumOf(base, baseIndex);
  }
}
