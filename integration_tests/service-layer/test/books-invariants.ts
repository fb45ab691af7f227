/**
 * The invariants of complete books, each computed from two sides that share no code with each other nor with the
 * simulator: the served journal entries on one side, the served documents, items or the books' own stock figures
 * on the other. Amounts in integer cents. The movement rules below are SAP Business One's (which documents move
 * stock, in which direction), written here from scratch.
 */
import type { ServiceLayerSimulator } from '../index.js';

export type Row = Record<string, unknown>;

const DOC_FIELDS = [
  'DocEntry',
  'DocNum',
  'DocDate',
  'CardCode',
  'DocTotal',
  'DocTotalFc',
  'DocRate',
  'DocCurrency',
  'PaidToDate',
  'Cancelled',
  'CancelStatus',
  'DocumentStatus',
  'TransNum',
  'DiscountPercent',
  'VatSum',
  ...[
    'LineNum',
    'ItemCode',
    'Quantity',
    'WarehouseCode',
    'BaseType',
    'BaseEntry',
    'LineTotal',
    'RowTotalFC',
    'Price',
    'TaxTotal',
    'GrossBuyPrice',
    'GrossProfitTotalBasePrice',
    'RemainingOpenQuantity',
    'BatchNumbers/BatchNumberProperty',
    'BatchNumbers/Quantity',
  ].map((p) => `DocumentLines/${p}`),
];
const TRANSFER_FIELDS = [
  'DocEntry',
  'DocNum',
  'TransNum',
  ...['ItemCode', 'Quantity', 'Price', 'WarehouseCode', 'FromWarehouseCode', 'BatchNumbers/BatchNumberProperty', 'BatchNumbers/Quantity'].map((p) => `StockTransferLines/${p}`),
];
const JE_FIELDS = ['JdtNum', 'ReferenceDate', 'OriginalJournal', 'Original', 'BaseReference', ...['AccountCode', 'Debit', 'Credit', 'ShortName'].map((p) => `JournalEntryLines/${p}`)];
const ITEM_FIELDS = [
  'ItemCode',
  'ManageBatchNumbers',
  'QuantityOnStock',
  'QuantityOrderedFromVendors',
  'QuantityOrderedByCustomers',
  ...['WarehouseCode', 'InStock', 'Committed', 'Ordered', 'StandardAveragePrice'].map((p) => `ItemWarehouseInfoCollection/${p}`),
];

/** Documents that move stock, and the direction (+1 in, -1 out) of their lines. */
const STOCK_DIRECTION: Record<string, number> = {
  DeliveryNotes: -1,
  Invoices: -1,
  Returns: 1,
  CreditNotes: 1,
  PurchaseDeliveryNotes: 1,
  PurchaseInvoices: 1,
  PurchaseReturns: -1,
  InventoryGenEntries: 1,
  InventoryGenExits: -1,
};
/** Sales documents carry the cost they moved stock at as GrossProfitTotalBasePrice; the others as LineTotal. */
const SALES = new Set(['DeliveryNotes', 'Invoices', 'Returns', 'CreditNotes']);
const JOURNAL_OF: Record<string, string> = {
  DeliveryNotes: 'ttDelivery',
  Invoices: 'ttARInvoice',
  Returns: 'ttReturn',
  CreditNotes: 'ttARCredItnote',
  PurchaseDeliveryNotes: 'ttPurchaseDeliveryNote',
  PurchaseInvoices: 'ttAPInvoice',
  PurchaseReturns: 'ttPurchaseReturn',
  InventoryGenEntries: 'ttGeneralReceiptToStock',
  InventoryGenExits: 'ttGeneralReleaseFromStock',
  StockTransfers: 'ttTransferBetweenWarehouses',
};
export const POSTING_SETS = Object.keys(STOCK_DIRECTION);

/**
 * An amount in whole cents, halves away from zero as SAP (and SQL NUMERIC rounding) round them; the small nudge
 * keeps a product like 11 x 53.915 = 593.065, held in binary as 593.06499..., on its decimal side.
 */
export function cents(value: unknown): number {
  const x = Number(value ?? 0) * 100;
  return Math.sign(x) * Math.round(Math.abs(x) + 1e-6);
}

export interface Served {
  docs: Map<string, Row[]>;
  transfers: Row[];
  orders: Row[];
  purchaseOrders: Row[];
  journal: Row[];
  items: Row[];
  accounts: Row[];
  warehouses: Row[];
}

