/**
 * The numbers the generated LookML must reproduce, computed directly from the simulator's
 * current records (what SAP holds now), independently of the connector, the destination and
 * the LookML: amounts summed in integer cents so that no floating-point drift hides a cent.
 */
import type { ServiceLayerSimulator } from '@sap-b1-airbyte/service-layer-simulator';

type SapRecord = Record<string, unknown>;

export const cents = (value: unknown): number => Math.round(Number(value ?? 0) * 100);

/** A document that counts: neither cancelled nor a cancellation document. */
function counts(document: SapRecord): boolean {
  return document.Cancelled !== 'tYES' && document.CancelStatus !== 'csCancellation';
}

export interface MarginCents {
  revenue: number;
  cost: number;
  margin: number;
}

/**
 * Invoices minus credit notes, by the customer's U_Region (null when the customer has none).
 * includeCancelled exists only to show that the data has cancelled documents that matter.
 */
export function marginByRegion(simulator: ServiceLayerSimulator, options: { includeCancelled?: boolean } = {}): Map<string | null, MarginCents> {
  const region = new Map<string, string | null>();
  for (const partner of simulator.groundTruth('BusinessPartners')) region.set(String(partner.CardCode), (partner.U_Region as string | null | undefined) ?? null);
  const result = new Map<string | null, MarginCents>();
  for (const [entitySet, sign] of [
    ['Invoices', 1],
    ['CreditNotes', -1],
  ] as const) {
    for (const document of simulator.groundTruth(entitySet)) {
      if (!options.includeCancelled && !counts(document)) continue;
      const key = region.get(String(document.CardCode)) ?? null;
      const totals = result.get(key) ?? { revenue: 0, cost: 0, margin: 0 };
      for (const line of (document.DocumentLines as SapRecord[] | undefined) ?? []) {
        totals.revenue += sign * cents(line.LineTotal);
        totals.margin += sign * cents(line.GrossProfit);
        totals.cost += sign * (cents(line.LineTotal) - cents(line.GrossProfit));
      }
      result.set(key, totals);
    }
  }
  return result;
}

/** Quantity received on goods receipts that count, in thousandths (quantities may be fractional). */
export function receivedQuantity(simulator: ServiceLayerSimulator): number {
  let total = 0;
  for (const receipt of simulator.groundTruth('PurchaseDeliveryNotes')) {
    if (!counts(receipt)) continue;
    for (const line of (receipt.DocumentLines as SapRecord[] | undefined) ?? []) total += Math.round(Number(line.Quantity ?? 0) * 1000);
  }
  return total;
}

/** Positive stock per item and warehouse, in thousandths, keyed "item|warehouse". */
export function stockOnHand(simulator: ServiceLayerSimulator): Map<string, number> {
  const stock = new Map<string, number>();
  for (const item of simulator.groundTruth('Items')) {
    for (const row of (item.ItemWarehouseInfoCollection as SapRecord[] | undefined) ?? []) {
      const quantity = Math.round(Number(row.InStock ?? 0) * 1000);
      if (quantity > 0) stock.set(`${String(item.ItemCode)}|${String(row.WarehouseCode)}`, quantity);
    }
  }
  return stock;
}

/** Debits over all journal entry lines, in cents. */
export function totalDebit(simulator: ServiceLayerSimulator): number {
  let total = 0;
  for (const entry of simulator.groundTruth('JournalEntries')) {
    for (const line of (entry.JournalEntryLines as SapRecord[] | undefined) ?? []) total += cents(line.Debit);
  }
  return total;
}
