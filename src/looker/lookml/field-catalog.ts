/**
 * How stream columns appear to Looker users: the curated columns of each schema (the ones a
 * finance or operations user looks for) with a human label, a description naming the SAP
 * property, a group label and a format. Every other column stays in the view, hidden from the
 * field picker but usable in SQL, drills and refinements (view: +invoices { dimension: x {
 * hidden: no } }). User-defined fields (U_...) are shown: a company adds them to be used.
 *
 * Keyed by the schema file a stream's columns come from (see src/streams/relations.ts), because
 * streams that share a schema (invoices, credit_notes, ...) share the meaning of their columns.
 */

export type ColumnFormat = 'amount' | 'quantity' | 'id' | 'percent_number';

export interface ColumnPresentation {
  label: string;
  description: string;
  group?: string;
  format?: ColumnFormat;
}

type Entry = [column: string, label: string, description: string, group?: string, format?: ColumnFormat];

const DOCUMENT: Entry[] = [
  ['doc_num', 'Document number', 'The number users see on the document in SAP (DocNum).', 'Document', 'id'],
  ['doc_date', 'Posting', 'Posting date of the document (DocDate).', 'Dates'],
  ['doc_due_date', 'Due', 'Due date (DocDueDate): when payment is due on invoices, the delivery date on orders.', 'Dates'],
  ['card_code', 'Business partner code', 'Customer or vendor code (CardCode).', 'Business partner'],
  ['card_name', 'Business partner name', 'Customer or vendor name as printed on the document (CardName).', 'Business partner'],
  ['num_at_card', 'Business partner reference', "The customer's or vendor's own reference, e.g. their order number (NumAtCard).", 'Document'],
  ['doc_currency', 'Document currency', 'Currency the document was issued in (DocCurrency).', 'Amounts'],
  ['doc_rate', 'Exchange rate', 'Rate from the document currency to local currency (DocRate).', 'Amounts'],
  ['doc_total', 'Document total incl. tax', 'Total including tax, in local currency (DocTotal).', 'Amounts', 'amount'],
  ['vat_sum', 'Tax amount', 'Tax of the document, in local currency (VatSum).', 'Amounts', 'amount'],
  ['discount_percent', 'Header discount %', 'Document-level discount applied to the line totals (DiscountPercent), 0 to 100.', 'Amounts', 'percent_number'],
  ['total_discount', 'Header discount amount', 'Document-level discount in local currency (TotalDiscount).', 'Amounts', 'amount'],
  ['paid_to_date', 'Paid to date', 'Amount paid or settled so far, in local currency (PaidToDate).', 'Amounts', 'amount'],
  ['document_status', 'Status', 'bost_Open while the document is open, bost_Close once closed (DocumentStatus).', 'Document'],
  ['cancelled', 'Is cancelled', 'Yes when the document was cancelled in SAP (Cancelled).', 'Document'],
  ['sales_person_code', 'Sales employee code', 'Sales employee of the document (SalesPersonCode); -1 means none.', 'Document', 'id'],
  ['comments', 'Remarks', 'Free-text remarks of the document (Comments).', 'Document'],
];

const DOCUMENT_LINE: Entry[] = [
  ['line_num', 'Line number', 'Number of the line within its document, from 0 (LineNum).', 'Line', 'id'],
  ['item_code', 'Item code', 'Item of the line (ItemCode).', 'Item'],
  ['item_description', 'Item description', 'Item description as written on the line (ItemDescription).', 'Item'],
  ['quantity', 'Quantity', "Quantity in the line's unit of measure (Quantity).", 'Line', 'quantity'],
  ['uom_code', 'Unit of measure', 'Unit of measure of the quantity (UoMCode).', 'Line'],
  ['unit_price', 'Unit price before discount', 'Price per unit before the line discount, in the line currency (UnitPrice).', 'Line'],
  ['price', 'Unit price', 'Price per unit after the line discount, in the line currency (Price).', 'Line'],
  ['discount_percent', 'Line discount %', 'Discount of the line (DiscountPercent), 0 to 100.', 'Line', 'percent_number'],
  ['line_total', 'Line total', 'Line amount after the line discount, before the header discount and tax, in local currency (LineTotal).', 'Line', 'amount'],
  ['warehouse_code', 'Warehouse code', 'Warehouse the line moves stock in or out of (WarehouseCode).', 'Line'],
  ['account_code', 'G/L account', 'Account the line posts to: revenue on sales lines, inventory or expense on purchase lines (AccountCode).', 'Accounting'],
  ['cogs_account_code', 'Cost of goods account', 'Account the cost of goods of a sales line posts to (COGSAccountCode).', 'Accounting'],
  ['costing_code', 'Distribution rule, dimension 1', 'Distribution rule (cost center or split rule) of dimension 1 on the line (CostingCode).', 'Accounting'],
  ['costing_code2', 'Distribution rule, dimension 2', 'Distribution rule of dimension 2 on the line (CostingCode2).', 'Accounting'],
  ['tax_code', 'Tax code', 'Tax code of the line (TaxCode).', 'Line'],
  ['line_status', 'Line status', 'bost_Open or bost_Close (LineStatus).', 'Line'],
];

