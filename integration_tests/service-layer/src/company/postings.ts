/**
 * The journal entry lines each posting makes, in cents, as SAP Business One posts them with perpetual inventory
 * and moving-average valuation (SAP Business One How-To Guide "How to Set Up and Manage a Perpetual Inventory
 * System", 8.82 and higher, section "Examples of Journal Entry Structures When Using the Moving Average Valuation
 * Method"; help.sap.com "A/R Invoice": an invoice based on a delivery does not move stock again):
 *
 * - delivery: cost of goods sold (debit) against the warehouse's inventory account, at the issued cost;
 * - A/R invoice: receivable (debit, the business partner's line) against revenue net of the header discount and
 *   output tax; with its own cost of goods against inventory unless it is based on a delivery;
 * - return (based on a delivery) and A/R credit memo: the reverse, stock back at the cost it left at;
 * - goods receipt PO: inventory against goods received not invoiced (the allocation account);
 * - A/P invoice based on a goods receipt PO: goods received not invoiced and input tax against the payable;
 *   an A/P invoice with the goods (importers): inventory and input tax against the payable;
 * - goods return (based on a goods receipt PO): goods received not invoiced against inventory, at the receipt's
 *   price;
 * - goods receipt and goods issue: inventory against the line's offset account;
 * - stock transfer: the receiving warehouse's inventory account against the sending one's, at the sending
 *   warehouse's cost (no profit-and-loss effect);
 * - incoming and outgoing payments: the means' account (bank, checks received, credit card receivables, cash)
 *   against the business partner; in a foreign currency the difference between the money at the payment's rate
 *   and the invoice's local amount is an exchange rate gain or loss;
 * - a cancellation document posts the exact reverse of the document it cancels.
 *
 * Lines on profit-and-loss accounts carry the distribution rules of the document line (CostingCode,
 * CostingCode2: a direct center or a shared rule; the split by the rule's shares valid on the posting date
 * happens in cost accounting, as SAP's own reports join JDT1.ProfitCode to OCR1 by ValidFrom/ValidTo).
 */
import { ACCOUNT, ACCOUNTS, CREDIT_CARD } from './catalog.js';
import { NONE } from './books/doc-store.js';
import { KINDS, MEANS, PURPOSE } from './books/kinds.js';
import type { DocumentView } from './views.js';

export interface PostingLine {
  account: string;
  /** The business partner on receivable and payable lines, else the account. */
  shortName: string;
  /** Signed amount in local cents: positive debit, negative credit. */
  amount: number;
  /** Signed amount in document-currency cents and the currency, on lines of foreign-currency documents. */
  amountFC: number;
  currency: string | null;
  costing: string | null;
  costing2: string | null;
}

const DISTRIBUTION_RELEVANT = new Set(ACCOUNTS.filter((a) => a.distributionRelevant).map((a) => a.code));

/** Sums postings by account, business partner, currency and distribution rules, in first-seen order. */
export class PostingSet {
  private readonly lines = new Map<string, PostingLine>();

  add(account: string, amount: number, options: { shortName?: string; amountFC?: number; currency?: string | null; costing?: string | null; costing2?: string | null } = {}): void {
    if (amount === 0 && !options.amountFC) return;
    const relevant = DISTRIBUTION_RELEVANT.has(account);
    const costing = relevant ? (options.costing ?? null) : null;
    const costing2 = relevant ? (options.costing2 ?? null) : null;
    const shortName = options.shortName ?? account;
    const currency = options.currency ?? null;
    const key = `${account}|${shortName}|${costing}|${costing2}|${currency}`;
    const line = this.lines.get(key);
    if (line) {
      line.amount += amount;
      line.amountFC += options.amountFC ?? 0;
    } else {
      this.lines.set(key, { account, shortName, amount, amountFC: options.amountFC ?? 0, currency, costing, costing2 });
    }
  }

  /** The lines, reversed for a cancellation, without lines that netted to zero. */
  result(sign: 1 | -1 = 1): PostingLine[] {
    return [...this.lines.values()].filter((l) => l.amount !== 0 || l.amountFC !== 0).map((l) => ({ ...l, amount: sign * l.amount, amountFC: sign * l.amountFC }));
  }
}

