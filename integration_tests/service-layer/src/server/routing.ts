/** Pure helpers of request handling: routes, keys, page size, next links. */
import type { IncomingMessage } from 'node:http';
import { ERRORS } from '../odata/errors.js';
import type { RawParam } from '../odata/query-options.js';
import type { Key } from '../store/source.js';
import type { Dialect } from '../types.js';

const DEFAULT_PAGE_SIZE = 20;
const MAX_LOGIN_BODY = 64 * 1024;

export interface Route {
  dialect: Dialect;
  /** Path below /b1s/vN/, without query. */
  resource: string;
  query: string;
}

export function isDataResource(resource: string): boolean {
  return resource !== '' && resource !== 'Login' && resource !== 'Logout' && resource !== '$metadata';
}

export function parseRoute(url: string): Route | undefined {
  const q = url.indexOf('?');
  const path = q >= 0 ? url.slice(0, q) : url;
  const m = /^\/b1s\/(v1|v2)(?:\/(.*))?$/.exec(path);
  if (!m) return undefined;
  let resource: string;
  try {
    resource = decodeURIComponent(m[2] ?? '');
  } catch {
    resource = m[2] ?? '';
  }
  return { dialect: m[1] as Dialect, resource: resource.replace(/\/$/, ''), query: q >= 0 ? url.slice(q + 1) : '' };
}

export function routeQuery(url: string): string {
  const q = url.indexOf('?');
  return q >= 0 ? url.slice(q + 1) : '';
}

/** EntitySet, EntitySet/$count or EntitySet(key). */
export function parseResource(resource: string): { entitySet: string; key?: string; count?: boolean } | undefined {
  const keyed = /^([A-Za-z_][A-Za-z0-9_]*)\((.*)\)$/.exec(resource);
  if (keyed) return { entitySet: keyed[1]!, key: keyed[2]! };
  const counted = /^([A-Za-z_][A-Za-z0-9_]*)\/\$count$/.exec(resource);
  if (counted) return { entitySet: counted[1]!, count: true };
  if (/^[A-Za-z_][A-Za-z0-9_]*$/.test(resource)) return { entitySet: resource };
  return undefined;
}

/** Key literal of Set(...): 5, '5' or 'A1' (with '' for a quote); a numeric key accepts both 5 and '5'. */
export function parseKey(text: string, numeric: boolean): Key | undefined {
  const trimmed = text.trim();
  const named = /^[A-Za-z_]+=(.*)$/.exec(trimmed);
  const literal = named ? named[1]! : trimmed;
  const quoted = /^'((?:[^']|'')*)'$/.exec(literal);
  const value = quoted ? quoted[1]!.replace(/''/g, "'") : literal;
  if (numeric) {
    if (!/^-?\d+$/.test(value)) return undefined;
    return Number(value);
  }
  return quoted ? value : undefined;
}

export function pageSizeOf(req: IncomingMessage): { pageSize: number; applied: boolean } {
  const prefer = req.headers['prefer'];
  const text = Array.isArray(prefer) ? prefer.join(',') : prefer;
  if (text) {
    const m = /(?:^|[,;\s])odata\.maxpagesize\s*=\s*(\d+)/i.exec(text);
    if (m) return { pageSize: Number(m[1]), applied: true };
  }
  const header = req.headers['b1s-pagesize'];
  const b1s = Array.isArray(header) ? header[0] : header;
  if (b1s && /^\s*\d+\s*$/.test(b1s)) return { pageSize: Number(b1s), applied: false };
  return { pageSize: DEFAULT_PAGE_SIZE, applied: false };
}

/** The next link: relative to the service root, the query as received without $skip/$top, then $top and $skip. */
export function nextLink(entitySet: string, params: RawParam[], skip: number, top: number | undefined): string {
  const kept = params.filter((p) => p.name !== '$skip' && p.name !== '$top').map((p) => p.raw);
  if (top !== undefined) kept.push(`$top=${top}`);
  kept.push(`$skip=${skip}`);
  return `${entitySet}?${kept.join('&')}`;
}

export function serviceRoot(req: IncomingMessage, dialect: Dialect): string {
  const secure = (req.socket as { encrypted?: boolean }).encrypted === true;
  return `${secure ? 'https' : 'http'}://${req.headers.host ?? 'localhost'}/b1s/${dialect}`;
}

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_LOGIN_BODY) throw ERRORS.badLoginBody();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
