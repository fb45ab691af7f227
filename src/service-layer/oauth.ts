import type { OAuth20ClientCredentials } from '../protocol/generated/config.js';
import { configError, systemError, type ConnectorError } from '../errors.js';
import type { Logger, SecretRedactor } from '../logging.js';
import type { HttpClient, ReadOutcome } from '../http/client.js';
import { headerValue, type HttpResponse } from '../http/message.js';
import { AccessTokenAuth, renewalTime, type AccessToken, type SignInGate } from '../http/sign-in.js';
import type { ServiceLayerAuth } from './auth.js';
import { describeErrorResponse } from './errors.js';

/**
 * OAuth 2.0 client credentials grant (RFC 6749 section 4.4). The client authenticates with HTTP
 * Basic (client_secret_basic, section 2.3.1): the RFC makes it the one method every authorization
 * server must support for clients with a password, while sending the secret in the form body is
 * only allowed as an alternative. So there is no fallback to client_secret_post: it would send the
 * secret a second time, to a server that already refused it.
 */

function formEncode(value: string): string {
  return new URLSearchParams({ v: value }).toString().slice(2);
}

/** The token endpoint's URL from credentials.token_url, checked at once so that a typo is a config_error naming it. */
export function tokenEndpointUrl(grant: OAuth20ClientCredentials): URL {
  let url: URL;
  try {
    url = new URL(grant.token_url);
  } catch {
    throw configError(`credentials.token_url "${grant.token_url}" is not a valid URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw configError('credentials.token_url must start with https:// or http://');
  }
  return url;
}

export class ClientCredentialsAuth extends AccessTokenAuth implements ServiceLayerAuth {
  private readonly tokenUrl: URL;
  private readonly basicAuthorization: string;

  /** `tokenEndpoint` sends the token requests: the Service Layer's pool, or one of its own for another host. */
  constructor(
    private readonly grant: OAuth20ClientCredentials,
    private readonly tokenEndpoint: HttpClient,
    private readonly logger: Logger,
    private readonly secrets: SecretRedactor,
    gate?: SignInGate,
  ) {
    super(tokenEndpoint.clock, 'the Service Layer refused the access token (HTTP 401)', () => systemError('The Service Layer client was used after it was closed'), gate);
    this.tokenUrl = tokenEndpointUrl(grant);
    secrets.register(grant.client_secret);
    // RFC 6749 2.3.1: both parts are form-encoded before they are joined and base64-encoded.
    this.basicAuthorization = `Basic ${Buffer.from(`${formEncode(grant.client_id)}:${formEncode(grant.client_secret)}`).toString('base64')}`;
    secrets.register(this.basicAuthorization.slice('Basic '.length));
  }

  async connect(signal?: AbortSignal): Promise<void> {
    await this.credentials(signal);
  }

  refusedAfterRenewal(description: string, response: HttpResponse): ConnectorError {
    return configError(
      `The Service Layer refused ${description} even with a new access token (HTTP ${response.status}, ${describeErrorResponse(response)}). ` +
        'Check that the Service Layer accepts ' +
        'tokens from this identity provider and that the client (credentials.client_id, credentials.scope) is granted access.',
    );
  }

  protected headers(token: string): Record<string, string> {
    return { authorization: `Bearer ${token}` };
  }

  protected async requestToken(reason: string | undefined): Promise<AccessToken> {
    if (reason) this.logger.info(`Requesting a new access token for the Service Layer: ${reason}.`);
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (this.grant.scope !== undefined && this.grant.scope.trim() !== '') form.set('scope', this.grant.scope.trim());
    const token = await this.tokenEndpoint.send({
      description: `POST ${this.tokenUrl.origin}${this.tokenUrl.pathname}`,
      request: {
        method: 'POST',
        url: this.tokenUrl,
        headers: { authorization: this.basicAuthorization, 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
      },
      // A second token request after an ambiguous failure only issues a second token.
      idempotent: true,
      signIn: true,
      refuse: (response) => this.tokenRefused(response),
      read: (response) => this.readTokenResponse(response),
    });
    this.logger.info(
      `Obtained an access token for the Service Layer from ${this.tokenUrl.host}` +
        (token.renewAt === undefined
          ? ' (no expiry given).'
          : ` (renewed in ${Math.round((token.renewAt - this.tokenEndpoint.clock.now()) / 1000)} s).`),
    );
    return token;
  }

  private readTokenResponse(response: HttpResponse): ReadOutcome<AccessToken> {
    const answer = jsonObject(response.body);
    if (answer === undefined) return { retry: 'the token answer is not complete JSON (cut short?)' };
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
    const renewAt =
      answer['expires_in'] !== undefined && Number.isFinite(expiresIn) && expiresIn > 0
        ? renewalTime(this.tokenEndpoint.clock.now(), expiresIn * 1000)
        : undefined;
    return { value: { value: accessToken, renewAt } };
  }

  /** The token endpoint's rows of the classification table: every config_error here ends the run (see SignInGate). */
  private tokenRefused(response: HttpResponse): ConnectorError {
    const answer = jsonObject(response.body) ?? {};
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
      return refused(
        `${where} answered with a redirect (HTTP ${response.status}${location ? ` to ${location}` : ''}). Set credentials.token_url to that address.`,
      );
    }
    if (response.status >= 400 && response.status < 500) {
      return refused(
        `${where} refused the token request (${detail}). Check credentials.token_url and the client's settings at the identity provider.`,
      );
    }
    return systemError(`${where} failed the token request (${detail}).`);
  }

  async close(): Promise<void> {
    await this.token.close();
  }
}

/** A JSON object body, or undefined when the body is not one (cut short, or an HTML page). */
function jsonObject(body: string): Record<string, unknown> | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return undefined;
  }
}
