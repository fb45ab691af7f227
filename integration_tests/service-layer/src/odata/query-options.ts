/**
 * The system query options of a collection request: $filter, $select, $orderby, $top, $skip, and the inline
 * count ($count=true in v4 style, $inlinecount=allpages in v3 style; the Service Layer takes both on both roots).
 * The raw query parameters are kept as received, because the next link repeats them.
 */
import type { SchemaModel, StructuredType } from '../model/schema.js';
import { ERRORS } from './errors.js';
import { FilterCompiler, type KeyBounds, type Predicate } from './filter-compile.js';
import { parseFilter } from './filter-parser.js';

export interface RawParam {
  name: string;
  /** The parameter exactly as received, e.g. "$filter=DocEntry%20gt%205". */
  raw: string;
  value: string;
}

export interface OrderKey {
  name: string;
  desc: boolean;
}

export interface QueryOptions {
  params: RawParam[];
  predicate?: Predicate;
  keyBounds: KeyBounds;
  filterText: string;
  select?: string[];
  orderby: OrderKey[];
  orderbyText: string;
  top?: number;
  skip: number;
  inlineCount: boolean;
}

const UNSUPPORTED = new Set(['$expand', '$apply', '$search', '$levels', '$compute', '$skiptoken', '$crossjoin']);

export function parseQueryString(query: string): RawParam[] {
  if (query === '') return [];
  return query
    .split('&')
    .filter((part) => part !== '')
    .map((raw) => {
      const eq = raw.indexOf('=');
      const name = decode(eq >= 0 ? raw.slice(0, eq) : raw);
      const value = eq >= 0 ? decode(raw.slice(eq + 1)) : '';
      return { name, raw, value };
    });
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    throw ERRORS.invalidQuery('Invalid URL encoding');
  }
}

function nonNegativeInteger(value: string, option: string): number {
  if (!/^\d+$/.test(value.trim())) throw ERRORS.invalidQuery(`Invalid ${option} value`);
  return Number(value.trim());
}

export function parseQueryOptions(params: RawParam[], schema: SchemaModel, type: StructuredType): QueryOptions {
  const options: QueryOptions = {
    params,
    keyBounds: {},
    filterText: '',
    orderby: [],
    orderbyText: '',
    skip: 0,
    inlineCount: false,
  };
  for (const p of params) {
    const name = p.name;
    if (!name.startsWith('$')) continue;
    if (UNSUPPORTED.has(name)) throw ERRORS.invalidQuery(`Query option ${name} is not supported by the simulator`);
    switch (name) {
      case '$filter': {
        const expr = parseFilter(p.value);
        const compiler = new FilterCompiler(schema, type);
        options.predicate = compiler.compile(expr);
        options.keyBounds = compiler.keyBounds(expr);
        options.filterText = p.value;
        break;
      }
      case '$select':
        options.select = parseSelect(p.value, type);
        break;
      case '$orderby':
        options.orderby = parseOrderby(p.value, type);
        options.orderbyText = p.value;
        break;
      case '$top':
        options.top = nonNegativeInteger(p.value, '$top');
        break;
      case '$skip':
        options.skip = nonNegativeInteger(p.value, '$skip');
        break;
      case '$count':
        if (p.value !== 'true' && p.value !== 'false') throw ERRORS.invalidQuery('Invalid $count value');
        options.inlineCount = p.value === 'true';
        break;
      case '$inlinecount':
        if (p.value !== 'allpages' && p.value !== 'none') throw ERRORS.invalidQuery('Invalid $inlinecount value');
        options.inlineCount = p.value === 'allpages';
        break;
      case '$format':
        if (!/json/i.test(p.value)) throw ERRORS.invalidQuery('Only JSON is supported');
        break;
      default:
        throw ERRORS.invalidQuery(`Unknown query option ${name}`);
    }
  }
  return options;
}

function parseSelect(value: string, type: StructuredType): string[] | undefined {
  const names = value.split(',').map((s) => s.trim());
  if (names.length === 1 && names[0] === '*') return undefined;
  for (const n of names) {
    if (n === '') throw ERRORS.invalidQuery('Invalid $select');
    if (!type.byName.has(n)) throw ERRORS.invalidProperty(n);
  }
  return names;
}

function parseOrderby(value: string, type: StructuredType): OrderKey[] {
  return value.split(',').map((part) => {
    const words = part.trim().split(/\s+/);
    const name = words[0] ?? '';
    const direction = (words[1] ?? 'asc').toLowerCase();
    if (name === '' || words.length > 2 || (direction !== 'asc' && direction !== 'desc')) {
      throw ERRORS.invalidQuery('Invalid $orderby');
    }
    const p = type.byName.get(name);
    if (!p || p.kind === 'complex' || p.kind === 'collection') throw ERRORS.invalidProperty(name);
    return { name, desc: direction === 'desc' };
  });
}
