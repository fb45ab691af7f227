/**
 * What differs between the warehouses Airbyte's destinations write to: how the destination
 * names tables and columns (Snowflake upper-cases them, BigQuery and Postgres keep our lower
 * case), how they are quoted, the SQL types a value is cast to, and the few functions the
 * generated SQL needs. Every identifier in the generated LookML goes through here.
 */
import { configError } from '../../errors.js';
import type { TableColumnKind } from './tables.js';

export type DialectName = 'bigquery' | 'snowflake' | 'postgres';

export const DIALECTS: readonly DialectName[] = ['bigquery', 'snowflake', 'postgres'];

/** The scalar kinds the generated derived tables cast NULLs and keys to. */
export type SqlKind = Extract<TableColumnKind, 'string' | 'integer' | 'number' | 'date' | 'boolean'>;

export interface SqlDialect {
  readonly name: DialectName;
  /** A column of a final table, spelled and quoted as the destination created it. */
  column(name: string): string;
  /**
   * The destination's schema as this dialect's SQL spells it before `.table` (quoted, qualified by
   * database or project where allowed): the value of the schema constant in manifest.lkml.
   */
  schemaSql(schema: string): string;
  /** A final table, qualified by the schema as spelled by schemaSql (or a constant holding it). */
  table(schemaSql: string, table: string): string;
  /** The SQL type a value of this kind is cast to. */
  type(kind: SqlKind): string;
  /** LookML `datatype` of a timestamp without time zone (BigQuery stores it as DATETIME). */
  readonly timestampWithoutTimezoneDatatype: 'datetime' | 'timestamp';
  /** Whole days from a DATE expression to today. */
  daysSince(dateSql: string): string;
  /** Whole days from one DATE expression to another (positive when `to` is later). */
  daysBetween(fromSql: string, toSql: string): string;
  /** Today's date. */
  readonly currentDate: string;
  /** A JSON (jsonb, VARIANT, JSON) value as text, which every dialect can group by. */
  jsonText(sql: string): string;
  /**
   * A join that turns a JSON array column (a collection the stream keeps in one column, such as
   * DistributionRules' lines) into one row per element, named `alias`: appended after a FROM item.
   */
  jsonArrayRows(arraySql: string, alias: string): string;
  /** A scalar member of an element of jsonArrayRows, as text (SQL NULL when absent or JSON null). */
  jsonMemberText(alias: string, member: string): string;
  /** The last day of the month of a DATE expression. */
  monthEnd(dateSql: string): string;
}

function checkSchema(schema: string, allowDots: boolean): string[] {
  const parts = schema.split('.');
  const valid = /^[A-Za-z0-9_$-]+$/;
  if (!schema || parts.some((p) => !valid.test(p)) || (!allowDots && parts.length > 1)) {
    throw configError(
      `The schema ${JSON.stringify(schema)} is not valid here: use the destination's schema (dataset) name${
        allowDots ? ', optionally qualified by its database or project with a dot' : ''
      }, made of letters, digits, "_", "$" or "-".`,
    );
  }
  return parts;
}

const postgres: SqlDialect = {
  name: 'postgres',
  column: (name) => `"${name}"`,
  schemaSql: (schema) => checkSchema(schema, false).map((p) => `"${p}"`).join('.'),
  table: (schemaSql, table) => `${schemaSql}."${table}"`,
  type: (kind) => ({ string: 'VARCHAR', integer: 'BIGINT', number: 'DECIMAL', date: 'DATE', boolean: 'BOOLEAN' })[kind],
  timestampWithoutTimezoneDatatype: 'timestamp',
  daysSince: (date) => `(CURRENT_DATE - ${date})`,
  daysBetween: (from, to) => `(${to} - ${from})`,
  currentDate: 'CURRENT_DATE',
  jsonText: (sql) => `CAST(${sql} AS TEXT)`,
  // jsonb_array_elements returns one row per element in a column named value; ->> gives text,
  // NULL for a JSON null (PostgreSQL 15 manual, 9.16 JSON Functions and Operators).
  jsonArrayRows: (array, alias) => `CROSS JOIN LATERAL jsonb_array_elements(${array}) AS ${alias}`,
  jsonMemberText: (alias, member) => `(${alias}.value ->> '${jsonMember(member)}')`,
  // date_trunc gives a timestamp; + 1 month - 1 day, cast back to a date (9.9 Date/Time Functions).
  monthEnd: (date) => `CAST(DATE_TRUNC('month', ${date}) + INTERVAL '1 month' - INTERVAL '1 day' AS DATE)`,
};

