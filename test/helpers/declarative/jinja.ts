/**
 * A small Jinja interpreter for testing manifests without the Python engine: the statements
 * {{ }}, {% set %} (also as a block), {% if/elif/else %} and {% for %}, and the expressions, filters, tests and macros
 * that declarative manifests use (Jinja's template designer documentation, and the engine's own
 * filters.py and macros.py). It follows Python semantics through python-values.ts. Anything it
 * does not know is an error, so a template it cannot evaluate fails the test instead of passing.
 */
import { createHash } from 'node:crypto';
import { PyDatetime, equals, isMapping, isTuple, repr, str, strftime, truthy, tuple, type PyValue } from './python-values.js';

type Token = { kind: 'name' | 'string' | 'number' | 'op'; text: string; value?: string | number };

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const char = source[i]!;
    if (/\s/.test(char)) {
      i++;
      continue;
    }
    if (char === "'" || char === '"') {
      let out = '';
      i++;
      while (source[i] !== char) {
        if (i >= source.length) throw new Error(`Unterminated string in ${source}`);
        if (source[i] === '\\') {
          const escape = source[i + 1]!;
          out += ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[escape] ?? escape;
          i += 2;
        } else out += source[i++];
      }
      i++;
      tokens.push({ kind: 'string', text: out, value: out });
      continue;
    }
    const number = /^\d+(\.\d+)?/.exec(source.slice(i));
    if (number) {
      tokens.push({ kind: 'number', text: number[0], value: Number(number[0]) });
      i += number[0].length;
      continue;
    }
    const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i));
    if (name) {
      tokens.push({ kind: 'name', text: name[0] });
      i += name[0].length;
      continue;
    }
    const op = ['==', '!=', '>=', '<=', '//', '**'].find((candidate) => source.startsWith(candidate, i)) ?? char;
    if (!'()[]{}.,:|~%+-*/<>='.includes(op[0]!)) throw new Error(`Unexpected character ${op} in ${source}`);
    tokens.push({ kind: 'op', text: op });
    i += op.length;
  }
  return tokens;
}

type Node =
  | { type: 'literal'; value: PyValue }
  | { type: 'name'; name: string }
  | { type: 'getattr'; object: Node; name: string }
  | { type: 'getitem'; object: Node; index: Node }
  | { type: 'slice'; object: Node; start: Node | undefined; stop: Node | undefined }
  | { type: 'call'; callee: Node; args: Node[]; kwargs: Record<string, Node> }
  | { type: 'filter'; value: Node; name: string; args: Node[] }
  | { type: 'test'; value: Node; name: string; negate: boolean }
  | { type: 'binary'; op: string; left: Node; right: Node }
  | { type: 'unary'; op: string; value: Node }
  | { type: 'conditional'; test: Node; then: Node; otherwise: Node | undefined }
  | { type: 'tuple'; items: Node[] }
  | { type: 'list'; items: Node[] }
  | { type: 'dict'; entries: [Node, Node][] };

class ExpressionParser {
  private position = 0;
  constructor(private readonly tokens: Token[]) {}

  parseAll(): Node {
    const node = this.expression();
    if (this.position !== this.tokens.length) throw new Error(`Unexpected ${this.tokens[this.position]!.text}`);
    return node;
  }

  private peek(text?: string): Token | undefined {
    const token = this.tokens[this.position];
    // Only operators match by text: a string literal '-' is not a minus sign.
    return text === undefined || (token?.kind === 'op' && token.text === text) ? token : undefined;
  }

  private take(text?: string): Token {
    const token = this.tokens[this.position];
    if (!token || (text !== undefined && (token.kind !== 'op' || token.text !== text))) throw new Error(`Expected ${text ?? 'a token'}, got ${token?.text ?? 'the end'}`);
    this.position++;
    return token;
  }

  private isWord(word: string): boolean {
    const token = this.tokens[this.position];
    return token?.kind === 'name' && token.text === word;
  }

  expression(): Node {
    const value = this.or();
    if (this.isWord('if')) {
      this.position++;
      const test = this.or();
      let otherwise: Node | undefined;
      if (this.isWord('else')) {
        this.position++;
        otherwise = this.expression();
      }
      return { type: 'conditional', test, then: value, otherwise };
    }
    return value;
  }

