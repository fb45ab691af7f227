/**
 * $filter syntax: comparisons (eq ne gt ge lt le) of properties and literals, and/or/not, parentheses, and the
 * string functions startswith, endswith, contains (v4) and substringof (v3). Literals: 'quoted strings' (with ''
 * for a quote), numbers, null, true/false, prefixed literals such as datetime'...', time'...' or
 * SAPB1.BoYesNoEnum'tYES', and unquoted v4 date, date-time and time-of-day literals.
 */
import { ERRORS } from './errors.js';

export type Literal =
  | { t: 'string'; value: string }
  | { t: 'number'; value: number; text: string }
  | { t: 'null' }
  | { t: 'bool'; value: boolean }
  /** A prefixed quoted literal (datetime'..', time'..', SAPB1.Enum'..') or an unquoted date/time literal. */
  | { t: 'typed'; prefix: string; value: string };

export type Operand = { t: 'prop'; name: string } | { t: 'lit'; lit: Literal };

export type ComparisonOp = 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le';

export type FilterExpr =
  | { t: 'and' | 'or'; a: FilterExpr; b: FilterExpr }
  | { t: 'not'; a: FilterExpr }
  | { t: 'cmp'; op: ComparisonOp; left: Operand; right: Operand }
  | { t: 'func'; name: string; args: Operand[] };

type Token =
  | { k: 'open' | 'close' | 'comma' }
  | { k: 'word'; text: string }
  | { k: 'lit'; lit: Literal };

const COMPARISONS = new Set<string>(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);
const FUNCTIONS = new Set(['startswith', 'endswith', 'contains', 'substringof']);
const UNQUOTED_DATE_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})?)?/;
const UNQUOTED_TIME = /^\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?/;
const NUMBER = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[mMdDfFlL]?/;
const WORD = /^[A-Za-z_][A-Za-z0-9_.]*/;

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    if (c === '(') {
      tokens.push({ k: 'open' });
      i++;
      continue;
    }
    if (c === ')') {
      tokens.push({ k: 'close' });
      i++;
      continue;
    }
    if (c === ',') {
      tokens.push({ k: 'comma' });
      i++;
      continue;
    }
    if (c === "'") {
      const { value, end } = readQuoted(text, i);
      tokens.push({ k: 'lit', lit: { t: 'string', value } });
      i = end;
      continue;
    }
    const rest = text.slice(i);
    const dateTime = UNQUOTED_DATE_TIME.exec(rest);
    if (dateTime) {
      tokens.push({ k: 'lit', lit: { t: 'typed', prefix: '', value: dateTime[0] } });
      i += dateTime[0].length;
      continue;
    }
    const time = UNQUOTED_TIME.exec(rest);
    if (time) {
      tokens.push({ k: 'lit', lit: { t: 'typed', prefix: '', value: time[0] } });
      i += time[0].length;
      continue;
    }
    const num = NUMBER.exec(rest);
    if (num) {
      const digits = num[0].replace(/[mMdDfFlL]$/, '');
      tokens.push({ k: 'lit', lit: { t: 'number', value: Number(digits), text: digits } });
      i += num[0].length;
      continue;
    }
    const word = WORD.exec(rest);
    if (word) {
      i += word[0].length;
      if (text[i] === "'") {
        const { value, end } = readQuoted(text, i);
        tokens.push({ k: 'lit', lit: { t: 'typed', prefix: word[0], value } });
        i = end;
      } else {
        tokens.push({ k: 'word', text: word[0] });
      }
      continue;
    }
    throw ERRORS.invalidFilter();
  }
  return tokens;
}

function readQuoted(text: string, start: number): { value: string; end: number } {
  let i = start + 1;
  let value = '';
  for (;;) {
    if (i >= text.length) throw ERRORS.invalidFilter();
    const c = text[i]!;
    if (c === "'") {
      if (text[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += c;
    i++;
  }
}

export function parseFilter(text: string): FilterExpr {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isWord = (t: Token | undefined, w: string): boolean => t?.k === 'word' && t.text.toLowerCase() === w;

  const operand = (): Operand => {
    const t = tokens[pos++];
    if (!t) throw ERRORS.invalidFilter();
    if (t.k === 'lit') return { t: 'lit', lit: t.lit };
    if (t.k === 'word') {
      const w = t.text.toLowerCase();
      if (w === 'null') return { t: 'lit', lit: { t: 'null' } };
      if (w === 'true' || w === 'false') return { t: 'lit', lit: { t: 'bool', value: w === 'true' } };
      if (COMPARISONS.has(w) || w === 'and' || w === 'or' || w === 'not') throw ERRORS.invalidFilter();
      return { t: 'prop', name: t.text };
    }
    throw ERRORS.invalidFilter();
  };

  const primary = (): FilterExpr => {
    const t = peek();
    if (t?.k === 'open') {
      pos++;
      const e = orExpr();
      if (peek()?.k !== 'close') throw ERRORS.invalidFilter();
      pos++;
      return e;
    }
    if (t?.k === 'word' && FUNCTIONS.has(t.text.toLowerCase()) && tokens[pos + 1]?.k === 'open') {
      pos += 2;
      const args: Operand[] = [operand()];
      while (peek()?.k === 'comma') {
        pos++;
        args.push(operand());
      }
      if (peek()?.k !== 'close') throw ERRORS.invalidFilter();
      pos++;
      const call: FilterExpr = { t: 'func', name: t.text.toLowerCase(), args };
      // v3 clients write startswith(Name,'x') eq true.
      const next = peek();
      if (next?.k === 'word' && (next.text === 'eq' || next.text === 'ne')) {
        const after = tokens[pos + 1];
        const flag = after?.k === 'word' ? after.text.toLowerCase() : undefined;
        if (flag === 'true' || flag === 'false') {
          pos += 2;
          return (flag === 'true') === (next.text === 'eq') ? call : { t: 'not', a: call };
        }
      }
      return call;
    }
    const left = operand();
    const op = peek();
    if (op?.k !== 'word' || !COMPARISONS.has(op.text.toLowerCase())) throw ERRORS.invalidFilter();
    pos++;
    const right = operand();
    return { t: 'cmp', op: op.text.toLowerCase() as ComparisonOp, left, right };
  };

  const unary = (): FilterExpr => {
    if (isWord(peek(), 'not')) {
      pos++;
      return { t: 'not', a: unary() };
    }
    return primary();
  };

  const andExpr = (): FilterExpr => {
    let e = unary();
    while (isWord(peek(), 'and')) {
      pos++;
      e = { t: 'and', a: e, b: unary() };
    }
    return e;
  };

  const orExpr = (): FilterExpr => {
    let e = andExpr();
    while (isWord(peek(), 'or')) {
      pos++;
      e = { t: 'or', a: e, b: andExpr() };
    }
    return e;
  };

  if (tokens.length === 0) throw ERRORS.invalidFilter();
  const expr = orExpr();
  if (pos !== tokens.length) throw ERRORS.invalidFilter();
  return expr;
}
