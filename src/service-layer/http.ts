import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { configError, ConnectorError, systemError } from '../errors.js';
import { certificateError, plainHttpToTlsPort, speaksTls, type TlsOptions } from './tls.js';

export interface HttpRequest {
  method: 'GET' | 'POST';
  url: URL;
  headers: Record<string, string>;
  body?: string;
}

export type ResponseHeaders = Record<string, string | string[] | undefined>;

export interface HttpResponse {
  status: number;
  headers: ResponseHeaders;
  /** The body, decompressed and decoded as UTF-8. */
  body: string;
}

/**
 * How a failed attempt relates to reaching the host at all: 'refused' (nothing listens on the
 * port), 'unreachable' (no answer: timeouts, no route, temporary DNS failure), or undefined when the
 * host was reached (a reset or a body cut short). The first two draw on the run's connectivity
 * budget (connectivity.ts), not only on the request's own retries.
 */
export type Reachability = 'refused' | 'unreachable' | undefined;

/** A failure that a later attempt may not have: timeouts, resets, refused connections, bodies cut short. */
export class RetryableFailure extends Error {
  readonly reachability: Reachability;

  constructor(
    readonly reason: string,
    options?: { cause?: unknown; reachability?: Reachability },
  ) {
    super(reason, options);
    this.name = 'RetryableFailure';
    this.reachability = options?.reachability;
  }
}