  /** One precedence level of left-associative operators, spelt as words (and, or) or symbols. */
  private level(operators: string[], next: () => Node): Node {
    let left = next();
    for (;;) {
      const token = this.tokens[this.position];
      const word = token?.kind === 'name' && operators.includes(token.text);
      if (!word && !operators.some((op) => this.peek(op))) return left;
      const op = this.take(word ? undefined : token!.text).text;
      left = { type: 'binary', op, left, right: next() };
    }
  }

  private or(): Node {
    return this.level(['or'], () => this.and());
  }

  private and(): Node {
    return this.level(['and'], () => this.not());
  }

  private not(): Node {
    return this.prefix(() => this.isWord('not'), 'not', () => this.compare());
  }

  private compare(): Node {
    let left = this.concat();
    for (;;) {
      const token = this.peek();
      if (token && ['==', '!=', '>=', '<=', '>', '<'].includes(token.text) && token.kind === 'op') {
        this.position++;
        left = { type: 'binary', op: token.text, left, right: this.concat() };
      } else if (this.isWord('in')) {
        this.position++;
        left = { type: 'binary', op: 'in', left, right: this.concat() };
      } else if (this.isWord('not') && this.tokens[this.position + 1]?.text === 'in') {
        this.position += 2;
        left = { type: 'unary', op: 'not', value: { type: 'binary', op: 'in', left, right: this.concat() } };
      } else return left;
    }
  }

  private concat(): Node {
    return this.level(['~'], () => this.additive());
  }

  private additive(): Node {
    return this.level(['+', '-'], () => this.multiplicative());
  }

  private multiplicative(): Node {
    return this.level(['%', '*', '/'], () => this.unary());
  }

  private unary(): Node {
    return this.prefix(() => this.peek('-') !== undefined, '-', () => this.postfix());
  }

  /** A prefix operator that may repeat (not not x, - - x), binding tighter than what follows it. */
  private prefix(present: () => boolean, op: string, next: () => Node): Node {
    if (!present()) return next();
    this.position++;
    return { type: 'unary', op, value: this.prefix(present, op, next) };
  }

  private postfix(): Node {
    let node = this.primary();
    for (;;) {
      if (this.peek('.')) {
        this.position++;
        node = { type: 'getattr', object: node, name: this.take().text };
      } else if (this.peek('[')) {
        this.position++;
        let start: Node | undefined;
        if (!this.peek(':')) start = this.expression();
        if (this.peek(':')) {
          this.position++;
          const stop = this.peek(']') ? undefined : this.expression();
          this.take(']');
          node = { type: 'slice', object: node, start, stop };
        } else {
          this.take(']');
          node = { type: 'getitem', object: node, index: start! };
        }
      } else if (this.peek('(')) {
        node = { type: 'call', callee: node, ...this.callArguments() };
      } else if (this.peek('|')) {
        this.position++;
        const name = this.take().text;
        const args = this.peek('(') ? this.callArguments().args : [];
        node = { type: 'filter', value: node, name, args };
      } else if (this.isWord('is')) {
        this.position++;
        let negate = false;
        if (this.isWord('not')) {
          this.position++;
          negate = true;
        }
        node = { type: 'test', value: node, name: this.take().text, negate };
      } else return node;
    }
  }

  private callArguments(): { args: Node[]; kwargs: Record<string, Node> } {
    this.take('(');
    const args: Node[] = [];
    const kwargs: Record<string, Node> = {};
    while (!this.peek(')')) {
      if (this.tokens[this.position]?.kind === 'name' && this.tokens[this.position + 1]?.text === '=') {
        const name = this.take().text;
        this.take('=');
        kwargs[name] = this.expression();
      } else args.push(this.expression());
      if (!this.peek(')')) this.take(',');
    }
    this.take(')');
    return { args, kwargs };
  }

