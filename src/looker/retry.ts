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
 * Parses Retry-After (RFC 9110: delay-seconds or an HTTP-date) into milliseconds from now.
 * An HTTP-date is compared with the server's own Date header when there is one, so a skewed
 * client clock does not stretch or shrink the wait. Returns undefined when absent or unreadable.
 */
export function parseRetryAfterMs(value: string | null, serverDate: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // All three HTTP-date forms start with the day name; Date.parse alone would read "-5" as a year.
  if (!/^(Mon|Tue|Wed|Thu|Fri|Sat|Sun)/i.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  const reference = serverDate === null ? Number.NaN : Date.parse(serverDate);
  const from = Number.isNaN(reference) ? nowMs : reference;
  return Math.max(0, at - from);
}

/** Our own backoff before retry number `retry` (1 for the first retry). */
export function backoffDelayMs(policy: RetryPolicy, retry: number): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
}
