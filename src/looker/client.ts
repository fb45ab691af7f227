import { ConnectorError, configError, systemError, transientError, type FailureType } from '../errors.js';
import { silentLogger, type Logger, type SecretRedactor } from '../logging.js';
import { formatDuration, realNow, realSleep, type Now, type Sleep } from './clock.js';
import { backoffDelayMs, defaultRetryPolicy, isRetryableStatus, parseRetryAfterMs, type RetryPolicy } from './retry.js';

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
  now?: Now;
  sleep?: Sleep;
  fetch?: typeof fetch;
  retry?: Partial<RetryPolicy>;
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

interface CachedToken {
  value: string;
  /** When we stop using it: its lifetime less a safety margin, on our clock. */
  renewAtMs: number;
}

/** The longest margin we keep before a token's expiry: a call started just before must not land after. */
const MAX_TOKEN_MARGIN_MS = 60_000;

/**
 * A Looker API 4.0 client for one run: logs in with the API key once, reuses the access token for
 * every call until shortly before it expires, logs in again then or once when Looker answers 401,
 * repeats rate-limited and failed calls with backoff, and logs out at the end.
 */
export class LookerApiClient {
  private readonly apiRoot: string;
  private readonly clientId: string;
  private readonly clientSecret: string;
  private readonly logger: Logger;
  private readonly now: Now;
  private readonly sleep: Sleep;
  private readonly fetchImpl: typeof fetch;
  private readonly retry: RetryPolicy;
  private readonly requestTimeoutMs: number;
  private readonly secrets: SecretRedactor;
  private token: CachedToken | undefined;
  /** Looker's clock minus ours, from the Date header of the latest answer. */
  private serverClockOffsetMs: number | undefined;
  private logins = 0;

  constructor(credentials: LookerCredentials, options: LookerClientOptions) {
    this.secrets = options.secrets;
    this.secrets.register(credentials.clientSecret);
    this.apiRoot = normalizeLookerBaseUrl(credentials.baseUrl) + LOOKER_API_PREFIX;
    this.clientId = credentials.clientId;
    this.clientSecret = credentials.clientSecret;
    this.logger = options.logger ?? silentLogger;
    this.now = options.now ?? realNow;
    this.sleep = options.sleep ?? realSleep;
    this.fetchImpl = options.fetch ?? globalThis.fetch;
    this.retry = { ...defaultRetryPolicy, ...options.retry };
    this.requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
  }

  /** How many times this client has logged in (for progress lines and tests). */
  get loginCount(): number {
    return this.logins;
  }

  /**
   * The current time in unix seconds, never ahead of Looker's clock as seen in its last Date
   * header. Looker rejects datagroup timestamps in the future; its Date header is truncated to the
   * second, which only ever makes this earlier.
   */
  nowNotAheadOfServerSeconds(): number {
    const offset = Math.min(0, this.serverClockOffsetMs ?? 0);
    return Math.floor((this.now() + offset) / 1000);
  }

  /** Calls the API with a valid token; returns the parsed JSON body, or undefined for an empty one. */
  async request<T>(request: LookerRequest): Promise<T> {
    let token = await this.validToken();
    let response = await this.exchange(request, token);
    if (response.status === 401) {
      // The token can be revoked or expire early (an admin, a restart, a clock jump): one fresh login.
      await discardBody(response);
      this.logger.info(`Looker answered 401 to ${request.method} ${request.path}; logging in again.`);
      this.token = undefined;
      token = await this.validToken();
      response = await this.exchange(request, token);
    }
    if (!response.ok) throw await this.errorFor(request, response);
    return (await readJson(response, `${request.method} ${request.path}`)) as T;
  }

  /**
   * Checks that the base URL is a Looker API host offering 4.0, before logging in. Looker answers
   * 404 both to a path it does not serve and to refused credentials, so without this a mistyped
   * host reads as a wrong password. GET /versions needs no token (operation "versions" of the API
   * 4.0 spec) and answers an ApiVersion with supported_versions.
   */
  async checkApiHost(): Promise<void> {
    const request: LookerRequest = { method: 'GET', path: '/versions', idempotent: true };
    const response = await this.exchange(request, undefined);
    if (response.status === 429 || response.status >= 500) throw await this.errorFor(request, response);
    const text = await response.text().catch(() => '');
    let versions: unknown;
    try {
      versions = (JSON.parse(text) as { supported_versions?: unknown }).supported_versions;
    } catch {
      versions = undefined;
    }
    const host = this.apiRoot.slice(0, -LOOKER_API_PREFIX.length);
    if (!response.ok || !Array.isArray(versions)) {
      throw new LookerApiError(
        'config_error',
        `${host} is not a Looker API host: GET ${LOOKER_API_PREFIX}/versions answered HTTP ${response.status}` +
          `${response.ok ? " without Looker's list of API versions" : ''}. Set base_url to the instance's API host: ` +
          'https://<instance>.cloud.looker.com for Looker in the cloud, usually https://<host>:19999 for a self-hosted Looker (Admin > General > Settings, API Host URL).',
        response.status,
        undefined,
      );
    }
    const offered = versions.map((v) => (v as { version?: unknown } | null)?.version).filter((v): v is string => typeof v === 'string');
    if (!offered.includes('4.0')) {
      throw new LookerApiError('config_error', `The Looker at ${host} does not offer API 4.0 (it offers ${offered.join(', ') || 'none'}); looker-refresh needs API 4.0.`, response.status, undefined);
    }
  }

