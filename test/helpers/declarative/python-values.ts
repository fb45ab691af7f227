/**
 * The few Python value semantics the declarative engine's interpolation depends on, for the test
 * interpreter of manifests: repr (what '%r' % value writes), str (what Jinja prints and hashes), and
 * ast.literal_eval (which the engine applies to every rendered template, jinja.py _literal_eval).
 * Tuples are JS arrays marked with a symbol. Written from Python's documented behaviour, not from
 * the manifest generator.
 */

export const TUPLE = Symbol('python tuple');

export type PyValue = null | boolean | number | string | PyValue[] | { [key: string]: PyValue } | PyDatetime;

/** A timezone-aware datetime (the engine's now_utc()). */
export class PyDatetime {
  constructor(readonly date: Date) {}
  isoformat(): string {
    return this.date.toISOString().replace('Z', '000+00:00');
  }
}

export function tuple(items: PyValue[]): PyValue[] {
  return Object.assign([...items], { [TUPLE]: true });
}

export function isTuple(value: unknown): boolean {
  return Array.isArray(value) && (value as unknown as Record<symbol, unknown>)[TUPLE] === true;
}

export function isMapping(value: unknown): value is Record<string, PyValue> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof PyDatetime);
}

function reprNumber(value: number): string {
  if (Number.isNaN(value)) return 'nan';
  if (!Number.isFinite(value)) return value > 0 ? 'inf' : '-inf';
  return String(value);
}

/** Python's repr of a str: single quotes unless the text has a single quote and no double quote. */
export function reprString(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    if (char === '\\') out += '\\\\';
    else if (char === quote) out += `\\${quote}`;
    else if (char === '\n') out += '\\n';
    else if (char === '\r') out += '\\r';
    else if (char === '\t') out += '\\t';
    else if (code < 0x20 || code === 0x7f) out += `\\x${code.toString(16).padStart(2, '0')}`;
    else out += char;
  }
  return out + quote;
}

// A frozen value cannot change, so its repr is computed once (the shared parent copies of lines).
const frozenReprs = new WeakMap<object, string>();

export function repr(value: PyValue): string {
  if (typeof value === 'object' && value !== null && Object.isFrozen(value)) {
    let known = frozenReprs.get(value);
    if (known === undefined) {
      known = computeRepr(value);
      frozenReprs.set(value, known);
    }
    return known;
  }
  return computeRepr(value);
}

function computeRepr(value: PyValue): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return reprNumber(value);
  if (typeof value === 'string') return reprString(value);
  if (value instanceof PyDatetime) return `datetime.datetime(${value.date.toISOString()})`;
  if (Array.isArray(value)) {
    const items = value.map(repr);
    if (isTuple(value)) return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
    return `[${items.join(', ')}]`;
  }
  return `{${Object.entries(value)
    .map(([key, item]) => `${reprString(key)}: ${repr(item)}`)
    .join(', ')}}`;
}

/** Python's str(): text as is, everything else as its repr. */
export function str(value: PyValue): string {
  if (typeof value === 'string') return value;
  if (value instanceof PyDatetime) return value.isoformat().replace('T', ' ');
  return repr(value);
}

export function truthy(value: PyValue | undefined): boolean {
  if (value === null || value === undefined || value === false || value === 0 || value === '') return false;
  if (Array.isArray(value)) return value.length > 0;
  if (isMapping(value)) return Object.keys(value).length > 0;
  return true;
}

export function equals(a: PyValue | undefined, b: PyValue | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => equals(item, b[index]));
  if (isMapping(a) && isMapping(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => key in b && equals(a[key], b[key]));
  }
  // True == 1 and False == 0 in Python.
  const number = (v: PyValue): PyValue => (typeof v === 'boolean' ? Number(v) : v);
  return number(a) === number(b);
}

class NotALiteral extends Error {}

/** ast.literal_eval of a whole text, or NotALiteral. */
class LiteralParser {
  private position = 0;
  constructor(private readonly text: string) {}

  parseAll(): PyValue {
    const value = this.value();
    this.skipSpace();
    if (this.position !== this.text.length) throw new NotALiteral();
    return value;
  }

  private skipSpace(): void {
    while (this.position < this.text.length && /\s/.test(this.text[this.position]!)) this.position++;
  }

