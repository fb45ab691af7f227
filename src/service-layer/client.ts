import type { Dispatcher } from 'undici';
import { configError, systemError } from '../errors.js';
import type { Logger, SecretRedactor } from '../logging.js';
import { clockWith, type Clock } from '../http/clock.js';
import { HttpClient, type ReadOutcome, type RequestCounters } from '../http/client.js';
import type { Service } from '../http/classify.js';
import { headerValue, type HttpResponse } from '../http/message.js';
import type { RetryPolicy } from '../http/retry.js';
import type { ServiceLayerAuth } from './auth.js';
import { describeErrorResponse, nonRetryableStatusError, readablePath } from './errors.js';
import { ClientCredentialsAuth, tokenEndpointUrl } from './oauth.js';
import { pageSizePreference } from './odata.js';
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
 * The connector's way to the Service Layer: resolves paths against the service root and sends
 * every request, signed in with the session or OAuth token, through the retrying request layer
 * (src/http/client.ts), which retries what may pass and explains what will not.
 */
export class ServiceLayerClient {
  readonly dialect: Dialect;
  readonly serviceRoot: URL;

  private readonly logger: Logger;
  private readonly counters: RequestCounters = { requests: 0, retries: 0, signIns: 0 };
  private readonly agents: Dispatcher[] = [];
  private readonly http: HttpClient;
  private readonly auth: ServiceLayerAuth;
  private closed = false;
  private pageSizeNoticeLogged = false;

  constructor(options: ServiceLayerClientOptions) {
    const { config, logger, secrets } = options;
    const settings = connectionSettings(config);
    this.dialect = settings.dialect;
    this.serviceRoot = settings.serviceRoot;
    this.logger = logger;
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
    if (credentials?.auth_type === 'session_login') {
      this.auth = new SessionLogin(credentials, this.serviceRoot, this.http, logger, secrets);
    } else if (credentials?.auth_type === 'oauth2_client_credentials') {
      let tokenAgent: Dispatcher = serviceAgent;
      if (tokenEndpointUrl(credentials).hostname !== this.serviceRoot.hostname) {
        tokenAgent = createTokenEndpointAgent(config.tls, requestTimeoutMs);
        this.agents.push(tokenAgent);
      }
      this.auth = new ClientCredentialsAuth(credentials, http(tokenAgent, tokenEndpoint(config.tls)), logger, secrets);
    } else {
      throw configError('credentials.auth_type must be session_login or oauth2_client_credentials');
    }
  }

  /**
   * Counters for logs and tests: HTTP requests sent (sign-ins and retries included), retries, and
   * sign-in requests (Service Layer logins or access-token requests). `logins` is the former name
   * of `signIns`, kept until every caller has moved to it.
   */
  get stats(): RequestCounters & { logins: number } {
    return { ...this.counters, logins: this.counters.signIns };
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
      if (pageSize !== undefined) this.notePageSize(response, pageSize);
      return parseJsonBody<T>(response);
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
    read: (response: HttpResponse) => ReadOutcome<T>,
  ): Promise<T> {
    this.assertOpen();
    const url = this.resolve(pathAndQuery);
    const requestPath = `${url.pathname.slice(this.serviceRoot.pathname.length)}${url.search}`;
    return this.http.send({
      description: `GET ${readablePath(requestPath)}`,
      request: { method: 'GET', url, headers },
      idempotent: true,
      auth: this.auth,
      refuse: (response) =>
        nonRetryableStatusError(
          response.status,
          'GET',
          requestPath,
          response.body,
          headerValue(response.headers, 'content-type'),
          headerValue(response.headers, 'location'),
        ),
      read,
      ...(signal ? { signal } : {}),
    });
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