  /** Ends the API session. Never throws: a failed logout only leaves a token that expires by itself. */
  async logout(): Promise<void> {
    const token = this.token;
    if (token === undefined) return;
    this.token = undefined;
    try {
      const response = await this.exchange({ method: 'DELETE', path: '/logout', idempotent: true }, token.value);
      await discardBody(response);
      if (response.ok || response.status === 401 || response.status === 404) {
        this.logger.debug('Logged out of the Looker API.');
      } else {
        this.logger.warn(`Looker logout answered HTTP ${response.status}; the token expires on its own.`);
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.logger.warn(`Looker logout failed (${message}); the token expires on its own.`);
    }
  }

  private async validToken(): Promise<string> {
    if (this.token !== undefined && this.now() < this.token.renewAtMs) return this.token.value;
    this.token = await this.login();
    return this.token.value;
  }

  private async login(): Promise<CachedToken> {
    const form = new URLSearchParams({ client_id: this.clientId, client_secret: this.clientSecret });
    const response = await this.exchange({ method: 'POST', path: '/login', idempotent: true }, undefined, form);
    if (response.status === 404 || response.status === 401 || response.status === 403) {
      await discardBody(response);
      // Looker answers 404 to an unknown client_id or a wrong client_secret (it does not say which).
      throw new LookerApiError(
        'config_error',
        `Looker refused the API credentials for client_id "${this.clientId}" (HTTP ${response.status} on login). ` +
          'Check client_id and client_secret of the API key (Admin > Users > Edit Keys) and that the key belongs to this Looker instance.',
        response.status,
        undefined,
      );
    }
    if (!response.ok) throw await this.errorFor({ method: 'POST', path: '/login', idempotent: true }, response);
    const body = (await readJson(response, 'POST /login')) as { access_token?: unknown; expires_in?: unknown; refresh_token?: unknown } | undefined;
    const accessToken = body?.access_token;
    if (typeof accessToken !== 'string' || accessToken.length === 0) {
      throw systemError('Looker accepted the login but sent no access_token; is the API host really a Looker API 4.0 endpoint?');
    }
    this.secrets.register(accessToken);
    if (typeof body?.refresh_token === 'string') this.secrets.register(body.refresh_token);
    const lifetimeMs = typeof body?.expires_in === 'number' && body.expires_in > 0 ? body.expires_in * 1000 : 3_600_000;
    const margin = Math.min(MAX_TOKEN_MARGIN_MS, lifetimeMs / 10);
    this.logins += 1;
    this.logger.debug(`Logged in to the Looker API as client_id "${this.clientId}"; token valid for ${formatDuration(lifetimeMs)}.`);
    return { value: accessToken, renewAtMs: this.now() + lifetimeMs - margin };
  }

  /**
   * One logical call: sends it, and repeats it on 429, 503 and (when idempotent) other 5xx answers
   * and dropped connections, honouring Retry-After. Returns the last answer, successful or not.
   */
  private async exchange(request: LookerRequest, token: string | undefined, form?: URLSearchParams): Promise<Response> {
    const label = `${request.method} ${request.path}`;
    for (let attempt = 1; ; attempt += 1) {
      const lastAttempt = attempt >= this.retry.maxAttempts;
      let response: Response;
      try {
        response = await this.send(request, token, form);
      } catch (error) {
        const { reason, worthRetrying } = describeNetworkError(error, this.apiRoot);
        if (!worthRetrying) throw configError(`Could not reach the Looker API (${label}): ${reason}.`, { cause: error });
        if (!request.idempotent || lastAttempt) {
          throw transientError(`Could not reach the Looker API (${label}): ${reason}.`, { cause: error });
        }
        const delay = backoffDelayMs(this.retry, attempt);
        this.logger.warn(`Looker API ${label} failed (${reason}); retrying in ${formatDuration(delay)} (attempt ${attempt + 1} of ${this.retry.maxAttempts}).`);
        await this.sleep(delay);
        continue;
      }
      this.noteServerClock(response);
      if (response.ok || !isRetryableStatus(response.status, request.idempotent) || lastAttempt) return response;
      const retryAfterMs = parseRetryAfterMs(response.headers.get('retry-after'), response.headers.get('date'), this.now());
      if (retryAfterMs !== undefined && retryAfterMs > this.retry.maxRetryAfterMs) {
        // Waiting that long would hold the sync (or the orchestrator) hostage; report it instead.
        return response;
      }
      const delay = retryAfterMs ?? backoffDelayMs(this.retry, attempt);
      await discardBody(response);
      this.logger.warn(
        `Looker API ${label} answered HTTP ${response.status}; retrying in ${formatDuration(delay)}` +
          `${retryAfterMs === undefined ? '' : ' as its Retry-After asks'} (attempt ${attempt + 1} of ${this.retry.maxAttempts}).`,
      );
      await this.sleep(delay);
    }
  }

  private async send(request: LookerRequest, token: string | undefined, form: URLSearchParams | undefined): Promise<Response> {
    const url = new URL(this.apiRoot + request.path);
    for (const [name, value] of Object.entries(request.query ?? {})) url.searchParams.set(name, value);
    const headers: Record<string, string> = { Accept: 'application/json' };
    // The login operation's documentation: "Authorization: token <access_token>", the word token literally.
    if (token !== undefined) headers.Authorization = `token ${token}`;
    let body: string | undefined;
    if (form !== undefined) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = form.toString();
    } else if (request.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(request.json);
    }
    const response = await this.fetchImpl(url, {
      method: request.method,
      headers,
      ...(body === undefined ? {} : { body }),
      signal: AbortSignal.timeout(this.requestTimeoutMs),
    });
    this.logger.debug(`Looker API ${request.method} ${request.path} -> HTTP ${response.status}`);
    return response;
  }

