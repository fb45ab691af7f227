import { ConnectorError, type FailureType } from '../errors.js';
import { headerValue, type HttpResponse } from '../http/message.js';

/** What an error response said, in the same form for both dialects and for gateway pages. */
export interface ErrorBodyDetails {
  /** The SAP error code as text (v1 sends a number, v2 a string), when the body is a SAP error. */
  sapCode: string | undefined;
  /** The SAP error text, the title of an HTML page, or the start of any other body. */
  text: string | undefined;
}

const MAX_TEXT = 300;

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_TEXT ? `${oneLine.slice(0, MAX_TEXT)}…` : oneLine;
}

function decodeEntities(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&');
}

function sapErrorFromJson(parsed: unknown): ErrorBodyDetails | undefined {
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const error = (parsed as Record<string, unknown>)['error'];
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message } = error as Record<string, unknown>;
  const sapCode = typeof code === 'number' || typeof code === 'string' ? String(code) : undefined;
  let text: string | undefined;
  if (typeof message === 'string') {
    // v2 (OData v4): "message": "…"
    text = message;
  } else if (typeof message === 'object' && message !== null) {
    // v1 (OData v3): "message": {"lang": "en-us", "value": "…"}
    const value = (message as Record<string, unknown>)['value'];
    if (typeof value === 'string') text = value;
  }
  if (sapCode === undefined && text === undefined) return undefined;
  return { sapCode, text: text === undefined ? undefined : clip(text) };
}

function htmlText(body: string): string | undefined {
  // Gateways (Apache's "502 Proxy Error", load balancers) answer with an HTML page: its title and
  // first heading say what went wrong far better than the markup around them.
  const title = /<title[^>]*>([\s\S]*?)<\/title>/i.exec(body)?.[1];
  const heading = /<h1[^>]*>([\s\S]*?)<\/h1>/i.exec(body)?.[1];
  const paragraph = /<p[^>]*>([\s\S]*?)<\/p>/i.exec(body)?.[1];
  const parts = [title, heading, paragraph]
    .map((part) => (part === undefined ? '' : clip(decodeEntities(part.replace(/<[^>]+>/g, ' ')))))
    .filter((part, index, all) => part !== '' && all.indexOf(part) === index);
  return parts.length > 0 ? clip(parts.join(': ')) : undefined;
}

export function looksLikeHtml(body: string, contentType: string | undefined): boolean {
  if (contentType !== undefined && /text\/html/i.test(contentType)) return true;
  return /^\s*(<!doctype html|<html[\s>])/i.test(body);
}

/** Reads an error body of either SAP shape, an HTML gateway page, or anything else. */
export function parseErrorBody(body: string, contentType?: string): ErrorBodyDetails {
  const trimmed = body.trim();
  if (trimmed === '') return { sapCode: undefined, text: undefined };
  if (trimmed.startsWith('{')) {
    try {
      const details = sapErrorFromJson(JSON.parse(trimmed));
      if (details) return details;
    } catch {
      // Not JSON after all (often a body cut short): fall through to the plain-text view.
    }
  }
  if (looksLikeHtml(trimmed, contentType)) return { sapCode: undefined, text: htmlText(trimmed) ?? 'an HTML page' };
  return { sapCode: undefined, text: clip(trimmed) };
}

/** "SAP error 301: Invalid session…", or the page title, for messages a person reads. */
export function describeErrorBody(details: ErrorBodyDetails): string {
  if (details.sapCode !== undefined) {
    return details.text === undefined ? `SAP error ${details.sapCode}` : `SAP error ${details.sapCode}: "${details.text}"`;
  }
  return details.text === undefined ? 'no error details in the response' : `"${details.text}"`;
}

/** What an error response of the Service Layer (or a gateway before it) says, for log lines and messages. */
export function describeErrorResponse(response: HttpResponse): string {
  return describeErrorBody(parseErrorBody(response.body, headerValue(response.headers, 'content-type')));
}

