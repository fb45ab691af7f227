/**
 * LookML fields (dimensions, dimension groups, measures) as the generator writes them, so that
 * stream views and derived views spell types, keys, time frames and formats the same way.
 */
import type { SqlDialect } from './dialect.js';
import { bare, block, quoted, sqlParam, wordList, yesNo, type LookmlNode } from './lookml-text.js';
import type { ColumnKind } from './tables.js';

export const DATE_TIMEFRAMES = ['raw', 'date', 'week', 'month', 'quarter', 'year'] as const;
export const TIMESTAMP_TIMEFRAMES = ['raw', 'time', 'date', 'week', 'month', 'quarter', 'year'] as const;

/** Formats for amounts in the company's local currency (no currency sign: it differs per company). */
export const AMOUNT_FORMAT = 'decimal_2';
export const PERCENT_FORMAT = 'percent_1';
/** Quantities may be fractional (kg, litres), so up to three decimals without trailing zeros. */
export const QUANTITY_FORMAT = '#,##0.###';

export interface DimensionOptions {
  type: 'string' | 'number' | 'yesno';
  sql: string;
  primaryKey?: boolean;
  hidden?: boolean;
  label?: string;
  groupLabel?: string;
  description?: string;
  valueFormatName?: string;
  orderByField?: string;
}

export function dimension(name: string, o: DimensionOptions): LookmlNode {
  const body: LookmlNode[] = [];
  if (o.primaryKey) body.push(yesNo('primary_key', true));
  if (o.hidden) body.push(yesNo('hidden', true));
  body.push(bare('type', o.type));
  if (o.label) body.push(quoted('label', o.label));
  if (o.groupLabel) body.push(quoted('group_label', o.groupLabel));
  if (o.description) body.push(quoted('description', o.description));
  if (o.valueFormatName) body.push(bare('value_format_name', o.valueFormatName));
  if (o.orderByField) body.push(bare('order_by_field', o.orderByField));
  body.push(sqlParam('sql', o.sql));
  return block('dimension', name, body);
}

export interface TimeOptions {
  /** date: a DATE column; timestamp_tz / timestamp_ntz: with or without time zone. */
  kind: 'date' | 'timestamp_tz' | 'timestamp_ntz';
  sql: string;
  hidden?: boolean;
  label?: string;
  groupLabel?: string;
  description?: string;
}

/**
 * A time dimension group. Dates and local timestamps (SAP keeps company-local time without a
 * zone) are not converted to the user's time zone; only true instants are.
 */
export function dimensionGroup(dialect: SqlDialect, name: string, o: TimeOptions): LookmlNode {
  const datatype = o.kind === 'date' ? 'date' : o.kind === 'timestamp_ntz' ? dialect.timestampWithoutTimezoneDatatype : 'timestamp';
  const body: LookmlNode[] = [];
  if (o.hidden) body.push(yesNo('hidden', true));
  body.push(bare('type', 'time'));
  body.push(wordList('timeframes', o.kind === 'date' ? DATE_TIMEFRAMES : TIMESTAMP_TIMEFRAMES));
  body.push(bare('datatype', datatype));
  body.push(yesNo('convert_tz', o.kind === 'timestamp_tz'));
  if (o.label) body.push(quoted('label', o.label));
  if (o.groupLabel) body.push(quoted('group_label', o.groupLabel));
  if (o.description) body.push(quoted('description', o.description));
  body.push(sqlParam('sql', o.sql));
  return block('dimension_group', name, body);
}

/** The field names a dimension group produces, e.g. doc -> doc_date, doc_week, ... */
export function timeFieldNames(group: string, kind: 'date' | 'timestamp_tz' | 'timestamp_ntz'): string[] {
  return (kind === 'date' ? DATE_TIMEFRAMES : TIMESTAMP_TIMEFRAMES).map((t) => `${group}_${t}`);
}

export interface MeasureOptions {
  type: 'sum' | 'count' | 'count_distinct' | 'number' | 'average' | 'max' | 'min';
  sql?: string;
  label?: string;
  description?: string;
  valueFormatName?: string;
  valueFormat?: string;
  hidden?: boolean;
}

export function measure(name: string, o: MeasureOptions): LookmlNode {
  const body: LookmlNode[] = [];
  if (o.hidden) body.push(yesNo('hidden', true));
  body.push(bare('type', o.type));
  if (o.label) body.push(quoted('label', o.label));
  if (o.description) body.push(quoted('description', o.description));
  if (o.valueFormatName) body.push(bare('value_format_name', o.valueFormatName));
  if (o.valueFormat) body.push(quoted('value_format', o.valueFormat));
  if (o.sql !== undefined) body.push(sqlParam('sql', o.sql));
  return block('measure', name, body);
}

export function isTimeKind(kind: ColumnKind): kind is 'date' | 'timestamp_tz' | 'timestamp_ntz' {
  return kind === 'date' || kind === 'timestamp_tz' || kind === 'timestamp_ntz';
}
