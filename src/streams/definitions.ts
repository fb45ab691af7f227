/**
 * The table of streams. Every shipped stream is a row of data here, read by the one generic
 * engine in engine.ts, which knows no entity by name. A row says which
 * entity set feeds it, its key, how changes are found (its cursor policy), and which collection
 * properties of the same response become child streams.
 */

/**
 * How a stream finds what changed since the last sync: its cursor policy, declared here and
 * implemented in cursor/ (one module per kind, where each is explained):
 * - change_stamp: records changed (UpdateDate) on or after the day the previous read started;
 * - key_and_posting_window: new keys, plus records posted within a re-read window, for entities
 *   without a change stamp (journal entries, payments);
 * - none: everything, every sync (master data; items and business partners, whose stock and
 *   balances move without their change stamp moving).
 */
export type CursorDeclaration = { kind: 'change_stamp' } | { kind: 'key_and_posting_window'; postingDateProperty: string } | { kind: 'none' };

/** The properties that together say when a record last changed (the updated_at column). */
export interface ChangeStamp {
  dateProperty: string;
  timeProperty?: string;
}

export interface ChildStreamDefinition {
  /** Airbyte stream name. */
  name: string;
  /** Collection property of the parent entity whose rows become this stream's records (with `nested`, whose rows hold them). */
  collection: string;
  /** File under schemas/streams/ describing the child's own columns; absent for configured entity sets, whose columns come from $metadata. */
  schema?: string;
  /**
   * The key of a row of the collection within its parent, as SAP properties: usually one
   * (LineNum); a distribution rule's lines have no key property of their own, and CenterCode with
   * EffectiveFrom tell the lines of one rule version from those of another.
   */
  lineKey: readonly string[];
  /**
   * Column that carries the parent's key in each child record. When the child row already has a
   * property with that column name (DocumentLine.DocEntry, ItemWarehouseInfo.ItemCode) it must
   * agree with the parent, otherwise the parent's key fills it.
   */
  parentKeyColumn: string;
  /** Present when the records are the rows of a collection inside each row of `collection` (the BatchNumbers of each DocumentLine). */
  nested?: NestedCollection;
}

/**
 * A collection in each row of a parent's collection, read from the same response as the parent:
 * a record per row of it, keyed by the parent's key, the enclosing row's key and its own.
 */
export interface NestedCollection {
  /** Collection property of each row of the parent's collection, e.g. BatchNumbers of a DocumentLine. */
  collection: string;
  /**
   * Column that carries the enclosing row's key (its one lineKey property) in each record, filled
   * from that row by the engine, as parentKeyColumn is filled from the parent.
   */
  lineKeyColumn: string;
  /**
   * The property of a nested row in which SAP repeats its enclosing row's key
   * (BatchNumber.BaseLineNumber, mapped to the line number DocLineNum): what a reader that does not
   * see the enclosing row, the declarative manifest, reads instead.
   */
  lineKeyProperty: string;
  /** The record's own key within its enclosing row, as SAP properties (a batch allocation: its batch). */
  key: readonly string[];
}

export interface StreamDefinition {
  /** Airbyte stream name of the parent (header) stream. */
  name: string;
  /** Service Layer entity set. */
  entitySet: string;
  /** File under schemas/streams/ describing the parent's columns; absent for configured entity sets, whose columns come from $metadata. */
  schema?: string;
  /** Single-property key of the entity set, as an SAP property name. Reads are paged by it. */
  key: string;
  /** The Airbyte primary key, when it is not the entity's key (a financial year is known by its Code). */
  primaryKey?: string;
  cursor: CursorDeclaration;
  /** Present when the entity carries a change stamp; it then gets an updated_at column. */
  changeStamp?: ChangeStamp;
  children: ChildStreamDefinition[];
}

const updateStamp: ChangeStamp = { dateProperty: 'UpdateDate', timeProperty: 'UpdateTime' };

/**
 * The batch allocations of a stock-moving document's lines: the BatchNumbers of each line, one
 * record per line and batch (a line takes a batch once). They come with their document in the one
 * read of its entity set, so they share its cursor policy and parent stamp.
 */
function batchAllocations(headerName: string, linesCollection: string): ChildStreamDefinition {
  return {
    name: `${headerName}_batch_numbers`,
    collection: linesCollection,
    schema: 'batch_number',
    lineKey: ['LineNum'],
    parentKeyColumn: 'doc_entry',
    nested: { collection: 'BatchNumbers', lineKeyColumn: 'base_line_number', lineKeyProperty: 'BaseLineNumber', key: ['BatchNumberProperty'] },
  };
}

/**
 * A marketing or inventory document (SAPB1.Document): every change moves its UpdateDate and
 * UpdateTime, so it is read by change stamp. Documents that move stock also offer their lines'
 * batch allocations.
 */
function documentStream(name: string, entitySet: string, linesName: string, movesStock: 'moves_stock' | 'no_stock'): StreamDefinition {
  return {
    name,
    entitySet,
    schema: 'document',
    key: 'DocEntry',
    cursor: { kind: 'change_stamp' },
    changeStamp: updateStamp,
    children: [
      { name: linesName, collection: 'DocumentLines', schema: 'document_line', lineKey: ['LineNum'], parentKeyColumn: 'doc_entry' },
      ...(movesStock === 'moves_stock' ? [batchAllocations(name, 'DocumentLines')] : []),
    ],
  };
}

