import { transientError } from '../errors.js';
import type { Logger } from '../logging.js';
import { RetryableFailure } from './http.js';

export interface RetryPolicy {
  maxRetries: number;
  /** Bound on the time from the first attempt to the start of the last one, waits included. */
  maxRetryMs: number;
}

export interface RetryEnvironment {
  sleep: (ms: number) => Promise<void>;
  random: () => number;
  now: () => number;
  logger: Logger;
}

/**
 * What one attempt came to: a result, or a reason to try again (with the server's Retry-After, if
 * any, and the network failure behind it, if it was one).
 */
export type AttemptOutcome<T> = { done: T } | RetryOutcome;
export type RetryOutcome = { retry: string; retryAfterMs?: number; failure?: RetryableFailure };

const BASE_DELAY_MS = 1_000;
const MAX_DELAY_MS = 60_000;

/** Exponential backoff with full jitter: a random wait between 0 and base * 2^(n-1), capped. */
export function backoffDelayMs(retryNumber: number, random: () => number): number {
  const ceiling = Math.min(MAX_DELAY_MS, BASE_DELAY_MS * 2 ** Math.max(0, retryNumber - 1));
  return Math.floor(random() * ceiling);
}

/** Retry-After in either form RFC 9110 allows: delay-seconds or an HTTP-date. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // All three HTTP-date forms start with the day name; Date.parse alone would also take "1.5" as a date.
  if (!/^(mon|tue|wed|thu|fri|sat|sun)/i.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
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

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

/**
 * Runs attempts until one is done, retrying what `attempt` reports as retryable (or throws as a
 * RetryableFailure) within both bounds of the policy. Anything else an attempt throws ends the loop.
 */
export async function withRetries<T>(
  description: string,
  policy: RetryPolicy,
  env: RetryEnvironment,
  attempt: () => Promise<AttemptOutcome<T>>,
  options: {
    signal?: AbortSignal;
    onRetry?: () => void;
    /** Sees every failed attempt and the wait before the next one; may throw to stop (the run's connectivity budget). */
    onFailedAttempt?: (outcome: RetryOutcome, delayMs: number) => void;
  } = {},
): Promise<T> {
  const started = env.now();
  for (let retries = 0; ; retries++) {
    let outcome: AttemptOutcome<T>;
    try {
      outcome = await attempt();
    } catch (error) {
      if (!(error instanceof RetryableFailure)) throw error;
      outcome = { retry: error.reason, failure: error };
    }
    if ('done' in outcome) return outcome.done;

    const attempts = retries + 1;
    const elapsed = env.now() - started;
    const giveUp = (why: string) =>
      transientError(
        `The Service Layer request ${description} kept failing: ${outcome.retry} (${attempts} attempt${attempts === 1 ? '' : 's'} ` +
          `over ${seconds(elapsed)}; ${why}). The Service Layer or the network may be overloaded or down; the sync can be retried later.`,
      );
    const delay = outcome.retryAfterMs ?? backoffDelayMs(retries + 1, env.random);
    options.onFailedAttempt?.(outcome, delay);
    if (retries >= policy.maxRetries) throw giveUp(`max_retries is ${policy.maxRetries}`);
    if (elapsed + delay > policy.maxRetryMs) {
      throw giveUp(
        outcome.retryAfterMs !== undefined && outcome.retryAfterMs > policy.maxRetryMs - elapsed
          ? `the server asked to wait ${seconds(outcome.retryAfterMs)}, beyond max_retry_seconds`
          : `max_retry_seconds is ${policy.maxRetryMs / 1000}`,
      );
    }
    env.logger.warn(
      `Service Layer request ${description} failed: ${outcome.retry}; retry ${retries + 1} of ${policy.maxRetries} in ${seconds(delay)}` +
        (outcome.retryAfterMs !== undefined ? ' (as asked by Retry-After)' : ''),
    );
    options.onRetry?.();
    await abortable(env.sleep(delay), options.signal);
  }
}
