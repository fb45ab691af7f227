/**
 * The bounded queue between the reader of an answer and the engine. The reader runs ahead of the
 * engine by at most `limitBytes`: far enough that the whole answer has usually arrived while the
 * engine still works on its last records (so the next request can go out), and no further, so that
 * memory stays flat and a destination that reads stdout slowly slows the socket down too.
 */
export class ReadAhead<T> {
  private items: T[] = [];
  private bytes = 0;
  private ended = false;
  private failure: { error: unknown } | undefined;
  private abandoned: { reason: unknown } | undefined;
  private wakeReader: (() => void) | undefined;
  private wakeEngine: (() => void) | undefined;

  constructor(private readonly limitBytes: number) {}

  /** Adds items that take `bytes`; resolves once the engine has made room (throws if it has stopped taking). */
  async push(items: readonly T[], bytes: number): Promise<void> {
    this.throwIfAbandoned();
    for (const item of items) this.items.push(item);
    this.bytes += bytes;
    this.wake('engine');
    while (this.bytes > this.limitBytes) {
      await new Promise<void>((resolve) => (this.wakeReader = resolve));
      this.throwIfAbandoned();
    }
  }

  private throwIfAbandoned(): void {
    if (this.abandoned) throw this.abandoned.reason;
  }

  /** Nothing more will be pushed. */
  end(): void {
    this.ended = true;
    this.wake('engine');
  }

  /** The reading failed: the engine gets `error` after what was pushed before. */
  fail(error: unknown): void {
    this.failure = { error };
    this.wake('engine');
  }

  /** The engine takes no more: a push waiting for room throws `reason`. */
  abandon(reason: unknown): void {
    this.abandoned = { reason };
    this.items = [];
    this.wake('reader');
  }

  /** The engine is done with items that took `bytes`: they no longer count against the limit. */
  taken(bytes: number): void {
    this.bytes -= bytes;
    if (this.bytes <= this.limitBytes) this.wake('reader');
  }

  /** What was pushed, in order, as many items at a time as are waiting; each counts until `taken`. */
  async *take(): AsyncGenerator<T[]> {
    for (;;) {
      if (this.items.length > 0) {
        const items = this.items;
        this.items = [];
        yield items;
        continue;
      }
      if (this.failure) throw this.failure.error;
      if (this.ended || this.abandoned) return;
      await new Promise<void>((resolve) => (this.wakeEngine = resolve));
    }
  }

  private wake(who: 'reader' | 'engine'): void {
    const wake = who === 'reader' ? this.wakeReader : this.wakeEngine;
    if (who === 'reader') this.wakeReader = undefined;
    else this.wakeEngine = undefined;
    wake?.();
  }
}
