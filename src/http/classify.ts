/**
 * The classification table: every response and every failed exchange of an attempt maps to one
 * outcome, read top to bottom, first match wins. The retry loop (client.ts) acts on the outcome;
 * nothing else decides whether to retry.
 *
 * A response:
 *   2xx, or a status the call accepts        done: the call reads the body (a body cut short may still ask for a retry)
 *   400 to http:// with a plain-HTTP page    fail, config_error that ends the run: use https://
 *   401 to a signed-in call                  renew the session or token, then repeat the call, once
 *   401 again after renewing                 fail, with the authenticator's error
 *   429, 503                                 retry after Retry-After or a backoff: the server did not act on the call
 *   500, 502, 504                            retry if the call is idempotent; otherwise fail, transient_error, not repeated
 *   anything else (3xx, 4xx, other 5xx)      fail, with the call's own error for that status (a SAP code, a Looker message)
 *
 * A failed exchange:
 *   closed without answer; the http:// port speaks TLS    fail, config_error that ends the run: use https://
 *   no complete response within the request timeout      retry; if nothing came back, the host counts as unreachable
 *   a certificate no trusted authority signed, expired,  fail, config_error that ends the run, naming the setting to change
 *     issued for another host, or no TLS on an https port
 *   the client was closed during the request             fail, system_error
 *   the host name does not resolve                       fail, config_error that ends the run
 *   a body in an unknown encoding                        fail, system_error
 *   a body that does not decompress                      retry: it was cut short
 *   connection refused                                   retry; the host counts as refused
 *   reset, aborted, timed out, unreachable, cut short    retry (RETRYABLE_NETWORK_ERRORS); some count as unreachable
 *   anything else                                        fail, system_error
 * A retry of a call that is not idempotent is a failure instead (transient_error, not repeated):
 * it may have started its work already.
 *
 * Refused and unreachable hosts also draw on the run's connectivity budget (connectivity.ts).
 */
import { configError, systemError, transientError, type ConnectorError } from '../errors.js';
import { errorCodes, ExchangeFailure, UNDECODABLE_BODY, UNSUPPORTED_ENCODING } from './exchange.js';
import { formatDuration } from './clock.js';
import { headerValue, portOf, type HttpRequest, type HttpResponse } from './message.js';
import { isPlainHttpRefusal } from './plain-http.js';
import { parseRetryAfter } from './retry.js';

/** How a failed attempt relates to reaching the host at all (see connectivity.ts). */
export type Reachability = 'refused' | 'unreachable';

/** How messages name a remote service and the settings that reach it. */
export interface Service {
  /** "the Service Layer", "the token endpoint", "the Looker API". */
  name: string;
  /** The setting that holds its address: service_layer_url, credentials.token_url, looker.base_url. */
  urlSetting: string;
  /** The setting that bounds one exchange, when the user has one: request_timeout_seconds. */
  timeoutSetting?: string;
  /** The setting for its TLS certificate checks, when there is one: tls. */
  tlsSetting?: string;
  /** What to do about a certificate that no trusted authority signed. */
  untrustedCertificateAdvice: string;
  /** What an error response says, for log lines and messages: SAP's code and text, Looker's message, a gateway page's title. */
  describeError(response: HttpResponse): string;
}

/** What the table needs to know about a call besides its response or failure. */
export interface CallTraits {
  /** "GET Invoices?$top=1": how messages name the call. */
  description: string;
  service: Service;
  /** Repeating it after an ambiguous failure (500, 502, 504, a dropped connection) is harmless. */
  idempotent: boolean;
  /** The call is signed in with a session or token; `renewed` once that was renewed for this call. */
  signedIn?: { renewed: boolean; refusedAfterRenewal(response: HttpResponse): ConnectorError };
  /** Statuses other than 2xx that are the answer the call wants (a logout of a session that already ended: 401). */
  accepts?: (status: number) => boolean;
  /** The error for a status no row above handles: the service's own wording. */
  refuse(response: HttpResponse): ConnectorError;
}

export interface RetryOutcome {
  kind: 'retry';
  /** What went wrong, for log lines and the message when the retries run out. */
  reason: string;
  retryAfterMs?: number;
  reachability?: Reachability;
  /** The exchange failed rather than answered: messages then say the service could not be reached. */
  network: boolean;
}

export type FailedOutcome = RetryOutcome | { kind: 'fail'; error: ConnectorError };
export type Outcome = { kind: 'done' } | { kind: 'renew' } | FailedOutcome;

/** The first sentence of a message about a failed call: what it met. */
export function failureHeadline(traits: Pick<CallTraits, 'description' | 'service'>, outcome: RetryOutcome): string {
  return outcome.network
    ? `Could not reach ${traits.service.name} (${traits.description}): ${outcome.reason}.`
    : `${capitalized(traits.service.name)} request ${traits.description} failed: ${outcome.reason}.`;
}

export function capitalized(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}

