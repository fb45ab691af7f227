/**
 * The simulator's own bookkeeping, for finance tie-outs (see BooksGroundTruth in types.ts): the ledger summed
 * from every posting the books made, the business-partner sub-ledgers, and stock as the stock book holds it.
 * None of it reads the served records or any LookML or SQL: a test compares what a model computes from the
 * loaded records with these.
 */
import { ACCOUNT, REGIONS } from './catalog.js';
import type { BatchNames } from './batches.js';
import { StockBook, WAREHOUSES } from './books/stock.js';
import type { Ledger } from './ledger.js';
import type { Operations } from './books/operations.js';
import type { AccountPeriod, BatchStock, BooksGroundTruth, ItemWarehouseStock } from '../types.js';

export function booksGroundTruth(ledger: Ledger, stock: StockBook, batches: BatchNames, ops: Operations, dateOf: (day: number) => string): BooksGroundTruth {
  return {
    accountPeriods(): AccountPeriod[] {
      return ledger
        .periods()
        .map((p) => ({ account: p.account, period: p.period, closing: p.closing, debitCents: p.debit, creditCents: p.credit }))
        .sort((a, b) => a.account.localeCompare(b.account) || a.period.localeCompare(b.period) || Number(a.closing) - Number(b.closing));
    },
    balances(options = {}): Map<string, number> {
      const result = new Map<string, number>();
      for (const p of ledger.periods()) {
        if ((options.from && p.period < options.from) || (options.to && p.period > options.to)) continue;
        if (p.closing && !options.includeClosing) continue;
        result.set(p.account, (result.get(p.account) ?? 0) + p.debit - p.credit);
      }
      return result;
    },
    openItems(side, asOf): Map<string, number> {
      const balances = ledger.partnerBalances(side === 'receivables' ? ACCOUNT.receivable : ACCOUNT.payable, asOf);
      if (side === 'payables') for (const [partner, amount] of balances) balances.set(partner, -amount);
      return balances;
    },
    stock(): ItemWarehouseStock[] {
      const rows: ItemWarehouseStock[] = [];
      for (let item = 0; item < stock.itemCount; item++) {
        for (let w = 0; w < WAREHOUSES; w++) {
          const slot = StockBook.slot(item, w);
          const quantity = stock.quantity[slot]!;
          if (quantity === 0 && stock.committed[slot] === 0 && stock.ordered[slot] === 0) continue;
          rows.push({
            itemCode: ops.item(item).code,
            warehouse: REGIONS[w]!.warehouse,
            quantity,
            valueCents: stock.value[slot]!,
            unitCost: stock.unitCost(slot),
            committed: stock.committed[slot]!,
            ordered: stock.ordered[slot]!,
          });
        }
      }
      return rows;
    },
    batchStock(): BatchStock[] {
      const rows: BatchStock[] = [];
      for (let b = 0; b < stock.batchCount; b++) {
        for (let w = 0; w < WAREHOUSES; w++) {
          const quantity = stock.batchStock(b, w);
          if (quantity <= 0) continue;
          rows.push({
            itemCode: ops.item(stock.batchItem.get(b)).code,
            batch: batches.name(b),
            warehouse: REGIONS[w]!.warehouse,
            quantity,
            admissionDate: dateOf(stock.admission.get(b)),
            expiryDate: dateOf(stock.expiry.get(b)),
          });
        }
      }
      return rows;
    },
  };
}
