import type { Dispatcher } from 'undici';
import type { ConnectorConfig } from '../protocol/generated/config.js';
import { configError, systemError } from '../errors.js';
import type { Logger, SecretRedactor } from '../logging.js';
import type { Authenticator, Counters } from './auth.js';
import { describeErrorBody, nonRetryableStatusError, parseErrorBody, readablePath } from './errors.js';
import { headerValue, type HttpResponse } from './http.js';
import { ClientCredentialsAuth } from './oauth.js';
import { pageSizePreference } from './odata.js';
import type { AttemptOutcome } from './retry.js';
import { SessionLogin } from './session.js';
import { connectionSettings, type ConnectionSettings, type Dialect } from './settings.js';
import { createServiceLayerAgent, createTokenEndpointAgent } from './tls.js';
import { Transport } from './transport.js';

export interface ServiceLayerClientOptions {
  config: ConnectorConfig;
  logger: Logger;
  /** The run's redactor: the session and OAuth client register the secrets they learn with it. */
  secrets: SecretRedactor;
  /** Injectable for fast tests; waits between retries. */
  sleep?: (ms: number) => Promise<void>;
  /** Injectable jitter, in [0, 1). */
  random?: () => number;
  /** Injectable clock (ms since the epoch) for the idle timeout, token expiry and the retry time limit. */
  now?: () => number;
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

type Parsed<T> = { unauthorized: false; value: T } | { unauthorized: true; generation: number; answer: string };

const defaultSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The connector's way to the Service Layer: resolves paths against the service root, authenticates
 * every request (session or OAuth token), retries what may pass and explains what will not.
 */
export class ServiceLayerClient {
  readonly dialect: Dialect;
  readonly serviceRoot: URL;

  private readonly settings: ConnectionSettings;
  private readonly logger: Logger;
  private readonly counters: Counters = { requests: 0, retries: 0, logins: 0 };
  private readonly agents: Dispatcher[] = [];
  private readonly transport: Transport;
  private readonly auth: Authenticator;
  private closed = false;
  private pageSizeNoticeLogged = false;

  constructor(options: ServiceLayerClientOptions) {
    const { config, logger } = options;
    this.settings = connectionSettings(config);
    this.dialect = this.settings.dialect;
    this.serviceRoot = this.settings.serviceRoot;
    this.logger = logger;

    const agentTimeouts = { requestTimeoutMs: this.settings.requestTimeoutMs };
    const serviceAgent = createServiceLayerAgent(config.tls, agentTimeouts, logger);
    this.agents.push(serviceAgent);
    this.transport = new Transport({
      dispatcher: serviceAgent,
      serviceRoot: this.serviceRoot,
      tls: config.tls,
      requestTimeoutMs: this.settings.requestTimeoutMs,
      policy: { maxRetries: this.settings.maxRetries, maxRetryMs: this.settings.maxRetryMs },
      env: {
        sleep: options.sleep ?? defaultSleep,
        random: options.random ?? Math.random,
        now: options.now ?? Date.now,
        logger,
      },
      counters: this.counters,
    });

    const credentials = config.credentials;
    if (credentials?.auth_type === 'session_login') {
      this.auth = new SessionLogin(credentials, this.serviceRoot, this.transport, logger, options.secrets, this.counters);
    } else if (credentials?.auth_type === 'oauth2_client_credentials') {
      let tokenAgent: Dispatcher = serviceAgent;
      if (!sameHost(credentials.token_url, this.serviceRoot)) {
        tokenAgent = createTokenEndpointAgent(config.tls, agentTimeouts);
        this.agents.push(tokenAgent);
      }
      this.auth = new ClientCredentialsAuth(credentials, this.transport, tokenAgent, logger, options.secrets, this.counters);
    } else {
      throw configError('credentials.auth_type must be session_login or oauth2_client_credentials');
    }
  }

  /** Counters for logs and tests: HTTP requests sent (sign-ins and retries included), retries, sign-in requests. */
  get stats(): { requests: number; retries: number; logins: number } {
    return { ...this.counters };
  }

  /** Signs in now (session login or OAuth token). check uses it; the get methods do it lazily. */
  async connect(): Promise<void> {
    this.assertOpen();
    await this.auth.connect();
  }

  /** GET a path relative to the service root (e.g. "Invoices?$filter=..."); returns the parsed JSON body. */
  async getJson<T = unknown>(pathAndQuery: string, options: GetJsonOptions = {}): Promise<T> {
    const pageSize = options.pageSize;
    if (pageSize !== undefined && (!Number.isSafeInteger(pageSize) || pageSize < 1)) {
      throw systemError(`Page size must be a positive integer, got ${pageSize}`);
    }
    const headers: Record<string, string> = { accept: 'application/json' };
    if (pageSize !== undefined) Object.assign(headers, pageSizePreference(pageSize));
    return this.get(pathAndQuery, headers, options.signal, (response) => {
      if (pageSize !== undefined) this.notePageSize(response, pageSize);
      return parseJsonBody<T>(response);
    });
  }

