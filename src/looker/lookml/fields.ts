/**
 * LookML fields (dimensions, dimension groups, measures, filters, sets) as the generator writes
 * them, so that stream views and derived views spell types, keys, time frames, labels and formats
 * the same way.
 */
import { configError } from '../../errors.js';
import type { SqlDialect } from './dialect.js';
import { bare, block, fieldList, quoted, sqlParam, wordList, yesNo, type LookmlNode } from './lookml-text.js';
import type { TableColumnKind } from './tables.js';

export const DATE_TIMEFRAMES = ['raw', 'date', 'week', 'month', 'quarter', 'year'] as const;
export const TIMESTAMP_TIMEFRAMES = ['raw', 'time', 'date', 'week', 'month', 'quarter', 'year'] as const;

export const PERCENT_FORMAT = 'percent_1';
/** Quantities may be fractional (kg, litres), so up to three decimals without trailing zeros. */
export const QUANTITY_FORMAT = '#,##0.###';
/** Integer codes and keys: no thousands separator. */
export const ID_FORMAT = 'id';

/** How amounts in the company's local currency are formatted: a built-in format name or a pattern. */
export interface AmountFormat {
  currency: string;
  valueFormatName?: string;
  valueFormat?: string;
}

/**
 * The format of amounts in a currency (ISO 4217 code). Looker has named formats for dollars,
 * euros and pounds; other currencies get an Excel-style pattern with the code in front, quoted
 * as Looker's value_format documentation asks for currency symbols.
 */
export function amountFormat(currency: string): AmountFormat {
  const code = currency.trim().toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) throw configError(`--currency must be an ISO 4217 code such as USD, EUR or CHF, got ${JSON.stringify(currency)}.`);
  const named: Record<string, string> = { USD: 'usd', EUR: 'eur', GBP: 'gbp' };
  return named[code] ? { currency: code, valueFormatName: named[code] } : { currency: code, valueFormat: `"${code}" #,##0.00` };
}

/** The format options of a field showing an amount. */
export function amountOptions(format: AmountFormat): { valueFormatName?: string; valueFormat?: string } {
  return format.valueFormatName ? { valueFormatName: format.valueFormatName } : { valueFormat: format.valueFormat };
}

interface Display {
  hidden?: boolean;
  label?: string;
  groupLabel?: string;
  description?: string;
}

export interface DimensionOptions extends Display {
  type: 'string' | 'number' | 'yesno';
  sql: string;
  primaryKey?: boolean;
  valueFormatName?: string;
  valueFormat?: string;
  orderByField?: string;
  drillFields?: string[];
}

function display(o: Display): LookmlNode[] {
  const body: LookmlNode[] = [];
  if (o.hidden) body.push(yesNo('hidden', true));
  if (o.label) body.push(quoted('label', o.label));
  if (o.groupLabel) body.push(quoted('group_label', o.groupLabel));
  if (o.description) body.push(quoted('description', o.description));
  return body;
}

function formats(o: { valueFormatName?: string; valueFormat?: string }): LookmlNode[] {
  const body: LookmlNode[] = [];
  if (o.valueFormatName) body.push(bare('value_format_name', o.valueFormatName));
  if (o.valueFormat) body.push(quoted('value_format', o.valueFormat));
  return body;
}

export function dimension(name: string, o: DimensionOptions): LookmlNode {
  const body: LookmlNode[] = [];
  if (o.primaryKey) body.push(yesNo('primary_key', true));
  body.push(bare('type', o.type), ...display(o), ...formats(o));
  if (o.orderByField) body.push(bare('order_by_field', o.orderByField));
  if (o.drillFields?.length) body.push(fieldList('drill_fields', o.drillFields));
  body.push(sqlParam('sql', o.sql));
  return block('dimension', name, body);
}

export interface TimeOptions extends Display {
  /** date: a DATE column; timestamp_tz / timestamp_ntz: with or without time zone. */
  kind: 'date' | 'timestamp_tz' | 'timestamp_ntz';
  sql: string;
}

/**
 * A time dimension group. Dates and local timestamps (SAP keeps company-local time without a
 * zone) are not converted to the user's time zone; only true instants are.
 */
export function dimensionGroup(dialect: SqlDialect, name: string, o: TimeOptions): LookmlNode {
  const datatype = o.kind === 'date' ? 'date' : o.kind === 'timestamp_ntz' ? dialect.timestampWithoutTimezoneDatatype : 'timestamp';
  const body: LookmlNode[] = [
    bare('type', 'time'),
    wordList('timeframes', o.kind === 'date' ? DATE_TIMEFRAMES : TIMESTAMP_TIMEFRAMES),
    bare('datatype', datatype),
    yesNo('convert_tz', o.kind === 'timestamp_tz'),
    ...display(o),
    sqlParam('sql', o.sql),
  ];
  return block('dimension_group', name, body);
}

/** The field names a dimension group produces, e.g. doc -> doc_date, doc_week, ... */
export function timeFieldNames(group: string, kind: 'date' | 'timestamp_tz' | 'timestamp_ntz'): string[] {
  return (kind === 'date' ? DATE_TIMEFRAMES : TIMESTAMP_TIMEFRAMES).map((t) => `${group}_${t}`);
}

export interface MeasureOptions extends Display {
  type: 'sum' | 'count' | 'count_distinct' | 'number' | 'average' | 'max' | 'min';
  sql?: string;
  valueFormatName?: string;
  valueFormat?: string;
  drillFields?: string[];
}

export function measure(name: string, o: MeasureOptions): LookmlNode {
  const body: LookmlNode[] = [bare('type', o.type), ...display(o), ...formats(o)];
  if (o.drillFields?.length) body.push(fieldList('drill_fields', o.drillFields));
  if (o.sql !== undefined) body.push(sqlParam('sql', o.sql));
  return block('measure', name, body);
}

/** A templated filter: a field users set, read in SQL with {% date_start name %} and the like. */
export function templatedFilter(name: string, o: { type: 'date'; label: string; description: string }): LookmlNode {
  return block('filter', name, [bare('type', o.type), quoted('label', o.label), quoted('description', o.description)]);
}

/** A named list of fields (for drill_fields and explore field lists). */
export function fieldSet(name: string, fields: readonly string[]): LookmlNode {
  return block('set', name, [fieldList('fields', fields)]);
}

export function isTimeKind(kind: TableColumnKind): kind is 'date' | 'timestamp_tz' | 'timestamp_ntz' {
  return kind === 'date' || kind === 'timestamp_tz' || kind === 'timestamp_ntz';
}
