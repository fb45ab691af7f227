/**
 * Where the tasks of a read hand their batches of messages to the one writer of stdout. Batches
 * leave in the order they were handed in, whole: messages of different streams interleave only
 * between batches, so a stream's STATE is always written after the records it counts. A task waits
 * until the writer has taken its batch, and the writer takes the next only once stdout has drained,
 * so a slow destination slows every task down instead of growing memory.
 */
export class BatchQueue<Batch> {
  private readonly waiting: { batch: Batch; taken: () => void; refused: (error: unknown) => void }[] = [];
  private closed = false;
  private failure: { error: unknown } | undefined;
  private wakeWriter: (() => void) | undefined;

  /** Hands a batch in; resolves when the writer has taken it. */
  put(batch: Batch): Promise<void> {
    if (this.failure) return Promise.reject(this.failure.error);
    return new Promise<void>((taken, refused) => {
      this.waiting.push({ batch, taken, refused });
      this.wake();
    });
  }

  /** The next batch, or undefined once the queue is closed and empty; throws once the read has failed. */
  async take(): Promise<Batch | undefined> {
    for (;;) {
      if (this.failure) throw this.failure.error;
      const next = this.waiting.shift();
      if (next) {
        next.taken();
        return next.batch;
      }
      if (this.closed) return undefined;
      await new Promise<void>((resolve) => (this.wakeWriter = resolve));
    }
  }

  /** No more batches will be handed in. */
  close(): void {
    this.closed = true;
    this.wake();
  }

  /** The read has failed: batches not yet taken are dropped, and their tasks get `error`. */
  fail(error: unknown): void {
    if (this.failure) return;
    this.failure = { error };
    for (const waiting of this.waiting.splice(0)) waiting.refused(error);
    this.wake();
  }

  private wake(): void {
    const wake = this.wakeWriter;
    this.wakeWriter = undefined;
    wake?.();
  }
}
