/**
 * Turns Service Layer values into the typed values the stream schema promises, whatever the
 * dialect: tYES/tNO become booleans, v2 dates ("2024-01-15T00:00:00Z") and v1 dates
 * ("2024-01-15") both become ISO dates, times become HH:MM:SS. A value that cannot be typed is
 * nulled and reported in the record's meta.changes, never dropped silently.
 */
import type { RecordChange } from '../protocol/messages.js';
import type { JsonSchemaFragment } from './columns.js';

export type Normalized = { ok: true; value: unknown } | { ok: false };

const DATE_PREFIX = /^(\d{4})-(\d{2})-(\d{2})(?:$|T)/;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?$/;

function mainType(schema: JsonSchemaFragment): string | undefined {
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  return types.find((t) => t !== 'null');
}

// A company's documents share few distinct dates; remembering them saves the validation of each.
const knownDates = new Map<string, string | undefined>();
const KNOWN_DATES_LIMIT = 50_000;

export function normalizeDate(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  if (knownDates.has(value)) return knownDates.get(value);
  const normalized = parseDate(value);
  if (knownDates.size >= KNOWN_DATES_LIMIT) knownDates.clear();
  knownDates.set(value, normalized);
  return normalized;
}

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

/** updated_at: the change date and time of day, in the company's local time (no zone). */
export function combineDateTime(date: unknown, time: unknown): string | null {
  const day = normalizeDate(date);
  if (!day) return null;
  return `${day}T${normalizeTime(time) ?? '00:00:00'}`;
}

export function normalizeValue(value: unknown, schema: JsonSchemaFragment): Normalized {
  if (value === null || value === undefined) return { ok: true, value: null };
  switch (mainType(schema)) {
    case 'boolean':
      if (typeof value === 'boolean') return { ok: true, value };
      if (value === 'tYES') return { ok: true, value: true };
      if (value === 'tNO') return { ok: true, value: false };
      return { ok: false };
    case 'integer': {
      const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      return typeof number === 'number' && Number.isSafeInteger(number) ? { ok: true, value: number } : { ok: false };
    }
    case 'number': {
      const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      return typeof number === 'number' && Number.isFinite(number) ? { ok: true, value: number } : { ok: false };
    }
    case 'string':
      if (schema.format === 'date') {
        const date = normalizeDate(value);
        return date ? { ok: true, value: date } : { ok: false };
      }
      if (schema.format === 'time') {
        const time = normalizeTime(value);
        return time ? { ok: true, value: time } : { ok: false };
      }
      if (typeof value === 'string') return { ok: true, value };
      if (typeof value === 'number' || typeof value === 'boolean') return { ok: true, value: String(value) };
      return { ok: false };
    case 'array':
      return Array.isArray(value)
        ? { ok: true, value: schema.items ? value.map((item) => normalizeNested(item, schema.items!)) : value }
        : { ok: false };
    case 'object':
      return typeof value === 'object' && !Array.isArray(value) ? { ok: true, value: normalizeNested(value, schema) } : { ok: false };
    default:
      return { ok: true, value };
  }
}

/**
 * Nested objects (rows of a collection kept as a JSON column) get the same treatment as
 * columns: snake_case keys from the schema and typed values; untypable nested values become null.
 */
function normalizeNested(value: unknown, schema: JsonSchemaFragment): unknown {
  if (typeof value !== 'object' || value === null || !schema.properties) return value;
  const source = value as Record<string, unknown>;
  const result: Record<string, unknown> = {};
  for (const [column, fragment] of Object.entries(schema.properties)) {
    const sap = fragment['x-b1-property'] ?? column;
    const normalized = normalizeValue(source[sap], fragment);
    result[column] = normalized.ok ? normalized.value : null;
  }
  return result;
}

/** Normalizes one column into `target`, recording a change when the value had to be nulled. */
export function setColumn(
  target: Record<string, unknown>,
  changes: RecordChange[],
  column: string,
  value: unknown,
  schema: JsonSchemaFragment,
): void {
  const normalized = normalizeValue(value, schema);
  if (normalized.ok) {
    target[column] = normalized.value;
  } else {
    target[column] = null;
    changes.push({ field: column, change: 'NULLED', reason: 'SOURCE_SERIALIZATION_ERROR' });
  }
}
