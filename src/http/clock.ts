/**
 * Time and chance, injected so that tests run backoff waits, Retry-After, token expiry, idle
 * timeouts and PDT polling on a virtual clock; production uses the wall clock, real timers and
 * Math.random.
 */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
  /** A number in [0, 1): the jitter of backoff waits. */
  random(): number;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms))),
  random: () => Math.random(),
};

/** The system clock with whatever a test injects in its place. */
export function clockWith(overrides: Partial<Clock>): Clock {
  return {
    now: overrides.now ?? systemClock.now,
    sleep: overrides.sleep ?? systemClock.sleep,
    random: overrides.random ?? systemClock.random,
  };
}

/** "1.5 s", "2 min": durations people read in log lines and messages. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))} s`;
  return `${Number((ms / 60_000).toFixed(1))} min`;
}
