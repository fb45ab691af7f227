/**
 * Incoming payments (of A/R invoices) and outgoing payments (of A/P invoices) served from the books: each
 * settles one invoice for what was open on it, by bank transfer, check, credit card or cash (customers pay as
 * their group does; vendors are paid by transfer or check). In a foreign currency the payment is in that currency
 * at the day's rate. The Payment entity type has no UpdateDate/UpdateTime (and no TransNum: its journal entry
 * points back at it with Original and BaseReference).
 */
import { dateOfDay } from '../model/dates.js';
import { NumberedSource, type Core, type Key } from '../store/source.js';
import { ACCOUNT, CREDIT_CARD, FOREIGN_CURRENCIES, LOCAL_CURRENCY } from './catalog.js';
import { PAYMENTS, type Books } from './books/books.js';
import { KINDS, MEANS } from './books/kinds.js';
import { amountOf } from './books/money.js';
import type { Operations } from './books/operations.js';
import type { PaymentFacts } from './postings.js';
import type { Stamp } from './plan.js';
import { meansAccount } from './postings.js';

type PaymentSetName = 'IncomingPayments' | 'VendorPayments';

const DOC_NUM_BASE = { IncomingPayments: 700000, VendorPayments: 800000 } as const;

export class Payments {
  constructor(
    private readonly books: Books,
    private readonly ops: Operations,
  ) {}

  facts(store: number, index: number): PaymentFacts & { docNum: number; docEntry: number } {
    const s = this.books.paymentStore(store);
    const incoming = store === PAYMENTS.incoming;
    const partner = incoming ? this.ops.customer(s.partner.get(index)) : this.ops.vendor(s.partner.get(index));
    const currency = s.currency.get(index);
    return {
      incoming,
      partner: partner.code,
      means: s.means.get(index),
      currency: currency === 0 ? null : FOREIGN_CURRENCIES[currency - 1]!.code,
      applied: s.applied.get(index),
      appliedFC: s.appliedFC.get(index),
      received: s.received.get(index),
      docNum: DOC_NUM_BASE[incoming ? 'IncomingPayments' : 'VendorPayments'] + index + 1,
      docEntry: index + 1,
    };
  }
}

export class PaymentSource extends NumberedSource {
  readonly keyProperty = 'DocEntry';
  private readonly store: number;

  constructor(
    readonly entitySet: PaymentSetName,
    private readonly books: Books,
    private readonly ops: Operations,
    private readonly poster: (store: number, stamp: Stamp, sequence: number) => number,
  ) {
    super();
    this.store = entitySet === 'IncomingPayments' ? PAYMENTS.incoming : PAYMENTS.outgoing;
  }

  get count(): number {
    return this.books.paymentStore(this.store).count;
  }

  /** An inserted payment settles the oldest invoice still open (see Company.postPayment). */
  post(stamp: Stamp, sequence: number): Key {
    return this.poster(this.store, stamp, sequence) + 1;
  }

  create(): Core {
    throw new Error(`${this.entitySet} are posted, not created`);
  }

