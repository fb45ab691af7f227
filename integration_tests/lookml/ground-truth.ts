/**
 * The numbers the generated LookML must reproduce, never computed the way the LookML computes
 * them: from the simulator's own books (`sim.books`: account movements per period, open items per
 * business partner, stock per item and warehouse, summed from its postings and its stock book) or
 * from the records SAP serves, read directly here without the connector, the destination or the
 * SQL. Amounts are integer cents, so no floating-point drift hides a cent.
 *
 * Where the model and the books meet, these take another road on purpose: profit and loss comes
 * from the books' account periods (the model reads journal entry lines); the margin's cost of
 * goods from each document's whole journal entry on the accounts the chart files under "Cost of
 * Goods Sold" (the model spreads the entry over the document's lines); revenue from a document's
 * line totals less its header discount (the model spreads the discount over the lines); open
 * items from the books' business-partner postings (the model sums document, settlement,
 * reconciliation and cancellation movements); a payment's total from its means of payment (the
 * model reads it from the payment's journal entry); stock from the books' stock (the model reads
 * the items' warehouse rows).
 */
import type { ServiceLayerSimulator } from '@sap-b1-airbyte/service-layer-simulator';

type SapRecord = Record<string, unknown>;

export const cents = (value: unknown): number => Math.round(Number(value ?? 0) * 100);
const linesOf = (record: SapRecord, collection: string) => (record[collection] as SapRecord[] | undefined) ?? [];
const add = <K>(map: Map<K, number>, key: K, value: number) => map.set(key, (map.get(key) ?? 0) + value);