export function load(sim: ServiceLayerSimulator): Served {
  const docs = new Map<string, Row[]>();
  for (const set of POSTING_SETS) docs.set(set, [...sim.groundTruth(set, DOC_FIELDS)]);
  return {
    docs,
    transfers: [...sim.groundTruth('StockTransfers', TRANSFER_FIELDS)],
    orders: [...sim.groundTruth('Orders', DOC_FIELDS)],
    purchaseOrders: [...sim.groundTruth('PurchaseOrders', DOC_FIELDS)],
    journal: [...sim.groundTruth('JournalEntries', JE_FIELDS)],
    items: [...sim.groundTruth('Items', ITEM_FIELDS)],
    accounts: [...sim.groundTruth('ChartOfAccounts', ['Code', 'AccountType', 'ActiveAccount'])],
    warehouses: [...sim.groundTruth('Warehouses', ['WarehouseCode', 'StockAccount'])],
  };
}

const lines = (r: Row, name = 'DocumentLines'): Row[] => (r[name] as Row[] | undefined) ?? [];
const isCancellation = (r: Row) => r.CancelStatus === 'csCancellation';

function add(map: Map<string, number>, key: string, value: number): void {
  const v = (map.get(key) ?? 0) + value;
  if (v === 0) map.delete(key);
  else map.set(key, v);
}