/** The journal entry lines of a document, or null for kinds that post none (orders, purchase orders). */
export function documentPostings(v: DocumentView): PostingLine[] | null {
  const k = v.kind;
  if (!k.journal) return null;
  const p = new PostingSet();
  const fc = v.currency !== 'USD' ? v.currency : null;
  const inventory = v.region.inventoryAccount;
  const partner = v.partner?.code;
  // Stock lines: cost of goods (or the offset account) against inventory, at the value the line moved stock at.
  const stock = (direction: 1 | -1, offsetOf: (l: DocumentView['lines'][number]) => string) => {
    for (const l of v.lines) {
      p.add(inventory, direction * l.value);
      p.add(offsetOf(l), -direction * l.value, { costing: l.rule1, costing2: l.rule2 });
    }
  };
  const sales = (direction: 1 | -1) => {
    p.add(ACCOUNT.receivable, direction * v.amounts.total, { shortName: partner, amountFC: direction * v.amounts.totalFC, currency: fc });
    for (const l of v.lines) p.add(l.item.line.revenueAccount, -direction * l.amounts.net, { amountFC: -direction * l.amounts.netFC, currency: fc, costing: l.rule1, costing2: l.rule2 });
    p.add(ACCOUNT.salesTax, -direction * v.amounts.tax, { amountFC: -direction * v.amounts.taxFC, currency: fc });
  };
  switch (k) {
    case KINDS.deliveries:
      stock(-1, (l) => l.item.line.cogsAccount);
      break;
    case KINDS.invoices:
      sales(1);
      if (v.movesStock) stock(-1, (l) => l.item.line.cogsAccount);
      break;
    case KINDS.returns:
      stock(1, (l) => l.item.line.cogsAccount);
      break;
    case KINDS.creditNotes:
      sales(-1);
      stock(1, (l) => l.item.line.cogsAccount);
      break;
    case KINDS.goodsReceiptsPO:
      for (const l of v.lines) p.add(inventory, l.value);
      p.add(ACCOUNT.goodsReceivedNotInvoiced, -v.lines.reduce((s, l) => s + l.value, 0));
      break;
    case KINDS.purchaseInvoices:
      for (const l of v.lines) p.add(v.movesStock ? inventory : ACCOUNT.goodsReceivedNotInvoiced, l.amounts.net, { amountFC: l.amounts.netFC, currency: fc });
      p.add(ACCOUNT.inputTax, v.amounts.tax, { amountFC: v.amounts.taxFC, currency: fc });
      p.add(ACCOUNT.payable, -v.amounts.total, { shortName: partner, amountFC: -v.amounts.totalFC, currency: fc });
      break;
    case KINDS.purchaseReturns:
      stock(-1, () => ACCOUNT.goodsReceivedNotInvoiced);
      break;
    case KINDS.goodsReceipts:
      stock(1, () => (v.purpose === PURPOSE.opening ? ACCOUNT.openingBalance : ACCOUNT.countDifferences));
      break;
    case KINDS.goodsIssues:
      stock(-1, () => ACCOUNT.writeOffs);
      break;
    case KINDS.transfers:
      for (const l of v.lines) {
        p.add(v.toRegion!.inventoryAccount, l.value);
        p.add(inventory, -l.value);
      }
      break;
    default:
      return null;
  }
  return p.result(v.cancels !== NONE ? -1 : 1);
}

/** The account the money of a payment went to or came from. */
export function meansAccount(means: number, incoming: boolean): string {
  if (!incoming) return ACCOUNT.bank;
  switch (means) {
    case MEANS.check:
      return ACCOUNT.checksReceived;
    case MEANS.creditCard:
      return CREDIT_CARD.account;
    case MEANS.cash:
      return ACCOUNT.cash;
    default:
      return ACCOUNT.bank;
  }
}

export interface PaymentFacts {
  incoming: boolean;
  partner: string;
  means: number;
  currency: string | null;
  /** Local cents applied to the invoice, document-currency cents applied, local cents of the money. */
  applied: number;
  appliedFC: number;
  received: number;
}

/** The journal entry lines of a payment (reversed for its cancellation). */
export function paymentPostings(f: PaymentFacts, sign: 1 | -1 = 1): PostingLine[] {
  const p = new PostingSet();
  const direction = f.incoming ? 1 : -1;
  p.add(meansAccount(f.means, f.incoming), direction * f.received, { amountFC: f.currency ? direction * f.appliedFC : 0, currency: f.currency });
  p.add(f.incoming ? ACCOUNT.receivable : ACCOUNT.payable, -direction * f.applied, { shortName: f.partner, amountFC: f.currency ? -direction * f.appliedFC : 0, currency: f.currency });
  // What the money was worth beyond (or below) the local amount it settles is an exchange rate result.
  const gain = direction * (f.received - f.applied);
  if (gain > 0) p.add(ACCOUNT.exchangeGains, -gain);
  if (gain < 0) p.add(ACCOUNT.exchangeLosses, -gain);
  return p.result(sign);
}
