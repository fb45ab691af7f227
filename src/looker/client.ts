import type { Dispatcher } from 'undici';
import { ConnectorError, configError, systemError, type FailureType } from '../errors.js';
import { silentLogger, type Logger, type SecretRedactor } from '../logging.js';
import { createAgent } from '../http/agent.js';
import type { Service } from '../http/classify.js';
import { HttpClient } from '../http/client.js';
import { clockWith, formatDuration, type Clock } from '../http/clock.js';
import { headerValue, type HttpResponse } from '../http/message.js';
import type { RetryPolicy } from '../http/retry.js';
import { AccessTokenAuth, renewalTime, type AccessToken } from '../http/sign-in.js';

/** Where the Looker API 4.0 lives under the instance's API host. */
export const LOOKER_API_PREFIX = '/api/4.0';

export interface LookerCredentials {
  /** The API host as configured, e.g. https://mycompany.cloud.looker.com (a trailing /api/4.0 is tolerated). */
  baseUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface LookerClientOptions {
  /** The run's redactor: the client secret and every token Looker issues are registered with it. */
  secrets: SecretRedactor;
  logger?: Logger;
  /** Milliseconds since the epoch; drives token expiry and the datagroup trigger time. */
  now?: Clock['now'];
  sleep?: Clock['sleep'];
  /** The jitter of backoff waits, in [0, 1). */
  random?: Clock['random'];
  /** The connection pool; by default one of the client's own, closed by logout(). */
  dispatcher?: Dispatcher;
  /** Per HTTP request; a Looker call that hangs longer than this is treated as a network failure. */
  requestTimeoutMs?: number;
}

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface LookerRequest {
  method: HttpMethod;
  /** Path under /api/4.0 with every variable segment already encoded (see `lookerPath`). */
  path: string;
  query?: Record<string, string>;
  /** Sent as application/json. */
  json?: unknown;
  /**
   * Whether repeating the call after an ambiguous failure (500, 502, 504, a dropped connection)
   * is harmless. Calls that start work (a PDT build, a scheduled plan delivery) are not.
   */
  idempotent: boolean;
}

/** A Looker answer that is not a success, with the HTTP status kept for callers that branch on it. */
export class LookerApiError extends ConnectorError {
  readonly status: number | undefined;
  /** Looker's own `message` from its Error body, when it sent one. */
  readonly lookerMessage: string | undefined;

  constructor(failureType: FailureType, message: string, status: number | undefined, lookerMessage: string | undefined, internalMessage?: string) {
    super(failureType, message, internalMessage === undefined ? {} : { internalMessage });
    this.name = 'LookerApiError';
    this.status = status;
    this.lookerMessage = lookerMessage;
  }
}

/** Joins path segments under /api/4.0, encoding each so that model, view and ids cannot change the route. */
export function lookerPath(...segments: string[]): string {
  return '/' + segments.map((segment) => encodeURIComponent(segment)).join('/');
}

/** The API host without trailing slashes or a pasted /api/4.0, validated as an http(s) URL. */
export function normalizeLookerBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl.trim());
  } catch {
    throw configError(`The Looker API host "${baseUrl}" is not a valid URL; expected something like https://mycompany.cloud.looker.com.`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw configError(`The Looker API host "${baseUrl}" must start with https:// (or http://).`);
  }
  if (url.search !== '' || url.hash !== '') {
    throw configError(`The Looker API host "${baseUrl}" must not contain a query or fragment.`);
  }
  const path = url.pathname.replace(/\/+$/, '').replace(/\/api\/4\.0$/i, '');
  return `${url.origin}${path}`;
}

/**
 * Looker rate-limits most endpoints (x-looker-rate-limited in its spec) and answers 429 with
 * Retry-After; 5xx answers are usually a busy or restarting instance. Both are worth a few retries
 * within five minutes, the longest a refresh after a sync should wait on Looker.
 */
