/**
 * Whether the hosts a command talks to (the Service Layer, its token endpoint, Looker) can be
 * reached at all: one retry budget shared by every request of the command to a host.
 *
 * A request's own retries (max_retries, max_retry_seconds) cover what goes wrong with that request.
 * A host that cannot be reached says nothing about the request and everything about the run: if
 * every stream started its own retries against it, a full read would wait 33 times
 * max_retry_seconds. So the time a host has been unreachable (refused, timed out, no route, DNS)
 * counts across requests: once it exceeds the budget, the command gives up on the host, and every
 * later request fails at once with the same run-ending error, which the read reports once.
 *
 * A refused connection to a host this command has never reached is almost always a wrong host or
 * port, or a server that is not running: it gets a short budget. A host that answered earlier and
 * then refuses may be restarting: it gets the whole max_retry_seconds, as does a host that accepts
 * connections and never answers (each attempt then lasts request_timeout_seconds).
 */
import { configError, transientError, type ConnectorError } from '../errors.js';
import { capitalized, type Reachability, type RetryOutcome, type Service } from './classify.js';

/** The budget for a refused connection to a host never reached in this command. */
export const NEVER_REACHED_REFUSED_BUDGET_MS = 30_000;

interface HostState {
  /** Some answer (any HTTP status) came from the host during this command. */
  reached: boolean;
  /** When the first attempt of the current unreachable spell started. */
  unreachableSince: number | undefined;
  attempts: number;
  /** Set once the budget is spent: every later request fails with it. */
  givenUp: ConnectorError | undefined;
}

export class Connectivity {
  private readonly hosts = new Map<string, HostState>();

  constructor(
    private readonly budgetMs: number,
    private readonly now: () => number,
    private readonly service: Service,
  ) {}

  /** Throws the run-ending error once the command has given up on the URL's host. */
  assertNotGivenUp(url: URL): void {
    const given = this.state(url).givenUp;
    if (given) throw given;
  }

  /** An answer came from the host: it is reachable, whatever the status said. */
  reached(url: URL): void {
    const state = this.state(url);
    state.reached = true;
    state.unreachableSince = undefined;
    state.attempts = 0;
  }

  /**
   * An attempt started at `startedAt` could not reach the host. Returns the run-ending error when
   * the next attempt, `nextDelayMs` from now, would fall outside the budget; undefined otherwise.
   */
  unreachable(url: URL, failure: RetryOutcome & { reachability: Reachability }, startedAt: number, nextDelayMs: number): ConnectorError | undefined {
    const state = this.state(url);
    state.unreachableSince ??= startedAt;
    state.attempts++;
    const shortBudget = failure.reachability === 'refused' && !state.reached;
    const budgetMs = shortBudget ? Math.min(NEVER_REACHED_REFUSED_BUDGET_MS, this.budgetMs) : this.budgetMs;
    const elapsedMs = this.now() - state.unreachableSince;
    if (elapsedMs + nextDelayMs <= budgetMs) return undefined;
    state.givenUp = this.runEndingError(url, failure, state, elapsedMs, shortBudget);
    return state.givenUp;
  }

  private runEndingError(
    url: URL,
    failure: RetryOutcome & { reachability: Reachability },
    state: HostState,
    elapsedMs: number,
    neverReached: boolean,
  ): ConnectorError {
    const tried = `${state.attempts} attempt${state.attempts === 1 ? '' : 's'} over ${Math.round(elapsedMs / 1000)} s`;
    if (failure.reachability === 'refused') {
      const message =
        `${capitalized(failure.reason)} (${tried}${neverReached ? '; this run never reached it' : ''}). ` +
        `Check that ${this.service.name} is running, and the host and port of ${url.protocol}//${url.host} in ${this.service.urlSetting}.`;
      // Never reached: retrying the same address will not help; the configuration or the server must change.
      return neverReached ? configError(message, { endsRun: true }) : transientError(message, { endsRun: true });
    }
    return transientError(
      `${url.protocol}//${url.host} could not be reached (${tried}; last: ${failure.reason}). The server may be down, hung or ` +
        'overloaded, or a firewall drops the connection; nothing more is sent to it in this run (streams not yet read are not attempted), and the run can be retried later.',
      { endsRun: true },
    );
  }

  private state(url: URL): HostState {
    let state = this.hosts.get(url.origin);
    if (!state) {
      state = { reached: false, unreachableSince: undefined, attempts: 0, givenUp: undefined };
      this.hosts.set(url.origin, state);
    }
    return state;
  }
}
