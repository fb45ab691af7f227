/** The standard entity sets the simulator serves (issue 2), in the order $metadata lists them. */
export const STANDARD_ENTITY_SETS: readonly string[] = [
  'Invoices',
  'CreditNotes',
  'PurchaseInvoices',
  'PurchaseOrders',
  'PurchaseDeliveryNotes',
  'JournalEntries',
  'IncomingPayments',
  'VendorPayments',
  'Items',
  'BusinessPartners',
  'ChartOfAccounts',
  'ProfitCenters',
  'Dimensions',
  'DistributionRules',
  'Warehouses',
  'ItemGroups',
];