const LOOKER_RETRY_POLICY: RetryPolicy = { maxRetries: 4, maxRetryMs: 300_000 };
const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/** Looker's own `message` from an Error body, or the start of any other body (a proxy's HTML page). */
function lookerMessageOf(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === 'string' && parsed.message.length > 0) return parsed.message;
  } catch {
    // Not a Looker Error body: fall through.
  }
  const trimmed = text.trim();
  return trimmed === '' ? undefined : trimmed.slice(0, 200);
}

const LOOKER_API: Service = {
  name: 'the Looker API',
  urlSetting: 'looker.base_url',
  untrustedCertificateAdvice: 'A Looker host whose certificate comes from a private certificate authority needs that CA in NODE_EXTRA_CA_CERTS.',
  describeError: (response) => {
    const message = lookerMessageOf(response.body);
    return message === undefined ? 'no error details in the response' : `"${message}"`;
  },
};

/**
 * Looker's rows of the classification table (src/http/classify.ts): the error for each status that
 * retrying cannot fix, with Looker's own message.
 */
function lookerError(description: string, response: HttpResponse): LookerApiError {
  const lookerMessage = lookerMessageOf(response.body);
  const { status } = response;
  const what = `Looker API ${description} answered HTTP ${status}`;
  const detail = lookerMessage === undefined ? '' : `: ${lookerMessage}`;
  if (status >= 500) return new LookerApiError('transient_error', `${what}${detail}.`, status, lookerMessage);
  if (status === 401) {
    return new LookerApiError(
      'config_error',
      `${what}${detail} even after a fresh login; the API key may have been disabled.`,
      status,
      lookerMessage,
    );
  }
  if (status === 403) {
    return new LookerApiError('config_error', `${what}${detail}; the API user lacks the permission this call needs.`, status, lookerMessage);
  }
  if (status >= 300 && status < 400) {
    const location = headerValue(response.headers, 'location');
    return new LookerApiError(
      'config_error',
      `${what}, a redirect${location ? ` to ${location}` : ''}. Set looker.base_url to the address Looker's API answers on.`,
      status,
      lookerMessage,
    );
  }
  if (status >= 400 && status < 500) return new LookerApiError('config_error', `${what}${detail}.`, status, lookerMessage);
  return new LookerApiError('system_error', `${what}${detail}.`, status, lookerMessage);
}

function readJson(response: HttpResponse, label: string): unknown {
  if (response.body.trim() === '') return undefined;
  try {
    return JSON.parse(response.body) as unknown;
  } catch {
    throw systemError(`Looker API ${label} answered HTTP ${response.status} with a body that is not JSON.`, {
      internalMessage: response.body.slice(0, 500),
    });
  }
}

/**
 * The API session: logs in with the API key once, and again shortly before the token expires or
 * when Looker answers 401 (a token can be revoked or expire early: an admin, a restart, a clock jump).
 */
class LookerLogin extends AccessTokenAuth {
  private loginsDone = 0;

  constructor(
    private readonly http: HttpClient,
    private readonly apiRoot: string,
    private readonly apiKey: LookerCredentials,
    private readonly secrets: SecretRedactor,
    private readonly logger: Logger,
  ) {
    super(http.clock, 'Looker refused the access token (HTTP 401)', () => systemError('The Looker API client was used after it logged out'));
  }

  /** How many logins succeeded. */
  get logins(): number {
    return this.loginsDone;
  }

  refusedAfterRenewal(description: string, response: HttpResponse): ConnectorError {
    return lookerError(description, response);
  }

  /** The token to log out with, if there is one; no login after this. */
  end(): Promise<AccessToken | undefined> {
    return this.token.close();
  }

  protected headers(token: string): Record<string, string> {
    // The login operation's documentation: "Authorization: token <access_token>", the word token literally.
    return { Authorization: `token ${token}` };
  }