/** A document that counts: neither a cancelled original nor a cancellation document. */
function counts(document: SapRecord): boolean {
  return document.CancelStatus !== 'csYes' && document.CancelStatus !== 'csCancellation';
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

const COST_OF_GOODS_TITLE = 'Cost of Goods Sold';

export interface PnlCents {
  /** Credit - debit on revenue accounts. */
  revenue: number;
  /** Debit - credit on the accounts under "Cost of Goods Sold". */
  costOfGoods: number;
  /** Credit - debit on all profit-and-loss accounts. */
  netIncome: number;
}

const emptyPnl = (): PnlCents => ({ revenue: 0, costOfGoods: 0, netIncome: 0 });

function addToPnl(totals: PnlCents, account: Account | undefined, cogs: Set<string>, debitCents: number, creditCents: number): void {
  if (!account || (account.type !== 'at_Revenues' && account.type !== 'at_Expenses')) return;
  const credit = creditCents - debitCents;
  totals.netIncome += credit;
  if (account.type === 'at_Revenues') totals.revenue += credit;
  if (cogs.has(account.code)) totals.costOfGoods -= credit;
}

/** Profit and loss by period (YYYY-MM) from the books' own account movements, period-end closing left out. */
export function booksPnlByMonth(simulator: ServiceLayerSimulator): Map<string, PnlCents> {
  const accounts = chartOfAccounts(simulator);
  const cogs = accountsUnder(accounts, COST_OF_GOODS_TITLE);
  const result = new Map<string, PnlCents>();
  for (const row of simulator.books.accountPeriods()) {
    if (row.closing) continue;
    const totals = result.get(row.period) ?? emptyPnl();
    addToPnl(totals, accounts.get(row.account), cogs, row.debitCents, row.creditCents);
    result.set(row.period, totals);
  }
  return result;
}

/** Net income per year (credit - debit on profit-and-loss accounts) from the books' balances, closing left out. */
export function booksNetIncomeByYear(simulator: ServiceLayerSimulator, years: readonly string[]): Map<string, number> {
  const accounts = chartOfAccounts(simulator);
  const result = new Map<string, number>();
  for (const year of years) {
    let netIncome = 0;
    for (const [code, balance] of simulator.books.balances({ from: `${year}-01`, to: `${year}-12` })) {
      const type = accounts.get(code)?.type;
      if (type === 'at_Revenues' || type === 'at_Expenses') netIncome -= balance;
    }
    result.set(year, netIncome);
  }
  return result;
}

/**
 * Profit and loss by month of the served journal entries that `only` selects (closing entries
 * never), for the parts of the ledger the margin leaves out or covers.
 */
export function journalPnlByMonth(simulator: ServiceLayerSimulator, only: (entry: SapRecord) => boolean): Map<string, PnlCents> {
  const accounts = chartOfAccounts(simulator);
  const cogs = accountsUnder(accounts, COST_OF_GOODS_TITLE);
  const result = new Map<string, PnlCents>();
  for (const entry of simulator.groundTruth('JournalEntries')) {
    if (entry.OriginalJournal === 'ttClosingBalance' || !only(entry)) continue;
    const month = String(entry.ReferenceDate).slice(0, 7);
    const totals = result.get(month) ?? emptyPnl();
    for (const line of linesOf(entry, 'JournalEntryLines')) addToPnl(totals, accounts.get(String(line.AccountCode)), cogs, cents(line.Debit), cents(line.Credit));
    result.set(month, totals);
  }
  return result;
}

/** Journal entry origin (OriginalJournal) of each kind of document, and its entity set. */
export const DOCUMENT_JOURNALS = {
  Invoices: 'ttARInvoice',
  CreditNotes: 'ttARCredItnote',
  DeliveryNotes: 'ttDelivery',
  Returns: 'ttReturn',
} as const;
type SalesEntitySet = keyof typeof DOCUMENT_JOURNALS;

/**
 * Which documents of some kinds posted an entry, by "OriginalJournal|DocEntry": those that count,
 * cancelled originals, and cancellation documents.
 */
export function postedBy(simulator: ServiceLayerSimulator, entitySets: readonly SalesEntitySet[]): { counting: Set<string>; cancelled: Set<string>; cancellations: Set<string> } {
  const sets = { counting: new Set<string>(), cancelled: new Set<string>(), cancellations: new Set<string>() };
  for (const entitySet of entitySets) {
    for (const document of simulator.groundTruth(entitySet, ['DocEntry', 'CancelStatus'])) {
      const set = document.CancelStatus === 'csYes' ? sets.cancelled : document.CancelStatus === 'csCancellation' ? sets.cancellations : sets.counting;
      set.add(`${DOCUMENT_JOURNALS[entitySet]}|${String(document.DocEntry)}`);
    }
  }
  return sets;
}

export const entryKey = (entry: SapRecord): string => `${String(entry.OriginalJournal)}|${String(entry.Original)}`;

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

/**
 * Net revenue of invoices less credit notes that count, by the customer's U_Region (null when the
 * customer has none), and the cost of goods the journal entries of `costSources` posted (each
 * document's whole entry on the cost-of-goods accounts), by the region of the document's customer.
 * includeCancelled exists only to show that the data has cancelled invoices that matter.
 */
export function marginByRegion(
  simulator: ServiceLayerSimulator,
  options: { includeCancelled?: boolean; costSources?: readonly SalesEntitySet[] } = {},
): Map<string | null, MarginCents> {
  const region = new Map<string, string | null>();
  for (const partner of simulator.groundTruth('BusinessPartners')) region.set(String(partner.CardCode), (partner.U_Region as string | null | undefined) ?? null);
  const cogs = accountsUnder(chartOfAccounts(simulator), COST_OF_GOODS_TITLE);
  const costSources = options.costSources ?? ['Invoices', 'CreditNotes'];
  const costOfEntry = new Map<number, number>();
  for (const entry of simulator.groundTruth('JournalEntries')) {
    let cost = 0;
    for (const line of linesOf(entry, 'JournalEntryLines')) if (cogs.has(String(line.AccountCode))) cost += cents(line.Debit) - cents(line.Credit);
    if (cost !== 0) costOfEntry.set(Number(entry.JdtNum), cost);
  }
  const result = new Map<string | null, MarginCents>();
  const totalsOf = (cardCode: unknown) => {
    const key = region.get(String(cardCode)) ?? null;
    const totals = result.get(key) ?? { revenue: 0, cost: 0, margin: 0 };
    result.set(key, totals);
    return totals;
  };
  for (const [entitySet, sign] of [['Invoices', 1], ['CreditNotes', -1]] as const) {
    for (const document of simulator.groundTruth(entitySet)) {
      if (!options.includeCancelled && !counts(document)) continue;
      const revenue = sign * netRevenue(document);
      const totals = totalsOf(document.CardCode);
      totals.revenue += revenue;
      totals.margin += revenue;
    }
  }
  for (const entitySet of costSources) {
    for (const document of simulator.groundTruth(entitySet, ['CardCode', 'TransNum', 'CancelStatus'])) {
      if (!options.includeCancelled && !counts(document)) continue;
      const cost = document.TransNum === null || document.TransNum === undefined ? 0 : (costOfEntry.get(Number(document.TransNum)) ?? 0);
      const totals = totalsOf(document.CardCode);
      totals.cost += cost;
      totals.margin -= cost;
    }
  }
  return result;
}

/** Net revenue (cents) of the invoices and credit notes that count, in a foreign currency, with their foreign-currency totals. */
export function foreignCurrencyRevenue(simulator: ServiceLayerSimulator, currency: string): { local: number; foreign: number; documents: number } {
  let local = 0;
  let foreign = 0;
  let documents = 0;
  for (const [entitySet, sign] of [['Invoices', 1], ['CreditNotes', -1]] as const) {
    for (const document of simulator.groundTruth(entitySet)) {
      if (!counts(document) || document.DocCurrency !== currency) continue;
      documents++;
      local += sign * netRevenue(document);
      foreign += sign * cents(document.DocTotalFc);
    }
  }
  return { local, foreign, documents };
}

/** Revenue split by cost center of one dimension from the served journal entries and rules: credit - debit on revenue accounts. */
export interface AllocatedCents {
  /** Net income per center, in cents (fractions of a cent kept until the end). */
  byCenter: Map<string, number>;
  /** Net income of lines whose rule is a split rule, before allocation. */
  onSplitRules: number;
}

/**
 * Net income (credit - debit on profit-and-loss accounts, closing left out) allocated to the cost
 * centers of one dimension: each journal line's distribution rule (CostingCode, CostingCode2)
 * spread over the rule's centers valid on the entry's date by TotalInCenter / TotalFactor, as the
 * served DistributionRules define them.
 */
export function netIncomeByCostCenter(simulator: ServiceLayerSimulator, dimension: 1 | 2): AllocatedCents {
  const accounts = chartOfAccounts(simulator);
  const rules = new Map<string, { factor: number; lines: { center: string; share: number; from: string | null; to: string | null }[] }>();
  for (const rule of simulator.groundTruth('DistributionRules')) {
    rules.set(String(rule.FactorCode), {
      factor: Number(rule.TotalFactor),
      lines: linesOf(rule, 'DistributionRuleLines').map((l) => ({ center: String(l.CenterCode), share: Number(l.TotalInCenter), from: l.EffectiveFrom as string | null, to: l.EffectiveTo as string | null })),
    });
  }
  const byCenter = new Map<string, number>();
  let onSplitRules = 0;
  const property = dimension === 1 ? 'CostingCode' : 'CostingCode2';
  for (const entry of simulator.groundTruth('JournalEntries')) {
    if (entry.OriginalJournal === 'ttClosingBalance') continue;
    const date = String(entry.ReferenceDate);
    for (const line of linesOf(entry, 'JournalEntryLines')) {
      const type = accounts.get(String(line.AccountCode))?.type;
      if (type !== 'at_Revenues' && type !== 'at_Expenses') continue;
      const amount = cents(line.Credit) - cents(line.Debit);
      const code = (line[property] as string | null) ?? null;
      const rule = code === null ? undefined : rules.get(code);
      const valid = rule?.lines.filter((l) => (l.from === null || l.from <= date) && (l.to === null || l.to >= date)) ?? [];
      if (!rule || valid.length === 0) {
        add(byCenter, code ?? '(none)', amount);
        continue;
      }
      if (valid.length > 1) onSplitRules += amount;
      for (const l of valid) add(byCenter, l.center, (amount * l.share) / rule.factor);
    }
  }
  return { byCenter, onSplitRules };
}

/** The receivables or payables control account(s): the ControlAccount of the served documents. */
export function controlAccounts(simulator: ServiceLayerSimulator, entitySet: 'Invoices' | 'PurchaseInvoices'): Set<string> {
  const accounts = new Set<string>();
  for (const document of simulator.groundTruth(entitySet, ['ControlAccount'])) if (document.ControlAccount) accounts.add(String(document.ControlAccount));
  return accounts;
}

/** Balance (debit - credit, cents) of some accounts from the books up to and including a month. */
export function booksBalance(simulator: ServiceLayerSimulator, accounts: Set<string>, toMonth?: string): number {
  let total = 0;
  for (const [code, balance] of simulator.books.balances({ ...(toMonth ? { to: toMonth } : {}), includeClosing: true })) if (accounts.has(code)) total += balance;
  return total;
}

/**
 * What the payments that count paid, from their means of payment (cash, transfer, checks, credit
 * cards) in the payment's currency, converted at the payment's rate when it is foreign; and what
 * they cleared (SumApplied of the documents they settled, local currency). In cents.
 */
export function paymentTotals(simulator: ServiceLayerSimulator, entitySet: 'IncomingPayments' | 'VendorPayments'): { paid: number; cleared: number; foreignPayments: number } {
  let paid = 0;
  let cleared = 0;
  let foreignPayments = 0;
  for (const payment of simulator.groundTruth(entitySet)) {
    if (payment.Cancelled === 'tYES') continue;
    let inPaymentCurrency = Number(payment.CashSum ?? 0) + Number(payment.TransferSum ?? 0);
    for (const check of linesOf(payment, 'PaymentChecks')) inPaymentCurrency += Number(check.CheckSum ?? 0);
    for (const card of linesOf(payment, 'PaymentCreditCards')) inPaymentCurrency += Number(card.CreditSum ?? 0);
    const foreign = payment.LocalCurrency === 'tNO';
    if (foreign) foreignPayments++;
    paid += foreign ? Math.round(Math.round(inPaymentCurrency * 100) * Number(payment.DocRate)) : cents(inPaymentCurrency);
    for (const settled of linesOf(payment, 'PaymentInvoices')) cleared += cents(settled.SumApplied);
  }
  return { paid, cleared, foreignPayments };
}

/** What SAP says is still open on each business partner's documents of one kind that count (DocTotal - PaidToDate), in cents. */
export function openDocumentsByPartner(simulator: ServiceLayerSimulator, entitySet: 'Invoices' | 'PurchaseInvoices' | 'CreditNotes'): Map<string, number> {
  const open = new Map<string, number>();
  for (const document of simulator.groundTruth(entitySet)) {
    if (!counts(document) || document.DocumentStatus !== 'bost_Open') continue;
    const amount = cents(document.DocTotal) - cents(document.PaidToDate);
    if (amount !== 0) add(open, String(document.CardCode), amount);
  }
  return open;
}

/** On-hand stock per "item|warehouse" from the books: quantity in thousandths, value in cents. */
export function booksStock(simulator: ServiceLayerSimulator): Map<string, { quantity: number; valueCents: number }> {
  const stock = new Map<string, { quantity: number; valueCents: number }>();
  for (const row of simulator.books.stock()) {
    if (row.quantity > 0) stock.set(`${row.itemCode}|${row.warehouse}`, { quantity: Math.round(row.quantity * 1000), valueCents: row.valueCents });
  }
  return stock;
}

/** The inventory account of each warehouse, as the served items' warehouse rows name it. */
export function inventoryAccounts(simulator: ServiceLayerSimulator): Map<string, string> {
  const accounts = new Map<string, string>();
  for (const item of simulator.groundTruth('Items', ['ItemWarehouseInfoCollection/WarehouseCode', 'ItemWarehouseInfoCollection/InventoryAccount'])) {
    for (const row of linesOf(item, 'ItemWarehouseInfoCollection')) if (row.InventoryAccount) accounts.set(String(row.WarehouseCode), String(row.InventoryAccount));
  }
  return accounts;
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
