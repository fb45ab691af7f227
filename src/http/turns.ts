import { abortable } from './retry.js';

/**
 * Work taken one at a time, in the order it was asked for: a Service Layer session's requests, and
 * the sign-ins of a command's sessions. Each waits for the one before it to end, however that ended.
 */
export class Turns {
  private tail: Promise<void> = Promise.resolve();

  /** Runs `work` once every earlier turn has ended; `signal` stops the wait (not the work). */
  async take<T>(work: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const previous = this.tail;
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    // The next caller waits for this one and for all before it, also when this one stops waiting.
    this.tail = previous.then(() => done);
    try {
      await abortable(previous, signal);
      return await work();
    } finally {
      finished();
    }
  }
}