  private primary(): Node {
    const token = this.take();
    if (token.kind === 'string' || token.kind === 'number') return { type: 'literal', value: token.value as PyValue };
    if (token.kind === 'name') {
      const constants: Record<string, PyValue> = { none: null, None: null, true: true, True: true, false: false, False: false };
      return token.text in constants ? { type: 'literal', value: constants[token.text]! } : { type: 'name', name: token.text };
    }
    if (token.text === '(') {
      if (this.peek(')')) {
        this.position++;
        return { type: 'tuple', items: [] };
      }
      const first = this.expression();
      if (this.peek(')')) {
        this.position++;
        return first;
      }
      const items = [first];
      while (this.peek(',')) {
        this.position++;
        if (this.peek(')')) break;
        items.push(this.expression());
      }
      this.take(')');
      return { type: 'tuple', items };
    }
    if (token.text === '[') {
      const items: Node[] = [];
      while (!this.peek(']')) {
        items.push(this.expression());
        if (!this.peek(']')) this.take(',');
      }
      this.take(']');
      return { type: 'list', items };
    }
    if (token.text === '{') {
      const entries: [Node, Node][] = [];
      while (!this.peek('}')) {
        const key = this.expression();
        this.take(':');
        entries.push([key, this.expression()]);
        if (!this.peek('}')) this.take(',');
      }
      this.take('}');
      return { type: 'dict', entries };
    }
    throw new Error(`Unexpected ${token.text}`);
  }
}

export type Scope = Record<string, unknown>;

function formEncodePythonQuote(text: string): string {
  // Python's urllib.parse.quote(text, safe='/'): unreserved characters and '/' stay.
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const char = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.\-~/]/.test(char) ? char : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function filter(name: string, value: PyValue, args: PyValue[]): PyValue {
  switch (name) {
    case 'length':
      if (typeof value === 'string' || Array.isArray(value)) return [...(typeof value === 'string' ? value : value)].length;
      if (isMapping(value)) return Object.keys(value).length;
      throw new Error(`length of ${repr(value)}`);
    case 'int': {
      if (typeof value === 'number') return Math.trunc(value);
      if (typeof value === 'boolean') return Number(value);
      const parsed = typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value) ? Number(value) : Number.NaN;
      return Number.isNaN(parsed) ? 0 : parsed;
    }
    case 'trim':
      return str(value).trim();
    case 'replace':
      return str(value).replaceAll(str(args[0]!), str(args[1]!));
    case 'urlencode':
      return formEncodePythonQuote(str(value));
    case 'base64encode':
      return Buffer.from(str(value), 'utf8').toString('base64');
    case 'hash': {
      const algorithm = typeof args[0] === 'string' ? args[0] : 'md5';
      return createHash(algorithm).update(str(value), 'utf8').digest('hex');
    }
    case 'list':
      if (Array.isArray(value)) return [...value];
      if (typeof value === 'string') return [...value];
      if (isMapping(value)) return Object.keys(value);
      throw new Error(`list of ${repr(value)}`);
    case 'rejectattr': {
      const [attribute, test, operand] = args;
      if (!Array.isArray(value) || test !== 'equalto') throw new Error('rejectattr supports lists and the equalto test');
      return value.filter((item) => !equals(getItem(item, /^\d+$/.test(String(attribute)) ? Number(attribute) : attribute!), operand!));
    }
    default:
      throw new Error(`Unknown filter ${name}`);
  }
}

function test(name: string, value: PyValue | undefined): boolean {
  switch (name) {
    case 'none':
      return value === null || value === undefined;
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' || typeof value === 'boolean';
    case 'boolean':
      return typeof value === 'boolean';
    case 'mapping':
      return isMapping(value);
    case 'defined':
      return value !== undefined;
    default:
      throw new Error(`Unknown test ${name}`);
  }
}

function getItem(object: PyValue | undefined, key: PyValue): PyValue | undefined {
  if (Array.isArray(object) && typeof key === 'number') return object[key < 0 ? object.length + key : key];
  if (typeof object === 'string' && typeof key === 'number') return [...object][key];
  if (isMapping(object) && typeof key === 'string') return key in object ? object[key] : undefined;
  return undefined;
}

/** Methods the templates call on values (all side-effect free). */
function method(object: PyValue, name: string, args: PyValue[]): PyValue {
  if (isMapping(object)) {
    if (name === 'get') return getItem(object, args[0]!) ?? args[1] ?? null;
    if (name === 'items') return Object.entries(object).map(([key, value]) => tuple([key, value]));
    if (name === 'keys') return Object.keys(object);
  }
  if (typeof object === 'string') {
    if (name === 'strip') return object.trim();
    if (name === 'rstrip') {
      const chars = typeof args[0] === 'string' ? args[0] : ' \t\n\r';
      let end = object.length;
      while (end > 0 && chars.includes(object[end - 1]!)) end--;
      return object.slice(0, end);
    }
    if (name === 'startswith') return object.startsWith(str(args[0]!));
  }
  if (object instanceof PyDatetime && name === 'isoformat') return object.isoformat();
  throw new Error(`Unknown method ${name} on ${repr(object)}`);
}

