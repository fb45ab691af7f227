/** Helpers for tests to pick interesting keys (a payment posted weeks ago, an open order...). */
import type { Company } from './company/company.js';
import { dayOfDate, dayOfLocalMs } from './model/dates.js';
import type { SchemaModel } from './model/schema.js';
import type { ServerClock } from './server/clock.js';
import type { Key } from './store/source.js';
import type { KeyPicker } from './types.js';

export function keyPicker(company: Company, schema: SchemaModel, clock: ServerClock): KeyPicker {
  return {
    paymentPostedDaysAgo(entitySet, days) {
      const target = dayOfLocalMs(clock.nowMs()) - days;
      let best: { key: Key; day: number } | undefined;
      for (const e of company.table(entitySet).scan()) {
        const day = dayOfDate(String(e.record['DocDate']));
        if (day === undefined || day > target) continue;
        if (!best || day > best.day) best = { key: e.key, day };
      }
      return best?.key as number | undefined;
    },
    find(entitySet, predicate, limit = Infinity) {
      const typeName = schema.typeOfSet(entitySet).name;
      const found: Key[] = [];
      for (const e of company.table(entitySet).scan()) {
        if (found.length >= limit) break;
        if (predicate(schema.expand(typeName, e.record))) found.push(e.key);
      }
      return found;
    },
    keyAt: (entitySet, index) => company.table(entitySet).keyAt(index),
    lastKey: (entitySet) => company.table(entitySet).lastKey(),
  };
}
