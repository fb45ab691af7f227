import { systemError } from '../errors.js';
import type { Dialect } from './settings.js';

/** One page of an entity-set read, in the same form for both dialects. */
export interface CollectionPage<T> {
  value: T[];
  /**
   * The next link exactly as the server sent it. The connector pages by key and never follows it:
   * it only says whether the server has more after this page.
   */
  nextLink: string | undefined;
}

// v1 (OData v3 JSON) and v2 (OData v4 JSON) spell the next link differently. Both spellings are
// read whatever the dialect, preferring the dialect's own, because gateways and older patch levels
// have been seen to mix them and a missed next link silently truncates a stream.
export const NEXT_LINK_KEYS: Record<Dialect, readonly string[]> = {
  v1: ['odata.nextLink', '@odata.nextLink'],
  v2: ['@odata.nextLink', 'odata.nextLink'],
};

function firstPresent(body: Record<string, unknown>, keys: readonly string[]): unknown {
  for (const key of keys) {
    if (body[key] !== undefined && body[key] !== null) return body[key];
  }
  return undefined;
}

export function parseCollectionPage<T>(body: unknown, dialect: Dialect): CollectionPage<T> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw systemError('The Service Layer answered a collection request with something that is not a JSON object', {
      internalMessage: `body type: ${Array.isArray(body) ? 'array' : typeof body}`,
    });
  }
  const record = body as Record<string, unknown>;
  const value = record['value'];
  if (!Array.isArray(value)) {
    throw systemError('The Service Layer answered a collection request without a "value" array', {
      internalMessage: `keys: ${Object.keys(record).slice(0, 20).join(', ')}`,
    });
  }

  const rawNext = firstPresent(record, NEXT_LINK_KEYS[dialect]);
  if (rawNext !== undefined && (typeof rawNext !== 'string' || rawNext.length === 0)) {
    throw systemError(`The Service Layer sent a next link that is not a string: ${JSON.stringify(rawNext)}`);
  }

  return { value: value as T[], nextLink: rawNext as string | undefined };
}

/**
 * The request header that asks for a page size (OData's odata.maxpagesize preference, which the
 * Service Layer honours and confirms in Preference-Applied).
 */
export function pageSizePreference(pageSize: number | string): { prefer: string } {
  return { prefer: `odata.maxpagesize=${pageSize}` };
}

/** An OData string literal: single-quoted, with embedded single quotes doubled. */
export function stringLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

export interface QueryParts {
  filter?: string;
  select?: string[];
  orderBy?: string[];
  top?: number;
}

// encodeURIComponent leaves ' ( ) ! * unescaped, which is valid in a query and keeps filters
// readable in logs; it escapes what would change the meaning of the query: & = + # % and spaces.
function encodeValue(value: string): string {
  return encodeURIComponent(value);
}

function nonNegativeInteger(value: number, name: string): string {
  if (!Number.isSafeInteger(value) || value < 0) throw systemError(`${name} must be a non-negative integer, got ${value}`);
  return String(value);
}

/**
 * Builds the query string (without the leading '?') for a collection request. The system query
 * option names keep their literal '$'; values are percent-encoded so that a '+' or '&' inside a
 * filter literal reaches the server unchanged. The options it builds are spelt alike in both
 * dialects; `_dialect` stays in the signature until the read engine stops passing it.
 */
export function buildQuery(parts: QueryParts, _dialect: Dialect): string {
  const options: string[] = [];
  if (parts.filter !== undefined && parts.filter.trim() !== '') options.push(`$filter=${encodeValue(parts.filter)}`);
  if (parts.select !== undefined && parts.select.length > 0) options.push(`$select=${parts.select.map(encodeValue).join(',')}`);
  if (parts.orderBy !== undefined && parts.orderBy.length > 0) options.push(`$orderby=${parts.orderBy.map(encodeValue).join(',')}`);
  if (parts.top !== undefined) options.push(`$top=${nonNegativeInteger(parts.top, '$top')}`);
  return options.join('&');
}
