/**
 * The one retrying request layer, for the Service Layer, its OAuth token endpoint and the Looker
 * API: each attempt is one exchange (exchange.ts), its response or failure goes through the
 * classification table (classify.ts), and this loop acts on the outcome: returns, renews the
 * session or token and repeats the call, waits and retries within the policy and the run's
 * connectivity budget, or fails.
 *
 * undici's own retry interceptor (lib/interceptor/retry.js, lib/handler/retry-handler.js) is not
 * used: it waits on real timers with Date.now (no injected clock for tests), without jitter, caps
 * Retry-After at its maxTimeout instead of giving up, replays the very same headers (a renewed
 * session needs new ones), and retries below the body, where a page cut short is only found by
 * parsing it. What undici does serve is used: the connection pools (Agent) with their timeouts,
 * and its errors' stable codes, which the table reads.
 */
import type { Dispatcher } from 'undici';
import { transientError, type ConnectorError } from '../errors.js';
import type { Logger } from '../logging.js';
import {
  capitalized,
  classifyFailure,
  classifyResponse,
  failureHeadline,
  type CallTraits,
  type Outcome,
  type RetryOutcome,
  type Service,
} from './classify.js';
import { formatDuration, type Clock } from './clock.js';
import { Connectivity } from './connectivity.js';
import { exchange, ExchangeFailure, streamingExchange } from './exchange.js';
import { headerValue, type HttpRequest, type HttpResponse, type StreamedResponse } from './message.js';
import { abortable, backoffDelayMs, exhaustedLimit, type RetryPolicy } from './retry.js';
import type { Authenticator, Credentials } from './sign-in.js';

/** For logs and tests: HTTP requests sent (sign-ins and retries included), retries, and sign-in requests (logins and token requests). */
export interface RequestCounters {
  requests: number;
  retries: number;
  signIns: number;
}

/** What a call makes of a response the table accepted: its value, or a reason to try again (a body cut short). */
export type ReadOutcome<T> = { value: T } | { retry: string };

/** How a call reads a response the table accepted: whole, or (a successful one) as it arrives. */
export type CallReading<T> =
  | {
      /** Reads a response the table accepted; parsing happens here, once per attempt. */
      read(response: HttpResponse): ReadOutcome<T>;
      stream?: undefined;
      progress?: undefined;
    }
  | {
      read?: undefined;
      /**
       * Reads a successful answer as it arrives (a page of records): the body is not held whole.
       * A failure while it is read is classified like any failed exchange (a body cut short is
       * retried).
       */
      stream(response: StreamedResponse): Promise<ReadOutcome<T>>;
      /**
       * How much of the answer the call has handed on so far. An attempt that got further than the
       * one before it did not fail in vain: the retries and the retry time start again.
       */
      progress?(): number;
    };

export type Call<T> = CallBase & CallReading<T>;

/** What every call says about itself, however it reads its answer. */
export interface CallBase {
  /** "GET Invoices?$top=1": how log lines and messages name the call. */
  description: string;
  /** The request, or how to make it for each attempt (a page read again after a body cut short starts after what was read). */
  request: HttpRequest | (() => HttpRequest);
  /** Repeating it after an ambiguous failure is harmless; a call that starts work (a PDT build, a delivery) is not. */
  idempotent: boolean;
  /** Signs the call in; its headers are added to each attempt. */
  auth?: Authenticator;
  /** The call is itself a sign-in (a Login, a token request): counted as one. */
  signIn?: boolean;
  /** Statuses other than 2xx that are the answer the call wants. */
  accepts?: (status: number) => boolean;
  /** The error for a status the table leaves to the service: its own wording. */
  refuse(response: HttpResponse): ConnectorError;
  signal?: AbortSignal;
  /** A shorter bound on each exchange than the client's request timeout. */
  timeoutMs?: number;
  /** Fewer retries than the policy allows, and why (a sign-out that must not hold up the end of a sync). */
  retryLimit?: { maxRetries: number; because: string };
}

export interface HttpClientOptions {
  /** The connection pool, with its TLS settings. */
  dispatcher: Dispatcher;
  service: Service;
  policy: RetryPolicy;
  requestTimeoutMs: number;
  clock: Clock;
  logger: Logger;
  /** Shared with the other clients of a command, so that its totals add up. */
  counters: RequestCounters;
}

/** A status whose body a streamed call reads as it arrives; any other answer is read whole and classified. */
const isSuccess = (status: number): boolean => status >= 200 && status < 300;

type AttemptOutcome<T> = Exclude<Outcome, { kind: 'done' }> | { kind: 'done'; value: T };

/** Sent with every request unless the call says otherwise: the exchange decompresses what comes back. */
const DEFAULT_HEADERS: Readonly<Record<string, string>> = { 'accept-encoding': 'gzip, deflate', 'user-agent': 'source-sap-business-one' };

export class HttpClient {
  /** One connectivity budget for every request of the command to a host, whichever stream sends it. */
  private readonly connectivity: Connectivity;
  private serverClock: { date: Date; offsetMs: number } | undefined;

  constructor(private readonly options: HttpClientOptions) {
    this.connectivity = new Connectivity(options.policy.maxRetryMs, () => options.clock.now(), options.service);
  }

  get clock(): Clock {
    return this.options.clock;
  }

  get requestTimeoutMs(): number {
    return this.options.requestTimeoutMs;
  }

  /** The server's clock from the Date header of its latest answer, if any. */
  lastServerDate(): Date | undefined {
    return this.serverClock?.date;
  }

