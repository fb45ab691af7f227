/**
 * The numbers the generated LookML must reproduce, computed directly from the simulator's
 * current records (what SAP holds now), independently of the connector, the destination and
 * the LookML: amounts summed in integer cents so that no floating-point drift hides a cent.
 *
 * Where the model and the books meet, these take the other road on purpose: the margin's cost
 * of goods is read from each document's journal entry on the accounts the chart of accounts
 * files under "Cost of Goods Sold" (the model spreads the entry over the document's lines by their
 * COGS account); revenue is a document's line totals less its header discount (the model spreads
 * the discount over the lines); a payment's total is its means of payment added up (the model
 * reads it from the payment's journal entry); open receivables are SAP's own DocTotal - PaidToDate
 * (the model sums document and settlement movements).
 */
import type { ServiceLayerSimulator } from '@sap-b1-airbyte/service-layer-simulator';

type SapRecord = Record<string, unknown>;

export const cents = (value: unknown): number => Math.round(Number(value ?? 0) * 100);
const linesOf = (record: SapRecord, collection: string) => (record[collection] as SapRecord[] | undefined) ?? [];

/** A document that counts: neither cancelled nor a cancellation document. */
function counts(document: SapRecord): boolean {
  return document.Cancelled !== 'tYES' && document.CancelStatus !== 'csCancellation';
}

interface Account {
  code: string;
  name: string;
  type: string;
  father: string | null;
}

/** The chart of accounts by code. */
export function chartOfAccounts(simulator: ServiceLayerSimulator): Map<string, Account> {
  const accounts = new Map<string, Account>();
  for (const a of simulator.groundTruth('ChartOfAccounts')) {
    accounts.set(String(a.Code), { code: String(a.Code), name: String(a.Name), type: String(a.AccountType), father: (a.FatherAccountKey as string | null) ?? null });
  }
  return accounts;
}

/** Codes of the accounts with an ancestor (or themselves) of this name in the chart of accounts. */
export function accountsUnder(accounts: Map<string, Account>, title: string): Set<string> {
  const under = new Set<string>();
  for (const account of accounts.values()) {
    for (let a: Account | undefined = account; a; a = a.father ? accounts.get(a.father) : undefined) {
      if (a.name === title) {
        under.add(account.code);
        break;
      }
    }
  }
  return under;
}

function journalEntries(simulator: ServiceLayerSimulator): Map<number, SapRecord> {
  return new Map([...simulator.groundTruth('JournalEntries')].map((e) => [Number(e.JdtNum), e]));
}

/** Debit - credit of a journal entry on some accounts, in cents. */
function movement(entry: SapRecord | undefined, accounts: Set<string>): number {
  let total = 0;
  for (const line of entry ? linesOf(entry, 'JournalEntryLines') : []) if (accounts.has(String(line.AccountCode))) total += cents(line.Debit) - cents(line.Credit);
  return total;
}

/** Line totals less the header discount, in cents (SAP's TotalDiscount, else DiscountPercent of the total). */
function netRevenue(document: SapRecord): number {
  const lines = linesOf(document, 'DocumentLines').reduce((sum, line) => sum + cents(line.LineTotal), 0);
  const discount = document.TotalDiscount !== undefined && document.TotalDiscount !== null ? cents(document.TotalDiscount) : Math.round((lines * Number(document.DiscountPercent ?? 0)) / 100);
  return lines - discount;
}

export interface MarginCents {
  revenue: number;
  cost: number;
  margin: number;
}

const SALES: [string, 1 | -1][] = [
  ['Invoices', 1],
  ['CreditNotes', -1],
];

/**
 * Net revenue of invoices less credit notes, and the cost of goods their journal entries posted,
 * by the customer's U_Region (null when the customer has none). includeCancelled exists only to
 * show that the data has cancelled invoices that matter.
 */
export function marginByRegion(simulator: ServiceLayerSimulator, options: { includeCancelled?: boolean } = {}): Map<string | null, MarginCents> {
  const region = new Map<string, string | null>();
  for (const partner of simulator.groundTruth('BusinessPartners')) region.set(String(partner.CardCode), (partner.U_Region as string | null | undefined) ?? null);
  const cogs = accountsUnder(chartOfAccounts(simulator), 'Cost of Goods Sold');
  const entries = journalEntries(simulator);
  const result = new Map<string | null, MarginCents>();
  for (const [entitySet, sign] of SALES) {
    for (const document of simulator.groundTruth(entitySet)) {
      if (!options.includeCancelled && !counts(document)) continue;
      const key = region.get(String(document.CardCode)) ?? null;
      const totals = result.get(key) ?? { revenue: 0, cost: 0, margin: 0 };
      const revenue = sign * netRevenue(document);
      const cost = document.TransNum === null || document.TransNum === undefined ? 0 : movement(entries.get(Number(document.TransNum)), cogs);
      totals.revenue += revenue;
      totals.cost += cost;
      totals.margin += revenue - cost;
      result.set(key, totals);
    }
  }
  return result;
}

/** Net revenue of invoices less credit notes that count, by posting month (YYYY-MM), in cents. */
export function documentRevenueByMonth(simulator: ServiceLayerSimulator): Map<string, number> {
  const result = new Map<string, number>();
  for (const [entitySet, sign] of SALES) {
    for (const document of simulator.groundTruth(entitySet)) {
      if (!counts(document)) continue;
      const month = String(document.DocDate).slice(0, 7);
      result.set(month, (result.get(month) ?? 0) + sign * netRevenue(document));
    }
  }
  return result;
}

