/**
 * The kinds of documents the books keep, one store each: the entity set that serves them, SAP's object type
 * (BaseType on copied lines, ObjType), the journal entry's transaction type, numbering, and when in the day they
 * are posted. Payments have their own store (see payment-store.ts).
 */
import type { WindowName } from '../plan.js';

export type Side = 'sales' | 'purchasing' | 'inventory';

export interface DocumentKind {
  /** Position of the kind's store in Books.stores. */
  store: number;
  entitySet: string;
  /** BoObjectTypes number (BaseType of lines copied from this kind). */
  object: number;
  /** DocObjectCode. */
  objectCode: string;
  docNumBase: number;
  series: number;
  memo: string;
  side: Side;
  window: WindowName;
  /** OriginalJournal (TransTypesEnum) of the kind's journal entries; null: the kind posts none (orders). */
  journal: string | null;
}

export const KINDS = {
  orders: { store: 0, entitySet: 'Orders', object: 17, objectCode: 'oOrders', docNumBase: 600000, series: 3, memo: 'Sales Orders', side: 'sales', window: 'order', journal: null },
  deliveries: { store: 1, entitySet: 'DeliveryNotes', object: 15, objectCode: 'oDeliveryNotes', docNumBase: 650000, series: 6, memo: 'Deliveries', side: 'sales', window: 'delivery', journal: 'ttDelivery' },
  invoices: { store: 2, entitySet: 'Invoices', object: 13, objectCode: 'oInvoices', docNumBase: 100000, series: 4, memo: 'A/R Invoices', side: 'sales', window: 'invoice', journal: 'ttARInvoice' },
  returns: { store: 3, entitySet: 'Returns', object: 16, objectCode: 'oReturns', docNumBase: 550000, series: 7, memo: 'Returns', side: 'sales', window: 'salesReturn', journal: 'ttReturn' },
  creditNotes: { store: 4, entitySet: 'CreditNotes', object: 14, objectCode: 'oCreditNotes', docNumBase: 500000, series: 5, memo: 'A/R Credit Memos', side: 'sales', window: 'creditNote', journal: 'ttARCredItnote' },
  purchaseOrders: { store: 5, entitySet: 'PurchaseOrders', object: 22, objectCode: 'oPurchaseOrders', docNumBase: 300000, series: 14, memo: 'Purchase Orders', side: 'purchasing', window: 'purchaseOrder', journal: null },
  goodsReceiptsPO: { store: 6, entitySet: 'PurchaseDeliveryNotes', object: 20, objectCode: 'oPurchaseDeliveryNotes', docNumBase: 400000, series: 15, memo: 'Goods Receipt PO', side: 'purchasing', window: 'arrival', journal: 'ttPurchaseDeliveryNote' },
  purchaseInvoices: { store: 7, entitySet: 'PurchaseInvoices', object: 18, objectCode: 'oPurchaseInvoices', docNumBase: 200000, series: 16, memo: 'A/P Invoices', side: 'purchasing', window: 'purchaseInvoice', journal: 'ttAPInvoice' },
  purchaseReturns: { store: 8, entitySet: 'PurchaseReturns', object: 21, objectCode: 'oPurchaseReturns', docNumBase: 450000, series: 17, memo: 'Goods Returns', side: 'purchasing', window: 'purchaseReturn', journal: 'ttPurchaseReturn' },
  goodsReceipts: { store: 9, entitySet: 'InventoryGenEntries', object: 59, objectCode: 'oInventoryGenEntry', docNumBase: 900000, series: 24, memo: 'Goods Receipt', side: 'inventory', window: 'goodsReceipt', journal: 'ttGeneralReceiptToStock' },
  goodsIssues: { store: 10, entitySet: 'InventoryGenExits', object: 60, objectCode: 'oInventoryGenExit', docNumBase: 950000, series: 25, memo: 'Goods Issue', side: 'inventory', window: 'goodsIssue', journal: 'ttGeneralReleaseFromStock' },
  transfers: { store: 11, entitySet: 'StockTransfers', object: 67, objectCode: '67', docNumBase: 980000, series: 26, memo: 'Inventory Transfer', side: 'inventory', window: 'transfer', journal: 'ttTransferBetweenWarehouses' },
} as const satisfies Record<string, DocumentKind>;

export type KindName = keyof typeof KINDS;

/** Kinds in store order. */
export const KIND_LIST: readonly DocumentKind[] = Object.values(KINDS).sort((a, b) => a.store - b.store);

export function kindOfSet(entitySet: string): DocumentKind | undefined {
  return KIND_LIST.find((k) => k.entitySet === entitySet);
}

/** Goods issue and goods receipt reasons (the line account follows). */
export const PURPOSE = { adjustment: 0, expiry: 1, opening: 2 } as const;

/** Payment means: what the payment's money came in or went out as. */
export const MEANS = { transfer: 0, check: 1, creditCard: 2, cash: 3 } as const;