  private noteServerClock(response: Response): void {
    const date = response.headers.get('date');
    if (date === null) return;
    const serverMs = Date.parse(date);
    if (!Number.isNaN(serverMs)) this.serverClockOffsetMs = serverMs - this.now();
  }

  private async errorFor(request: LookerRequest, response: Response): Promise<LookerApiError> {
    const text = await response.text().catch(() => '');
    const lookerMessage = extractLookerMessage(text);
    const status = response.status;
    const what = `Looker API ${request.method} ${request.path} answered HTTP ${status}`;
    const detail = lookerMessage === undefined ? '' : `: ${lookerMessage}`;
    if (status === 429 || status >= 500) {
      const retryAfter = response.headers.get('retry-after');
      const tail = status === 429 && retryAfter !== null ? ` (Looker asks to wait ${retryAfter} before retrying)` : ' after retries';
      return new LookerApiError('transient_error', `${what}${detail}${tail}.`, status, lookerMessage);
    }
    if (status === 401) {
      return new LookerApiError('config_error', `${what}${detail} even after a fresh login; the API key may have been disabled.`, status, lookerMessage);
    }
    if (status === 403) {
      return new LookerApiError('config_error', `${what}${detail}; the API user lacks the permission this call needs.`, status, lookerMessage);
    }
    if (status >= 400 && status < 500) return new LookerApiError('config_error', `${what}${detail}.`, status, lookerMessage);
    return new LookerApiError('system_error', `${what}${detail}.`, status, lookerMessage);
  }
}

async function readJson(response: Response, label: string): Promise<unknown> {
  const text = await response.text();
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw systemError(`Looker API ${label} answered HTTP ${response.status} with a body that is not JSON.`, {
      internalMessage: text.slice(0, 500),
    });
  }
}

/** Reads and drops a body we do not need, so the connection can be reused. */
async function discardBody(response: Response): Promise<void> {
  try {
    await response.arrayBuffer();
  } catch {
    // Nothing to do: the connection is dropped instead of reused.
  }
}

function extractLookerMessage(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed.message === 'string' && parsed.message.length > 0) return parsed.message;
  } catch {
    // Not a Looker Error body (a proxy's HTML page, for example): fall through.
  }
  const trimmed = text.trim();
  return trimmed === '' ? undefined : trimmed.slice(0, 200);
}

/**
 * A readable reason for a failed connection, and whether trying again could help. A certificate
 * the process does not trust, or a host name that does not resolve, will be the same on the next
 * attempt: both are a setting to fix, not a reason to retry.
 */
function describeNetworkError(error: unknown, apiRoot: string): { reason: string; worthRetrying: boolean } {
  if (!(error instanceof Error)) return { reason: String(error), worthRetrying: true };
  if (error.name === 'TimeoutError') return { reason: 'no answer within the request timeout', worthRetrying: true };
  const cause = (error as { cause?: unknown }).cause;
  if (!(cause instanceof Error)) return { reason: error.message, worthRetrying: true };
  const code = (cause as { code?: unknown }).code;
  if (code === 'ENOTFOUND') {
    return {
      reason: `the host "${new URL(apiRoot).hostname}" does not resolve (DNS lookup failed); check the host name in looker.base_url`,
      worthRetrying: false,
    };
  }
  if (typeof code === 'string' && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|TLS|SSL/i.test(code)) {
    return {
      reason:
        `the Looker host's TLS certificate is not trusted (${cause.message} [${code}]); ` +
        'a host with a private certificate authority needs that CA in NODE_EXTRA_CA_CERTS',
      worthRetrying: false,
    };
  }
  return { reason: typeof code === 'string' ? `${cause.message} [${code}]` : cause.message, worthRetrying: true };
}