export interface LedgerMonth {
  /** Credit - debit on revenue accounts. */
  revenue: number;
  /** Debit - credit on the cost-of-goods accounts. */
  costOfGoods: number;
  /** Credit - debit on all profit-and-loss accounts. */
  netIncome: number;
}

/**
 * The profit-and-loss accounts' movement by month, from every journal entry except year-end
 * closing entries; `only` restricts it to some entries (e.g. those of cancelled documents).
 */
export function ledgerByMonth(simulator: ServiceLayerSimulator, only: (entry: SapRecord) => boolean = () => true): Map<string, LedgerMonth> {
  const accounts = chartOfAccounts(simulator);
  const cogs = accountsUnder(accounts, 'Cost of Goods Sold');
  const result = new Map<string, LedgerMonth>();
  for (const entry of simulator.groundTruth('JournalEntries')) {
    if (entry.OriginalJournal === 'ttClosingBalance' || !only(entry)) continue;
    const month = String(entry.ReferenceDate).slice(0, 7);
    const totals = result.get(month) ?? { revenue: 0, costOfGoods: 0, netIncome: 0 };
    for (const line of linesOf(entry, 'JournalEntryLines')) {
      const account = accounts.get(String(line.AccountCode));
      if (!account || (account.type !== 'at_Revenues' && account.type !== 'at_Expenses')) continue;
      const credit = cents(line.Credit) - cents(line.Debit);
      totals.netIncome += credit;
      if (account.type === 'at_Revenues') totals.revenue += credit;
      if (cogs.has(account.code)) totals.costOfGoods -= credit;
    }
    result.set(month, totals);
  }
  return result;
}

/** Whether a journal entry was posted by a sales document that is cancelled (the simulator posts no reversal yet). */
export function postedByCancelledSalesDocument(simulator: ServiceLayerSimulator): (entry: SapRecord) => boolean {
  const cancelled = new Set<string>();
  for (const [entitySet, journal] of [
    ['Invoices', 'ttARInvoice'],
    ['CreditNotes', 'ttARCredItnote'],
  ] as const) {
    for (const document of simulator.groundTruth(entitySet)) if (!counts(document)) cancelled.add(`${journal}|${String(document.DocEntry)}`);
  }
  return (entry) => cancelled.has(`${String(entry.OriginalJournal)}|${String(entry.Original)}`);
}

/** What the payments that count paid in total by every means, in cents. */
export function totalPaid(simulator: ServiceLayerSimulator, entitySet: 'IncomingPayments' | 'VendorPayments'): number {
  let total = 0;
  for (const payment of simulator.groundTruth(entitySet)) {
    if (payment.Cancelled === 'tYES') continue;
    total += cents(payment.CashSum) + cents(payment.TransferSum);
    for (const check of linesOf(payment, 'PaymentChecks')) total += cents(check.CheckSum);
    for (const card of linesOf(payment, 'PaymentCreditCards')) total += cents(card.CreditSum);
  }
  return total;
}

/** What SAP says is still open on each business partner's invoices that count (DocTotal - PaidToDate), in cents. */
export function openInvoicesByPartner(simulator: ServiceLayerSimulator, entitySet: 'Invoices' | 'PurchaseInvoices'): Map<string, number> {
  const open = new Map<string, number>();
  for (const invoice of simulator.groundTruth(entitySet)) {
    if (!counts(invoice) || invoice.DocumentStatus !== 'bost_Open') continue;
    const amount = cents(invoice.DocTotal) - cents(invoice.PaidToDate);
    if (amount !== 0) open.set(String(invoice.CardCode), (open.get(String(invoice.CardCode)) ?? 0) + amount);
  }
  return open;
}

/** Positive stock per item and warehouse, in thousandths, keyed "item|warehouse". */
export function stockOnHand(simulator: ServiceLayerSimulator): Map<string, number> {
  const stock = new Map<string, number>();
  for (const item of simulator.groundTruth('Items')) {
    for (const row of linesOf(item, 'ItemWarehouseInfoCollection')) {
      const quantity = Math.round(Number(row.InStock ?? 0) * 1000);
      if (quantity > 0) stock.set(`${String(item.ItemCode)}|${String(row.WarehouseCode)}`, quantity);
    }
  }
  return stock;
}

/** Quantity received on goods receipts that count, in thousandths (quantities may be fractional). */
export function receivedQuantity(simulator: ServiceLayerSimulator): number {
  let total = 0;
  for (const receipt of simulator.groundTruth('PurchaseDeliveryNotes')) {
    if (!counts(receipt)) continue;
    for (const line of linesOf(receipt, 'DocumentLines')) total += Math.round(Number(line.Quantity ?? 0) * 1000);
  }
  return total;
}

/** Debits over all journal entry lines, in cents. */
export function totalDebit(simulator: ServiceLayerSimulator): number {
  let total = 0;
  for (const entry of simulator.groundTruth('JournalEntries')) for (const line of linesOf(entry, 'JournalEntryLines')) total += cents(line.Debit);
  return total;
}
