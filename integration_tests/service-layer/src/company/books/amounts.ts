/**
 * The amounts of a document as SAP Business One computes them from its lines, in cents: the line total after the
 * line discount (in the document currency, RowTotalFC, and in local currency, LineTotal = RowTotalFC x rate),
 * the header discount (DiscountPercent) taken off each line's net, the tax on the discounted net, and the totals.
 * The books, the served documents and their journal entries all use this one computation.
 */
import type { DocStore } from './doc-store.js';
import { cents, round2 } from './money.js';

export interface LineAmounts {
  /** Unit price after the line discount, in the document currency. */
  price: number;
  /** In cents of the document currency (0 on local-currency documents, as SAP leaves TotalFrgn). */
  rowTotalFC: number;
  /** Local currency, before the header discount (LineTotal). */
  lineTotal: number;
  /** Local currency, after the header discount: what the line posts to revenue or expense. */
  net: number;
  netFC: number;
  taxRate: number;
  taxCode: string;
  tax: number;
  taxFC: number;
}

export interface DocAmounts {
  lines: LineAmounts[];
  /** Sum of LineTotal (local cents) and of RowTotalFC. */
  gross: number;
  grossFC: number;
  /** Header discount amount (TotalDiscount), local and document currency. */
  discount: number;
  discountFC: number;
  tax: number;
  taxFC: number;
  /** DocTotal and DocTotalFc. */
  total: number;
  totalFC: number;
}

export interface TaxRule {
  rate: number;
  code: string;
}

export const NO_TAX: TaxRule = { rate: 0, code: 'EX' };

/** LineTotal (local cents) and RowTotalFC (document-currency cents, 0 when local) of a line. */
export function lineTotalOf(quantity: number, unitPrice: number, discountPercent: number, foreign: boolean, rate: number): { price: number; rowTotalFC: number; lineTotal: number } {
  // Prices keep up to six decimals (inventory documents are priced at the unit cost).
  const price = discountPercent === 0 ? unitPrice : round2(unitPrice * (1 - discountPercent / 100));
  const rowTotalFC = foreign ? cents(quantity * price) : 0;
  const lineTotal = foreign ? cents((rowTotalFC / 100) * rate) : cents(quantity * price);
  return { price, rowTotalFC, lineTotal };
}

/** Amounts of document `index` of `store`; `taxOf` gives each line's tax (by item). */
export function amountsOf(store: DocStore, index: number, taxOf: (item: number) => TaxRule): DocAmounts {
  const foreign = store.currency.get(index) !== 0;
  const rate = store.rate.get(index);
  const keep = 1 - store.discount.get(index) / 100;
  const [first, end] = store.linesOf(index);
  const lines: LineAmounts[] = [];
  let gross = 0;
  let grossFC = 0;
  let net = 0;
  let netFC = 0;
  let tax = 0;
  let taxFC = 0;
  for (let row = first; row < end; row++) {
    const { price, rowTotalFC, lineTotal } = lineTotalOf(store.quantity.get(row), store.price.get(row), store.lineDiscount.get(row), foreign, rate);
    const rule = taxOf(store.item.get(row));
    const lineNet = cents((lineTotal / 100) * keep);
    const lineNetFC = foreign ? cents((rowTotalFC / 100) * keep) : 0;
    const lineTax = cents((lineNet / 100) * rule.rate);
    const lineTaxFC = foreign ? cents((lineNetFC / 100) * rule.rate) : 0;
    lines.push({ price, rowTotalFC, lineTotal, net: lineNet, netFC: lineNetFC, taxRate: rule.rate, taxCode: rule.code, tax: lineTax, taxFC: lineTaxFC });
    gross += lineTotal;
    grossFC += rowTotalFC;
    net += lineNet;
    netFC += lineNetFC;
    tax += lineTax;
    taxFC += lineTaxFC;
  }
  return { lines, gross, grossFC, discount: gross - net, discountFC: grossFC - netFC, tax, taxFC, total: net + tax, totalFC: netFC + taxFC };
}

/**
 * The tax of a line: sales tax on beverages and non-food supplies sold in the country (output tax) and the same
 * rate on their purchase (input tax, recoverable); none on foreign-currency documents (exports to Canada,
 * imports from Europe) and none on inventory documents.
 */
export function taxRuleFor(taxable: boolean, foreign: boolean, rate: number, code: string): TaxRule {
  return taxable && !foreign && rate > 0 ? { rate, code } : NO_TAX;
}