export function sorted(map: Map<string, number>): [string, number][] {
  return [...map].filter(([, v]) => v !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Entries whose debits and credits differ, and the sum of all debits minus credits. */
export function trialBalance(s: Served): { unbalanced: number[]; total: number } {
  const unbalanced: number[] = [];
  let total = 0;
  for (const je of s.journal) {
    let net = 0;
    for (const l of lines(je, 'JournalEntryLines')) net += cents(l.Debit) - cents(l.Credit);
    if (net !== 0) unbalanced.push(je.JdtNum as number);
    total += net;
  }
  return { unbalanced, total };
}

/** Balance (debit - credit) per account from the served journal entries. */
export function ledgerBalances(s: Served, options: { from?: string; to?: string } = {}): Map<string, number> {
  const result = new Map<string, number>();
  for (const je of s.journal) {
    const date = String(je.ReferenceDate);
    if ((options.from && date < options.from) || (options.to && date > options.to)) continue;
    for (const l of lines(je, 'JournalEntryLines')) add(result, String(l.AccountCode), cents(l.Debit) - cents(l.Credit));
  }
  return result;
}

/** Per business partner, the balance of a control account's partner lines in the served journal. */
export function partnerLedger(s: Served, controlAccount: string): Map<string, number> {
  const result = new Map<string, number>();
  for (const je of s.journal) {
    for (const l of lines(je, 'JournalEntryLines')) {
      if (l.AccountCode === controlAccount && l.ShortName !== controlAccount) add(result, String(l.ShortName), cents(l.Debit) - cents(l.Credit));
    }
  }
  return result;
}

/**
 * What each partner owes per the served documents: open invoices (DocTotal - PaidToDate) less open credit memos,
 * neither cancelled nor cancellations (a cancelled document and its cancellation net to nothing).
 */
export function openDocuments(s: Served, invoiceSet: string, creditSet: string | undefined): Map<string, number> {
  const result = new Map<string, number>();
  const counts = (d: Row) => d.Cancelled !== 'tYES' && !isCancellation(d);
  for (const d of s.docs.get(invoiceSet)!) if (counts(d)) add(result, String(d.CardCode), cents(d.DocTotal) - cents(d.PaidToDate));
  if (creditSet) for (const d of s.docs.get(creditSet)!) if (counts(d)) add(result, String(d.CardCode), -(cents(d.DocTotal) - cents(d.PaidToDate)));
  return result;
}

/** Whether a served document's lines move stock (invoices after a delivery and A/P invoices after a receipt do not). */
function movesStock(set: string, d: Row, byEntry: Map<string, Map<number, Row>>): boolean {
  if (set !== 'Invoices' && set !== 'PurchaseInvoices') return true;
  const original = isCancellation(d) ? byEntry.get(set)!.get(lines(d)[0]!.BaseEntry as number)! : d;
  const baseType = lines(original)[0]?.BaseType;
  return set === 'Invoices' ? baseType !== 15 : baseType !== 20;
}

export interface Movement {
  set: string;
  docEntry: number;
  item: string;
  warehouse: string;
  /** Signed quantity and value (cents) moved. */
  quantity: number;
  value: number;
  batches: [string, number][];
}

/** Every stock movement the served documents and transfers record, with the value their lines carry. */
export function movements(s: Served): Movement[] {
  const byEntry = new Map([...s.docs].map(([set, rows]) => [set, new Map(rows.map((d) => [d.DocEntry as number, d]))]));
  const result: Movement[] = [];
  for (const [set, rows] of s.docs) {
    for (const d of rows) {
      if (!movesStock(set, d, byEntry)) continue;
      const sign = STOCK_DIRECTION[set]! * (isCancellation(d) ? -1 : 1);
      for (const l of lines(d)) {
        const value = SALES.has(set) ? cents(l.GrossProfitTotalBasePrice) : cents(l.LineTotal);
        result.push({
          set,
          docEntry: d.DocEntry as number,
          item: String(l.ItemCode),
          warehouse: String(l.WarehouseCode),
          quantity: sign * (l.Quantity as number),
          value: sign * value,
          batches: lines(l, 'BatchNumbers').map((b) => [String(b.BatchNumberProperty), sign * (b.Quantity as number)]),
        });
      }
    }
  }
  for (const t of s.transfers) {
    for (const l of lines(t, 'StockTransferLines')) {
      const value = cents((l.Quantity as number) * (l.Price as number));
      const batches = lines(l, 'BatchNumbers').map((b) => [String(b.BatchNumberProperty), b.Quantity as number] as [string, number]);
      const base = { set: 'StockTransfers', docEntry: t.DocEntry as number, item: String(l.ItemCode) };
      result.push({ ...base, warehouse: String(l.FromWarehouseCode), quantity: -(l.Quantity as number), value: -value, batches: batches.map(([b, q]) => [b, -q]) });
      result.push({ ...base, warehouse: String(l.WarehouseCode), quantity: l.Quantity as number, value, batches });
    }
  }
  return result;
}

/** Quantity per item|warehouse summed from movements. */
export function stockFromMovements(m: Movement[]): Map<string, number> {
  const result = new Map<string, number>();
  for (const x of m) add(result, `${x.item}|${x.warehouse}`, x.quantity);
  return result;
}

/** Quantity per item|batch|warehouse summed from the movements' batch rows. */
export function batchesFromMovements(m: Movement[]): Map<string, number> {
  const result = new Map<string, number>();
  for (const x of m) for (const [batch, q] of x.batches) add(result, `${x.item}|${batch}|${x.warehouse}`, q);
  return result;
}

/** Stock value per warehouse summed from the movements' values. */
export function valueFromMovements(m: Movement[]): Map<string, number> {
  const result = new Map<string, number>();
  for (const x of m) add(result, x.warehouse, x.value);
  return result;
}

/** Quantity per item|warehouse as the served items show it. */
export function stockOfItems(s: Served, property: 'InStock' | 'Committed' | 'Ordered' = 'InStock'): Map<string, number> {
  const result = new Map<string, number>();
  for (const item of s.items) for (const w of lines(item, 'ItemWarehouseInfoCollection')) add(result, `${String(item.ItemCode)}|${String(w.WarehouseCode)}`, w[property] as number);
  return result;
}

/** Stock value per warehouse from the served items: InStock x StandardAveragePrice, to the cent per item. */
export function valueOfItems(s: Served): Map<string, number> {
  const result = new Map<string, number>();
  for (const item of s.items) {
    for (const w of lines(item, 'ItemWarehouseInfoCollection')) add(result, String(w.WarehouseCode), cents((w.InStock as number) * (w.StandardAveragePrice as number)));
  }
  return result;
}

/** The inventory account balances per warehouse (from the served journal). */
export function inventoryAccounts(s: Served): Map<string, number> {
  const balances = ledgerBalances(s);
  return new Map(s.warehouses.map((w) => [String(w.WarehouseCode), balances.get(String(w.StockAccount)) ?? 0]));
}

/** Open quantity per item|warehouse of open orders (or purchase orders). */
export function openOrderQuantities(rows: Row[]): Map<string, number> {
  const result = new Map<string, number>();
  for (const d of rows) {
    if (d.DocumentStatus !== 'bost_Open') continue;
    for (const l of lines(d)) add(result, `${String(l.ItemCode)}|${String(l.WarehouseCode)}`, l.RemainingOpenQuantity as number);
  }
  return result;
}

/**
 * For every posting document: the journal entry it points at (TransNum) must point back (Original, BaseReference,
 * OriginalJournal), its lines on the cost-of-goods accounts must equal the lines' cost as served, its lines on
 * the inventory accounts the lines' stock values. Returns the problems found.
 */
export function documentPostings(s: Served): string[] {
  const journal = new Map(s.journal.map((je) => [je.JdtNum as number, je]));
  const inventory = new Set(s.warehouses.map((w) => String(w.StockAccount)));
  const cogs = new Set(s.accounts.filter((a) => /^51[1-5]/.test(String(a.Code))).map((a) => String(a.Code)));
  const problems: string[] = [];
  const byEntry = new Map([...s.docs].map(([set, rows]) => [set, new Map(rows.map((d) => [d.DocEntry as number, d]))]));
  const check = (set: string, d: Row, stockValue: number, cost: number) => {
    const je = journal.get(d.TransNum as number);
    if (!je) return problems.push(`${set}(${d.DocEntry}) has no journal entry ${d.TransNum}`);
    if (je.Original !== d.DocEntry || je.OriginalJournal !== JOURNAL_OF[set] || je.BaseReference !== String(d.DocNum)) problems.push(`${set}(${d.DocEntry}) and entry ${je.JdtNum} do not point at each other`);
    let postedStock = 0;
    let postedCost = 0;
    for (const l of lines(je, 'JournalEntryLines')) {
      const net = cents(l.Debit) - cents(l.Credit);
      if (inventory.has(String(l.AccountCode))) postedStock += net;
      if (cogs.has(String(l.AccountCode))) postedCost += net;
    }
    if (set !== 'StockTransfers' && postedStock !== stockValue) problems.push(`${set}(${d.DocEntry}) posted ${postedStock} to inventory, its lines moved ${stockValue}`);
    if (postedCost !== cost) problems.push(`${set}(${d.DocEntry}) posted ${postedCost} cost of goods, its lines cost ${cost}`);
  };
  for (const [set, rows] of s.docs) {
    for (const d of rows) {
      const moves = movesStock(set, d, byEntry);
      const sign = STOCK_DIRECTION[set]! * (isCancellation(d) ? -1 : 1);
      let value = 0;
      let cost = 0;
      for (const l of lines(d)) {
        const lineValue = SALES.has(set) ? cents(l.GrossProfitTotalBasePrice) : cents(l.LineTotal);
        if (SALES.has(set) && lineValue !== cents((l.Quantity as number) * (l.GrossBuyPrice as number))) problems.push(`${set}(${d.DocEntry}) line ${l.LineNum}: cost ${lineValue} is not quantity x unit cost`);
        if (!moves) continue;
        value += sign * lineValue;
        if (SALES.has(set)) cost -= sign * lineValue;
      }
      check(set, d, value, cost);
    }
  }
  for (const t of s.transfers) check('StockTransfers', t, 0, 0);
  return problems;
}

/** Revenue (credit - debit on revenue accounts) and output tax per invoice's entry, against its lines net of the header discount. */
export function revenueProblems(s: Served): string[] {
  const journal = new Map(s.journal.map((je) => [je.JdtNum as number, je]));
  const revenue = new Set(s.accounts.filter((a) => a.AccountType === 'at_Revenues' && a.ActiveAccount === 'tYES').map((a) => String(a.Code)));
  const problems: string[] = [];
  for (const set of ['Invoices', 'CreditNotes']) {
    for (const d of s.docs.get(set)!) {
      const sign = (set === 'Invoices' ? 1 : -1) * (isCancellation(d) ? -1 : 1);
      const keep = 1 - (d.DiscountPercent as number) / 100;
      const expected = lines(d).reduce((n, l) => n + cents((cents(l.LineTotal) / 100) * keep), 0);
      const je = journal.get(d.TransNum as number)!;
      let posted = 0;
      let tax = 0;
      for (const l of lines(je, 'JournalEntryLines')) {
        if (revenue.has(String(l.AccountCode))) posted += cents(l.Credit) - cents(l.Debit);
        if (l.AccountCode === '221000') tax += cents(l.Credit) - cents(l.Debit);
      }
      if (posted !== sign * expected) problems.push(`${set}(${d.DocEntry}) posted revenue ${posted}, lines net of ${d.DiscountPercent}% make ${sign * expected}`);
      if (tax !== sign * cents(d.VatSum)) problems.push(`${set}(${d.DocEntry}) posted tax ${tax}, VatSum ${d.VatSum}`);
    }
  }
  return problems;
}
