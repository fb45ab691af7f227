/**
 * Incoming payments (of A/R invoices) and outgoing payments (of A/P invoices), each settling one invoice in full
 * by bank transfer. The Payment entity type has no UpdateDate/UpdateTime: a later cancellation changes nothing a
 * client could use to notice it.
 */
import { NumberedSource, type Core, type Key } from '../store/source.js';
import { ACCOUNT } from './catalog.js';
import { docNumOf } from './documents.js';
import type { Draft, Drafts } from './drafts.js';
import type { CompanyPlan, Stamp } from './plan.js';
import type { DerivedStream } from './streams.js';

type PaymentSetName = 'IncomingPayments' | 'VendorPayments';

export class PaymentSource extends NumberedSource {
  readonly keyProperty = 'DocEntry';

  constructor(
    readonly entitySet: PaymentSetName,
    private readonly plan: CompanyPlan,
    private readonly drafts: Drafts,
  ) {
    super();
  }

  private get incoming(): boolean {
    return this.entitySet === 'IncomingPayments';
  }

  private get stream(): DerivedStream {
    return this.incoming ? this.plan.incomingPayments : this.plan.vendorPayments;
  }

  get count(): number {
    return this.stream.total;
  }

  /** Index of the invoice this payment settles. */
  invoiceIndexOf(index: number): number {
    return this.stream.sourceIndexOf(index);
  }

  record(index: number): Core {
    const invoiceIndex = this.invoiceIndexOf(index);
    const invoice = this.incoming ? this.drafts.invoice(invoiceIndex) : this.drafts.purchaseInvoice(invoiceIndex);
    const posted = this.plan.postingStamp(this.stream, index, this.incoming ? 'incomingPayment' : 'vendorPayment');
    return this.build(index, invoiceIndex, invoice, posted);
  }

  create(key: Key, stamp: Stamp, sequence: number): Core {
    const template = Math.min(this.count - 1, sequence % Math.max(1, this.count));
    const invoiceIndex = this.invoiceIndexOf(template);
    const invoice = this.incoming ? this.drafts.invoice(invoiceIndex) : this.drafts.purchaseInvoice(invoiceIndex);
    return this.build(Number(key) - 1, invoiceIndex, invoice, stamp);
  }

  private build(index: number, invoiceIndex: number, invoice: Draft, posted: Stamp): Core {
    const docEntry = index + 1;
    const incoming = this.incoming;
    return {
      DocNum: (incoming ? 700000 : 800000) + docEntry,
      DocType: incoming ? 'rCustomer' : 'rSupplier',
      DocDate: posted.date,
      CardCode: invoice.partner.code,
      CardName: invoice.partner.name,
      Address: `${invoice.partner.city}\r${invoice.region.state} ${invoice.region.zip}\rUSA`,
      DocCurrency: 'USD',
      TransferAccount: ACCOUNT.bank,
      TransferSum: invoice.docTotal,
      TransferDate: posted.date,
      TransferReference: `${incoming ? 'ACH' : 'WIRE'}-${(docEntry * 104729) % 1000000}`,
      LocalCurrency: 'tYES',
      DocRate: 0,
      JournalRemarks: `${incoming ? 'Incoming Payments' : 'Outgoing Payments'} - ${invoice.partner.code}`,
      TaxDate: posted.date,
      Series: incoming ? 17 : 18,
      DocEntry: docEntry,
      DocObjectCode: incoming ? 'bopot_IncomingPayments' : 'bopot_OutgoingPayments',
      DueDate: posted.date,
      Cancelled: 'tNO',
      CancelStatus: 'csNo',
      ControlAccount: incoming ? ACCOUNT.receivable : ACCOUNT.payable,
      PaymentInvoices: [
        {
          LineNum: 0,
          DocEntry: invoiceIndex + 1,
          DocNum: docNumOf(incoming ? 'Invoices' : 'PurchaseInvoices', invoiceIndex),
          SumApplied: invoice.docTotal,
          AppliedSys: invoice.docTotal,
          DocLine: 0,
          InvoiceType: incoming ? 'it_Invoice' : 'it_PurchaseInvoice',
          PaidSum: invoice.docTotal,
          InstallmentId: 1,
          LinkDate: invoice.posted.date,
        },
      ],
    };
  }
}