function notRepeated(traits: CallTraits, outcome: RetryOutcome): FailedOutcome {
  return {
    kind: 'fail',
    error: transientError(`${failureHeadline(traits, outcome)} It was not repeated: ${traits.description} may have started its work already.`),
  };
}

/** An http:// URL whose port speaks HTTPS: a setting to change, never a reason to retry. */
function plainHttpToTlsPort(url: URL, service: Service): ConnectorError {
  return configError(
    `${url.hostname} speaks HTTPS on port ${portOf(url)}, but ${service.urlSetting} starts with http://. Use https://${url.host}/... instead ` +
      `(${service.name} listens for HTTPS${service.tlsSetting ? `; if its certificate is self-signed, also set ${service.tlsSetting}` : ''}).`,
    { endsRun: true },
  );
}

export function classifyResponse(response: HttpResponse, request: HttpRequest, traits: CallTraits, nowMs: number): Outcome {
  const { status } = response;
  if ((status >= 200 && status < 300) || traits.accepts?.(status)) return { kind: 'done' };
  if (isPlainHttpRefusal(request.url, status, response.body)) return { kind: 'fail', error: plainHttpToTlsPort(request.url, traits.service) };
  if (status === 401 && traits.signedIn) {
    // Any 401 to a signed-in call means the session or token is no longer accepted (SAP error 301
    // for an expired session, a revoked Looker token): sign in again and repeat the call once.
    return traits.signedIn.renewed ? { kind: 'fail', error: traits.signedIn.refusedAfterRenewal(response) } : { kind: 'renew' };
  }
  if (status === 429 || status === 503 || status === 500 || status === 502 || status === 504) {
    const retry: RetryOutcome = {
      kind: 'retry',
      reason: `HTTP ${status} (${traits.service.describeError(response)})`,
      retryAfterMs: parseRetryAfter(headerValue(response.headers, 'retry-after'), headerValue(response.headers, 'date'), nowMs),
      network: false,
    };
    // 429 and 503 say the server did not take the call on; 500, 502 and 504 may come after it did.
    return status === 429 || status === 503 || traits.idempotent ? retry : notRepeated(traits, retry);
  }
  return { kind: 'fail', error: traits.refuse(response) };
}

/**
 * The network errors a later attempt may not have: what each says, and whether it shows that the
 * host could not be reached at all. ECONNREFUSED has a row of its own.
 */
const RETRYABLE_NETWORK_ERRORS: Record<string, { reason: string; reachability?: Reachability }> = {
  ECONNRESET: { reason: 'connection reset' },
  ECONNABORTED: { reason: 'connection aborted' },
  EPIPE: { reason: 'connection closed while sending' },
  ETIMEDOUT: { reason: 'connection timed out', reachability: 'unreachable' },
  EHOSTUNREACH: { reason: 'host unreachable', reachability: 'unreachable' },
  ENETUNREACH: { reason: 'network unreachable', reachability: 'unreachable' },
  ENETDOWN: { reason: 'network down', reachability: 'unreachable' },
  EHOSTDOWN: { reason: 'host down', reachability: 'unreachable' },
  EAI_AGAIN: { reason: 'temporary DNS failure', reachability: 'unreachable' },
  UND_ERR_SOCKET: { reason: 'connection closed by the server' },
  UND_ERR_CLOSED: { reason: 'connection closed' },
  UND_ERR_CONNECT_TIMEOUT: { reason: 'connect timed out', reachability: 'unreachable' },
  UND_ERR_HEADERS_TIMEOUT: { reason: 'timed out waiting for the response', reachability: 'unreachable' },
  UND_ERR_BODY_TIMEOUT: { reason: 'timed out reading the response body' },
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: { reason: 'response body cut short' },
  ERR_STREAM_PREMATURE_CLOSE: { reason: 'response body cut short' },
};

const UNTRUSTED_CERTIFICATE_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'CERT_SIGNATURE_FAILURE',
  'INVALID_CA',
  'CERT_CHAIN_TOO_LONG',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
]);
const CERTIFICATE_DATE_CODES = new Set(['CERT_HAS_EXPIRED', 'CERT_NOT_YET_VALID']);
const CERTIFICATE_NAME_CODES = new Set(['ERR_TLS_CERT_ALTNAME_INVALID', 'HOSTNAME_MISMATCH']);
const NOT_TLS_CODES = new Set(['ERR_SSL_WRONG_VERSION_NUMBER', 'EPROTO', 'ERR_SSL_PACKET_LENGTH_TOO_LONG']);

/** The most specific message in an error: its innermost cause's, or the first address tried. */
function errorDetail(error: unknown): string {
  let current: unknown = error instanceof ExchangeFailure ? error.error : error;
  for (let depth = 0; depth < 5; depth++) {
    const cause = (current as { cause?: unknown } | null)?.cause;
    if (cause === undefined || cause === null) break;
    current = cause;
  }
  const members = (current as { errors?: unknown } | null)?.errors;
  if (Array.isArray(members) && members[0] instanceof Error && !(current instanceof Error && current.message !== '')) current = members[0];
  return current instanceof Error ? current.message : String(current);
}

