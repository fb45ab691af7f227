import type { Dispatcher } from 'undici';
import type { TlsOptions } from './tls.js';
import { exchange, headerValue, type HttpRequest, type HttpResponse } from './http.js';
import { withRetries, parseRetryAfter, type AttemptOutcome, type RetryEnvironment, type RetryPolicy } from './retry.js';
import { describeErrorBody, parseErrorBody } from './errors.js';
import type { Counters } from './auth.js';

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

  constructor(private readonly options: TransportOptions) {}

  get env(): RetryEnvironment {
    return this.options.env;
  }

  get requestTimeoutMs(): number {
    return this.options.requestTimeoutMs;
  }

  lastServerDate(): Date | undefined {
    return this.serverDate;
  }

  /** One exchange without retries. */
  async once(request: HttpRequest, options: SendOptions & { timeoutMs?: number } = {}): Promise<HttpResponse> {
    this.options.counters.requests++;
    const response = await exchange(options.dispatcher ?? this.options.dispatcher, request, {
      timeoutMs: options.timeoutMs ?? this.options.requestTimeoutMs,
      signal: options.signal,
      tls: this.options.tls,
    });
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
    return withRetries(
      description,
      policy,
      env,
      async () => {
        const response = await this.once(await build(), options);
        if (TRANSIENT_STATUSES.has(response.status)) {
          const details = describeErrorBody(parseErrorBody(response.body, headerValue(response.headers, 'content-type')));
          return {
            retry: `HTTP ${response.status} (${details})`,
            retryAfterMs: parseRetryAfter(headerValue(response.headers, 'retry-after'), env.now()),
          };
        }
        return interpret(response);
      },
      { signal: options.signal, onRetry: () => counters.retries++ },
    );
  }
}
