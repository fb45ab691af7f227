/**
 * One HTTP exchange over an undici dispatcher: the request, and the whole response body,
 * decompressed and decoded, within the request timeout. It decides nothing: what went wrong is
 * thrown as an ExchangeFailure that carries the facts the classification table (classify.ts) needs.
 *
 * A call that reads a large answer as it arrives (a page of records) gets the body of a successful
 * answer as a stream instead (streamingExchange): the request timeout then bounds the wait for the
 * answer, and the connection pool's body timeout (agent.ts) every wait for more of the body while
 * it is read. A reader that stops reading (stdout is full) pauses the socket, and that pause is not
 * counted as the server being slow.
 *
 * Decompression is done here rather than with undici's decompress interceptor
 * (lib/interceptor/decompress.js): that interceptor is marked experimental and prints a process
 * warning on first use, passes a body in an encoding it does not know through unchanged (a page
 * would then fail as JSON that does not parse, and be retried in vain), and by default leaves error
 * answers compressed, whose SAP code and text the messages quote.
 */
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream';
import { promisify } from 'node:util';
import { brotliDecompress, createBrotliDecompress, createGunzip, createInflate, gunzip, inflate } from 'node:zlib';
import type { Dispatcher } from 'undici';
import { headerValue, type HttpRequest, type HttpResponse, type StreamedResponse } from './message.js';
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

const streamingDecompressors: Record<string, () => NodeJS.ReadWriteStream> = {
  gzip: createGunzip,
  'x-gzip': createGunzip,
  deflate: createInflate,
  br: createBrotliDecompress,
};

function unsupportedEncoding(encoding: string): Error {
  return codedError(UNSUPPORTED_ENCODING, `a body in an unsupported encoding "${encoding}"`);
}

async function decode(raw: Buffer, contentEncoding: string | undefined): Promise<string> {
  const encoding = contentEncoding?.trim().toLowerCase();
  if (encoding === undefined || encoding === '' || encoding === 'identity') return raw.toString('utf8');
  const decompress = decompressors[encoding];
  if (!decompress) throw unsupportedEncoding(encoding);
  try {
    return (await decompress(raw)).toString('utf8');
  } catch (error) {
    throw codedError(UNDECODABLE_BODY, `a ${encoding} body that does not decompress (${(error as Error).message})`, error);
  }
}

/** The body as it arrives, decompressed. Throws at once for an encoding it does not know. */
function decodedBody(body: Readable, contentEncoding: string | undefined): AsyncIterable<Buffer> {
  const encoding = contentEncoding?.trim().toLowerCase();
  if (encoding === undefined || encoding === '' || encoding === 'identity') return body;
  const decompressor = streamingDecompressors[encoding];
  if (!decompressor) throw unsupportedEncoding(encoding);
  const decompressing = decompressor();
  // Either side's failure ends both; the reader sees it.
  pipeline(body, decompressing, () => undefined);
  return decompressing as AsyncIterable<Buffer>;
}

/** The body's chunks; a failure to read them is the exchange's (answered), a decompression failure coded as a body cut short. */
async function* bodyChunks(body: AsyncIterable<Buffer>, signal: AbortSignal | undefined): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of body) yield chunk;
  } catch (error) {
    if (signal?.aborted) throw signal.reason;
    const code = (error as { code?: unknown }).code;
    const failure =
      typeof code === 'string' && code.startsWith('Z_')
        ? codedError(UNDECODABLE_BODY, `a body that does not decompress (${(error as Error).message})`, error)
        : error;
    throw new ExchangeFailure(failure, { answered: true });
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
  const outcome = await runExchange(dispatcher, request, options, undefined);
  return (outcome as { response: HttpResponse }).response;
}

/**
 * Sends one request. An answer whose status `streams` accepts is handed to `consume` as soon as its
 * headers arrive, with its body to be read as it comes; what `consume` returns or throws is the
 * outcome, except that a failure to read the body is an ExchangeFailure. Any other answer is read
 * whole and returned.
 */
export async function streamingExchange<T>(
  dispatcher: Dispatcher,
  request: HttpRequest,
  options: ExchangeOptions,
  streams: (status: number) => boolean,
  consume: (response: StreamedResponse) => Promise<T>,
): Promise<{ response: HttpResponse } | { consumed: T }> {
  return runExchange(dispatcher, request, options, { streams, consume });
}

/** What consume threw: passed on as it is, never taken for a failure of the exchange. */
class ConsumerFailure {
  constructor(readonly error: unknown) {}
}

async function runExchange<T>(
  dispatcher: Dispatcher,
  request: HttpRequest,
  options: ExchangeOptions,
  streaming: { streams: (status: number) => boolean; consume: (response: StreamedResponse) => Promise<T> } | undefined,
): Promise<{ response: HttpResponse } | { consumed: T }> {
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
    const contentEncoding = headerValue(response.headers, 'content-encoding');
    if (streaming?.streams(response.statusCode)) {
      // The answer came in time; from here the pool's body timeout bounds each wait for more of it.
      clearTimeout(timer);
      const body = bodyChunks(decodedBody(response.body, contentEncoding), options.signal);
      try {
        return { consumed: await streaming.consume({ status: response.statusCode, headers: response.headers, body }) };
      } catch (error) {
        throw error instanceof ExchangeFailure ? error : new ConsumerFailure(error);
      } finally {
        // A reader that stopped early leaves the rest unread: the connection is dropped rather than drained.
        if (!response.body.readableEnded) response.body.destroy();
      }
    }
    const raw = Buffer.from(await response.body.arrayBuffer());
    const body = await decode(raw, contentEncoding);
    return { response: { status: response.statusCode, headers: response.headers, body } };
  } catch (error) {
    if (error instanceof ConsumerFailure) throw error.error;
    if (options.signal?.aborted) throw options.signal.reason;
    if (error instanceof ExchangeFailure) throw error;
    if (timedOut) throw new ExchangeFailure(error, { answered, timedOutAfterMs: options.timeoutMs });
    const tlsPort = !answered && request.url.protocol === 'http:' && closedWithoutAnswer(error) && (await speaksTls(request.url));
    throw new ExchangeFailure(error, { answered, ...(tlsPort ? { tlsPort } : {}) });
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', forwardAbort);
  }
}
