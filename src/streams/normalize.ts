/**
 * Turns Service Layer values into the typed values the stream schema promises, whatever the
 * dialect: tYES/tNO become booleans, v2 dates ("2024-01-15T00:00:00Z") and v1 dates
 * ("2024-01-15") both become ISO dates, times become HH:MM:SS. A value that cannot be typed is
 * nulled and reported in the record's meta.changes, never dropped silently.
 */
import type { RecordChange } from '../protocol/messages.js';
import { mainType, type JsonSchemaFragment } from '../json-schema.js';

export type Normalized = { ok: true; value: unknown } | { ok: false };

/** What a typer returns for a value that cannot be typed: the column is nulled and the change reported. */
export const UNTYPABLE: unique symbol = Symbol('untypable');

/** Types one value of a column: the typed value, null for null, or UNTYPABLE. */
export type Typer = (value: unknown) => unknown;

/** Puts a typed value into its column, or null and a change when it was UNTYPABLE. */
export function setTyped(target: Record<string, unknown>, changes: RecordChange[], column: string, typed: unknown): void {
  if (typed === UNTYPABLE) {
    target[column] = null;
    changes.push({ field: column, change: 'NULLED', reason: 'SOURCE_SERIALIZATION_ERROR' });
  } else {
    target[column] = typed;
  }
}

const DATE_PREFIX = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?$/;

function parseDate(value: string): string | undefined {
  const match = DATE_PREFIX.exec(value) ?? COMPACT_DATE.exec(value);
  if (!match) return undefined;
  const [, y, m, d] = match;
  const iso = `${y}-${m}-${d}`;
  // Reject impossible dates such as 2024-02-30 rather than passing them to a warehouse.
  const parsed = new Date(`${iso}T00:00:00Z`);
  return !Number.isNaN(parsed.getTime()) && parsed.toISOString().startsWith(iso) ? iso : undefined;
}

export function normalizeTime(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = TIME.exec(value);
  if (!match) return undefined;
  const [, h, m, s = '00'] = match;
  if (Number(h) > 23 || Number(m) > 59 || Number(s) > 59) return undefined;
  return `${h}:${m}:${s}`;
}

/**
 * Types values for one read. It remembers the dates it has typed: a company's records share few
 * distinct dates, and remembering them saves validating each again. One per read, so that runs in
 * one process share nothing.
 */
export class ValueNormalizer {
  private static readonly KNOWN_DATES_LIMIT = 50_000;
  private readonly knownDates = new Map<string, string | undefined>();
  private readonly typers = new WeakMap<JsonSchemaFragment, Typer>();

  date(value: unknown): string | undefined {
    if (typeof value !== 'string') return undefined;
    if (this.knownDates.has(value)) return this.knownDates.get(value);
    const normalized = parseDate(value);
    if (this.knownDates.size >= ValueNormalizer.KNOWN_DATES_LIMIT) this.knownDates.clear();
    this.knownDates.set(value, normalized);
    return normalized;
  }

  /** updated_at: the change date and time of day, in the company's local time (no zone). */
  dateTime(date: unknown, time: unknown): string | null {
    const day = this.date(date);
    if (!day) return null;
    return `${day}T${normalizeTime(time) ?? '00:00:00'}`;
  }

  value(value: unknown, schema: JsonSchemaFragment): Normalized {
    const typed = this.typer(schema)(value);
    return typed === UNTYPABLE ? { ok: false } : { ok: true, value: typed };
  }

  /**
   * How values of a schema are typed: a function made once per schema, since the schema's type and
   * format are the same for every value of a column (a read types millions of values).
   */
  typer(schema: JsonSchemaFragment): Typer {
    let typer = this.typers.get(schema);
    if (!typer) {
      typer = this.makeTyper(schema);
      this.typers.set(schema, typer);
    }
    return typer;
  }

  /** Types one column into `target`, recording a change when the value had to be nulled. */
  setColumn(target: Record<string, unknown>, changes: RecordChange[], column: string, value: unknown, schema: JsonSchemaFragment): void {
    setTyped(target, changes, column, this.typer(schema)(value));
  }

  private makeTyper(schema: JsonSchemaFragment): Typer {
    const orNull =
      (type: Typer): Typer =>
      (value) =>
        value === null || value === undefined ? null : type(value);
    switch (mainType(schema)) {
      case 'boolean':
        return orNull((value) => (typeof value === 'boolean' ? value : value === 'tYES' ? true : value === 'tNO' ? false : UNTYPABLE));
      case 'integer':
        return orNull((value) => {
          const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
          return typeof number === 'number' && Number.isSafeInteger(number) ? number : UNTYPABLE;
        });
      case 'number':
        return orNull((value) => {
          const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
          return typeof number === 'number' && Number.isFinite(number) ? number : UNTYPABLE;
        });
      case 'string':
        if (schema.format === 'date') return orNull((value) => this.date(value) ?? UNTYPABLE);
        if (schema.format === 'time') return orNull((value) => normalizeTime(value) ?? UNTYPABLE);
        return orNull((value) =>
          typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : UNTYPABLE,
        );
      case 'array': {
        const items = schema.items;
        return orNull((value) => (Array.isArray(value) ? (items ? value.map((item) => this.nested(item, items)) : value) : UNTYPABLE));
      }
      case 'object':
        return orNull((value) => (typeof value === 'object' && !Array.isArray(value) ? this.nested(value, schema) : UNTYPABLE));
      default:
        return orNull((value) => value);
    }
  }

  /**
   * Nested objects (rows of a collection kept as a JSON column) get the same treatment as
   * columns: snake_case keys from the schema and typed values; untypable nested values become null.
   */
  private nested(value: unknown, schema: JsonSchemaFragment): unknown {
    if (typeof value !== 'object' || value === null || !schema.properties) return value;
    const source = value as Record<string, unknown>;
    const result: Record<string, unknown> = {};
    for (const [column, fragment] of Object.entries(schema.properties)) {
      const sap = fragment['x-b1-property'] ?? column;
      const typed = this.typer(fragment)(source[sap]);
      result[column] = typed === UNTYPABLE ? null : typed;
    }
    return result;
  }
}
