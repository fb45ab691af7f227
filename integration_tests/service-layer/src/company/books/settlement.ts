/**
 * Settlement: invoices are paid for what is open on them (by the customer group's payment means, or by transfer
 * or check to vendors; foreign-currency invoices at the payment day's rate), and every Friday the checks, card
 * slips and cash received during the week go to the bank.
 */
import { FOREIGN_CURRENCIES, PAYMENT_MEANS_BY_GROUP } from '../catalog.js';
import type { PartnerFacts } from '../facts.js';
import { PAYMENTS } from './books.js';
import { Desk } from './desk.js';
import { STATUS } from './doc-store.js';
import { KINDS, MEANS, type DocumentKind } from './kinds.js';
import { cents } from './money.js';
import { add } from './stock.js';

export class Settlement extends Desk {
  incomingPayments(day: number): void {
    const invoices = this.s.invoices;
    for (const invoice of this.agenda.due('payInvoice', day)) {
      if (invoices.status.get(invoice) !== STATUS.open) continue;
      const customer = this.customer(invoices.partner.get(invoice));
      const weights = PAYMENT_MEANS_BY_GROUP[customer.groupCode] ?? [1, 0, 0, 0];
      this.pay(PAYMENTS.incoming, KINDS.invoices, invoice, day, customer, this.rng.weighted(weights, invoice, 17));
    }
  }

  vendorPayments(day: number): void {
    const invoices = this.s.purchaseInvoices;
    for (const invoice of this.agenda.due('payPurchaseInvoice', day)) {
      if (invoices.status.get(invoice) !== STATUS.open) continue;
      const vendor = this.vendor(invoices.partner.get(invoice));
      this.pay(PAYMENTS.outgoing, KINDS.purchaseInvoices, invoice, day, vendor, this.rng.unit(invoice, 18) < 0.15 ? MEANS.check : MEANS.transfer);
    }
  }

  /** On Fridays the checks, card slips and cash received during the week go to the bank. */
  deposit(day: number): void {
    if ((((day + 4) % 7) + 7) % 7 !== 5) return;
    const u = this.undeposited;
    if (u[MEANS.check]! + u[MEANS.creditCard]! + u[MEANS.cash]! === 0) return;
    const d = this.books.deposits;
    d.day.push(day);
    d.checks.push(u[MEANS.check]!);
    d.cards.push(u[MEANS.creditCard]!);
    d.cash.push(u[MEANS.cash]!);
    u.fill(0);
  }

  /** Pays what is open on an invoice; in a foreign currency at the day's rate (the difference is an exchange result). */
  pay(paymentStore: number, kind: DocumentKind, invoice: number, day: number, partner: PartnerFacts, means: number): number {
    const invoices = this.books.stores[kind.store]!;
    const amounts = this.amounts(kind, invoice);
    const open = amounts.total - invoices.paid.get(invoice);
    const openFC = amounts.totalFC - invoices.paidFC.get(invoice);
    const currency = invoices.currency.get(invoice);
    const rate = currency === 0 ? 1 : this.plan.rateOn(FOREIGN_CURRENCIES[currency - 1]!.code, day);
    const payment = this.books.paymentStore(paymentStore).add({
      day,
      partner: partner.index,
      invoice,
      means,
      currency,
      rate,
      applied: open,
      appliedFC: openFC,
      received: currency === 0 ? open : cents((openFC / 100) * rate),
    });
    invoices.paid.add(invoice, open);
    invoices.paidFC.add(invoice, openFC);
    invoices.change(invoice, STATUS.closed, { store: paymentStore, index: payment });
    if (paymentStore === PAYMENTS.incoming && means !== MEANS.transfer) add(this.undeposited, means, this.books.incoming.received.get(payment));
    return payment;
  }
}
