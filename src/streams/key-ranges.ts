/**
 * Splitting one pass over a large entity set into key ranges that several sessions read at once.
 * Entity keys such as DocEntry and JdtNum are numbers the company hands out one after another, so
 * ranges of equal width hold about as many records each. Text keys (ItemCode, CardCode) are
 * ordered by the database's collation, which this process cannot reproduce: those passes are not
 * split.
 */
import type { KeyValue } from './cursor/ordering.js';

/** The keys above `after` up to and including `upTo`; undefined bounds are open. */
export interface KeyRange {
  after: KeyValue | undefined;
  upTo: KeyValue | undefined;
}

/**
 * `count` ranges that together cover everything after `after`: the keys from `first` to `last` in
 * ranges of equal width, the last one open-ended so that records added during the read are read
 * as an unsplit pass would read them. One range when the keys are not numbers or too few.
 */
export function splitKeyRange(after: KeyValue | undefined, first: KeyValue, last: KeyValue, count: number): KeyRange[] {
  if (typeof first !== 'number' || typeof last !== 'number' || !Number.isSafeInteger(first) || !Number.isSafeInteger(last) || last <= first) {
    return [{ after, upTo: undefined }];
  }
  const parts = Math.max(1, Math.min(count, last - first + 1));
  const width = (last - first + 1) / parts;
  const ranges: KeyRange[] = [];
  let start = after;
  for (let part = 1; part < parts; part++) {
    const upTo = first - 1 + Math.round(part * width);
    ranges.push({ after: start, upTo });
    start = upTo;
  }
  ranges.push({ after: start, upTo: undefined });
  return ranges;
}
