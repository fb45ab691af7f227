import type { Dispatcher } from 'undici';
import type { OAuth20ClientCredentials } from '../protocol/generated/config.js';
import { configError, systemError, type ConnectorError } from '../errors.js';
import type { Logger, SecretRedactor } from '../logging.js';
import { SignInRefusal, type Authenticator, type Counters, type Credentials } from './auth.js';
import { headerValue, type HttpResponse } from './http.js';
import { abortable } from './retry.js';
import type { Transport } from './transport.js';

/**
 * OAuth 2.0 client credentials grant (RFC 6749 section 4.4). The client authenticates with HTTP
 * Basic (client_secret_basic, section 2.3.1): the RFC makes it the one method every authorization
 * server must support for clients with a password, while sending the secret in the form body is
 * only allowed as an alternative. So there is no fallback to client_secret_post: it would send the
 * secret a second time, to a server that already refused it.
 */

interface Token {
  value: string;
  /** When to fetch a new token; undefined when the server gave no expires_in (then only a 401 renews it). */
  renewAt: number | undefined;
  generation: number;
}

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

function refreshMarginMs(lifetimeMs: number): number {
  // Renew shortly before expiry, so a token never expires in flight: a minute, or a tenth of a short lifetime.
  return Math.min(60_000, lifetimeMs / 10);
}

export class ClientCredentialsAuth implements Authenticator {
  private token: Token | undefined;
  private pending: Promise<void> | undefined;
  private generation = 0;
  private closed = false;
  private readonly refusal = new SignInRefusal();
  private readonly tokenUrl: URL;
  private readonly basicAuthorization: string;

  constructor(
    private readonly grant: OAuth20ClientCredentials,
    private readonly transport: Transport,
    private readonly dispatcher: Dispatcher,
    private readonly logger: Logger,
    private readonly secrets: SecretRedactor,
    private readonly counters: Counters,
  ) {
    try {
      this.tokenUrl = new URL(grant.token_url);
    } catch {
      throw configError(`credentials.token_url "${grant.token_url}" is not a valid URL`);
    }
    if (this.tokenUrl.protocol !== 'https:' && this.tokenUrl.protocol !== 'http:') {
      throw configError('credentials.token_url must start with https:// or http://');
    }
    this.secrets.register(grant.client_secret);
    // RFC 6749 2.3.1: both parts are form-encoded before they are joined and base64-encoded.
    this.basicAuthorization = `Basic ${Buffer.from(`${formEncode(grant.client_id)}:${formEncode(grant.client_secret)}`).toString('base64')}`;
    this.secrets.register(this.basicAuthorization.slice('Basic '.length));
  }

  async connect(signal?: AbortSignal): Promise<void> {
    await this.credentials(signal);
  }

  async credentials(signal?: AbortSignal): Promise<Credentials> {
    for (;;) {
      if (this.closed) throw systemError('The Service Layer client was used after it was closed');
      this.refusal.throwIfRefused();
      const token = this.token;
      if (token && (token.renewAt === undefined || this.transport.env.now() < token.renewAt)) {
        return { headers: { authorization: `Bearer ${token.value}` }, generation: token.generation };
      }
      await abortable(this.fetchToken(), signal);
    }
  }

  async renew(generation: number, signal?: AbortSignal): Promise<void> {
    if (this.pending) {
      await abortable(this.pending, signal);
      return;
    }
    this.refusal.throwIfRefused();
    if (this.token && this.token.generation !== generation) return;
    this.token = undefined;
    this.logger.info('The Service Layer refused the access token (HTTP 401); requesting a new one.');
    await abortable(this.fetchToken(), signal);
  }

  observe(): void {
    // Bearer tokens do not change with responses.
  }

  refusedAfterRenewal(description: string, answer: string): Error {
    return configError(
      `The Service Layer refused ${description} even with a new access token (${answer}). Check that the Service Layer accepts ` +
        'tokens from this identity provider and that the client (credentials.client_id, credentials.scope) is granted access.',
    );
  }