  private peek(): string {
    return this.text[this.position] ?? '';
  }

  private value(): PyValue {
    this.skipSpace();
    const char = this.peek();
    if (char === "'" || char === '"') return this.stringLiteral();
    if (char === '[') return this.sequence('[', ']');
    if (char === '(') {
      const items = this.sequence('(', ')', true);
      return items;
    }
    if (char === '{') return this.mapping();
    if (/[-+0-9.]/.test(char)) return this.numberLiteral();
    const word = /^[A-Za-z_][A-Za-z0-9_]*/.exec(this.text.slice(this.position))?.[0];
    if (word === 'None' || word === 'True' || word === 'False') {
      this.position += word.length;
      return word === 'None' ? null : word === 'True';
    }
    throw new NotALiteral();
  }

  private stringLiteral(): string {
    const quote = this.text[this.position++]!;
    let out = '';
    for (;;) {
      const char = this.text[this.position++];
      if (char === undefined || char === '\n') throw new NotALiteral();
      if (char === quote) break;
      if (char !== '\\') {
        out += char;
        continue;
      }
      const escape = this.text[this.position++];
      const simple: Record<string, string> = { n: '\n', r: '\r', t: '\t', '\\': '\\', "'": "'", '"': '"', '0': '\0' };
      if (escape !== undefined && escape in simple) out += simple[escape];
      else if (escape === 'x' || escape === 'u' || escape === 'U') {
        const length = escape === 'x' ? 2 : escape === 'u' ? 4 : 8;
        const hex = this.text.slice(this.position, this.position + length);
        if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== length) throw new NotALiteral();
        out += String.fromCodePoint(parseInt(hex, 16));
        this.position += length;
      } else out += `\\${escape ?? ''}`;
    }
    return out;
  }

  private numberLiteral(): number {
    const match = /^[-+]?(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?/.exec(this.text.slice(this.position));
    if (!match) throw new NotALiteral();
    const text = match[0];
    const digits = text.replace(/^[-+]/, '');
    // Python refuses leading zeros in integers ("00123", "01").
    if (/^0\d/.test(digits) && !/[.eE]/.test(digits)) throw new NotALiteral();
    this.position += text.length;
    return Number(text.replaceAll('_', ''));
  }

  private sequence(open: string, close: string, asTuple = false): PyValue[] {
    this.position++;
    const items: PyValue[] = [];
    let sawComma = false;
    for (;;) {
      this.skipSpace();
      if (this.peek() === close) {
        this.position++;
        break;
      }
      items.push(this.value());
      this.skipSpace();
      if (this.peek() === ',') {
        this.position++;
        sawComma = true;
        continue;
      }
      if (this.peek() !== close) throw new NotALiteral();
    }
    if (asTuple) return items.length === 1 && !sawComma ? (items[0] as PyValue[]) : tuple(items);
    return items;
  }

  private mapping(): Record<string, PyValue> {
    this.position++;
    const out: Record<string, PyValue> = {};
    for (;;) {
      this.skipSpace();
      if (this.peek() === '}') {
        this.position++;
        break;
      }
      const key = this.value();
      this.skipSpace();
      if (this.text[this.position++] !== ':') throw new NotALiteral();
      out[typeof key === 'string' ? key : repr(key)] = this.value();
      this.skipSpace();
      if (this.peek() === ',') this.position++;
      else if (this.peek() !== '}') throw new NotALiteral();
    }
    return out;
  }
}

/** ast.literal_eval(text), or undefined when the text is not one Python literal. */
export function literalEval(text: string): PyValue | undefined {
  try {
    return new LiteralParser(text).parseAll();
  } catch (error) {
    if (error instanceof NotALiteral) return undefined;
    throw error;
  }
}

/** datetime.strftime for the directives manifests use, in UTC. */
export function strftime(date: Date, format: string): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return format
    .replaceAll('%Y', String(date.getUTCFullYear()))
    .replaceAll('%m', pad(date.getUTCMonth() + 1))
    .replaceAll('%d', pad(date.getUTCDate()))
    .replaceAll('%H', pad(date.getUTCHours()))
    .replaceAll('%M', pad(date.getUTCMinutes()))
    .replaceAll('%S', pad(date.getUTCSeconds()));
}
