/**
 * How the positions a cursor keeps compare: entity keys (numbers, or text in the database's
 * order) and days (YYYY-MM-DD, which compare as text), and how a key is written in a $filter.
 */
import { stringLiteral } from '../../service-layer/odata.js';

/** The value of an entity set's single-property key. */
export type KeyValue = string | number;

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

export function compareKeys(a: KeyValue, b: KeyValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const left = String(a);
  const right = String(b);
  return left < right ? -1 : left > right ? 1 : 0;
}

/** The smallest of the defined values, or undefined when there is none. */
export function earliest<T extends KeyValue>(...values: (T | undefined)[]): T | undefined {
  let result: T | undefined;
  for (const value of values) {
    if (value !== undefined && (result === undefined || compareKeys(value, result) < 0)) result = value;
  }
  return result;
}

/** The largest of the defined values, or undefined when there is none. */
export function latest<T extends KeyValue>(...values: (T | undefined)[]): T | undefined {
  let result: T | undefined;
  for (const value of values) {
    if (value !== undefined && (result === undefined || compareKeys(value, result) > 0)) result = value;
  }
  return result;
}

export function keyLiteral(key: KeyValue): string {
  return typeof key === 'number' ? String(key) : stringLiteral(key);
}
