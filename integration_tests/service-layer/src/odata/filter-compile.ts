/**
 * Turns a parsed $filter into a predicate over canonical records, with the Service Layer's semantics:
 * - date properties compare the calendar date; a literal's time of day is ignored;
 * - time properties (UpdateTime, CreateTime...) compare hours and minutes only, on both sides;
 * - a null value satisfies only `eq null` (SQL three-valued logic: `ne 'x'` is false on null);
 * - an unknown property is a 400 error naming it.
 * Also extracts bounds on the key from top-level conjuncts, so key-ordered scans can start where they should.
 */
import type { PropertyInfo, SchemaModel, StructuredType } from '../model/schema.js';
import type { Core, Key } from '../store/source.js';
import { ERRORS } from './errors.js';
import type { ComparisonOp, FilterExpr, Literal, Operand } from './filter-parser.js';
import { dateOfLiteral, minutesOfLiteral, minutesOfTime } from './literals.js';

export type Predicate = (record: Core) => boolean;

export interface KeyBounds {
  lower?: { key: Key; inclusive: boolean };
  upper?: { key: Key; inclusive: boolean };
}

type Comparable = string | number | null;
type Getter = (record: Core) => Comparable;

export class FilterCompiler {
  constructor(
    private readonly schema: SchemaModel,
    private readonly type: StructuredType,
  ) {}

  compile(expr: FilterExpr): Predicate {
    switch (expr.t) {
      case 'and': {
        const a = this.compile(expr.a);
        const b = this.compile(expr.b);
        return (r) => a(r) && b(r);
      }
      case 'or': {
        const a = this.compile(expr.a);
        const b = this.compile(expr.b);
        return (r) => a(r) || b(r);
      }
      case 'not': {
        const a = this.compile(expr.a);
        return (r) => !a(r);
      }
      case 'func':
        return this.func(expr.name, expr.args);
      case 'cmp':
        return this.comparison(expr.op, expr.left, expr.right);
    }
  }

  /** Bounds on the single key property implied by the top-level `and` chain. */
  keyBounds(expr: FilterExpr | undefined): KeyBounds {
    const bounds: KeyBounds = {};
    if (!expr || this.type.key.length !== 1) return bounds;
    const keyProp = this.property(this.type.key[0]!);
    const visit = (e: FilterExpr): void => {
      if (e.t === 'and') {
        visit(e.a);
        visit(e.b);
        return;
      }
      if (e.t !== 'cmp') return;
      let { op, left, right } = e;
      if (left.t === 'lit' && right.t === 'prop') {
        [left, right] = [right, left];
        op = flip(op);
      }
      if (left.t !== 'prop' || left.name !== keyProp.name || right.t !== 'lit') return;
      const value = this.literalValue(keyProp, right.lit);
      if (value === null) return;
      const key: Key = value;
      if (op === 'gt' || op === 'ge' || op === 'eq') tighten(bounds, 'lower', key, op !== 'gt');
      if (op === 'lt' || op === 'le' || op === 'eq') tighten(bounds, 'upper', key, op !== 'lt');
    };
    visit(expr);
    return bounds;
  }

  private property(name: string): PropertyInfo {
    const p = this.type.byName.get(name);
    if (!p) throw ERRORS.invalidProperty(name);
    if (p.kind === 'complex' || p.kind === 'collection') throw ERRORS.invalidProperty(name);
    return p;
  }

  private getter(p: PropertyInfo): Getter {
    const name = p.name;
    const fallback = this.type.defaults.get(name) as Comparable | undefined;
    const read = (r: Core): unknown => {
      const v = r[name];
      return v === undefined ? fallback : v;
    };
    switch (p.kind) {
      case 'time':
        return (r) => {
          const v = read(r);
          return typeof v === 'string' ? minutesOfTime(v) : null;
        };
      case 'enum': {
        const order = new Map(this.schema.enums.get(p.typeName!)?.map(([m, value]) => [m, value]));
        return (r) => {
          const v = read(r);
          return typeof v === 'string' ? (order.get(v) ?? null) : null;
        };
      }
      default:
        return (r) => {
          const v = read(r);
          return v === undefined || v === null ? null : (v as string | number);
        };
    }
  }

