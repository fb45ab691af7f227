/**
 * Journal entries mirroring every posting (perpetual inventory: sales post revenue, tax, cost of goods sold and
 * inventory; receipts post inventory against goods received not invoiced...), plus month-end manual entries
 * (payroll, rent, utilities, fuel per region, depreciation). No UpdateDate/UpdateTime on this entity type.
 */
import { NumberedSource, type Core, type Key } from '../store/source.js';
import { ACCOUNT, MONTHLY_ENTRIES, REGIONS } from './catalog.js';
import { docNumOf, type DocumentSetName } from './documents.js';
import type { Draft, Drafts } from './drafts.js';
import { JE_KIND, type CompanyPlan, type Stamp } from './plan.js';
import { Rng, round2 } from './random.js';

interface Posting {
  account: string;
  /** BP code on receivable/payable lines, else the account. */
  shortName: string;
  debit: number;
  credit: number;
  costing?: string | null;
  costing2?: string | null;
  memo: string;
}

interface Header {
  memo: string;
  reference: string | null;
  originalJournal: string;
  original: number | null;
  transactionCode: string | null;
}

export class JournalSource extends NumberedSource {
  readonly entitySet = 'JournalEntries';
  readonly keyProperty = 'JdtNum';
  private readonly rng: Rng;

  constructor(
    private readonly plan: CompanyPlan,
    private readonly drafts: Drafts,
  ) {
    super();
    this.rng = new Rng(plan.seed, 'journal');
  }

  get count(): number {
    return this.plan.journal.total;
  }

  record(index: number): Core {
    const { kind, index: source, dayOffset } = this.plan.journal.sourceOf(index);
    const day = this.plan.firstDay + dayOffset;
    switch (kind) {
      case JE_KIND.invoice:
        return this.fromDocument(index, 'Invoices', source, this.drafts.invoice(source), 'ttARInvoice', 1);
      case JE_KIND.creditNote:
        return this.fromDocument(index, 'CreditNotes', source, this.drafts.creditNote(source), 'ttARCredItnote', -1);
      case JE_KIND.goodsReceipt:
        return this.fromReceipt(index, source, this.drafts.goodsReceipt(source));
      case JE_KIND.purchaseInvoice:
        return this.fromPurchaseInvoice(index, source, this.drafts.purchaseInvoice(source));
      case JE_KIND.incomingPayment: {
        const invoice = this.drafts.invoice(this.plan.incomingPayments.sourceIndexOf(source));
        const posted = this.plan.postingStamp(this.plan.incomingPayments, source, 'incomingPayment');
        return this.fromPayment(index, source, invoice, posted, true);
      }
      case JE_KIND.vendorPayment: {
        const invoice = this.drafts.purchaseInvoice(this.plan.vendorPayments.sourceIndexOf(source));
        const posted = this.plan.postingStamp(this.plan.vendorPayments, source, 'vendorPayment');
        return this.fromPayment(index, source, invoice, posted, false);
      }
      default:
        return this.manual(index, source - this.plan.manualEntries.starts[dayOffset]!, this.plan.stamp(day, 17 * 3600));
    }
  }

  create(key: Key, stamp: Stamp, sequence: number): Core {
    const region = REGIONS[sequence % REGIONS.length]!;
    return this.entry(Number(key) - 1, stamp, { memo: 'Manual adjustment', reference: null, originalJournal: 'ttJournalEntry', original: null, transactionCode: null }, [
      { account: ACCOUNT.utilities, shortName: ACCOUNT.utilities, debit: 100, credit: 0, costing: region.code, memo: 'Manual adjustment' },
      { account: ACCOUNT.bank, shortName: ACCOUNT.bank, debit: 0, credit: 100, memo: 'Manual adjustment' },
    ]);
  }

  /** A/R invoice (sign 1) or credit memo (sign -1): receivable against revenue and tax; cost of sales against inventory. */
  private fromDocument(index: number, set: DocumentSetName, source: number, d: Draft, journal: string, sign: 1 | -1): Core {
    const memo = `${set === 'Invoices' ? 'A/R Invoices' : 'A/R Credit Memos'} - ${d.partner.code}`;
    const lines: Posting[] = [side(ACCOUNT.receivable, d.partner.code, sign * d.docTotal, memo)];
    const revenue = new Map<string, Posting>();
    const cost = new Map<string, Posting>();
    for (const l of d.lines) {
      const key = `${l.item.line.revenueAccount}|${l.item.line.code}`;
      const r = revenue.get(key) ?? { ...side(l.item.line.revenueAccount, l.item.line.revenueAccount, 0, memo), costing: d.region.code, costing2: l.item.line.code };
      addAmount(r, -sign * l.lineTotal);
      revenue.set(key, r);
      const c = cost.get(key) ?? { ...side(l.item.line.cogsAccount, l.item.line.cogsAccount, 0, memo), costing: d.region.code, costing2: l.item.line.code };
      addAmount(c, sign * l.quantity * l.unitCost);
      cost.set(key, c);
    }
    lines.push(...revenue.values());
    if (d.vatSum !== 0) lines.push(side(ACCOUNT.salesTax, ACCOUNT.salesTax, -sign * d.vatSum, memo));
    for (const c of cost.values()) {
      lines.push(c);
      lines.push(side(d.region.inventoryAccount, d.region.inventoryAccount, -(c.debit - c.credit), memo));
    }
    const docNum = docNumOf(set, source);
    return this.entry(index, d.posted, { memo, reference: String(docNum), originalJournal: journal, original: source + 1, transactionCode: null }, lines);
  }