  protected async requestToken(reason: string | undefined): Promise<AccessToken> {
    if (reason) this.logger.info(`Logging in to the Looker API again: ${reason}.`);
    const { clientId, clientSecret } = this.apiKey;
    const body = await this.http.send({
      description: 'POST /login',
      request: {
        method: 'POST',
        url: new URL(`${this.apiRoot}/login`),
        headers: { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: clientId, client_secret: clientSecret }).toString(),
      },
      idempotent: true,
      signIn: true,
      refuse: (response) => {
        if (response.status !== 404 && response.status !== 401 && response.status !== 403) return lookerError('POST /login', response);
        // Looker answers 404 to an unknown client_id or a wrong client_secret (it does not say which).
        return new LookerApiError(
          'config_error',
          `Looker refused the API credentials for client_id "${clientId}" (HTTP ${response.status} on login). ` +
            'Check client_id and client_secret of the API key (Admin > Users > Edit Keys) and that the key belongs to this Looker instance.',
          response.status,
          undefined,
        );
      },
      read: (response) => ({
        value: readJson(response, 'POST /login') as { access_token?: unknown; expires_in?: unknown; refresh_token?: unknown } | undefined,
      }),
    });
    const accessToken = body?.access_token;
    if (typeof accessToken !== 'string' || accessToken.length === 0) {
      throw systemError('Looker accepted the login but sent no access_token; is the API host really a Looker API 4.0 endpoint?');
    }
    this.secrets.register(accessToken);
    if (typeof body?.refresh_token === 'string') this.secrets.register(body.refresh_token);
    const lifetimeMs = typeof body?.expires_in === 'number' && body.expires_in > 0 ? body.expires_in * 1000 : 3_600_000;
    this.loginsDone += 1;
    this.logger.debug(`Logged in to the Looker API as client_id "${clientId}"; token valid for ${formatDuration(lifetimeMs)}.`);
    return { value: accessToken, renewAt: renewalTime(this.http.clock.now(), lifetimeMs) };
  }
}

/**
 * A Looker API 4.0 client for one run: logs in with the API key once, reuses the access token for
 * every call until shortly before it expires, logs in again then or once when Looker answers 401,
 * repeats rate-limited and failed calls through the retrying request layer (src/http/client.ts),
 * and logs out at the end.
 */
export class LookerApiClient {
  private readonly apiRoot: string;
  private readonly logger: Logger;
  private readonly http: HttpClient;
  private readonly session: LookerLogin;
  /** The pool the client made itself, closed at logout; a pool passed in belongs to the caller. */
  private readonly ownAgent: Dispatcher | undefined;

  constructor(credentials: LookerCredentials, options: LookerClientOptions) {
    options.secrets.register(credentials.clientSecret);
    this.apiRoot = normalizeLookerBaseUrl(credentials.baseUrl) + LOOKER_API_PREFIX;
    this.logger = options.logger ?? silentLogger;
    const requestTimeoutMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
    this.ownAgent = options.dispatcher === undefined ? createAgent({ rejectUnauthorized: true }, requestTimeoutMs) : undefined;
    this.http = new HttpClient({
      dispatcher: options.dispatcher ?? this.ownAgent!,
      service: LOOKER_API,
      policy: LOOKER_RETRY_POLICY,
      requestTimeoutMs,
      clock: clockWith(options),
      logger: this.logger,
      counters: { requests: 0, retries: 0, signIns: 0 },
    });
    this.session = new LookerLogin(this.http, this.apiRoot, credentials, options.secrets, this.logger);
  }

  /** How many times this client has logged in (for progress lines and tests). */
  get loginCount(): number {
    return this.session.logins;
  }

  /**
   * The current time in unix seconds, never ahead of Looker's clock as seen in its last Date
   * header. Looker rejects datagroup timestamps in the future; its Date header is truncated to the
   * second, which only ever makes this earlier.
   */
  nowNotAheadOfServerSeconds(): number {
    const offset = Math.min(0, this.http.serverClockOffsetMs() ?? 0);
    return Math.floor((this.http.clock.now() + offset) / 1000);
  }