const JOURNAL_ENTRY: Entry[] = [
  ['jdt_num', 'Transaction number', 'Key of the journal entry (JdtNum, TransId in SAP tables).', 'Journal entry', 'id'],
  ['number', 'Journal entry number', 'Number shown on the journal entry (Number).', 'Journal entry', 'id'],
  ['reference_date', 'Posting', 'Posting date of the journal entry (ReferenceDate).', 'Dates'],
  ['due_date', 'Due', 'Due date of the journal entry (DueDate).', 'Dates'],
  ['memo', 'Remarks', 'Remarks of the journal entry (Memo), e.g. "A/R Invoices - C10023".', 'Journal entry'],
  ['reference', 'Reference 1', 'First reference (Reference), usually the number of the document that posted the entry.', 'Journal entry'],
  ['transaction_code', 'Transaction code', 'User-defined transaction code (TransactionCode), e.g. for month-end entries.', 'Journal entry'],
  ['original_journal', 'Origin', 'Kind of transaction that posted the entry (OriginalJournal): ttARInvoice, ttReceipt, ttJournalEntry, ttClosingBalance...', 'Journal entry'],
  ['original', 'Origin document entry', 'Internal key of the document that posted the entry (Original, CreatedBy in SAP tables).', 'Journal entry', 'id'],
  ['base_reference', 'Origin document number', 'Number of the document that posted the entry (BaseReference).', 'Journal entry'],
];

const JOURNAL_ENTRY_LINE: Entry[] = [
  ['line_id', 'Line number', 'Number of the line within its journal entry, from 0 (Line_ID).', 'Line', 'id'],
  ['account_code', 'G/L account code', 'Account posted to (AccountCode); the control account on business-partner lines.', 'Account'],
  ['short_name', 'Account or business partner', 'The business partner code on receivable and payable lines, else the account code (ShortName).', 'Account'],
  ['debit', 'Debit', 'Debit in local currency (Debit).', 'Amounts', 'amount'],
  ['credit', 'Credit', 'Credit in local currency (Credit).', 'Amounts', 'amount'],
  ['due_date', 'Line due', 'Due date of the line (DueDate).', 'Dates'],
  ['line_memo', 'Line remarks', 'Remarks of the line (LineMemo).', 'Line'],
  ['costing_code', 'Distribution rule, dimension 1', 'Distribution rule (cost center or split rule) of dimension 1 (CostingCode).', 'Accounting'],
  ['costing_code2', 'Distribution rule, dimension 2', 'Distribution rule of dimension 2 (CostingCode2).', 'Accounting'],
  ['project_code', 'Project', 'Project of the line (ProjectCode).', 'Accounting'],
];

const PAYMENT: Entry[] = [
  ['doc_num', 'Payment number', 'Number of the payment (DocNum).', 'Payment', 'id'],
  ['doc_date', 'Posting', 'Posting date of the payment (DocDate).', 'Dates'],
  ['card_code', 'Business partner code', 'Customer or vendor paid (CardCode).', 'Business partner'],
  ['card_name', 'Business partner name', 'Name of the customer or vendor (CardName).', 'Business partner'],
  ['doc_type', 'Paid by or to', 'rCustomer, rSupplier, or rAccount for payments to a G/L account (DocType).', 'Payment'],
  ['doc_currency', 'Payment currency', 'Currency of the payment (DocCurrency).', 'Amounts'],
  ['cash_sum', 'Cash', 'Amount paid in cash, local currency (CashSum).', 'Means of payment', 'amount'],
  ['transfer_sum', 'Bank transfer', 'Amount paid by bank transfer, local currency (TransferSum).', 'Means of payment', 'amount'],
  ['transfer_date', 'Transfer', 'Date of the bank transfer (TransferDate).', 'Dates'],
  ['transfer_reference', 'Transfer reference', 'Reference of the bank transfer (TransferReference).', 'Means of payment'],
  ['cancelled', 'Is cancelled', 'Yes when the payment was cancelled (Cancelled); cancelled payments are left out of the cash explores.', 'Payment'],
  ['remarks', 'Remarks', 'Remarks of the payment (Remarks).', 'Payment'],
];