  /** How far the server's clock was ahead of ours (negative: behind) when its latest answer came. */
  serverClockOffsetMs(): number | undefined {
    return this.serverClock?.offsetMs;
  }

  /** Runs a call to its end: its value, or the error that ends it. */
  async send<T>(call: Call<T>): Promise<T> {
    const { clock, policy, logger, counters, service } = this.options;
    let started = clock.now();
    let renewed = false;
    for (let retries = 0; ;) {
      const credentials = call.auth ? await call.auth.credentials(call.signal) : undefined;
      const base = typeof call.request === 'function' ? call.request() : call.request;
      const request = { ...base, headers: { ...DEFAULT_HEADERS, ...base.headers, ...credentials?.headers } };
      const attemptStarted = clock.now();
      const progressBefore = call.progress?.();
      const outcome = await this.attempt(request, call, credentials, renewed);
      if (outcome.kind === 'done') return outcome.value;
      if (outcome.kind === 'fail') throw outcome.error;
      if (outcome.kind === 'renew') {
        // Not a retry: the call is repeated at once with the new session or token, and only once.
        renewed = true;
        await call.auth!.renew(credentials!.generation, call.signal);
        continue;
      }
      if (progressBefore !== undefined && call.progress!() > progressBefore) {
        retries = 0;
        started = attemptStarted;
      }
      const delay = outcome.retryAfterMs ?? backoffDelayMs(retries + 1, () => clock.random());
      if (outcome.reachability !== undefined) {
        const givenUp = this.connectivity.unreachable(request.url, { ...outcome, reachability: outcome.reachability }, attemptStarted, delay);
        if (givenUp) throw givenUp;
      }
      const elapsed = clock.now() - started;
      const limit =
        call.retryLimit && retries >= call.retryLimit.maxRetries
          ? call.retryLimit.because
          : exhaustedLimit(policy, retries, elapsed, delay, outcome.retryAfterMs);
      if (limit !== undefined) throw this.exhausted(call, outcome, retries + 1, elapsed, limit);
      logger.warn(
        `${capitalized(service.name)} request ${call.description} failed: ${outcome.reason}; retry ${retries + 1} of ${policy.maxRetries} in ${formatDuration(delay)}` +
          (outcome.retryAfterMs !== undefined ? ' (as asked by Retry-After)' : ''),
      );
      counters.retries++;
      await abortable(clock.sleep(delay), call.signal);
      retries++;
    }
  }

  private async attempt<T>(request: HttpRequest, call: Call<T>, credentials: Credentials | undefined, renewed: boolean): Promise<AttemptOutcome<T>> {
    const { dispatcher, counters, clock } = this.options;
    // Nothing is sent to a host the command has given up on.
    this.connectivity.assertNotGivenUp(request.url);
    counters.requests++;
    if (call.signIn) counters.signIns++;
    const traits = this.traits(call, renewed);
    const options = { timeoutMs: call.timeoutMs ?? this.options.requestTimeoutMs, signal: call.signal };
    const answered = (headers: HttpResponse['headers']): void => {
      this.connectivity.reached(request.url);
      this.noteServerClock(headers);
      if (credentials) call.auth?.observe?.(headers, credentials.generation);
    };
    let response: HttpResponse;
    try {
      if (call.stream) {
        const streamed = call;
        const outcome = await streamingExchange(dispatcher, request, options, isSuccess, (response) => {
          answered(response.headers);
          return streamed.stream(response);
        });
        if ('consumed' in outcome) {
          const read = outcome.consumed;
          return 'value' in read ? { kind: 'done', value: read.value } : { kind: 'retry', reason: read.retry, network: false };
        }
        response = outcome.response;
      } else {
        response = await exchange(dispatcher, request, options);
      }
    } catch (error) {
      if (!(error instanceof ExchangeFailure)) throw error;
      return classifyFailure(error, request, traits);
    }
    answered(response.headers);
    const outcome = classifyResponse(response, request, traits, clock.now());
    if (outcome.kind !== 'done') return outcome;
    if (!call.read) throw new Error(`${call.description}: a streamed call got an answer the table accepted without being a success`);
    const read = call.read(response);
    return 'value' in read ? { kind: 'done', value: read.value } : { kind: 'retry', reason: read.retry, network: false };
  }

  private traits<T>(call: Call<T>, renewed: boolean): CallTraits {
    const auth = call.auth;
    return {
      description: call.description,
      service: this.options.service,
      idempotent: call.idempotent,
      ...(auth
        ? { signedIn: { renewed, refusedAfterRenewal: (response: HttpResponse) => auth.refusedAfterRenewal(call.description, response) } }
        : {}),
      ...(call.accepts ? { accepts: call.accepts } : {}),
      refuse: call.refuse,
    };
  }

  private exhausted<T>(call: Call<T>, outcome: RetryOutcome, attempts: number, elapsedMs: number, limit: string): ConnectorError {
    const name = this.options.service.name;
    const tally =
      attempts === 1
        ? `It was not retried: ${limit}.`
        : `It kept failing after retries (${attempts} attempts over ${formatDuration(elapsedMs)}; ${limit}); ${name} or the network may be ` +
          'overloaded or down, and a later attempt may succeed.';
    return transientError(`${failureHeadline({ description: call.description, service: this.options.service }, outcome)} ${tally}`);
  }

  private noteServerClock(headers: HttpResponse['headers']): void {
    const date = headerValue(headers, 'date');
    const serverMs = date === undefined ? Number.NaN : Date.parse(date);
    if (!Number.isNaN(serverMs)) this.serverClock = { date: new Date(serverMs), offsetMs: serverMs - this.options.clock.now() };
  }
}
