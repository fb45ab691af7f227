import type { Dispatcher } from 'undici';
import { configError, systemError } from '../errors.js';
import type { Logger, SecretRedactor } from '../logging.js';
import { clockWith, type Clock } from '../http/clock.js';
import { HttpClient, type CallReading, type ReadOutcome, type RequestCounters } from '../http/client.js';
import type { Service } from '../http/classify.js';
import { headerValue, type HttpRequest, type HttpResponse, type ResponseHeaders } from '../http/message.js';
import type { RetryPolicy } from '../http/retry.js';
import { SignInGate } from '../http/sign-in.js';
import { Turns } from '../http/turns.js';
import type { ServiceLayerLogin } from '../protocol/generated/config.js';
import type { RowProjection } from './row-projection.js';
import { CollectionScanner, CollectionShapeError, type ScannedRecord } from './collection-scanner.js';
import type { ServiceLayerAuth } from './auth.js';
import { describeErrorResponse, nonRetryableStatusError, readablePath } from './errors.js';
import { ClientCredentialsAuth, tokenEndpointUrl } from './oauth.js';
import { pageSizePreference, parseCollectionPage } from './odata.js';
import { SessionLogin } from './session.js';
import { connectionSettings, type ConnectionConfig, type Dialect } from './settings.js';
import { createServiceLayerAgent, createTokenEndpointAgent, untrustedCertificateAdvice, type TlsOptions } from './tls.js';

export interface ServiceLayerClientOptions {
  config: ConnectionConfig;
  logger: Logger;
  /** The run's redactor: the session and OAuth client register the secrets they learn with it. */
  secrets: SecretRedactor;
  /** Injectable for fast tests; waits between retries. */
  sleep?: Clock['sleep'];
  /** Injectable jitter, in [0, 1). */
  random?: Clock['random'];
  /** Injectable clock (ms since the epoch) for the idle timeout, token expiry and the retry time limit. */
  now?: Clock['now'];
}

export interface GetJsonOptions {
  /** Records per page the caller wants, sent as Prefer: odata.maxpagesize. */
  pageSize?: number;
  signal?: AbortSignal;
}

export interface GetTextOptions {
  signal?: AbortSignal;
  /** The Accept header, e.g. application/xml for $metadata or text/plain for /$count. */
  accept?: string;
}

/** Who takes the records of a collection page as they arrive (see ServiceLayerClient.readCollectionPage). */
export interface CollectionReceiver {
  /** A body starts (each attempt's): the offsets of the records that follow count from its first byte. */
  startBody(): void;
  /**
   * Takes each piece of the body, with the records it completed, in order (where they lie in the
   * body: the receiver keeps the bytes it needs); the read waits while this does.
   */
  take(piece: Buffer, records: ScannedRecord[]): void | Promise<void>;
  /** How many records it has taken so far. */
  readonly taken: number;
}

/** How messages name the Service Layer, and the settings that reach it. */
function serviceLayer(tls: TlsOptions): Service {
  return {
    name: 'the Service Layer',
    urlSetting: 'service_layer_url',
    timeoutSetting: 'request_timeout_seconds',
    tlsSetting: 'tls',
    untrustedCertificateAdvice: untrustedCertificateAdvice(tls, 'service_layer'),
    describeError: describeErrorResponse,
  };
}

function tokenEndpoint(tls: TlsOptions): Service {
  return {
    ...serviceLayer(tls),
    name: 'the token endpoint',
    urlSetting: 'credentials.token_url',
    untrustedCertificateAdvice: untrustedCertificateAdvice(tls, 'token_endpoint'),
  };
}

/**
 * What the sessions of one command share: the connection pool with its TLS settings, the retrying
 * request layer (so one connectivity budget and one set of counters for the whole command), and
 * the gate every sign-in passes (so a refused one is never followed by another).
 */
class ServiceLayerConnection {
  readonly dialect: Dialect;
  readonly serviceRoot: URL;
  readonly http: HttpClient;
  readonly counters: RequestCounters = { requests: 0, retries: 0, signIns: 0 };

