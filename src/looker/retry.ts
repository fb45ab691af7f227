import { parseRetryAfter } from '../service-layer/retry.js';

/**
 * When and how long to wait before repeating a Looker API call. Looker rate-limits most endpoints
 * (x-looker-rate-limited in its spec) and answers 429 with Retry-After; 5xx answers are usually a
 * busy or restarting instance. Both are worth a bounded number of retries.
 */
export interface RetryPolicy {
  /** Total attempts including the first one. */
  maxAttempts: number;
  /** Delay before the first retry when the server gives no Retry-After; doubles each time. */
  baseDelayMs: number;
  /** Cap on our own exponential delay. */
  maxDelayMs: number;
  /** The longest Retry-After we agree to wait; a longer one ends the retries. */
  maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 300_000,
};

/**
 * Whether an answer with this status may be repeated. A request that is not idempotent (running a
 * scheduled plan delivers it again) is only repeated when the server tells us it did not act on it:
 * 429 (rate limited before processing) and 503 (not accepting work). A 500/502/504 may come after
 * the work was done, so repeating it could send a delivery twice.
 */
export function isRetryableStatus(status: number, idempotent: boolean): boolean {
  if (status === 429 || status === 503) return true;
  return idempotent && status >= 500 && status <= 599;
}

/**
 * Retry-After in milliseconds from now, or undefined when absent or unreadable. An HTTP-date is
 * counted from the server's own Date header when there is one, so a skewed client clock does not
 * stretch or shrink the wait.
 */
export function parseRetryAfterMs(value: string | null, serverDate: string | null, nowMs: number): number | undefined {
  const serverMs = serverDate === null ? Number.NaN : Date.parse(serverDate);
  return parseRetryAfter(value ?? undefined, Number.isNaN(serverMs) ? nowMs : serverMs);
}

/** Our own backoff before retry number `retry` (1 for the first retry). */
export function backoffDelayMs(policy: RetryPolicy, retry: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
}