  record(index: number): Core {
    const s = this.books.paymentStore(this.store);
    const incoming = this.store === PAYMENTS.incoming;
    const kind = incoming ? KINDS.invoices : KINDS.purchaseInvoices;
    const invoice = s.invoice.get(index);
    const invoiceStore = this.books.stores[kind.store]!;
    const partner = incoming ? this.ops.customer(s.partner.get(index)) : this.ops.vendor(s.partner.get(index));
    const posted = this.books.stampOf(this.store, index);
    const currency = s.currency.get(index);
    const foreign = currency !== 0;
    const code = foreign ? FOREIGN_CURRENCIES[currency - 1]!.code : LOCAL_CURRENCY;
    const docEntry = index + 1;
    // Sums are in the payment's currency.
    const sum = amountOf(foreign ? s.appliedFC.get(index) : s.applied.get(index));
    const means = s.means.get(index);
    const cancelled = s.cancelled.get(index) === 1;
    const account = meansAccount(means, incoming);
    const record: Core = {
      DocNum: DOC_NUM_BASE[this.entitySet] + docEntry,
      DocType: incoming ? 'rCustomer' : 'rSupplier',
      DocDate: posted.date,
      CardCode: partner.code,
      CardName: partner.name,
      Address: `${partner.city}\r${partner.region.state} ${partner.region.zip}\rUSA`,
      DocCurrency: code,
      LocalCurrency: foreign ? 'tNO' : 'tYES',
      DocRate: foreign ? s.rate.get(index) : 0,
      JournalRemarks: `${incoming ? 'Incoming Payments' : 'Outgoing Payments'} - ${partner.code}`,
      TaxDate: posted.date,
      Series: incoming ? 17 : 18,
      DocEntry: docEntry,
      DocObjectCode: incoming ? 'bopot_IncomingPayments' : 'bopot_OutgoingPayments',
      DueDate: posted.date,
      Cancelled: cancelled ? 'tYES' : 'tNO',
      CancelStatus: cancelled ? 'csYes' : 'csNo',
      ControlAccount: incoming ? ACCOUNT.receivable : ACCOUNT.payable,
      PaymentInvoices: [
        {
          LineNum: 0,
          DocEntry: invoice + 1,
          DocNum: kind.docNumBase + invoice + 1,
          SumApplied: amountOf(s.applied.get(index)),
          AppliedFC: amountOf(s.appliedFC.get(index)),
          AppliedSys: amountOf(s.applied.get(index)),
          DocRate: foreign ? invoiceStore.rate.get(invoice) : 0,
          DocLine: 0,
          InvoiceType: incoming ? 'it_Invoice' : 'it_PurchaseInvoice',
          PaidSum: sum,
          InstallmentId: 1,
          LinkDate: this.books.stampOf(kind.store, invoice).date,
        },
      ],
    };
    switch (means) {
      case MEANS.check:
        record['CheckAccount'] = account;
        record['PaymentChecks'] = [
          {
            LineNum: 0,
            DueDate: posted.date,
            CheckNumber: 10000 + ((docEntry * 7907 + partner.index) % 90000),
            BankCode: incoming ? ['BOA', 'CHASE', 'WELLS', 'CITI'][partner.index % 4]! : 'CHASE',
            AccounttNum: `${100000 + ((partner.index * 7717) % 900000)}`,
            CheckSum: sum,
            Currency: code,
            CountryCode: 'US',
            CheckAccount: account,
            ManualCheck: incoming ? 'tNO' : 'tYES',
            Trnsfrable: 'tNO',
            Endorse: 'tNO',
            ECheck: 'tNO',
          },
        ];
        break;
      case MEANS.creditCard:
        record['PaymentCreditCards'] = [
          {
            LineNum: 0,
            CreditCard: CREDIT_CARD.code,
            CreditAcct: account,
            CreditCardNumber: `************${String(1000 + ((partner.index * 31) % 9000))}`,
            CardValidUntil: dateOfDay(posted.day + 400 + (partner.index % 700)),
            VoucherNum: `V${String((docEntry * 104729) % 1000000).padStart(6, '0')}`,
            PaymentMethodCode: 1,
            NumOfPayments: 1,
            FirstPaymentDue: posted.date,
            FirstPaymentSum: sum,
            CreditSum: sum,
            CreditCur: code,
            CreditRate: foreign ? s.rate.get(index) : 0,
            NumOfCreditPayments: 1,
            CreditType: 'cr_Regular',
            SplitPayments: 'tNO',
          },
        ];
        break;
      case MEANS.cash:
        record['CashAccount'] = account;
        record['CashSum'] = sum;
        break;
      default:
        record['TransferAccount'] = account;
        record['TransferSum'] = sum;
        record['TransferDate'] = posted.date;
        record['TransferReference'] = `${incoming ? 'ACH' : 'WIRE'}-${(docEntry * 104729) % 1000000}`;
    }
    return record;
  }
}