  /** Calls the API with a valid token; returns the parsed JSON body, or undefined for an empty one. */
  async request<T>(request: LookerRequest): Promise<T> {
    const url = new URL(this.apiRoot + request.path);
    for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, value);
    const label = `${request.method} ${request.path}`;
    return this.http.send({
      description: label,
      request: {
        method: request.method,
        url,
        headers: { Accept: 'application/json', ...(request.json === undefined ? {} : { 'Content-Type': 'application/json' }) },
        ...(request.json === undefined ? {} : { body: JSON.stringify(request.json) }),
      },
      idempotent: request.idempotent,
      auth: this.session,
      refuse: (response) => lookerError(label, response),
      read: (response) => ({ value: readJson(response, label) as T }),
    });
  }

  /**
   * Checks that the base URL is a Looker API host offering 4.0, before logging in. Looker answers
   * 404 both to a path it does not serve and to refused credentials, so without this a mistyped
   * host reads as a wrong password. GET /versions needs no token (operation "versions" of the API
   * 4.0 spec) and answers an ApiVersion with supported_versions.
   */
  async checkApiHost(): Promise<void> {
    const host = this.apiRoot.slice(0, -LOOKER_API_PREFIX.length);
    const notLooker = (status: number, answered: boolean): LookerApiError =>
      new LookerApiError(
        'config_error',
        `${host} is not a Looker API host: GET ${LOOKER_API_PREFIX}/versions answered HTTP ${status}` +
          `${answered ? " without Looker's list of API versions" : ''}. Set base_url to the instance's API host: ` +
          'https://<instance>.cloud.looker.com for Looker in the cloud, usually https://<host>:19999 for a self-hosted Looker (Admin > General > Settings, API Host URL).',
        status,
        undefined,
      );
    const { versions, status } = await this.http.send({
      description: 'GET /versions',
      request: { method: 'GET', url: new URL(`${this.apiRoot}/versions`), headers: { Accept: 'application/json' } },
      idempotent: true,
      refuse: (response) => (response.status >= 500 ? lookerError('GET /versions', response) : notLooker(response.status, false)),
      read: (response) => {
        let versions: unknown;
        try {
          versions = (JSON.parse(response.body) as { supported_versions?: unknown }).supported_versions;
        } catch {
          versions = undefined;
        }
        return { value: { versions, status: response.status } };
      },
    });
    if (!Array.isArray(versions)) throw notLooker(status, true);
    const offered = versions.map((v) => (v as { version?: unknown } | null)?.version).filter((v): v is string => typeof v === 'string');
    if (!offered.includes('4.0')) {
      throw new LookerApiError(
        'config_error',
        `The Looker at ${host} does not offer API 4.0 (it offers ${offered.join(', ') || 'none'}); looker-refresh needs API 4.0.`,
        status,
        undefined,
      );
    }
  }

  /**
   * Ends the API session and closes the client's own connection pool. Never throws: a failed logout
   * only leaves a token that expires by itself.
   */
  async logout(): Promise<void> {
    const token = await this.session.end();
    try {
      if (token === undefined) return;
      await this.http.send({
        description: 'DELETE /logout',
        request: {
          method: 'DELETE',
          url: new URL(`${this.apiRoot}/logout`),
          headers: { Accept: 'application/json', Authorization: `token ${token.value}` },
        },
        idempotent: true,
        // The token had already expired or been revoked: what the logout wanted.
        accepts: (status) => status === 401 || status === 404,
        refuse: (response) => lookerError('DELETE /logout', response),
        read: () => ({ value: undefined }),
      });
      this.logger.debug('Logged out of the Looker API.');
    } catch (error) {
      this.logger.warn(`Looker logout failed (${error instanceof Error ? error.message : String(error)}); the token expires on its own.`);
    } finally {
      await this.ownAgent?.destroy().catch(() => undefined);
    }
  }
}