export function headerValue(headers: ResponseHeaders, name: string): string | undefined {
  const value = headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function headerValues(headers: ResponseHeaders, name: string): string[] {
  const value = headers[name.toLowerCase()];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

const decompressors: Record<string, (input: Buffer) => Promise<Buffer>> = {
  gzip: promisify(gunzip),
  'x-gzip': promisify(gunzip),
  deflate: promisify(inflate),
  br: promisify(brotliDecompress),
};

async function decode(raw: Buffer, contentEncoding: string | undefined): Promise<string> {
  const encoding = contentEncoding?.trim().toLowerCase();
  if (encoding === undefined || encoding === '' || encoding === 'identity') return raw.toString('utf8');
  const decompress = decompressors[encoding];
  if (!decompress) throw systemError(`The Service Layer sent a body in an unsupported encoding "${encoding}"`);
  try {
    return (await decompress(raw)).toString('utf8');
  } catch (error) {
    // A compressed body that does not inflate was almost always cut short on the way.
    throw new RetryableFailure(`compressed body could not be decompressed (${(error as Error).message}), probably cut short`, { cause: error });
  }
}

/** Every error code in an error, its causes and, for AggregateError (several addresses tried), its members. */
function errorCodes(error: unknown, seen = new Set<unknown>()): string[] {
  if (typeof error !== 'object' || error === null || seen.has(error)) return [];
  seen.add(error);
  const codes: string[] = [];
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') codes.push(code);
  codes.push(...errorCodes((error as { cause?: unknown }).cause, seen));
  const members = (error as { errors?: unknown }).errors;
  if (Array.isArray(members)) for (const member of members) codes.push(...errorCodes(member, seen));
  return codes;
}

function innermostMessage(error: unknown): string {
  let current: unknown = error;
  for (let depth = 0; depth < 5; depth++) {
    const cause = (current as { cause?: unknown } | null)?.cause;
    if (cause === undefined || cause === null) break;
    current = cause;
  }
  return current instanceof Error ? current.message : String(current);
}

/** The port a URL connects to, also when it is the scheme's default and so not written. */
export function portOf(url: URL): string {
  return url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80';
}

/**
 * The network errors a later attempt may not have: what each says, and whether it shows that the
 * host could not be reached at all. ECONNREFUSED is classified by classifyNetworkError itself.
 */
const RETRYABLE_NETWORK_ERRORS: Record<string, { reason: string; reachability: Reachability }> = {
  ECONNRESET: { reason: 'connection reset', reachability: undefined },
  ECONNABORTED: { reason: 'connection aborted', reachability: undefined },
  EPIPE: { reason: 'connection closed while sending', reachability: undefined },
  ETIMEDOUT: { reason: 'connection timed out', reachability: 'unreachable' },
  EHOSTUNREACH: { reason: 'host unreachable', reachability: 'unreachable' },
  ENETUNREACH: { reason: 'network unreachable', reachability: 'unreachable' },
  ENETDOWN: { reason: 'network down', reachability: 'unreachable' },
  EHOSTDOWN: { reason: 'host down', reachability: 'unreachable' },
  EAI_AGAIN: { reason: 'temporary DNS failure', reachability: 'unreachable' },
  UND_ERR_SOCKET: { reason: 'connection closed by the server', reachability: undefined },
  UND_ERR_CLOSED: { reason: 'connection closed', reachability: undefined },
  UND_ERR_CONNECT_TIMEOUT: { reason: 'connect timed out', reachability: 'unreachable' },
  UND_ERR_HEADERS_TIMEOUT: { reason: 'timed out waiting for the response', reachability: 'unreachable' },
  UND_ERR_BODY_TIMEOUT: { reason: 'timed out reading the response body', reachability: undefined },
  UND_ERR_RES_CONTENT_LENGTH_MISMATCH: { reason: 'response body cut short', reachability: undefined },
  ERR_STREAM_PREMATURE_CLOSE: { reason: 'response body cut short', reachability: undefined },
};

/** The connection closed without any answer: on an http:// URL, possibly a TLS port that dropped the plain request. */
export function closedWithoutAnswer(error: unknown): boolean {
  const codes = errorCodes(error);
  return codes.includes('UND_ERR_SOCKET') || codes.includes('ECONNRESET');
}

/** Decides what a transport error means: a retryable failure, or a ConnectorError the user can act on. */
export function classifyNetworkError(error: unknown, url: URL, tls: TlsOptions | undefined): RetryableFailure | ConnectorError {
  if (error instanceof RetryableFailure || error instanceof ConnectorError) return error;
  const codes = errorCodes(error);
  const detail = innermostMessage(error);
  const where = url.host;
  for (const code of codes) {
    const certificate = certificateError(code, detail, url, tls);
    if (certificate) return certificate;
  }
  if (codes.includes('UND_ERR_DESTROYED')) {
    return systemError('The Service Layer client was closed while this request was still running', { cause: error });
  }
  if (codes.includes('ENOTFOUND')) {
    return configError(`The host "${url.hostname}" of ${url.origin} does not resolve (DNS lookup failed). Check the host name in the configured URL.`, {
      internalMessage: detail,
      cause: error,
      endsRun: true,
    });
  }
  if (codes.includes('ECONNREFUSED')) {
    const port = portOf(url);
    return new RetryableFailure(
      `connection refused by host ${url.hostname} on port ${port}: either the server is down (the Service Layer is not running, or is restarting) or ${port} is the wrong port`,
      { cause: error, reachability: 'refused' },
    );
  }
  for (const code of codes) {
    const known = RETRYABLE_NETWORK_ERRORS[code];
    if (known) return new RetryableFailure(`${known.reason} (${where})`, { cause: error, reachability: known.reachability });
  }
  return systemError(`Request to ${where} failed: ${detail}`, { internalMessage: codes.join(', ') || undefined, cause: error });
}

export interface ExchangeOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  tls: TlsOptions | undefined;
}

/**
 * One HTTP request and its whole response body, bounded by the request timeout. Throws a
 * RetryableFailure, a ConnectorError, or the caller's abort reason when the caller aborted.
 */
export async function exchange(dispatcher: Dispatcher, request: HttpRequest, options: ExchangeOptions): Promise<HttpResponse> {
  options.signal?.throwIfAborted();
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort(new Error('request timeout'));
  }, options.timeoutMs);
  const forwardAbort = (): void => controller.abort(options.signal?.reason);
  options.signal?.addEventListener('abort', forwardAbort, { once: true });
  let readingBody = false;
  try {
    const response = await dispatcher.request({
      origin: request.url.origin,
      path: `${request.url.pathname}${request.url.search}`,
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: controller.signal,
    });
    readingBody = true;
    const raw = Buffer.from(await response.body.arrayBuffer());
    const body = await decode(raw, headerValue(response.headers, 'content-encoding'));
    return { status: response.statusCode, headers: response.headers, body };
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    // Already classified (an undecodable body): keep its own reason.
    if (error instanceof RetryableFailure || error instanceof ConnectorError) throw error;
    if (timedOut) {
      throw new RetryableFailure(`no complete response within ${Math.round(options.timeoutMs / 100) / 10} s (request_timeout_seconds)`, {
        cause: error,
        // A server that sent its headers was reached; one that never answered may be hung or gone.
        reachability: readingBody ? undefined : 'unreachable',
      });
    }
    if (!readingBody && request.url.protocol === 'http:' && closedWithoutAnswer(error) && (await speaksTls(request.url))) {
      throw plainHttpToTlsPort(request.url);
    }
    const failure = classifyNetworkError(error, request.url, options.tls);
    if (readingBody && failure instanceof RetryableFailure) {
      throw new RetryableFailure(`response body cut short: ${failure.reason}`, { cause: error });
    }
    throw failure;
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', forwardAbort);
  }
}