export interface Globals {
  now: () => Date;
}

/** The engine's day_delta macro (macros.py): now plus some days, formatted. */
function dayDelta(now: Date, days: number, format: string): string {
  return strftime(new Date(now.getTime() + days * 86_400_000), format);
}

function evaluate(node: Node, scope: Scope, globals: Globals): PyValue | undefined {
  switch (node.type) {
    case 'literal':
      return node.value;
    case 'name':
      return node.name in scope ? (scope[node.name] as PyValue) : undefined;
    case 'getattr': {
      const object = evaluate(node.object, scope, globals);
      return isMapping(object) && node.name in object ? object[node.name] : undefined;
    }
    case 'getitem':
      return getItem(evaluate(node.object, scope, globals), evaluate(node.index, scope, globals)!);
    case 'slice': {
      const object = evaluate(node.object, scope, globals);
      if (typeof object !== 'string' && !Array.isArray(object)) throw new Error(`Cannot slice ${repr(object ?? null)}`);
      const items = typeof object === 'string' ? [...object] : object;
      const start = node.start ? (evaluate(node.start, scope, globals) as number) : 0;
      const stop = node.stop ? (evaluate(node.stop, scope, globals) as number) : items.length;
      const sliced = items.slice(start, stop);
      return typeof object === 'string' ? (sliced as string[]).join('') : (sliced as PyValue[]);
    }
    case 'call': {
      const args = node.args.map((arg) => evaluate(arg, scope, globals)!);
      const kwargs = Object.fromEntries(Object.entries(node.kwargs).map(([key, value]) => [key, evaluate(value, scope, globals)!]));
      if (node.callee.type === 'getattr') return method(evaluate(node.callee.object, scope, globals)!, node.callee.name, args);
      if (node.callee.type === 'name' && node.callee.name === 'now_utc') return new PyDatetime(globals.now());
      if (node.callee.type === 'name' && node.callee.name === 'day_delta') {
        return dayDelta(globals.now(), args[0] as number, (kwargs['format'] ?? args[1] ?? '%Y-%m-%dT%H:%M:%S.%f%z') as string);
      }
      throw new Error('Unknown function');
    }
    case 'filter':
      return filter(node.name, evaluate(node.value, scope, globals) ?? null, node.args.map((arg) => evaluate(arg, scope, globals)!));
    case 'test':
      return test(node.name, evaluate(node.value, scope, globals)) !== node.negate;
    case 'unary': {
      const value = evaluate(node.value, scope, globals);
      if (node.op === 'not') return !truthy(value);
      return -(value as number);
    }
    case 'conditional':
      return truthy(evaluate(node.test, scope, globals)) ? evaluate(node.then, scope, globals) : node.otherwise ? evaluate(node.otherwise, scope, globals) : '';
    case 'tuple':
      return tuple(node.items.map((item) => evaluate(item, scope, globals)!));
    case 'list':
      return node.items.map((item) => evaluate(item, scope, globals)!);
    case 'dict':
      return Object.fromEntries(node.entries.map(([key, value]) => [str(evaluate(key, scope, globals)!), evaluate(value, scope, globals)!]));
    case 'binary': {
      if (node.op === 'and') {
        const left = evaluate(node.left, scope, globals);
        return truthy(left) ? evaluate(node.right, scope, globals) : left;
      }
      if (node.op === 'or') {
        const left = evaluate(node.left, scope, globals);
        return truthy(left) ? left : evaluate(node.right, scope, globals);
      }
      const left = evaluate(node.left, scope, globals);
      const right = evaluate(node.right, scope, globals);
      switch (node.op) {
        case '~':
          return str(left ?? '') + str(right ?? '');
        case '%':
          if (left === '%r') return repr(isTuple(right) ? (right as PyValue[])[0]! : (right ?? null));
          return (left as number) % (right as number);
        case '==':
          return equals(left, right);
        case '!=':
          return !equals(left, right);
        case '>':
          return (left as number) > (right as number);
        case '>=':
          return (left as number) >= (right as number);
        case '<':
          return (left as number) < (right as number);
        case '<=':
          return (left as number) <= (right as number);
        case '+':
          return (left as number) + (right as number);
        case '-':
          return (left as number) - (right as number);
        case 'in':
          if (Array.isArray(right)) return right.some((item) => equals(item, left));
          if (typeof right === 'string') return right.includes(str(left!));
          if (isMapping(right)) return str(left!) in right;
          return false;
        default:
          throw new Error(`Unknown operator ${node.op}`);
      }
    }
  }
}

