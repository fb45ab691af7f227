/** One HTTP request and its answer, as the retrying layer and its callers see them. */
export interface HttpRequest {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
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

/** A successful answer read as it arrives (see streamingExchange in exchange.ts). */
export interface StreamedResponse {
  status: number;
  headers: ResponseHeaders;
  /** The body, decompressed, as it arrives; a failure to read it is thrown as an ExchangeFailure. */
  body: AsyncIterable<Buffer>;
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

/** The port a URL connects to, also when it is the scheme's default and so not written. */
export function portOf(url: URL): string {
  return url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80';
}
