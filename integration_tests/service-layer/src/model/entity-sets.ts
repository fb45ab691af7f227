/**
 * The standard entity sets the simulator serves, in the order $metadata lists them: those of issue 2, then the
 * order-to-cash, procure-to-pay and stock sets of issue 11.
 */
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
  'Orders',
  'DeliveryNotes',
  'Returns',
  'PurchaseReturns',
  'InventoryGenEntries',
  'InventoryGenExits',
  'StockTransfers',
  'BatchNumberDetails',
  'FinancialYears',
];