/** A run-ending config_error for a certificate the connection cannot trust, or undefined when the code is not about certificates. */
function certificateFailure(code: string, detail: string, url: URL, service: Service): ConnectorError | undefined {
  const where = `${url.protocol}//${url.host}`;
  const fail = (problem: string, advice: string, internal = code): ConnectorError =>
    configError(`Connecting to ${where} failed: ${problem} (${detail}). ${advice}`, { internalMessage: internal, endsRun: true });
  if (UNTRUSTED_CERTIFICATE_CODES.has(code)) return fail('the TLS certificate is not trusted', service.untrustedCertificateAdvice);
  if (CERTIFICATE_DATE_CODES.has(code)) {
    return fail('the TLS certificate is outside its validity period', 'Renew the server certificate, or check the clocks of both machines.');
  }
  if (CERTIFICATE_NAME_CODES.has(code)) {
    return fail(
      `the TLS certificate was not issued for host "${url.hostname}"`,
      `Use the host name the certificate names in ${service.urlSetting}, or a certificate issued for this host.`,
    );
  }
  if (NOT_TLS_CODES.has(code) && url.protocol === 'https:') {
    return fail(
      'it does not speak HTTPS on this port (it answered the TLS handshake with something else)',
      `Check https/http and the port in ${service.urlSetting}.`,
      `${code}: ${detail}`,
    );
  }
  return undefined;
}

export function classifyFailure(failure: ExchangeFailure, request: HttpRequest, traits: CallTraits): FailedOutcome {
  const outcome = failureOutcome(failure, request, traits);
  return outcome.kind === 'retry' && !traits.idempotent ? notRepeated(traits, outcome) : outcome;
}

function failureOutcome(failure: ExchangeFailure, request: HttpRequest, traits: CallTraits): FailedOutcome {
  const { url } = request;
  const { service } = traits;
  const { answered, timedOutAfterMs, tlsPort } = failure.facts;
  if (tlsPort) return { kind: 'fail', error: plainHttpToTlsPort(url, service) };
  if (timedOutAfterMs !== undefined) {
    return {
      kind: 'retry',
      reason: `no complete response within ${formatDuration(timedOutAfterMs)}${service.timeoutSetting ? ` (${service.timeoutSetting})` : ''}`,
      // A server that sent its headers was reached; one that never answered may be hung or gone.
      ...(answered ? {} : { reachability: 'unreachable' as const }),
      network: true,
    };
  }
  const codes = errorCodes(failure.error);
  const detail = errorDetail(failure);
  for (const code of codes) {
    const certificate = certificateFailure(code, detail, url, service);
    if (certificate) return { kind: 'fail', error: certificate };
  }
  if (codes.includes('UND_ERR_DESTROYED')) {
    return {
      kind: 'fail',
      error: systemError(`The ${stripArticle(service.name)} client was closed while this request was still running`, { cause: failure.error }),
    };
  }
  if (codes.includes('ENOTFOUND')) {
    return {
      kind: 'fail',
      error: configError(
        `The host "${url.hostname}" of ${url.origin} does not resolve (DNS lookup failed). Check the host name in ${service.urlSetting}.`,
        {
          internalMessage: detail,
          cause: failure.error,
          endsRun: true,
        },
      ),
    };
  }
  if (codes.includes(UNSUPPORTED_ENCODING)) return { kind: 'fail', error: systemError(`${capitalized(service.name)} sent ${detail}`) };
  if (codes.includes(UNDECODABLE_BODY)) return { kind: 'retry', reason: `response body cut short: ${detail}`, network: true };
  if (codes.includes('ECONNREFUSED')) {
    const port = portOf(url);
    return {
      kind: 'retry',
      reason:
        `connection refused by host ${url.hostname} on port ${port} (${detail} [ECONNREFUSED]): either the server is down ` +
        `(${service.name} is not running, or is restarting) or ${port} is the wrong port`,
      reachability: 'refused',
      network: true,
    };
  }
  for (const code of codes) {
    const known = RETRYABLE_NETWORK_ERRORS[code];
    if (!known) continue;
    const reason = `${known.reason} (${url.host}: ${detail} [${code}])`;
    // Once the headers came, the host was reached: whatever broke, broke the body.
    if (answered) return { kind: 'retry', reason: `response body cut short: ${reason}`, network: true };
    return { kind: 'retry', reason, ...(known.reachability ? { reachability: known.reachability } : {}), network: true };
  }
  return {
    kind: 'fail',
    error: systemError(`Request to ${url.host} failed: ${detail}`, { internalMessage: codes.join(', ') || undefined, cause: failure.error }),
  };
}

/** "Service Layer" from "the Service Layer". */
function stripArticle(name: string): string {
  return name.replace(/^the /, '');
}