const PAYMENT_INVOICE: Entry[] = [
  ['line_num', 'Settlement line', 'Number of the settled-document row within the payment (LineNum).', 'Settlement', 'id'],
  ['invoice_type', 'Settled document type', 'Kind of document settled (InvoiceType): it_Invoice, it_CredItnote, it_PurchaseInvoice...', 'Settlement'],
  ['invoice_doc_entry', 'Settled document entry', 'Internal key of the settled document (DocEntry).', 'Settlement', 'id'],
  ['invoice_doc_num', 'Settled document number', 'Number of the settled document (DocNum).', 'Settlement', 'id'],
  ['sum_applied', 'Amount applied', 'Amount of the payment applied to this document, local currency (SumApplied).', 'Settlement', 'amount'],
];

const BUSINESS_PARTNER: Entry[] = [
  ['card_code', 'Code', 'Business partner code (CardCode).', 'Business partner'],
  ['card_name', 'Name', 'Business partner name (CardName).', 'Business partner'],
  ['card_type', 'Type', 'cCustomer, cSupplier or cLid for leads (CardType).', 'Business partner'],
  ['group_code', 'Group code', 'Business partner group (GroupCode).', 'Business partner', 'id'],
  ['city', 'City', 'City of the bill-to address (City).', 'Address'],
  ['bill_to_state', 'State', 'State of the bill-to address (BillToState).', 'Address'],
  ['country', 'Country', 'Country of the business partner (Country).', 'Address'],
  ['currency', 'Currency', 'Currency of the business partner (Currency); ## means all currencies.', 'Terms'],
  ['pay_terms_grp_code', 'Payment terms code', 'Payment terms of the business partner (PayTermsGrpCode).', 'Terms', 'id'],
  ['credit_limit', 'Credit limit', 'Credit limit in local currency (CreditLimit).', 'Terms', 'amount'],
  ['current_account_balance', 'Account balance', 'Balance of the business partner account now, local currency (CurrentAccountBalance).', 'Terms', 'amount'],
  ['sales_person_code', 'Sales employee code', 'Sales employee responsible for the partner (SalesPersonCode).', 'Business partner', 'id'],
  ['frozen', 'Is inactive', 'Yes when the business partner is inactive (Frozen).', 'Business partner'],
];

const ITEM: Entry[] = [
  ['item_code', 'Item code', 'Item number (ItemCode).', 'Item'],
  ['item_name', 'Item name', 'Item description (ItemName).', 'Item'],
  ['items_group_code', 'Item group number', 'Item group of the item (ItemsGroupCode).', 'Item', 'id'],
  ['inventory_uom', 'Inventory unit', 'Unit of measure stock is kept in (InventoryUOM).', 'Item'],
  ['inventory_item', 'Is inventory item', 'Yes when the item is kept in stock (InventoryItem).', 'Item'],
  ['manage_batch_numbers', 'Is batch managed', 'Yes when stock of the item is tracked in batches (ManageBatchNumbers).', 'Item'],
  ['quantity_on_stock', 'Quantity in stock (all warehouses)', 'Quantity on hand across warehouses now (QuantityOnStock).', 'Stock', 'quantity'],
  ['mainsupplier', 'Preferred vendor', 'Preferred vendor of the item (Mainsupplier).', 'Item'],
  ['cost_accounting_method', 'Valuation method', 'Inventory valuation method (CostAccountingMethod): moving average, standard or FIFO.', 'Item'],
];

const ITEM_GROUP: Entry[] = [
  ['number', 'Item group number', 'Key of the item group (Number).', 'Item group', 'id'],
  ['group_name', 'Item group', 'Name of the item group (GroupName).', 'Item group'],
];

const ITEM_WAREHOUSE_STOCK: Entry[] = [
  ['item_code', 'Item code', 'Item of the stock row (ItemCode).', 'Stock'],
  ['warehouse_code', 'Warehouse code', 'Warehouse of the stock row (WarehouseCode).', 'Stock'],
  ['in_stock', 'In stock', 'Quantity on hand in the warehouse now (InStock).', 'Stock', 'quantity'],
  ['committed', 'Committed', 'Quantity committed to customer orders (Committed).', 'Stock', 'quantity'],
  ['ordered', 'Ordered', 'Quantity ordered from vendors, not yet received (Ordered).', 'Stock', 'quantity'],
  ['standard_average_price', 'Item cost', "The item's cost in this warehouse, local currency (StandardAveragePrice).", 'Stock', 'amount'],
];

