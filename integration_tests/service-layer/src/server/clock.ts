/**
 * The server clock, in company-local time. 'running' follows real time from its start; 'frozen' moves only when
 * set or advanced. Session idle time, change stamps of mutations and the HTTP Date header all read it.
 */
import { formatLocalDateTime, parseLocalDateTime } from '../model/dates.js';
import type { SimulatorClock } from '../types.js';

export class ServerClock implements SimulatorClock {
  private baseLocalMs: number;
  private baseRealMs: number;

  constructor(
    start: string,
    private readonly mode: 'running' | 'frozen',
    private readonly utcOffsetMinutes: number,
  ) {
    this.baseLocalMs = parseLocalDateTime(start);
    this.baseRealMs = Date.now();
  }

  /** Company-local milliseconds. */
  nowMs(): number {
    return this.mode === 'running' ? this.baseLocalMs + (Date.now() - this.baseRealMs) : this.baseLocalMs;
  }

  now(): string {
    return formatLocalDateTime(this.nowMs());
  }

  set(localDateTime: string): void {
    this.baseLocalMs = parseLocalDateTime(localDateTime);
    this.baseRealMs = Date.now();
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms)) throw new Error(`advance needs a finite number of milliseconds, got ${ms}`);
    this.baseLocalMs = this.nowMs() + ms;
    this.baseRealMs = Date.now();
  }

  /** The clock as a real instant (UTC), for the Date header. */
  utc(): Date {
    return new Date(this.nowMs() - this.utcOffsetMinutes * 60_000);
  }
}