/**
 * A failed Service Layer answer. It is a ConnectorError like any other, and keeps the HTTP status and
 * the SAP code and text so that a caller that knows more (for example that an entity set came from
 * the user's custom_entity_sets) can re-classify it.
 */
export class ServiceLayerHttpError extends ConnectorError {
  readonly status: number;
  readonly sapCode: string | undefined;
  readonly sapText: string | undefined;
  /** The request path relative to the service root, with its query. */
  readonly requestPath: string;

  constructor(
    failureType: FailureType,
    message: string,
    details: { status: number; body: ErrorBodyDetails; requestPath: string; internalMessage?: string },
  ) {
    super(failureType, message, { internalMessage: details.internalMessage });
    this.name = 'ServiceLayerHttpError';
    this.status = details.status;
    this.sapCode = details.body.sapCode;
    this.sapText = details.body.text;
    this.requestPath = details.requestPath;
  }
}

const MAX_PATH_IN_MESSAGE = 300;

/** The request path as a person reads it: decoded, and clipped when a long filter would drown the message. */
export function readablePath(requestPath: string): string {
  let readable = requestPath;
  try {
    readable = decodeURIComponent(requestPath);
  } catch {
    // A malformed escape is shown as sent.
  }
  return readable.length > MAX_PATH_IN_MESSAGE ? `${readable.slice(0, MAX_PATH_IN_MESSAGE)}…` : readable;
}

/**
 * The Service Layer's rows of the classification table (src/http/classify.ts): the error for each
 * status of a data request that retrying cannot fix. 401 does not reach it: the table renews the
 * session or token first and reports a second 401 through the authenticator.
 */
export function nonRetryableStatusError(
  status: number,
  method: string,
  requestPath: string,
  body: string,
  contentType: string | undefined,
  location?: string,
): ServiceLayerHttpError {
  const details = parseErrorBody(body, contentType);
  const what = `${method} ${readablePath(requestPath)}`;
  const answer = `HTTP ${status}, ${describeErrorBody(details)}`;
  const make = (failureType: FailureType, message: string): ServiceLayerHttpError =>
    new ServiceLayerHttpError(failureType, message, { status, body: details, requestPath });

  // Live servers answer an unknown entity set with 400 rather than 404 (SAP error -1002
  // "Unrecognized resource path", or "Invalid entityset"): that is a wrong name in the config.
  if (status === 400 && (details.sapCode === '-1002' || /unrecognized resource path|invalid entity ?set/i.test(details.text ?? ''))) {
    return make(
      'config_error',
      `The Service Layer does not know the resource in ${what} (${answer}). Check the entity set name (a custom entity set's name must match the Service Layer $metadata exactly, e.g. U_MYTABLE for a user-defined table) and that service_layer_url points at the right Service Layer.`,
    );
  }
  switch (status) {
    case 400:
      return make(
        'system_error',
        `The Service Layer rejected the request ${what} (${answer}). The connector built a query this Service Layer does not accept; ` +
          'if the request names a custom entity set or property from your configuration, check that name against the Service Layer $metadata.',
      );
    case 403:
      return make(
        'config_error',
        `The SAP Business One user has no permission for ${what} (${answer}). Grant the user read access to this object ` +
          '(Administration > System Initialization > Authorizations) or remove the stream from the sync.',
      );
    case 404:
      return make(
        'config_error',
        `The Service Layer has nothing at ${what} (${answer}). This Service Layer version may not offer that entity set: ` +
          'check that service_layer_url points at the right Service Layer (/b1s/v1 or /b1s/v2), or remove the stream or custom entity set.',
      );
    default:
      if (status >= 300 && status < 400) {
        return make(
          'config_error',
          `The Service Layer answered ${what} with a redirect (HTTP ${status}${location ? ` to ${location}` : ''}). ` +
            'Set service_layer_url to the address the server redirects to (for example https instead of http).',
        );
      }
      return make('system_error', `The Service Layer failed the request ${what} (${answer}).`);
  }
}