/** Airbyte's Snowflake destination upper-cases schema, table and column names and quotes them. */
const snowflake: SqlDialect = {
  name: 'snowflake',
  column: (name) => `"${name.toUpperCase()}"`,
  schemaSql: (schema) => checkSchema(schema, true).map((p) => `"${p.toUpperCase()}"`).join('.'),
  table: (schemaSql, table) => `${schemaSql}."${table.toUpperCase()}"`,
  type: (kind) => ({ string: 'VARCHAR', integer: 'NUMBER', number: 'FLOAT', date: 'DATE', boolean: 'BOOLEAN' })[kind],
  timestampWithoutTimezoneDatatype: 'timestamp',
  daysSince: (date) => `DATEDIFF(day, ${date}, CURRENT_DATE())`,
  daysBetween: (from, to) => `DATEDIFF(day, ${from}, ${to})`,
  currentDate: 'CURRENT_DATE()',
  jsonText: (sql) => `TO_VARCHAR(${sql})`,
  // The Snowflake destination types arrays as ARRAY; LATERAL FLATTEN, as its reference shows it
  // after a comma in FROM, gives one row per element in its VALUE column (SQL reference: FLATTEN).
  // GET reads an object's member; cast to VARCHAR, a JSON null becomes SQL NULL ("Considerations for
  // semi-structured data stored in VARIANT", NULL values).
  jsonArrayRows: (array, alias) => `, LATERAL FLATTEN(INPUT => ${array}) AS ${alias}`,
  jsonMemberText: (alias, member) => `CAST(GET(${alias}.VALUE, '${jsonMember(member)}') AS VARCHAR)`,
  // LAST_DAY(date) is the last day of its month (SQL reference: LAST_DAY).
  monthEnd: (date) => `LAST_DAY(${date})`,
};

const bigquery: SqlDialect = {
  name: 'bigquery',
  column: (name) => `\`${name}\``,
  // One pair of backticks around project.dataset.table, as BigQuery documents for qualified names.
  schemaSql: (schema) => checkSchema(schema, true).join('.'),
  table: (schemaSql, table) => `\`${schemaSql}.${table}\``,
  type: (kind) => ({ string: 'STRING', integer: 'INT64', number: 'NUMERIC', date: 'DATE', boolean: 'BOOL' })[kind],
  timestampWithoutTimezoneDatatype: 'datetime',
  daysSince: (date) => `DATE_DIFF(CURRENT_DATE(), ${date}, DAY)`,
  daysBetween: (from, to) => `DATE_DIFF(${to}, ${from}, DAY)`,
  currentDate: 'CURRENT_DATE()',
  jsonText: (sql) => `TO_JSON_STRING(${sql})`,
  // The BigQuery destination types arrays as JSON: JSON_QUERY_ARRAY gives ARRAY<JSON>, UNNEST one row
  // per element; JSON_VALUE gives a scalar as STRING, NULL for a JSON null (GoogleSQL JSON functions).
  jsonArrayRows: (array, alias) => `CROSS JOIN UNNEST(JSON_QUERY_ARRAY(${array})) AS ${alias}`,
  jsonMemberText: (alias, member) => `JSON_VALUE(${alias}, '$.${jsonMember(member)}')`,
  // LAST_DAY(date) defaults to the month (GoogleSQL date functions: LAST_DAY).
  monthEnd: (date) => `LAST_DAY(${date})`,
};

/** A member name inside a JSON path or string literal: our snake_case column names only. */
function jsonMember(member: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(member)) throw new Error(`JSON member ${JSON.stringify(member)} must be a snake_case name`);
  return member;
}

export function sqlDialect(name: string): SqlDialect {
  switch (name) {
    case 'postgres':
      return postgres;
    case 'snowflake':
      return snowflake;
    case 'bigquery':
      return bigquery;
    default:
      throw configError(`Unknown SQL dialect ${JSON.stringify(name)}; use one of ${DIALECTS.join(', ')}.`);
  }
}

/** A text key made of several values, e.g. doc_entry || '-' || line_num, null-free for key columns. */
export function concatKey(dialect: SqlDialect, parts: readonly string[]): string {
  if (parts.length === 1) return parts[0]!;
  return parts.map((p) => `CAST(${p} AS ${dialect.type('string')})`).join(` || '-' || `);
}