type Statement =
  | { kind: 'text'; text: string }
  | { kind: 'output'; expression: Node }
  | { kind: 'set'; name: string; expression: Node }
  | { kind: 'capture'; name: string; body: Statement[] }
  | { kind: 'if'; branches: { test: Node | undefined; body: Statement[] }[] }
  | { kind: 'for'; name: string; iterable: Node; body: Statement[] };

function parseExpression(source: string): Node {
  return new ExpressionParser(tokenize(source)).parseAll();
}

function parseTemplate(source: string): Statement[] {
  const parts = source.split(/({{[\s\S]*?}}|{%[\s\S]*?%})/);
  let index = 0;
  const block = (terminators: string[]): { body: Statement[]; end: string } => {
    const body: Statement[] = [];
    while (index < parts.length) {
      const part = parts[index++]!;
      if (part.startsWith('{{')) body.push({ kind: 'output', expression: parseExpression(part.slice(2, -2)) });
      else if (part.startsWith('{%')) {
        const tag = part.slice(2, -2).trim();
        const keyword = tag.split(/\s+/, 1)[0]!;
        if (terminators.includes(keyword)) return { body, end: tag };
        if (keyword === 'set' && /^set\s+[A-Za-z_][A-Za-z0-9_]*$/.test(tag)) {
          // A block assignment: the rendered body, as text.
          body.push({ kind: 'capture', name: tag.slice(3).trim(), body: block(['endset']).body });
        } else if (keyword === 'set') {
          const match = /^set\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*([\s\S]+)$/.exec(tag)!;
          body.push({ kind: 'set', name: match[1]!, expression: parseExpression(match[2]!) });
        } else if (keyword === 'if') {
          const branches: { test: Node | undefined; body: Statement[] }[] = [];
          let test: Node | undefined = parseExpression(tag.slice(2));
          for (;;) {
            const inner = block(['elif', 'else', 'endif']);
            branches.push({ test, body: inner.body });
            if (inner.end.startsWith('endif')) break;
            test = inner.end.startsWith('elif') ? parseExpression(inner.end.slice(4)) : undefined;
          }
          body.push({ kind: 'if', branches });
        } else if (keyword === 'for') {
          const match = /^for\s+([A-Za-z_][A-Za-z0-9_]*)\s+in\s+([\s\S]+)$/.exec(tag)!;
          const inner = block(['endfor']);
          body.push({ kind: 'for', name: match[1]!, iterable: parseExpression(match[2]!), body: inner.body });
        } else throw new Error(`Unknown tag ${tag}`);
      } else if (part !== '') body.push({ kind: 'text', text: part });
    }
    if (terminators.length > 0) throw new Error(`Missing ${terminators.join('/')} in ${source}`);
    return { body, end: '' };
  };
  return block([]).body;
}

function run(statements: Statement[], scope: Scope, globals: Globals): string {
  let out = '';
  for (const statement of statements) {
    switch (statement.kind) {
      case 'text':
        out += statement.text;
        break;
      case 'output': {
        const value = evaluate(statement.expression, scope, globals);
        out += value === undefined ? '' : str(value);
        break;
      }
      case 'set':
        scope[statement.name] = evaluate(statement.expression, scope, globals);
        break;
      case 'capture':
        scope[statement.name] = run(statement.body, scope, globals);
        break;
      case 'if': {
        const branch = statement.branches.find((candidate) => candidate.test === undefined || truthy(evaluate(candidate.test, scope, globals)));
        if (branch) out += run(branch.body, scope, globals);
        break;
      }
      case 'for': {
        const iterable = evaluate(statement.iterable, scope, globals);
        if (!Array.isArray(iterable)) throw new Error('for over a non-list');
        for (const item of iterable) out += run(statement.body, { ...scope, [statement.name]: item }, globals);
        break;
      }
    }
  }
  return out;
}

const cache = new Map<string, Statement[]>();

/** Renders a template to text, as Jinja's Template.render does. */
export function render(source: string, context: Scope, globals: Globals = { now: () => new Date() }): string {
  let statements = cache.get(source);
  if (!statements) {
    statements = parseTemplate(source);
    cache.set(source, statements);
  }
  return run(statements, { ...context }, globals);
}
