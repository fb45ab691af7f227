/**
 * The general ledger as the simulator's own postings leave it: debits and credits per account and month, and the
 * business-partner sub-ledger (receivable and payable lines per customer and vendor), summed from every journal
 * entry the books posted (journal.ts), in whole cents. Computed on first use and again after a change; it is the
 * simulator's bookkeeping, not a reading of the served records.
 */
import { ACCOUNT, ACCOUNTS } from './catalog.js';
import type { Journal } from './journal.js';

export interface PeriodTotals {
  debit: number;
  credit: number;
}

interface Computed {
  /** `${account}|${YYYY-MM}|${closing ? 1 : 0}` -> totals. */
  periods: Map<string, PeriodTotals>;
  /** Per control account and partner: [date, signed cents] in posting order. */
  partners: Map<string, [string, number][]>;
  /** Net (debit - credit) per account over everything. */
  net: Map<string, number>;
}

const FATHER = new Map(ACCOUNTS.map((a) => [a.code, a.father]));

export class Ledger {
  private computed: Computed | undefined;

  constructor(private readonly journal: Journal) {}

  invalidate(): void {
    this.computed = undefined;
  }

  /** Balance (debit - credit) of an account in money, title accounts summing their descendants, as OACT keeps it. */
  balanceOf(code: string): number {
    return this.compute().net.get(code) ?? 0;
  }

  /** Debit and credit totals per account and month; `closing` marks the period-end closing entries. */
  periods(): { account: string; period: string; closing: boolean; debit: number; credit: number }[] {
    return [...this.compute().periods].map(([key, totals]) => {
      const [account, period, closing] = key.split('|') as [string, string, string];
      return { account, period, closing: closing === '1', ...totals };
    });
  }

  /** The partner sub-ledger of a control account: each partner's balance from lines dated on or before `asOf`. */
  partnerBalances(controlAccount: string, asOf: string): Map<string, number> {
    const result = new Map<string, number>();
    for (const [key, lines] of this.compute().partners) {
      const [account, partner] = key.split('|') as [string, string];
      if (account !== controlAccount) continue;
      let total = 0;
      for (const [date, amount] of lines) if (date <= asOf) total += amount;
      if (total !== 0) result.set(partner, total);
    }
    return result;
  }

  private compute(): Computed {
    if (this.computed) return this.computed;
    const periods = new Map<string, PeriodTotals>();
    const partners = new Map<string, [string, number][]>();
    const cents = new Map<string, number>();
    for (let e = 0; e < this.journal.count; e++) {
      const entry = this.journal.entry(e);
      const date = entry.posted.date;
      const closing = entry.header.originalJournal === 'ttClosingBalance' ? 1 : 0;
      for (const l of entry.lines) {
        const key = `${l.account}|${date.slice(0, 7)}|${closing}`;
        const totals = periods.get(key) ?? { debit: 0, credit: 0 };
        if (l.amount > 0) totals.debit += l.amount;
        else totals.credit -= l.amount;
        periods.set(key, totals);
        cents.set(l.account, (cents.get(l.account) ?? 0) + l.amount);
        if (l.shortName !== l.account && (l.account === ACCOUNT.receivable || l.account === ACCOUNT.payable)) {
          const partnerKey = `${l.account}|${l.shortName}`;
          let list = partners.get(partnerKey);
          if (!list) partners.set(partnerKey, (list = []));
          list.push([date, l.amount]);
        }
      }
    }
    const net = new Map<string, number>();
    for (const [account, amount] of cents) {
      for (let code: string | undefined = account; code !== undefined; code = FATHER.get(code)) net.set(code, (net.get(code) ?? 0) + amount);
    }
    for (const [code, amount] of net) net.set(code, amount / 100);
    this.computed = { periods, partners, net };
    return this.computed;
  }
}
