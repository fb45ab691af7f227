import type { Dispatcher } from 'undici';
import { isPlainHttpRefusal, plainHttpToTlsPort, type TlsOptions } from './tls.js';
import { exchange, headerValue, type HttpRequest, type HttpResponse } from './http.js';
import { withRetries, parseRetryAfter, type AttemptOutcome, type RetryEnvironment, type RetryPolicy } from './retry.js';
import { describeErrorBody, parseErrorBody } from './errors.js';
import type { Counters } from './auth.js';
import { Connectivity } from './connectivity.js';

/** Statuses that say "not now" rather than "not like this". */
const TRANSIENT_STATUSES = new Set([429, 500, 502, 503, 504]);

export interface TransportOptions {
  dispatcher: Dispatcher;
  serviceRoot: URL;
  tls: TlsOptions | undefined;
  requestTimeoutMs: number;
  policy: RetryPolicy;
  env: RetryEnvironment;
  counters: Counters;
}

export interface SendOptions {
  signal?: AbortSignal;
  /** Another pool than the Service Layer's, for a token endpoint on another host. */
  dispatcher?: Dispatcher;
}

/**
 * Sends requests and retries the transient failures: the one place that counts requests, applies
 * the request timeout and notes the server clock.
 */
export class Transport {
  private serverDate: Date | undefined;
  /** One connectivity budget for every request of the command, whichever stream sends it. */
  private readonly connectivity: Connectivity;

  constructor(private readonly options: TransportOptions) {
    this.connectivity = new Connectivity(options.policy.maxRetryMs, options.env.now);
  }

  get env(): RetryEnvironment {
    return this.options.env;
  }

  get requestTimeoutMs(): number {
    return this.options.requestTimeoutMs;
  }

  lastServerDate(): Date | undefined {
    return this.serverDate;
  }

  /** One exchange without retries. Nothing is sent to a host the command has given up on. */
  async once(request: HttpRequest, options: SendOptions & { timeoutMs?: number } = {}): Promise<HttpResponse> {
    this.connectivity.assertNotGivenUp(request.url);
    this.options.counters.requests++;
    const response = await exchange(options.dispatcher ?? this.options.dispatcher, request, {
      timeoutMs: options.timeoutMs ?? this.options.requestTimeoutMs,
      signal: options.signal,
      tls: this.options.tls,
    });
    this.connectivity.reached(request.url);
    if (isPlainHttpRefusal(request.url, response.status, response.body)) throw plainHttpToTlsPort(request.url);
    if (request.url.origin === this.options.serviceRoot.origin) {
      const date = headerValue(response.headers, 'date');
      const parsed = date === undefined ? Number.NaN : Date.parse(date);
      if (!Number.isNaN(parsed)) this.serverDate = new Date(parsed);
    }
    return response;
  }

  /**
   * Sends the request `build` makes (once per attempt, so credentials can change between attempts),
   * retrying transient statuses and failures; `interpret` sees every other response and may still
   * ask for a retry, for instance for a body cut short.
   */
  async send<T>(
    description: string,
    build: () => Promise<HttpRequest>,
    interpret: (response: HttpResponse) => AttemptOutcome<T>,
    options: SendOptions = {},
  ): Promise<T> {
    const { policy, env, counters } = this.options;
    let attempt: { url: URL; startedAt: number } | undefined;
    return withRetries(
      description,
      policy,
      env,
      async () => {
        const request = await build();
        attempt = { url: request.url, startedAt: env.now() };
        const response = await this.once(request, options);
        if (TRANSIENT_STATUSES.has(response.status)) {
          const details = describeErrorBody(parseErrorBody(response.body, headerValue(response.headers, 'content-type')));
          return {
            retry: `HTTP ${response.status} (${details})`,
            retryAfterMs: parseRetryAfter(headerValue(response.headers, 'retry-after'), env.now()),
          };
        }
        return interpret(response);
      },
      {
        signal: options.signal,
        onRetry: () => counters.retries++,
        onFailedAttempt: (outcome, delayMs) => {
          if (!attempt || outcome.failure?.reachability === undefined) return;
          const givenUp = this.connectivity.unreachable(attempt.url, outcome.failure, attempt.startedAt, delayMs);
          if (givenUp) throw givenUp;
        },
      },
    );
  }
}
