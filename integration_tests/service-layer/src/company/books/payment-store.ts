/**
 * Incoming or outgoing payments the books posted, in posting order: each settles one invoice (A/R or A/P) with
 * one payment means. Amounts in cents: what was applied to the invoice in local and document currency, and what
 * the money was worth in local currency at the payment's rate (the difference is the exchange rate difference).
 */
import { FloatColumn, IntColumn } from './columns.js';

export interface PaymentInput {
  day: number;
  partner: number;
  /** Index of the invoice settled, in the invoice store. */
  invoice: number;
  means: number;
  /** 0 = local currency, else 1 + index in FOREIGN_CURRENCIES. */
  currency: number;
  rate: number;
  applied: number;
  appliedFC: number;
  /** The money in local cents at the payment's rate. */
  received: number;
}

export class PaymentStore {
  readonly day = new IntColumn(64);
  readonly second = new IntColumn(64);
  /** Cancelled later (the cancellation reverses its journal entry and reopens the invoice). */
  readonly cancelled = new IntColumn(64);
  readonly partner = new IntColumn(64);
  readonly invoice = new IntColumn(64);
  readonly means = new IntColumn(64);
  readonly currency = new IntColumn(64);
  readonly rate = new FloatColumn(64);
  readonly applied = new FloatColumn(64);
  readonly appliedFC = new FloatColumn(64);
  readonly received = new FloatColumn(64);

  get count(): number {
    return this.day.length;
  }

  trim(): void {
    for (const c of [this.day, this.second, this.cancelled, this.partner, this.invoice, this.means, this.currency, this.rate, this.applied, this.appliedFC, this.received]) c.trim();
  }

  add(p: PaymentInput): number {
    this.day.push(p.day);
    this.second.push(0);
    this.cancelled.push(0);
    this.partner.push(p.partner);
    this.invoice.push(p.invoice);
    this.means.push(p.means);
    this.currency.push(p.currency);
    this.rate.push(p.rate);
    this.applied.push(p.applied);
    this.appliedFC.push(p.appliedFC);
    return this.received.push(p.received);
  }
}