  private fromReceipt(index: number, source: number, d: Draft): Core {
    const memo = `Goods Receipt PO - ${d.partner.code}`;
    const total = round2(d.lines.reduce((s, l) => s + l.lineTotal, 0));
    const lines = [
      { ...side(d.region.inventoryAccount, d.region.inventoryAccount, total, memo), costing: d.region.code },
      side(ACCOUNT.goodsReceivedNotInvoiced, ACCOUNT.goodsReceivedNotInvoiced, -total, memo),
    ];
    const docNum = docNumOf('PurchaseDeliveryNotes', source);
    return this.entry(index, d.posted, { memo, reference: String(docNum), originalJournal: 'ttPurchaseDeliveryNote', original: source + 1, transactionCode: null }, lines);
  }

  private fromPurchaseInvoice(index: number, source: number, d: Draft): Core {
    const memo = `A/P Invoices - ${d.partner.code}`;
    const lines = [
      side(ACCOUNT.goodsReceivedNotInvoiced, ACCOUNT.goodsReceivedNotInvoiced, d.docTotal, memo),
      side(ACCOUNT.payable, d.partner.code, -d.docTotal, memo),
    ];
    const docNum = docNumOf('PurchaseInvoices', source);
    return this.entry(index, d.posted, { memo, reference: String(docNum), originalJournal: 'ttAPInvoice', original: source + 1, transactionCode: null }, lines);
  }

  private fromPayment(index: number, source: number, invoice: Draft, posted: Stamp, incoming: boolean): Core {
    const memo = `${incoming ? 'Incoming Payments' : 'Outgoing Payments'} - ${invoice.partner.code}`;
    const amount = invoice.docTotal;
    const lines = incoming
      ? [side(ACCOUNT.bank, ACCOUNT.bank, amount, memo), side(ACCOUNT.receivable, invoice.partner.code, -amount, memo)]
      : [side(ACCOUNT.payable, invoice.partner.code, amount, memo), side(ACCOUNT.bank, ACCOUNT.bank, -amount, memo)];
    const docNum = (incoming ? 700000 : 800000) + source + 1;
    return this.entry(index, posted, { memo, reference: String(docNum), originalJournal: incoming ? 'ttReceipt' : 'ttVendorPayment', original: source + 1, transactionCode: null }, lines);
  }

  /** Month-end entry number `n` of its day: one per (kind, region), then depreciation. */
  private manual(index: number, n: number, posted: Stamp): Core {
    const month = posted.date.slice(0, 7);
    const scale = this.plan.scale;
    const lines: Posting[] = [];
    let memo: string;
    if (n < MONTHLY_ENTRIES.length * REGIONS.length) {
      const [debit, credit, label, amount] = MONTHLY_ENTRIES[Math.floor(n / REGIONS.length)]!;
      const region = REGIONS[n % REGIONS.length]!;
      const value = round2(amount * scale * region.weight * 3 * (0.9 + 0.2 * this.rng.unit(index, 1)));
      memo = `${label} ${month} ${region.code}`;
      lines.push({ ...side(debit, debit, value, memo), costing: region.code });
      lines.push(side(credit, credit, -value, memo));
    } else {
      const value = round2(9200 * scale);
      memo = `Depreciation ${month}`;
      for (const region of REGIONS) {
        lines.push({ ...side(ACCOUNT.depreciation, ACCOUNT.depreciation, round2(value * region.weight), memo), costing: region.code });
      }
      lines.push(side(ACCOUNT.accumulatedDepreciation, ACCOUNT.accumulatedDepreciation, -lines.reduce((s, l) => s + l.debit, 0), memo));
    }
    return this.entry(index, posted, { memo, reference: null, originalJournal: 'ttJournalEntry', original: null, transactionCode: 'MEC' }, lines);
  }

  private entry(index: number, posted: Stamp, h: Header, postings: Posting[]): Core {
    const jdtNum = index + 1;
    return {
      ReferenceDate: posted.date,
      Memo: h.memo,
      Reference: h.reference,
      Reference2: null,
      TransactionCode: h.transactionCode,
      TaxDate: posted.date,
      JdtNum: jdtNum,
      Series: 20,
      DueDate: posted.date,
      AutoVAT: 'tNO',
      Number: jdtNum,
      OriginalJournal: h.originalJournal,
      Original: h.original,
      BaseReference: h.reference,
      JournalEntryLines: postings.map((p, i) => ({
        Line_ID: i,
        AccountCode: p.account,
        Debit: round2(p.debit),
        Credit: round2(p.credit),
        DueDate: posted.date,
        ShortName: p.shortName,
        ContraAccount: postings[i === 0 ? 1 : 0]?.shortName ?? null,
        LineMemo: p.memo,
        ReferenceDate1: posted.date,
        Reference1: h.reference,
        CostingCode: p.costing ?? null,
        TaxDate: posted.date,
        DebitSys: round2(p.debit),
        CreditSys: round2(p.credit),
        VatDate: posted.date,
        CostingCode2: p.costing2 ?? null,
        ControlAccount: p.shortName !== p.account ? p.account : null,
      })),
    };
  }
}

/** A posting of a signed amount: positive is a debit, negative a credit. */
function side(account: string, shortName: string, amount: number, memo: string): Posting {
  return { account, shortName, debit: amount > 0 ? round2(amount) : 0, credit: amount < 0 ? round2(-amount) : 0, memo };
}

function addAmount(p: Posting, amount: number): void {
  const net = p.debit - p.credit + amount;
  p.debit = net > 0 ? net : 0;
  p.credit = net < 0 ? -net : 0;
}