  /** The comparable value of a literal against a property of this kind; null for the null literal. */
  private literalValue(p: PropertyInfo, lit: Literal): Comparable {
    if (lit.t === 'null') return null;
    const text = lit.t === 'string' || lit.t === 'typed' ? lit.value : lit.t === 'number' ? lit.text : String(lit.value);
    switch (p.kind) {
      case 'string':
        if (lit.t === 'string') return lit.value;
        if (lit.t === 'number') return lit.text;
        throw ERRORS.invalidFilter();
      case 'int':
      case 'double': {
        if (lit.t !== 'number' && lit.t !== 'string') throw ERRORS.invalidFilter();
        const n = Number(text);
        if (text.trim() === '' || !Number.isFinite(n)) throw ERRORS.invalidFilter();
        return n;
      }
      case 'date': {
        if (lit.t === 'typed' && lit.prefix !== '' && lit.prefix.toLowerCase() !== 'datetime' && lit.prefix.toLowerCase() !== 'datetimeoffset') {
          throw ERRORS.invalidFilter();
        }
        const date = lit.t === 'string' || lit.t === 'typed' ? dateOfLiteral(text) : undefined;
        if (date === undefined) throw ERRORS.invalidFilter();
        return date;
      }
      case 'time': {
        if (lit.t === 'typed' && lit.prefix !== '' && !['time', 'timeofday', 'datetime', 'duration'].includes(lit.prefix.toLowerCase())) {
          throw ERRORS.invalidFilter();
        }
        const minutes = lit.t === 'string' || lit.t === 'typed' ? minutesOfLiteral(text) : undefined;
        if (minutes === undefined) throw ERRORS.invalidFilter();
        return minutes;
      }
      case 'enum': {
        const enumName = p.typeName!;
        if (lit.t === 'typed' && lit.prefix !== '' && lit.prefix !== enumName && lit.prefix !== `SAPB1.${enumName}`) {
          throw ERRORS.invalidFilter();
        }
        const members = this.schema.enums.get(enumName) ?? [];
        if (lit.t === 'number') {
          const byValue = members.find(([, v]) => v === lit.value);
          if (!byValue) throw ERRORS.invalidFilter();
          return byValue[1];
        }
        const member = members.find(([m]) => m === text);
        if (!member) throw ERRORS.invalidFilter();
        return member[1];
      }
      default:
        throw ERRORS.invalidFilter();
    }
  }

  private comparison(op: ComparisonOp, left: Operand, right: Operand): Predicate {
    if (left.t === 'lit' && right.t === 'prop') return this.comparison(flip(op), right, left);
    if (left.t !== 'prop') throw ERRORS.invalidFilter();
    const p = this.property(left.name);
    const get = this.getter(p);
    if (right.t === 'prop') {
      const q = this.property(right.name);
      if (q.kind !== p.kind) throw ERRORS.invalidFilter();
      const other = this.getter(q);
      return (r) => compareValues(op, get(r), other(r));
    }
    const value = this.literalValue(p, right.lit);
    if (value === null) {
      if (op === 'eq') return (r) => get(r) === null;
      if (op === 'ne') return (r) => get(r) !== null;
      throw ERRORS.invalidFilter();
    }
    return (r) => compareValues(op, get(r), value);
  }

  private func(name: string, args: Operand[]): Predicate {
    // substringof(needle, Property) is the v3 spelling of contains(Property, needle).
    const [propArg, litArg] = name === 'substringof' ? [args[1], args[0]] : [args[0], args[1]];
    if (args.length !== 2 || propArg?.t !== 'prop' || litArg?.t !== 'lit' || litArg.lit.t !== 'string') {
      throw ERRORS.invalidFilter();
    }
    const p = this.property(propArg.name);
    if (p.kind !== 'string') throw ERRORS.invalidFilter();
    const get = this.getter(p);
    const needle = litArg.lit.value;
    const test =
      name === 'startswith'
        ? (s: string) => s.startsWith(needle)
        : name === 'endswith'
          ? (s: string) => s.endsWith(needle)
          : (s: string) => s.includes(needle);
    return (r) => {
      const v = get(r);
      return typeof v === 'string' && test(v);
    };
  }
}

function compareValues(op: ComparisonOp, a: Comparable, b: Comparable): boolean {
  if (a === null || b === null) return false;
  switch (op) {
    case 'eq':
      return a === b;
    case 'ne':
      return a !== b;
    case 'gt':
      return a > b;
    case 'ge':
      return a >= b;
    case 'lt':
      return a < b;
    case 'le':
      return a <= b;
  }
}

function flip(op: ComparisonOp): ComparisonOp {
  switch (op) {
    case 'gt':
      return 'lt';
    case 'ge':
      return 'le';
    case 'lt':
      return 'gt';
    case 'le':
      return 'ge';
    default:
      return op;
  }
}

function tighten(bounds: KeyBounds, side: 'lower' | 'upper', key: Key, inclusive: boolean): void {
  const current = bounds[side];
  if (!current) {
    bounds[side] = { key, inclusive };
    return;
  }
  const c = typeof key === 'number' && typeof current.key === 'number' ? key - current.key : String(key) < String(current.key) ? -1 : String(key) > String(current.key) ? 1 : 0;
  const tighter = side === 'lower' ? c > 0 || (c === 0 && !inclusive) : c < 0 || (c === 0 && !inclusive);
  if (tighter) bounds[side] = { key, inclusive };
}
