/**
 * A clock that only moves when someone sleeps on it, shared by the client and the simulator so
 * that token lifetimes, Retry-After waits and PDT polling cost no real time.
 */
export class FakeClock {
  private current: number;
  readonly sleeps: number[] = [];

  constructor(startMs = Date.UTC(2025, 0, 15, 12, 0, 0)) {
    this.current = startMs;
  }

  readonly now = (): number => this.current;

  readonly sleep = async (ms: number): Promise<void> => {
    this.sleeps.push(ms);
    this.current += ms;
  };

  advance(ms: number): void {
    this.current += ms;
  }
}
