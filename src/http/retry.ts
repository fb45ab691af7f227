/**
 * How long to wait before the next attempt, and when to stop: exponential backoff with full
 * jitter, the server's Retry-After, and the two limits of a retry policy.
 */
import { formatDuration } from './clock.js';

export interface RetryPolicy {
  maxRetries: number;
  /** Bound on the time from the first attempt to the start of the last one, waits included. */
  maxRetryMs: number;
  /** The settings that set the two limits, named in messages (max_retries, max_retry_seconds); without them, the values are. */
  settings?: { maxRetries: string; maxRetryTime: string };
}

const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 60_000;

/**
 * Exponential backoff with full jitter: a random wait between 0 and base * 2^(n-1), capped, so that
 * the many clients of a busy server do not come back at the same moment.
 */
export function backoffDelayMs(retryNumber: number, random: () => number): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, retryNumber - 1));
  return Math.floor(random() * ceiling);
}

/**
 * Retry-After in milliseconds from now, in either form RFC 9110 allows: delay-seconds or an
 * HTTP-date. A date is counted from the response's own Date header when it has one, which comes
 * from the same clock, so a skewed local clock does not stretch or shrink the wait.
 */
export function parseRetryAfter(value: string | undefined, serverDate: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // All three HTTP-date forms start with the day name; Date.parse alone would also take "1.5" as a date.
  if (!/^(mon|tue|wed|thu|fri|sat|sun)/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  const serverNow = serverDate === undefined ? Number.NaN : Date.parse(serverDate);
  return Math.max(0, date - (Number.isNaN(serverNow) ? nowMs : serverNow));
}

/** Why a retry policy stops: which limit the next attempt would cross. */
export function exhaustedLimit(
  policy: RetryPolicy,
  retries: number,
  elapsedMs: number,
  delayMs: number,
  retryAfterMs: number | undefined,
): string | undefined {
  const timeLimit = policy.settings
    ? `${policy.settings.maxRetryTime} is ${policy.maxRetryMs / 1000}`
    : `the retry time limit is ${formatDuration(policy.maxRetryMs)}`;
  if (retries >= policy.maxRetries) {
    return policy.settings
      ? `${policy.settings.maxRetries} is ${policy.maxRetries}`
      : `at most ${policy.maxRetries} ${policy.maxRetries === 1 ? 'retry' : 'retries'}`;
  }
  if (elapsedMs + delayMs <= policy.maxRetryMs) return undefined;
  if (retryAfterMs !== undefined && retryAfterMs > policy.maxRetryMs - elapsedMs) {
    return `the server asks to wait ${Math.round(retryAfterMs / 1000)} s, beyond what ${policy.settings ? policy.settings.maxRetryTime : 'the retry time limit'} allows`;
  }
  return timeLimit;
}

/** Waits for `work`, or rejects with the signal's reason as soon as the signal aborts. */
export async function abortable<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  signal.throwIfAborted();
  let onAbort: (() => void) | undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, aborted]);
  } finally {
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}
