/**
 * Amounts as the books keep them: local-currency values in whole cents (exact in a double up to 2^53), unit
 * prices and costs with six decimals as SAP Business One stores prices (numeric(19,6)). With six-decimal unit
 * costs and quantities below 10,000, `cents(quantity * unitCost)` of a whole stock equals its value exactly, so
 * the value posted for a line is recoverable from the quantity and unit cost served on it.
 */

/** A money amount rounded to whole cents, as an integer number of cents. */
export function cents(amount: number): number {
  return Math.round(amount * 100 + (amount >= 0 ? 1e-7 : -1e-7));
}

/** Cents as a money amount. */
export function amountOf(centsValue: number): number {
  return centsValue / 100;
}

/** Rounded to two decimals, as a money amount. */
export function round2(amount: number): number {
  return cents(amount) / 100;
}

/** Rounded to six decimals (prices, unit costs, rates). */
export function round6(value: number): number {
  return Math.round(value * 1e6 + (value >= 0 ? 1e-6 : -1e-6)) / 1e6;
}

/** The moving-average unit cost of a stock of `quantity` worth `valueCents`. */
export function unitCostOf(valueCents: number, quantity: number): number {
  return quantity > 0 ? round6(valueCents / 100 / quantity) : 0;
}
