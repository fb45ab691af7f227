/**
 * The server's capacity, as a Service Layer has it: a session's requests are served one after another in the
 * order they arrive (the Service Layer keeps a session's company connection in one process and serves its
 * requests in turn), on a fixed pool of worker processes shared by all sessions, and work on a worker takes
 * time. Network latency is not modelled here: it holds neither a worker nor the session's turn.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServiceTiming, SimulatorStats } from '../types.js';

/** Work charged at intermediate points is only waited for once it is this far ahead of real time. */
const PACING_SLACK_MS = 1;

/** The statistics the capacity model keeps; the session store keeps the rest. */
export type CapacityStats = Omit<SimulatorStats, 'logins' | 'failedLogins' | 'logouts' | 'activeSessions'>;

/** A FIFO pool of `size` workers (Infinity: no limit). */
class WorkerPool {
  private busy = 0;
  private readonly waiting: (() => void)[] = [];
  maxBusy = 0;
  maxWaiting = 0;

  constructor(private readonly size: number) {}

  get inUse(): number {
    return this.busy;
  }

  async acquire(): Promise<void> {
    if (this.busy < this.size) {
      this.take();
      return;
    }
    const turn = new Promise<void>((resolve) => this.waiting.push(resolve));
    this.maxWaiting = Math.max(this.maxWaiting, this.waiting.length);
    await turn;
  }

  /** Hands the worker to the longest waiting request, or frees it. */
  release(): void {
    this.busy--;
    const next = this.waiting.shift();
    if (next) {
      this.take();
      next();
    }
  }

  private take(): void {
    this.busy++;
    this.maxBusy = Math.max(this.maxBusy, this.busy);
  }
}

/** One FIFO queue per session: a request starts only when every earlier request of its session has finished. */
class SessionQueues {
  /** Per session: the promise the next arrival waits for, and how many requests hold or wait for the turn. */
  private readonly queues = new Map<string, { tail: Promise<void>; length: number }>();
  maxWaiting = 0;

  /** Resolves when it is this request's turn; the returned function ends the turn. */
  async enter(session: string): Promise<() => void> {
    const queue = this.queues.get(session) ?? { tail: Promise.resolve(), length: 0 };
    const previous = queue.tail;
    let leave!: () => void;
    queue.tail = new Promise<void>((resolve) => (leave = resolve));
    queue.length++;
    this.queues.set(session, queue);
    this.maxWaiting = Math.max(this.maxWaiting, queue.length - 1);
    await previous;
    return () => {
      leave();
      if (--queue.length === 0) this.queues.delete(session);
    };
  }
}

/** Sleeps until a performance.now() instant, never waking before it (timers may fire up to a millisecond early). */
async function sleepUntil(instant: number): Promise<void> {
  for (let ahead = instant - performance.now(); ahead > 0; ahead = instant - performance.now()) await sleep(Math.ceil(ahead));
}

export interface CapacityOptions {
  /** Positive integer, or Infinity for no limit. */
  workers: number;
  requestCostMs: number;
  recordCostMicros: number;
  loginCostMs: number;
}

/**
 * A request on a worker. Its work is charged as it goes: the fixed cost of the request (and of a Login) up
 * front, then each record serialised; the answer waits until the worker has done all of it. The simulator's own
 * work of serialising the records happens during the charged time, not on top of it.
 */
export class ServedRequest {
  private readonly startedAt = performance.now();
  private charged = 0;
  private serialised = 0;
  private timing: ServiceTiming | undefined;

  constructor(
    private readonly costs: CapacityOptions,
    /** performance.now() when the simulator started. */
    private readonly origin: number,
    private readonly queuedMs: number,
    private readonly onFinish: (busyMs: number) => void,
  ) {}

  /** Records serialised into the answer so far. */
  get records(): number {
    return this.serialised;
  }

  /** Does the request's fixed work (requestCostMs, plus loginCostMs for a Login). */
  async begin(login: boolean): Promise<void> {
    this.charged += this.costs.requestCostMs + (login ? this.costs.loginCostMs : 0);
    await this.settle(false);
  }

  /** Charges the serialising of one more record, without waiting for it. */
  recordSerialised(): void {
    this.serialised++;
    this.charged += this.costs.recordCostMicros / 1000;
  }

  /**
   * Resolves when the work charged so far is done. `intermediate` (more of the answer is to come) skips waits
   * shorter than the pacing slack: the final call catches up, so no tiny sleeps pile up over a long answer.
   */
  async settle(intermediate: boolean): Promise<void> {
    const due = this.startedAt + this.charged;
    if (due - performance.now() > (intermediate ? PACING_SLACK_MS : 0)) await sleepUntil(due);
  }

  /** Frees the worker and the session's turn (once); returns when the request was queued, started and finished. */
  finish(): ServiceTiming {
    if (!this.timing) {
      const finishedAt = performance.now();
      this.timing = { queuedMs: this.queuedMs, startedMs: this.startedAt - this.origin, finishedMs: finishedAt - this.origin };
      this.onFinish(finishedAt - this.startedAt);
    }
    return this.timing;
  }
}

export class ServerCapacity {
  private readonly workers: WorkerPool;
  private readonly sessions = new SessionQueues();
  private readonly origin = performance.now();
  private served = 0;
  private busyMs = 0;
  private readonly perSession: number[] = [];

  constructor(private readonly options: CapacityOptions) {
    this.workers = new WorkerPool(options.workers);
  }

  /**
   * Waits for the session's turn (when the request carries a session), then for a free worker. `sessionNumber`
   * (1-based login order) only attributes the request in the statistics.
   */
  async admit(sessionKey: string | undefined, sessionNumber: number | undefined): Promise<ServedRequest> {
    const queuedMs = performance.now() - this.origin;
    const leaveSession = sessionKey === undefined ? undefined : await this.sessions.enter(sessionKey);
    await this.workers.acquire();
    this.served++;
    if (sessionNumber !== undefined) this.perSession[sessionNumber - 1] = (this.perSession[sessionNumber - 1] ?? 0) + 1;
    return new ServedRequest(this.options, this.origin, queuedMs, (busyMs) => {
      this.busyMs += busyMs;
      this.workers.release();
      leaveSession?.();
    });
  }

  /** `sessions`: how many sessions were created, so that sessions without a served request count 0. */
  stats(sessions: number): CapacityStats {
    return {
      requestsServed: this.served,
      requestsInService: this.workers.inUse,
      maxConcurrentRequests: this.workers.maxBusy,
      maxWaitingForWorker: this.workers.maxWaiting,
      maxWaitingOnSession: this.sessions.maxWaiting,
      workerBusyMs: this.busyMs,
      requestsPerSession: Array.from({ length: Math.max(sessions, this.perSession.length) }, (_, i) => this.perSession[i] ?? 0),
    };
  }
}
