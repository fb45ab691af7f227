import type { ServiceLayerLogin } from '../protocol/generated/config.js';
import { configError, systemError, transientError, type ConnectorError } from '../errors.js';
import type { Logger, SecretRedactor } from '../logging.js';
import { SignInRefusal, type Authenticator, type Counters, type Credentials } from './auth.js';
import { describeErrorBody, parseErrorBody } from './errors.js';
import { headerValue, headerValues, type HttpResponse, type ResponseHeaders } from './http.js';
import type { Transport } from './transport.js';
import { abortable } from './retry.js';

/**
 * The Service Layer session: the only module that knows the session cookies. It signs in once,
 * shares the session between all requests, signs in again before the idle timeout ends it or when
 * the server says it has ended, and signs out at the end.
 */

export const SESSION_COOKIE = 'B1SESSION';
// The load balancer's affinity cookie: a session lives on one Service Layer node, and requests
// without ROUTEID may land on another node that does not know the session.
const ROUTE_COOKIE = 'ROUTEID';

/** SAP's default when a login answer carries no SessionTimeout. */
export const DEFAULT_SESSION_TIMEOUT_MINUTES = 30;
/** The Service Layer's sign-in action, relative to the service root. */
export const LOGIN_PATH = 'Login';
/** The logout is a courtesy to the license server: it must not hold up the end of a sync. */
const LOGOUT_TIMEOUT_MS = 10_000;

interface Session {
  id: string;
  routeId: string | undefined;
  timeoutMs: number;
  /** When the session was last sent; the server's idle clock starts no earlier than this. */
  lastUsed: number;
  generation: number;
}

/** Reads the session cookies from Set-Cookie lines, ignoring their attributes (Path, HttpOnly). */
function sessionCookies(headers: ResponseHeaders): { id?: string; routeId?: string } {
  const found: { id?: string; routeId?: string } = {};
  for (const line of headerValues(headers, 'set-cookie')) {
    // A proxy may fold several cookies into one line; a comma followed by "name=" starts a new one.
    for (const cookie of line.split(/,\s*(?=[A-Za-z0-9_.-]+=)/)) {
      const pair = cookie.split(';', 1)[0] ?? '';
      const separator = pair.indexOf('=');
      if (separator <= 0) continue;
      const name = pair.slice(0, separator).trim();
      const value = pair.slice(separator + 1).trim();
      if (value === '') continue;
      if (name === SESSION_COOKIE) found.id = value;
      else if (name === ROUTE_COOKIE) found.routeId = value;
    }
  }
  return found;
}

function cookieHeader(session: Session): string {
  const cookies = [`${SESSION_COOKIE}=${session.id}`];
  if (session.routeId !== undefined) cookies.push(`${ROUTE_COOKIE}=${session.routeId}`);
  return cookies.join('; ');
}

export function idleMarginMs(timeoutMs: number): number {
  // Sign in again a little before the server's idle timeout, so that no request races the expiry.
  return Math.min(60_000, timeoutMs / 4);
}

/** The JSON body of POST Login; the Language parameter only when one is set. */
export function loginBody(login: Pick<ServiceLayerLogin, 'company_db' | 'username' | 'password' | 'language'>): Record<string, string> {
  const body: Record<string, string> = { CompanyDB: login.company_db, UserName: login.username, Password: login.password };
  if (login.language !== undefined && login.language !== '') body['Language'] = login.language;
  return body;
}

export class SessionLogin implements Authenticator {
  private session: Session | undefined;
  private pendingLogin: Promise<void> | undefined;
  private generation = 0;
  private closed = false;
  private readonly refusal = new SignInRefusal();

  constructor(
    private readonly login: ServiceLayerLogin,
    private readonly serviceRoot: URL,
    private readonly transport: Transport,
    private readonly logger: Logger,
    private readonly secrets: SecretRedactor,
    private readonly counters: Counters,
  ) {
    this.secrets.register(login.password);
  }

  async connect(signal?: AbortSignal): Promise<void> {
    await this.credentials(signal);
  }

  async credentials(signal?: AbortSignal): Promise<Credentials> {
    for (;;) {
      if (this.closed) throw systemError('The Service Layer session was used after it was closed');
      this.refusal.throwIfRefused();
      const session = this.session;
      const now = this.transport.env.now();
      if (session && now - session.lastUsed < session.timeoutMs - idleMarginMs(session.timeoutMs)) {
        session.lastUsed = now;
        return { headers: { cookie: cookieHeader(session) }, generation: session.generation };
      }
      await abortable(this.signIn(session ? 'the session is about to reach its idle timeout' : undefined), signal);
    }
  }

  async renew(generation: number, signal?: AbortSignal): Promise<void> {
    if (this.pendingLogin) {
      await abortable(this.pendingLogin, signal);
      return;
    }
    this.refusal.throwIfRefused();
    if (this.session && this.session.generation !== generation) return;
    this.session = undefined;
    await abortable(this.signIn('the Service Layer ended the session (HTTP 401)'), signal);
  }

  observe(headers: ResponseHeaders, generation: number): void {
    const session = this.session;
    if (!session || session.generation !== generation) return;
    const cookies = sessionCookies(headers);
    // A load balancer may re-route the session, and the server may hand out a new session id.
    if (cookies.routeId !== undefined) session.routeId = cookies.routeId;
    if (cookies.id !== undefined && cookies.id !== session.id) {
      this.secrets.register(cookies.id);
      session.id = cookies.id;
    }
  }

  refusedAfterRenewal(description: string, answer: string): Error {
    return transientError(
      `The Service Layer refused ${description} even right after a new sign-in (${answer}). ` +
        'If the Service Layer runs on several nodes behind a load balancer, check that the balancer keeps sessions on one node (ROUTEID).',
    );
  }

