/**
 * One HTTP exchange over an undici dispatcher: the request, and the whole response body,
 * decompressed and decoded, within the request timeout. It decides nothing: what went wrong is
 * thrown as an ExchangeFailure that carries the facts the classification table (classify.ts) needs.
 *
 * Decompression is done here rather than with undici's decompress interceptor
 * (lib/interceptor/decompress.js): that interceptor is marked experimental and prints a process
 * warning on first use, passes a body in an encoding it does not know through unchanged (a page
 * would then fail as JSON that does not parse, and be retried in vain), and by default leaves error
 * answers compressed, whose SAP code and text the messages quote. A page is read whole anyway.
 */
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { headerValue, type HttpRequest, type HttpResponse } from './message.js';
import { speaksTls } from './plain-http.js';

/** The codes this module gives the failures it finds itself, beside the network's own. */
export const UNSUPPORTED_ENCODING = 'UNSUPPORTED_CONTENT_ENCODING';
export const UNDECODABLE_BODY = 'UNDECODABLE_BODY';

/** An exchange that did not produce a whole response, with what is known about how far it got. */
export class ExchangeFailure extends Error {
  constructor(
    readonly error: unknown,
    readonly facts: {
      /** The status line and headers had arrived, so the host was reached; the body was cut short. */
      answered: boolean;
      /** The exchange was abandoned after this many milliseconds (the request timeout). */
      timedOutAfterMs?: number;
      /** An http:// request's connection closed without an answer, and the port completes a TLS handshake. */
      tlsPort?: boolean;
    },
  ) {
    super(error instanceof Error ? error.message : String(error), { cause: error });
    this.name = 'ExchangeFailure';
  }
}

function codedError(code: string, message: string, cause?: unknown): Error {
  return Object.assign(new Error(message, cause === undefined ? undefined : { cause }), { code });
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
  if (!decompress) throw codedError(UNSUPPORTED_ENCODING, `a body in an unsupported encoding "${encoding}"`);
  try {
    return (await decompress(raw)).toString('utf8');
  } catch (error) {
    throw codedError(UNDECODABLE_BODY, `a ${encoding} body that does not decompress (${(error as Error).message})`, error);
  }
}

/** Every error code in an error, its causes and, for AggregateError (several addresses tried), its members. */
export function errorCodes(error: unknown, seen = new Set<unknown>()): string[] {
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

/** The connection closed without any answer: on an http:// URL, possibly a TLS port that dropped the plain request. */
function closedWithoutAnswer(error: unknown): boolean {
  const codes = errorCodes(error);
  return codes.includes('UND_ERR_SOCKET') || codes.includes('ECONNRESET');
}

export interface ExchangeOptions {
  timeoutMs: number;
  signal?: AbortSignal;
}

/**
 * Sends one request and reads its whole response. Throws an ExchangeFailure, or the caller's abort
 * reason when the caller aborted.
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
  let answered = false;
  try {
    const response = await dispatcher.request({
      origin: request.url.origin,
      path: `${request.url.pathname}${request.url.search}`,
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: controller.signal,
    });
    answered = true;
    const raw = Buffer.from(await response.body.arrayBuffer());
    const body = await decode(raw, headerValue(response.headers, 'content-encoding'));
    return { status: response.statusCode, headers: response.headers, body };
  } catch (error) {
    if (options.signal?.aborted) throw options.signal.reason;
    if (timedOut) throw new ExchangeFailure(error, { answered, timedOutAfterMs: options.timeoutMs });
    const tlsPort = !answered && request.url.protocol === 'http:' && closedWithoutAnswer(error) && (await speaksTls(request.url));
    throw new ExchangeFailure(error, { answered, ...(tlsPort ? { tlsPort } : {}) });
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', forwardAbort);
  }
}