  private readonly agents: Dispatcher[] = [];
  private readonly gate = new SignInGate();
  /** The command's one access token, when it signs in with OAuth: sessions share it. */
  private readonly sharedToken: ServiceLayerAuth | undefined;

  constructor(private readonly options: ServiceLayerClientOptions) {
    const { config, logger, secrets } = options;
    const settings = connectionSettings(config);
    this.dialect = settings.dialect;
    this.serviceRoot = settings.serviceRoot;
    const clock = clockWith(options);
    const policy: RetryPolicy = {
      maxRetries: settings.maxRetries,
      maxRetryMs: settings.maxRetryMs,
      settings: { maxRetries: 'max_retries', maxRetryTime: 'max_retry_seconds' },
    };
    const { requestTimeoutMs } = settings;
    const serviceAgent = createServiceLayerAgent(config.tls, requestTimeoutMs, logger);
    this.agents.push(serviceAgent);
    const http = (dispatcher: Dispatcher, service: Service): HttpClient =>
      new HttpClient({ dispatcher, service, policy, requestTimeoutMs, clock, logger, counters: this.counters });
    this.http = http(serviceAgent, serviceLayer(config.tls));

    const credentials = config.credentials;
    if (credentials?.auth_type === 'oauth2_client_credentials') {
      let tokenAgent: Dispatcher = serviceAgent;
      if (tokenEndpointUrl(credentials).hostname !== this.serviceRoot.hostname) {
        tokenAgent = createTokenEndpointAgent(config.tls, requestTimeoutMs);
        this.agents.push(tokenAgent);
      }
      this.sharedToken = new ClientCredentialsAuth(credentials, http(tokenAgent, tokenEndpoint(config.tls)), logger, secrets, this.gate);
    } else if (credentials?.auth_type !== 'session_login') {
      throw configError('credentials.auth_type must be session_login or oauth2_client_credentials');
    }
  }

  /** How one more session signs in: a Service Layer login of its own, or the command's access token. */
  signIn(): ServiceLayerAuth {
    if (this.sharedToken) return this.sharedToken;
    const { config, logger, secrets } = this.options;
    return new SessionLogin(config.credentials as ServiceLayerLogin, this.serviceRoot, this.http, logger, secrets, this.gate);
  }

  /** Ends one session's sign-in; the shared access token ends with the connection. */
  async signOut(auth: ServiceLayerAuth): Promise<void> {
    if (auth !== this.sharedToken) await auth.close();
  }

  async close(): Promise<void> {
    const { logger } = this.options;
    try {
      await this.sharedToken?.close();
    } catch (error) {
      logger.warn(`Closing the Service Layer session failed: ${(error as Error).message}`);
    }
    // destroy, not close: a request still running (a stream that another stream's failure left
    // behind) must not hold up the end of the sync for up to request_timeout_seconds.
    for (const agent of this.agents) {
      try {
        await agent.destroy();
      } catch (error) {
        logger.warn(`Closing the Service Layer connections failed: ${(error as Error).message}`);
      }
    }
  }
}

/**
 * The connector's way to the Service Layer: one session on it. Resolves paths against the service
 * root and sends every request, signed in with the session or OAuth token, through the retrying
 * request layer (src/http/client.ts), which retries what may pass and explains what will not; a
 * session sends one request at a time. `newSession()` opens another session on the same
 * connection, for reading entity sets side by side.
 */
export class ServiceLayerClient {
  readonly dialect: Dialect;
  readonly serviceRoot: URL;

  private readonly logger: Logger;
  private readonly connection: ServiceLayerConnection;
  private readonly http: HttpClient;
  private readonly auth: ServiceLayerAuth;
  /**
   * One request at a time: the Service Layer serves a session's requests one after another anyway,
   * so a second request would only wait on the server while holding a connection, and what a
   * session's requests return must not depend on which one the server happened to take first.
   */
  private readonly turns = new Turns();
  /** The first client of a connection owns it: closing it ends every session and the pool. */
  private readonly sessions: ServiceLayerClient[] | undefined;
  private closed = false;
  private pageSizeNoticeLogged = false;

