/**
 * The warehouses: opening stock, goods found at cycle counts, breakage, month-end write-off of expired batches,
 * and transfers that even stock out between the regional warehouses.
 */
import { FAMILIES } from '../catalog.js';
import { isBusinessDay } from '../streams.js';
import { Desk } from './desk.js';
import { NONE } from './doc-store.js';
import { PURPOSE } from './kinds.js';
import { cents } from './money.js';
import { StockBook, WAREHOUSES } from './stock.js';

const MAX_OPENING_LINES = 40;

export class Inventory extends Desk {
  /** Opening stock on the first day, by goods receipts against the opening balance account (lots of 40 lines). */
  opening(day: number): void {
    const store = this.s.goodsReceipts;
    const available = this.plan.itemsAvailable(day);
    for (let w = 0; w < WAREHOUSES; w++) {
      for (let f = 0; f < FAMILIES.length; f++) {
        const family = FAMILIES[f]!;
        let lines = MAX_OPENING_LINES;
        for (let item = f; item < available; item += FAMILIES.length) {
          const slot = StockBook.slot(item, w);
          const rate = this.demandRate[slot]!;
          const lead = (family.purchasing.leadDays[0] + family.purchasing.leadDays[1]) / 2;
          const slowExtra = rate < 0.05 ? this.rng.int(slot, 30, 2, 6) : 0;
          const quantity = family.batchManaged ? Math.ceil(rate * 3) : Math.ceil(rate * (family.purchasing.reviewDays / 2 + lead + 10)) + slowExtra;
          if (quantity <= 0) continue;
          if (lines === MAX_OPENING_LINES) {
            store.addDocument({ day, partner: NONE, warehouse: w, purpose: PURPOSE.opening });
            lines = 0;
          }
          const cost = Math.round(this.items[item]!.cost * (0.97 + 0.06 * this.rng.unit(slot, 31)) * 100) / 100;
          const value = cents(quantity * cost);
          store.addLine({ item, quantity, price: cost, cost, value });
          this.receiveNew(slot, item, quantity, value, day - this.rng.int(slot, 32, 0, 2), store);
          lines++;
        }
      }
    }
  }

  /** Goods found at a cycle count (a unit or two) come in at the current cost against the count difference account. */
  countGains(day: number): void {
    if (!isBusinessDay(day)) return;
    const store = this.s.goodsReceipts;
    const available = this.plan.itemsAvailable(day);
    for (let w = 0; w < WAREHOUSES; w++) {
      if (this.rng.unit(day, 33, w) >= 0.05) continue;
      const item = this.stockedItem(day, w, 34, false);
      if (item < 0 || item >= available) continue;
      const slot = StockBook.slot(item, w);
      const quantity = this.rng.int(day, 35, 1, 2, w);
      const cost = this.stock.unitCost(slot);
      const value = cents(quantity * cost);
      store.addDocument({ day, partner: NONE, warehouse: w, purpose: PURPOSE.adjustment });
      store.addLine({ item, quantity, price: cost, cost, value });
      this.stock.receive(slot, quantity, value);
    }
  }

  /**
   * Goods issues: breakage now and then, and on the last business day of each month the batches that expired
   * are written off (what expires after the last write-off is still in stock, expired, at the clock date).
   */
  goodsIssues(day: number): void {
    if (!isBusinessDay(day)) return;
    const store = this.s.goodsIssues;
    for (let w = 0; w < WAREHOUSES; w++) {
      if (this.rng.unit(day, 36, w) < 0.15) {
        const item = this.stockedItem(day, w, 37, true);
        if (item >= 0) {
          store.addDocument({ day, partner: NONE, warehouse: w, purpose: PURPOSE.adjustment });
          this.issueLine(store, StockBook.slot(item, w), 1, day);
        }
      }
    }
    if (!this.plan.isMonthEnd(day)) return;
    for (let w = 0; w < WAREHOUSES; w++) {
      let open = false;
      for (let f = 0; f < FAMILIES.length; f++) {
        if (!FAMILIES[f]!.batchManaged) continue;
        for (let item = f; item < this.plan.itemCount; item += FAMILIES.length) {
          const slot = StockBook.slot(item, w);
          const batches: [number, number][] = [];
          let quantity = 0;
          for (const b of this.stock.batchesOf(slot)) {
            if (this.stock.expiry.get(b) >= day) continue;
            const q = this.stock.batchStock(b, w);
            batches.push([b, q]);
            quantity += q;
          }
          if (quantity <= 0) continue;
          if (!open) {
            store.addDocument({ day, partner: NONE, warehouse: w, purpose: PURPOSE.expiry });
            open = true;
          }
          this.issueLine(store, slot, quantity, day, batches);
        }
      }
    }
  }

  /**
   * Twice a week the warehouses even out: an item-warehouse below its reorder point gets stock from a warehouse
   * holding more than it needs, one stock transfer per pair of warehouses, at the sending warehouse's cost.
   */
  transfers(day: number): void {
    const weekday = (((day + 4) % 7) + 7) % 7;
    if (weekday !== 2 && weekday !== 4) return;
    const store = this.s.transfers;
    const pairs = new Map<number, [number, number][]>();
    const promised = new Map<number, number>();
    const available = this.plan.itemsAvailable(day);
    for (let item = 0; item < available; item++) {
      const family = this.items[item]!.family;
      const lead = (family.purchasing.leadDays[0] + family.purchasing.leadDays[1]) / 2;
      for (let w = 0; w < WAREHOUSES; w++) {
        const slot = StockBook.slot(item, w);
        const rate = this.demandRate[slot]!;
        if (rate <= 0) continue;
        const position = this.stock.quantity[slot]! + this.stock.ordered[slot]! - this.stock.committed[slot]!;
        if (position >= Math.max(1, rate * (lead + 4))) continue;
        const need = Math.ceil(rate * (lead + 7) - position);
        for (let v = 0; v < WAREHOUSES && need > 0; v++) {
          if (v === w) continue;
          const donor = StockBook.slot(item, v);
          const keep = this.stock.committed[donor]! + this.demandRate[donor]! * (family.purchasing.reviewDays + lead + 10);
          const surplus = Math.floor(this.stock.available(donor, day) - keep - (promised.get(donor) ?? 0));
          if (surplus < 1) continue;
          const key = v * WAREHOUSES + w;
          let list = pairs.get(key);
          if (!list) pairs.set(key, (list = []));
          const quantity = Math.min(need, surplus);
          list.push([item, quantity]);
          promised.set(donor, (promised.get(donor) ?? 0) + quantity);
          break;
        }
      }
    }
    for (const [key, list] of [...pairs].sort(([a], [b]) => a - b)) {
      const from = Math.floor(key / WAREHOUSES);
      const to = key % WAREHOUSES;
      store.addDocument({ day, partner: NONE, warehouse: from, toWarehouse: to });
      for (const [item, quantity] of list) this.transferLine(store, item, from, to, quantity, day);
    }
  }
}