const WAREHOUSE: Entry[] = [
  ['warehouse_code', 'Warehouse code', 'Warehouse code (WarehouseCode).', 'Warehouse'],
  ['warehouse_name', 'Warehouse', 'Warehouse name (WarehouseName).', 'Warehouse'],
  ['city', 'Warehouse city', 'City of the warehouse (City).', 'Warehouse'],
  ['state', 'Warehouse state', 'State of the warehouse (State).', 'Warehouse'],
];

const GL_ACCOUNT: Entry[] = [
  ['code', 'Account code', 'Internal account code (Code, AcctCode in SAP tables).', 'Account'],
  ['format_code', 'Account number', 'The segmented account number users see (FormatCode).', 'Account'],
  ['name', 'Account name', 'Name of the account (Name).', 'Account'],
  ['account_type', 'Account type', 'at_Revenues, at_Expenses or at_Other (AccountType): revenue and expense accounts make the profit and loss.', 'Account'],
  ['account_level', 'Account level', 'Level of the account in the chart of accounts, 1 at the top (AccountLevel).', 'Account', 'id'],
  ['father_account_key', 'Parent account code', 'Code of the title account above this one (FatherAccountKey).', 'Account'],
];

const COST_CENTER: Entry[] = [
  ['center_code', 'Cost center code', 'Cost center code (CenterCode).', 'Cost center'],
  ['center_name', 'Cost center', 'Cost center name (CenterName).', 'Cost center'],
  ['in_which_dimension', 'Dimension', 'Dimension (1 to 5) the cost center belongs to (InWhichDimension).', 'Cost center', 'id'],
];

const DIMENSION: Entry[] = [
  ['dimension_code', 'Dimension number', 'Dimension number, 1 to 5 (DimensionCode).', 'Dimension', 'id'],
  ['dimension_description', 'Dimension', 'What the dimension stands for, e.g. Regions (DimensionDescription).', 'Dimension'],
  ['is_active', 'Is active', 'Yes when the dimension is in use (IsActive).', 'Dimension'],
];

const DISTRIBUTION_RULE: Entry[] = [
  ['factor_code', 'Distribution rule code', 'Distribution rule code (FactorCode).', 'Distribution rule'],
  ['factor_description', 'Distribution rule', 'Description of the rule (FactorDescription).', 'Distribution rule'],
  ['in_which_dimension', 'Dimension', 'Dimension the rule belongs to (InWhichDimension).', 'Distribution rule', 'id'],
  ['direct', 'Is direct', 'tYES when the rule posts to one cost center of the same code (Direct).', 'Distribution rule'],
];

const BY_SCHEMA: Record<string, Entry[]> = {
  document: DOCUMENT,
  document_line: DOCUMENT_LINE,
  journal_entry: JOURNAL_ENTRY,
  journal_entry_line: JOURNAL_ENTRY_LINE,
  payment: PAYMENT,
  payment_invoice: PAYMENT_INVOICE,
  business_partner: BUSINESS_PARTNER,
  item: ITEM,
  item_group: ITEM_GROUP,
  item_warehouse_stock: ITEM_WAREHOUSE_STOCK,
  warehouse: WAREHOUSE,
  gl_account: GL_ACCOUNT,
  cost_center: COST_CENTER,
  dimension: DIMENSION,
  distribution_rule: DISTRIBUTION_RULE,
};

/** The curated presentation of a column of a stream with this schema, or undefined (then hidden). */
export function curatedColumn(schema: string | undefined, column: string): ColumnPresentation | undefined {
  const entry = (schema === undefined ? undefined : BY_SCHEMA[schema])?.find((e) => e[0] === column);
  if (!entry) return undefined;
  const [, label, description, group, format] = entry;
  return { label, description, ...(group ? { group } : {}), ...(format ? { format } : {}) };
}

/** Words of a snake_case name as a label: costing_code2 -> "Costing code 2", u_delivery_route -> "Delivery route". */
export function humanLabel(column: string): string {
  const words = column
    .replace(/^u_/, '')
    .replace(/([a-z])(\d)/g, '$1 $2')
    .split('_')
    .filter(Boolean)
    .map((w) => (/^(fc|sc|sys|id|uom|vat|bp|bpl)$/.test(w) ? w.toUpperCase() : w));
  const text = words.join(' ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Whether the column is a user-defined field (U_ prefix in SAP). */
export function isUserDefined(column: string): boolean {
  return column.startsWith('u_');
}