  /**
   * Signs in once for all callers that need a session at the same moment. The sign-in belongs to
   * no single caller, so one caller's abort does not fail the others: each waits with its own signal.
   */
  private signIn(reason: string | undefined): Promise<void> {
    if (!this.pendingLogin) {
      const previous = this.session;
      this.session = undefined;
      const login = (async () => {
        if (reason) this.logger.info(`Signing in to the Service Layer again: ${reason}`);
        // The old session still holds a license until it times out; hand it back first.
        if (previous) await this.logout(previous);
        this.session = await this.refusal.attempt(() => this.postLogin());
      })().finally(() => {
        this.pendingLogin = undefined;
      });
      // Every caller may have stopped waiting (aborted); the failure must not go unhandled.
      login.catch(() => undefined);
      this.pendingLogin = login;
    }
    return this.pendingLogin;
  }

  private async postLogin(): Promise<Session> {
    const body = loginBody(this.login);
    const url = new URL(LOGIN_PATH, this.serviceRoot);
    const session = await this.transport.send(
      'POST Login',
      async () => {
        this.counters.logins++;
        return {
          method: 'POST',
          url,
          headers: { 'content-type': 'application/json', accept: 'application/json', 'accept-encoding': 'gzip, deflate' },
          body: JSON.stringify(body),
        };
      },
      (response) => this.readLoginResponse(response),
    );
    this.logger.info(
      `Signed in to the Service Layer as "${this.login.username}" in company database "${this.login.company_db}" ` +
        `(session idle timeout ${Math.round(session.timeoutMs / 60_000)} min).`,
    );
    return session;
  }

  private readLoginResponse(response: HttpResponse): { done: Session } | { retry: string } {
    if (response.status < 200 || response.status >= 300) throw this.loginRefused(response);
    let parsed: unknown;
    try {
      parsed = JSON.parse(response.body);
    } catch {
      return { retry: 'the login answer is not complete JSON (cut short?)' };
    }
    const answer = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
    const cookies = sessionCookies(response.headers);
    // The cookie is what the server checks; SessionId in the body carries the same value and
    // stands in for it when a proxy drops the Set-Cookie header.
    const id = cookies.id ?? (typeof answer['SessionId'] === 'string' ? answer['SessionId'] : undefined);
    if (id === undefined || id === '') {
      throw systemError('The Service Layer accepted the login but sent no session id (neither a session cookie nor SessionId)');
    }
    this.secrets.register(id);
    if (typeof answer['SessionId'] === 'string') this.secrets.register(answer['SessionId']);
    const minutes = Number(answer['SessionTimeout']);
    const timeoutMinutes = Number.isFinite(minutes) && minutes > 0 ? minutes : DEFAULT_SESSION_TIMEOUT_MINUTES;
    this.generation++;
    return {
      done: {
        id,
        routeId: cookies.routeId,
        timeoutMs: timeoutMinutes * 60_000,
        lastUsed: this.transport.env.now(),
        generation: this.generation,
      },
    };
  }

  /** The error for a login answer that is not a success; every config_error here ends the run (see SignInRefusal). */
  private loginRefused(response: HttpResponse): ConnectorError {
    const details = parseErrorBody(response.body, headerValue(response.headers, 'content-type'));
    const answer = `HTTP ${response.status}, ${describeErrorBody(details)}`;
    const who = `as "${this.login.username}" in company database "${this.login.company_db}"`;
    if (response.status === 401 || response.status === 400 || response.status === 403) {
      return configError(
        `Signing in to the Service Layer ${who} failed (${answer}). Check credentials.password, credentials.company_db and ` +
          'credentials.username; the user must be allowed to use the Service Layer and must not be locked. ' +
          'The sign-in was not repeated, so that SAP Business One does not lock the user after repeated failed logons.',
        { endsRun: true },
      );
    }
    if (response.status === 404 || response.status === 405) {
      return configError(
        `${this.serviceRoot.href} has no Service Layer login (${answer}). Check that service_layer_url is the Service Layer root, ending in /b1s/v1 or /b1s/v2.`,
        { endsRun: true },
      );
    }
    if (response.status >= 300 && response.status < 400) {
      const location = headerValue(response.headers, 'location');
      return configError(
        `The Service Layer answered the login with a redirect (HTTP ${response.status}${location ? ` to ${location}` : ''}). ` +
          'Set service_layer_url to the address the server redirects to (for example https instead of http).',
        { endsRun: true },
      );
    }
    return systemError(`The Service Layer failed the login ${who} (${answer}).`);
  }

  private async logout(session: Session): Promise<void> {
    try {
      const response = await this.transport.once(
        { method: 'POST', url: new URL('Logout', this.serviceRoot), headers: { cookie: cookieHeader(session), accept: 'application/json' } },
        { timeoutMs: Math.min(LOGOUT_TIMEOUT_MS, this.transport.requestTimeoutMs) },
      );
      // 401: the session had already ended, which is what the logout wanted.
      if ((response.status < 200 || response.status >= 300) && response.status !== 401) {
        const details = parseErrorBody(response.body, headerValue(response.headers, 'content-type'));
        this.logger.warn(`Signing out of the Service Layer failed (HTTP ${response.status}, ${describeErrorBody(details)}); the session will time out on its own.`);
      } else {
        this.logger.debug('Signed out of the Service Layer.');
      }
    } catch (error) {
      this.logger.warn(`Signing out of the Service Layer failed (${(error as Error).message}); the session will time out on its own.`);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    try {
      await this.pendingLogin;
    } catch {
      // A failed sign-in leaves nothing to sign out of.
    }
    const session = this.session;
    this.session = undefined;
    if (session) await this.logout(session);
  }
}