function paymentStream(name: string, entitySet: string, invoicesName: string): StreamDefinition {
  return {
    name,
    entitySet,
    schema: 'payment',
    key: 'DocEntry',
    cursor: { kind: 'key_and_posting_window', postingDateProperty: 'DocDate' },
    children: [{ name: invoicesName, collection: 'PaymentInvoices', schema: 'payment_invoice', lineKey: ['LineNum'], parentKeyColumn: 'doc_entry' }],
  };
}

function masterDataStream(name: string, entitySet: string, schema: string, key: string): StreamDefinition {
  return { name, entitySet, schema, key, cursor: { kind: 'none' }, children: [] };
}

export const shippedStreams: readonly StreamDefinition[] = [
  // Orders and purchase orders reserve and order stock; the other documents move it.
  documentStream('invoices', 'Invoices', 'invoice_lines', 'moves_stock'),
  documentStream('credit_notes', 'CreditNotes', 'credit_note_lines', 'moves_stock'),
  documentStream('purchase_invoices', 'PurchaseInvoices', 'purchase_invoice_lines', 'moves_stock'),
  documentStream('purchase_orders', 'PurchaseOrders', 'purchase_order_lines', 'no_stock'),
  documentStream('goods_receipts', 'PurchaseDeliveryNotes', 'goods_receipt_lines', 'moves_stock'),
  documentStream('orders', 'Orders', 'order_lines', 'no_stock'),
  documentStream('delivery_notes', 'DeliveryNotes', 'delivery_note_lines', 'moves_stock'),
  documentStream('returns', 'Returns', 'return_lines', 'moves_stock'),
  documentStream('purchase_returns', 'PurchaseReturns', 'purchase_return_lines', 'moves_stock'),
  documentStream('inventory_gen_entries', 'InventoryGenEntries', 'inventory_gen_entry_lines', 'moves_stock'),
  documentStream('inventory_gen_exits', 'InventoryGenExits', 'inventory_gen_exit_lines', 'moves_stock'),
  {
    // A stock transfer has UpdateDate but no UpdateTime (nor DataVersion): its change stamp is a
    // day, which change_stamp needs no more than (it re-reads whole days).
    name: 'stock_transfers',
    entitySet: 'StockTransfers',
    schema: 'stock_transfer',
    key: 'DocEntry',
    cursor: { kind: 'change_stamp' },
    changeStamp: { dateProperty: 'UpdateDate' },
    children: [
      {
        name: 'stock_transfer_lines',
        collection: 'StockTransferLines',
        schema: 'stock_transfer_line',
        lineKey: ['LineNum'],
        parentKeyColumn: 'doc_entry',
      },
      batchAllocations('stock_transfers', 'StockTransferLines'),
    ],
  },
  {
    // No change stamp: a new entry gets a higher key and a reversal is a new entry, so new keys
    // plus a re-read window of recent postings find every change.
    name: 'journal_entries',
    entitySet: 'JournalEntries',
    schema: 'journal_entry',
    key: 'JdtNum',
    cursor: { kind: 'key_and_posting_window', postingDateProperty: 'ReferenceDate' },
    children: [
      {
        name: 'journal_entry_lines',
        collection: 'JournalEntryLines',
        schema: 'journal_entry_line',
        lineKey: ['Line_ID'],
        parentKeyColumn: 'jdt_num',
      },
    ],
  },
  // No change stamp; a cancellation changes the payment in place, so recent postings are re-read.
  paymentStream('incoming_payments', 'IncomingPayments', 'incoming_payment_invoices'),
  paymentStream('outgoing_payments', 'VendorPayments', 'outgoing_payment_invoices'),
  {
    // Stamped, but stock and prices move without moving the stamp: read in full.
    name: 'items',
    entitySet: 'Items',
    schema: 'item',
    key: 'ItemCode',
    cursor: { kind: 'none' },
    changeStamp: updateStamp,
    children: [
      {
        name: 'item_warehouse_stock',
        collection: 'ItemWarehouseInfoCollection',
        schema: 'item_warehouse_stock',
        lineKey: ['WarehouseCode'],
        parentKeyColumn: 'item_code',
      },
    ],
  },
  {
    // Stamped, but balances move without moving the stamp: read in full.
    name: 'business_partners',
    entitySet: 'BusinessPartners',
    schema: 'business_partner',
    key: 'CardCode',
    cursor: { kind: 'none' },
    changeStamp: updateStamp,
    children: [],
  },
  // Master data without a change stamp: read in full.
  masterDataStream('gl_accounts', 'ChartOfAccounts', 'gl_account', 'Code'),
  masterDataStream('cost_centers', 'ProfitCenters', 'cost_center', 'CenterCode'),
  masterDataStream('dimensions', 'Dimensions', 'dimension', 'DimensionCode'),
  {
    // No change stamp, and a new validity period adds lines to an existing rule: read in full.
    ...masterDataStream('distribution_rules', 'DistributionRules', 'distribution_rule', 'FactorCode'),
    children: [
      {
        name: 'distribution_rule_lines',
        collection: 'DistributionRuleLines',
        schema: 'distribution_rule_line',
        lineKey: ['CenterCode', 'EffectiveFrom'],
        parentKeyColumn: 'factor_code',
      },
    ],
  },
  masterDataStream('warehouses', 'Warehouses', 'warehouse', 'WarehouseCode'),
  masterDataStream('item_groups', 'ItemGroups', 'item_group', 'Number'),
  // No change stamp, and a batch's status and dates change in place (new batches get higher keys): read in full.
  masterDataStream('batch_number_details', 'BatchNumberDetails', 'batch_number_detail', 'DocEntry'),
  // No change stamp; known by its Code (the year), paged by its AbsEntry.
  { ...masterDataStream('financial_years', 'FinancialYears', 'financial_year', 'AbsEntry'), primaryKey: 'Code' },
];
