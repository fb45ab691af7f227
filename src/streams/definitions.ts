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
  /** Collection property of the parent entity whose rows become this stream's records. */
  collection: string;
  /** File under schemas/streams/ describing the child's own columns; absent for configured entity sets, whose columns come from $metadata. */
  schema?: string;
  /** The child's key within its parent, as an SAP property. */
  lineKey: string;
  /**
   * Column that carries the parent's key in each child record. When the child row already has a
   * property with that column name (DocumentLine.DocEntry, ItemWarehouseInfo.ItemCode) it must
   * agree with the parent, otherwise the parent's key fills it.
   */
  parentKeyColumn: string;
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
  cursor: CursorDeclaration;
  /** Present when the entity carries a change stamp; it then gets an updated_at column. */
  changeStamp?: ChangeStamp;
  children: ChildStreamDefinition[];
}

const updateStamp: ChangeStamp = { dateProperty: 'UpdateDate', timeProperty: 'UpdateTime' };

function documentStream(name: string, entitySet: string, linesName: string): StreamDefinition {
  return {
    name,
    entitySet,
    schema: 'document',
    key: 'DocEntry',
    cursor: { kind: 'change_stamp' },
    changeStamp: updateStamp,
    children: [{ name: linesName, collection: 'DocumentLines', schema: 'document_line', lineKey: 'LineNum', parentKeyColumn: 'doc_entry' }],
  };
}

function paymentStream(name: string, entitySet: string, invoicesName: string): StreamDefinition {
  return {
    name,
    entitySet,
    schema: 'payment',
    key: 'DocEntry',
    cursor: { kind: 'key_and_posting_window', postingDateProperty: 'DocDate' },
    children: [{ name: invoicesName, collection: 'PaymentInvoices', schema: 'payment_invoice', lineKey: 'LineNum', parentKeyColumn: 'doc_entry' }],
  };
}

function masterDataStream(name: string, entitySet: string, schema: string, key: string): StreamDefinition {
  return { name, entitySet, schema, key, cursor: { kind: 'none' }, children: [] };
}

export const shippedStreams: readonly StreamDefinition[] = [
  documentStream('invoices', 'Invoices', 'invoice_lines'),
  documentStream('credit_notes', 'CreditNotes', 'credit_note_lines'),
  documentStream('purchase_invoices', 'PurchaseInvoices', 'purchase_invoice_lines'),
  documentStream('purchase_orders', 'PurchaseOrders', 'purchase_order_lines'),
  documentStream('goods_receipts', 'PurchaseDeliveryNotes', 'goods_receipt_lines'),
  {
    name: 'journal_entries',
    entitySet: 'JournalEntries',
    schema: 'journal_entry',
    key: 'JdtNum',
    cursor: { kind: 'key_and_posting_window', postingDateProperty: 'ReferenceDate' },
    children: [
      { name: 'journal_entry_lines', collection: 'JournalEntryLines', schema: 'journal_entry_line', lineKey: 'Line_ID', parentKeyColumn: 'jdt_num' },
    ],
  },
  paymentStream('incoming_payments', 'IncomingPayments', 'incoming_payment_invoices'),
  paymentStream('outgoing_payments', 'VendorPayments', 'outgoing_payment_invoices'),
  {
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
        lineKey: 'WarehouseCode',
        parentKeyColumn: 'item_code',
      },
    ],
  },
  {
    name: 'business_partners',
    entitySet: 'BusinessPartners',
    schema: 'business_partner',
    key: 'CardCode',
    cursor: { kind: 'none' },
    changeStamp: updateStamp,
    children: [],
  },
  masterDataStream('gl_accounts', 'ChartOfAccounts', 'gl_account', 'Code'),
  masterDataStream('cost_centers', 'ProfitCenters', 'cost_center', 'CenterCode'),
  masterDataStream('dimensions', 'Dimensions', 'dimension', 'DimensionCode'),
  masterDataStream('distribution_rules', 'DistributionRules', 'distribution_rule', 'FactorCode'),
  masterDataStream('warehouses', 'Warehouses', 'warehouse', 'WarehouseCode'),
  masterDataStream('item_groups', 'ItemGroups', 'item_group', 'Number'),
];