  private fetchToken(): Promise<void> {
    if (!this.pending) {
      const request = (async () => {
        this.token = await this.refusal.attempt(() => this.requestToken());
      })().finally(() => {
        this.pending = undefined;
      });
      request.catch(() => undefined);
      this.pending = request;
    }
    return this.pending;
  }

  private async requestToken(): Promise<Token> {
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (this.grant.scope !== undefined && this.grant.scope.trim() !== '') form.set('scope', this.grant.scope.trim());
    const token = await this.transport.send(
      `POST ${this.tokenUrl.origin}${this.tokenUrl.pathname}`,
      async () => {
        this.counters.logins++;
        return {
          method: 'POST',
          url: this.tokenUrl,
          headers: {
            authorization: this.basicAuthorization,
            'content-type': 'application/x-www-form-urlencoded',
            accept: 'application/json',
          },
          body: form.toString(),
        };
      },
      (response) => this.readTokenResponse(response),
      { dispatcher: this.dispatcher },
    );
    this.logger.info(
      `Obtained an access token for the Service Layer from ${this.tokenUrl.host}` +
        (token.renewAt === undefined ? ' (no expiry given).' : ` (renewed in ${Math.round((token.renewAt - this.transport.env.now()) / 1000)} s).`),
    );
    return token;
  }

  private readTokenResponse(response: HttpResponse): { done: Token } | { retry: string } {
    let parsed: unknown;
    try {
      parsed = JSON.parse(response.body);
    } catch {
      parsed = undefined;
    }
    const answer = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
    if (response.status < 200 || response.status >= 300) throw this.tokenRefused(response, answer);
    if (parsed === undefined) return { retry: 'the token answer is not complete JSON (cut short?)' };

    const accessToken = answer['access_token'];
    if (typeof accessToken !== 'string' || accessToken === '') {
      throw systemError(`The token endpoint ${this.tokenUrl.host} answered without an access_token`);
    }
    this.secrets.register(accessToken);
    const tokenType = answer['token_type'];
    if (typeof tokenType === 'string' && tokenType.toLowerCase() !== 'bearer') {
      throw configError(`The token endpoint ${this.tokenUrl.host} issued a "${tokenType}" token; the Service Layer needs a bearer token.`);
    }
    const expiresIn = Number(answer['expires_in']);
    const now = this.transport.env.now();
    const renewAt =
      answer['expires_in'] !== undefined && Number.isFinite(expiresIn) && expiresIn > 0
        ? now + expiresIn * 1000 - refreshMarginMs(expiresIn * 1000)
        : undefined;
    this.generation++;
    return { done: { value: accessToken, renewAt, generation: this.generation } };
  }

  /** The error for a token answer that is not a success; every config_error here ends the run (see SignInRefusal). */
  private tokenRefused(response: HttpResponse, answer: Record<string, unknown>): ConnectorError {
    const code = typeof answer['error'] === 'string' ? answer['error'] : undefined;
    const description = typeof answer['error_description'] === 'string' ? answer['error_description'] : undefined;
    const detail = [`HTTP ${response.status}`, code, description].filter((part) => part !== undefined).join(', ');
    const where = `The token endpoint ${this.tokenUrl.host}`;
    const refused = (message: string): ConnectorError => configError(message, { endsRun: true });
    if (code === 'invalid_client' || code === 'unauthorized_client' || response.status === 401) {
      return refused(`${where} refused the client credentials (${detail}). Check credentials.client_id and credentials.client_secret.`);
    }
    if (code === 'invalid_scope') {
      return refused(`${where} refused the requested scope (${detail}). Check credentials.scope.`);
    }
    if (response.status >= 300 && response.status < 400) {
      const location = headerValue(response.headers, 'location');
      return refused(`${where} answered with a redirect (HTTP ${response.status}${location ? ` to ${location}` : ''}). Set credentials.token_url to that address.`);
    }
    if (response.status >= 400 && response.status < 500) {
      return refused(`${where} refused the token request (${detail}). Check credentials.token_url and the client's settings at the identity provider.`);
    }
    return systemError(`${where} failed the token request (${detail}).`);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.token = undefined;
  }
}
