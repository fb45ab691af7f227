/**
 * Time is injected so that tests can run token expiry, Retry-After waits and PDT polling without
 * waiting for real; production uses the wall clock and real timers.
 */
export type Sleep = (ms: number) => Promise<void>;
export type Now = () => number;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
export const realNow: Now = () => Date.now();

/** "1.5 s", "2 min": durations people read in log lines. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))} s`;
  return `${Number((ms / 60_000).toFixed(1))} min`;
}