  /** A client on a new connection, or, given one, another session on it (see newSession). */
  constructor(
    private readonly options: ServiceLayerClientOptions,
    connection?: ServiceLayerConnection,
  ) {
    this.connection = connection ?? new ServiceLayerConnection(options);
    this.sessions = connection ? undefined : [];
    this.dialect = this.connection.dialect;
    this.serviceRoot = this.connection.serviceRoot;
    this.logger = options.logger;
    this.http = this.connection.http;
    this.auth = this.connection.signIn();
  }

  /**
   * Another session on this client's connection: its own sign-in (a licensed Service Layer session
   * with its own cookies; with OAuth, the same token), the same retry budget, counters and sign-in
   * gate. It signs in on its first request; closing this client signs it out.
   */
  newSession(): ServiceLayerClient {
    this.assertOpen();
    if (!this.sessions) throw systemError('Only the client that opened the connection opens sessions on it');
    const session = new ServiceLayerClient(this.options, this.connection);
    this.sessions.push(session);
    return session;
  }

  /**
   * Counters for logs and tests, of every session on the connection: HTTP requests sent (sign-ins
   * and retries included), retries, and sign-in requests (Service Layer logins or access-token requests).
   */
  get stats(): RequestCounters {
    return { ...this.connection.counters };
  }

  /** Signs in now (session login or OAuth token). check uses it; the get methods do it lazily. */
  async connect(): Promise<void> {
    this.assertOpen();
    await this.auth.connect();
  }

  /** GET a path relative to the service root (e.g. "Invoices?$filter=..."); returns the parsed JSON body. */
  async getJson<T = unknown>(pathAndQuery: string, options: GetJsonOptions = {}): Promise<T> {
    const { pageSize } = options;
    const headers: Record<string, string> = { accept: 'application/json', ...(pageSize === undefined ? {} : pageSizePreference(pageSize)) };
    return this.get(pathAndQuery, headers, options.signal, (response) => {
      if (pageSize !== undefined) this.notePageSize(response.headers, pageSize);
      return parseJsonBody<T>(response);
    });
  }

  /**
   * GET one page of a collection (e.g. "Invoices?$filter=...&$orderby=DocEntry asc") and hand its
   * body to `receiver` as it arrives, with the records each piece completed (collection-scanner.ts),
   * so that a page is never parsed whole; returns the page's next link once the whole answer has
   * arrived. The receiver may make the read wait (back-pressure reaches the socket). A body cut
   * short is asked for again: `pathAndQuery` is called for each attempt, so that a retry can start
   * after the records already handed on.
   */
  async readCollectionPage(
    pathAndQuery: () => string,
    options: { pageSize: number; signal?: AbortSignal; projection?: RowProjection },
    receiver: CollectionReceiver,
  ): Promise<{ nextLink: string | undefined }> {
    const { pageSize, signal, projection } = options;
    const headers: Record<string, string> = { accept: 'application/json', ...pageSizePreference(pageSize) };
    return this.send<{ nextLink: string | undefined }>(pathAndQuery, headers, signal, {
      progress: () => receiver.taken,
      stream: async (response) => {
        this.notePageSize(response.headers, pageSize);
        const scanner = new CollectionScanner(projection);
        receiver.startBody();
        try {
          for await (const chunk of response.body) await receiver.take(chunk, scanner.write(chunk));
          return { value: { nextLink: parseCollectionPage(scanner.end(), this.dialect).nextLink } };
        } catch (error) {
          if (!(error instanceof CollectionShapeError)) throw error;
          // What a body cut short looks like is asked for again; a body that is whole and still no collection is not.
          if (error.incomplete) return { retry: `HTTP ${response.status} with ${error.message}` };
          throw systemError(`The Service Layer answered a collection request with something that is not a collection: ${error.message}`);
        }
      },
    });
  }

  /** GET returning text (for $metadata XML and /$count). */
  async getText(pathAndQuery: string, options: GetTextOptions = {}): Promise<string> {
    return this.get(pathAndQuery, { accept: options.accept ?? '*/*' }, options.signal, (response) => ({ value: response.body }));
  }

  /** The server clock from the most recent HTTP Date header of the Service Layer, if any. */
  lastServerDate(): Date | undefined {
    return this.http.lastServerDate();
  }