  /** GET returning text (for $metadata XML and /$count). */
  async getText(pathAndQuery: string, options: GetTextOptions = {}): Promise<string> {
    return this.get(pathAndQuery, { accept: options.accept ?? '*/*' }, options.signal, (response) => ({ done: response.body }));
  }

  /** The server clock from the most recent HTTP Date header of the Service Layer, if any. */
  lastServerDate(): Date | undefined {
    return this.transport.lastServerDate();
  }

  /** Signs out (session login) and releases the connection pools. Idempotent; never throws (logs instead). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.auth.close();
    } catch (error) {
      this.logger.warn(`Closing the Service Layer session failed: ${(error as Error).message}`);
    }
    // destroy, not close: a request still running (a stream that another stream's failure left
    // behind) must not hold up the end of the sync for up to request_timeout_seconds.
    for (const agent of this.agents) {
      try {
        await agent.destroy();
      } catch (error) {
        this.logger.warn(`Closing the Service Layer connections failed: ${(error as Error).message}`);
      }
    }
  }

  private assertOpen(): void {
    if (this.closed) throw systemError('The Service Layer client was used after it was closed');
  }

  private async get<T>(
    pathAndQuery: string,
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
    read: (response: HttpResponse) => AttemptOutcome<T>,
  ): Promise<T> {
    this.assertOpen();
    const url = this.resolve(pathAndQuery);
    const requestPath = `${url.pathname.slice(this.serviceRoot.pathname.length)}${url.search}`;
    const description = `GET ${readablePath(requestPath)}`;

    for (let renewed = false; ; renewed = true) {
      let generation = 0;
      const parsed: Parsed<T> = await this.transport.send<Parsed<T>>(
        description,
        async () => {
          const credentials = await this.auth.credentials(signal);
          generation = credentials.generation;
          return {
            method: 'GET',
            url,
            headers: { 'accept-encoding': 'gzip, deflate', 'user-agent': 'source-sap-business-one', ...headers, ...credentials.headers },
          };
        },
        (response) => {
          this.auth.observe(response.headers, generation);
          if (response.status === 401) {
            const details = parseErrorBody(response.body, headerValue(response.headers, 'content-type'));
            return { done: { unauthorized: true, generation, answer: `HTTP 401, ${describeErrorBody(details)}` } };
          }
          if (response.status < 200 || response.status >= 300) {
            throw nonRetryableStatusError(
              response.status,
              'GET',
              requestPath,
              response.body,
              headerValue(response.headers, 'content-type'),
              headerValue(response.headers, 'location'),
            );
          }
          const outcome = read(response);
          return 'done' in outcome ? { done: { unauthorized: false, value: outcome.done } } : outcome;
        },
        { signal },
      );
      if (!parsed.unauthorized) return parsed.value;
      // Any 401 on a data request means the session or token is no longer accepted (SAP error 301
      // for an expired session): sign in again and replay the request once.
      if (renewed) throw this.auth.refusedAfterRenewal(description, parsed.answer);
      await this.auth.renew(parsed.generation, signal);
    }
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

  private notePageSize(response: HttpResponse, pageSize: number): void {
    if (this.pageSizeNoticeLogged) return;
    this.pageSizeNoticeLogged = true;
    const applied = headerValue(response.headers, 'preference-applied');
    if (applied === undefined) {
      this.logger.debug(`The Service Layer did not confirm the page size ${pageSize} (no Preference-Applied header); its page size applies.`);
    } else {
      this.logger.debug(`The Service Layer applied ${applied}.`);
    }
  }
}

function parseJsonBody<T>(response: HttpResponse): AttemptOutcome<T> {
  const text = response.body.charCodeAt(0) === 0xfeff ? response.body.slice(1) : response.body;
  try {
    return { done: JSON.parse(text) as T };
  } catch {
    const contentType = headerValue(response.headers, 'content-type') ?? 'no content type';
    const kind = text.trim() === '' ? 'an empty body' : /^\s*</.test(text) ? `markup instead of JSON (${contentType})` : 'JSON that does not parse (cut short?)';
    return { retry: `HTTP ${response.status} with ${kind}` };
  }
}

function sameHost(url: string, serviceRoot: URL): boolean {
  try {
    return new URL(url).hostname === serviceRoot.hostname;
  } catch {
    return false;
  }
}
