import type { ServiceLayerLogin } from '../protocol/generated/config.js';
import { configError, systemError, transientError, type ConnectorError } from '../errors.js';
import type { Logger, SecretRedactor } from '../logging.js';
import type { HttpClient, ReadOutcome } from '../http/client.js';
import { headerValue, headerValues, type HttpResponse, type ResponseHeaders } from '../http/message.js';
import { SharedSignIn, SignInGate, type Credentials } from '../http/sign-in.js';
import type { ServiceLayerAuth } from './auth.js';
import { describeErrorResponse } from './errors.js';

/**
 * The Service Layer session: the only module that sends or reads the session cookies (B1SESSION,
 * ROUTEID); the manifest generator imports the cookie's name from here. It signs in once, shares
 * the session between all requests, signs in again before the idle timeout ends it or when the
 * server says it has ended, and signs out at the end.
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

export class SessionLogin implements ServiceLayerAuth {
  private readonly session: SharedSignIn<Session>;

  constructor(
    private readonly login: ServiceLayerLogin,
    private readonly serviceRoot: URL,
    private readonly http: HttpClient,
    private readonly logger: Logger,
    private readonly secrets: SecretRedactor,
    /** Shared with the command's other sessions: one sign-in at a time, and none after a refusal. */
    gate: SignInGate = new SignInGate(),
  ) {
    secrets.register(login.password);
    this.session = new SharedSignIn(
      (previous, reason) => this.signIn(previous, reason),
      () => systemError('The Service Layer session was used after it was closed'),
      gate,
    );
  }

  async connect(signal?: AbortSignal): Promise<void> {
    await this.credentials(signal);
  }

  async credentials(signal?: AbortSignal): Promise<Credentials> {
    const now = (): number => this.http.clock.now();
    const { value: session, generation } = await this.session.get(
      (current) => now() - current.lastUsed < current.timeoutMs - idleMarginMs(current.timeoutMs),
      'the session is about to reach its idle timeout',
      signal,
    );
    session.lastUsed = now();
    return { headers: { cookie: cookieHeader(session) }, generation };
  }

  renew(generation: number, signal?: AbortSignal): Promise<void> {
    return this.session.renew(generation, 'the Service Layer ended the session (HTTP 401)', signal);
  }

  observe(headers: ResponseHeaders, generation: number): void {
    const session = this.session.ofGeneration(generation);
    if (!session) return;
    const cookies = sessionCookies(headers);
    // A load balancer may re-route the session, and the server may hand out a new session id.
    if (cookies.routeId !== undefined) session.routeId = cookies.routeId;
    if (cookies.id !== undefined && cookies.id !== session.id) {
      this.secrets.register(cookies.id);
      session.id = cookies.id;
    }
  }

  refusedAfterRenewal(description: string, response: HttpResponse): ConnectorError {
    return transientError(
      `The Service Layer refused ${description} even right after a new sign-in (HTTP ${response.status}, ${describeErrorResponse(response)}). ` +
        'If the Service Layer runs on several nodes behind a load balancer, check that the balancer keeps sessions on one node (ROUTEID).',
    );
  }

  private async signIn(previous: Session | undefined, reason: string | undefined): Promise<Session> {
    if (reason) this.logger.info(`Signing in to the Service Layer again: ${reason}`);
    // The old session still holds a license until it times out; hand it back first.
    if (previous) await this.logout(previous);
    const session = await this.http.send({
      description: 'POST Login',
      request: {
        method: 'POST',
        url: new URL(LOGIN_PATH, this.serviceRoot),
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify(loginBody(this.login)),
      },
      // A repeated login at worst opens a second session, which times out on its own.
      idempotent: true,
      signIn: true,
      refuse: (response) => this.loginRefused(response),
      read: (response) => this.readLoginResponse(response),
    });
    this.logger.info(
      `Signed in to the Service Layer as "${this.login.username}" in company database "${this.login.company_db}" ` +
        `(session idle timeout ${Math.round(session.timeoutMs / 60_000)} min).`,
    );
    return session;
  }

  private readLoginResponse(response: HttpResponse): ReadOutcome<Session> {
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
    return { value: { id, routeId: cookies.routeId, timeoutMs: timeoutMinutes * 60_000, lastUsed: this.http.clock.now() } };
  }

  /** The login's rows of the classification table: every config_error here ends the run (see SignInGate). */
  private loginRefused(response: HttpResponse): ConnectorError {
    const answer = `HTTP ${response.status}, ${describeErrorResponse(response)}`;
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
      const response = await this.http.send({
        description: 'POST Logout',
        request: { method: 'POST', url: new URL('Logout', this.serviceRoot), headers: { cookie: cookieHeader(session), accept: 'application/json' } },
        idempotent: true,
        // Whatever the answer, the logout is over; 401 means the session had already ended, which is what it wanted.
        accepts: () => true,
        refuse: (response) => systemError(`HTTP ${response.status}`),
        read: (response) => ({ value: response }),
        timeoutMs: Math.min(LOGOUT_TIMEOUT_MS, this.http.requestTimeoutMs),
        retryLimit: { maxRetries: 0, because: 'a sign-out is a courtesy that must not hold up the end of the sync' },
      });
      if ((response.status < 200 || response.status >= 300) && response.status !== 401) {
        this.logger.warn(
          `Signing out of the Service Layer failed (HTTP ${response.status}, ${describeErrorResponse(response)}); the session will time out on its own.`,
        );
      } else {
        this.logger.debug('Signed out of the Service Layer.');
      }
    } catch (error) {
      this.logger.warn(`Signing out of the Service Layer failed (${(error as Error).message}); the session will time out on its own.`);
    }
  }

  async close(): Promise<void> {
    const session = await this.session.close();
    if (session) await this.logout(session);
  }
}