  /**
   * Signs out (session login) and, for the client that opened the connection, signs out its other
   * sessions and releases the connection pools. Idempotent; never throws (logs instead).
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([
      (async () => {
        try {
          await this.connection.signOut(this.auth);
        } catch (error) {
          this.logger.warn(`Closing the Service Layer session failed: ${(error as Error).message}`);
        }
      })(),
      ...(this.sessions ?? []).map((session) => session.close()),
    ]);
    if (this.sessions) await this.connection.close();
  }

  private assertOpen(): void {
    if (this.closed) throw systemError('The Service Layer client was used after it was closed');
  }

  private get<T>(
    pathAndQuery: string,
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
    read: (response: HttpResponse) => ReadOutcome<T>,
  ): Promise<T> {
    return this.send(() => pathAndQuery, headers, signal, { read });
  }

  /** Sends a GET on this session's turn; `pathAndQuery` is asked for each attempt after the first. */
  private send<T>(pathAndQuery: () => string, headers: Record<string, string>, signal: AbortSignal | undefined, reading: CallReading<T>): Promise<T> {
    this.assertOpen();
    const relative = (url: URL): string => `${url.pathname.slice(this.serviceRoot.pathname.length)}${url.search}`;
    const first = this.resolve(pathAndQuery());
    let current: URL | undefined;
    const request = (): HttpRequest => {
      current = current === undefined ? first : this.resolve(pathAndQuery());
      return { method: 'GET', url: current, headers };
    };
    return this.turns.take(
      () =>
        this.http.send({
          description: `GET ${readablePath(relative(first))}`,
          request,
          idempotent: true,
          auth: this.auth,
          refuse: (response) =>
            nonRetryableStatusError(
              response.status,
              'GET',
              relative(current ?? first),
              response.body,
              headerValue(response.headers, 'content-type'),
              headerValue(response.headers, 'location'),
            ),
          ...reading,
          ...(signal ? { signal } : {}),
        }),
      signal,
    );
  }

  /**
   * Resolves a path against the service root. The connector pages by key and builds every path
   * itself, so an absolute URL or path is a defect; the session cookie or token goes with the
   * request, so anything that would leave the service root (another host, or ../) is refused.
   */
  private resolve(pathAndQuery: string): URL {
    // A path never carries a fragment; a '#' in it belongs to a filter value.
    const path = pathAndQuery.replaceAll('#', '%23');
    let url: URL;
    try {
      url = new URL(`./${path}`, this.serviceRoot);
    } catch {
      throw systemError(`Cannot build a Service Layer URL from "${pathAndQuery}"`);
    }
    if (/^([a-z][a-z0-9+.-]*:|\/)/i.test(path) || !url.pathname.startsWith(this.serviceRoot.pathname)) {
      throw systemError(
        `The Service Layer path "${pathAndQuery}" is absolute or leads outside the service root ${this.serviceRoot.href}; it is not sent, so that the session never goes elsewhere.`,
      );
    }
    return url;
  }

  private notePageSize(headers: ResponseHeaders, pageSize: number): void {
    if (this.pageSizeNoticeLogged) return;
    this.pageSizeNoticeLogged = true;
    const applied = headerValue(headers, 'preference-applied');
    if (applied === undefined) {
      this.logger.debug(`The Service Layer did not confirm the page size ${pageSize} (no Preference-Applied header); its page size applies.`);
    } else {
      this.logger.debug(`The Service Layer applied ${applied}.`);
    }
  }
}

/** A page's JSON; a body that does not parse was almost always cut short on the way, and is asked for again. */
function parseJsonBody<T>(response: HttpResponse): ReadOutcome<T> {
  const text = response.body.charCodeAt(0) === 0xfeff ? response.body.slice(1) : response.body;
  try {
    return { value: JSON.parse(text) as T };
  } catch {
    const contentType = headerValue(response.headers, 'content-type') ?? 'no content type';
    const kind =
      text.trim() === '' ? 'an empty body' : /^\s*</.test(text) ? `markup instead of JSON (${contentType})` : 'JSON that does not parse (cut short?)';
    return { retry: `HTTP ${response.status} with ${kind}` };
  }
}
