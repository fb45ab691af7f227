/**
 * What every part of the generator shares: the dialect, how SQL names the destination schema, the
 * tables the catalog has, the stream table's parent/child relations, the currency format and the
 * persistence of derived tables, and the pieces each subject area (margin, ledger...) contributes
 * to the project. Subjects ask here whether a table or column exists, so that a stream the user
 * deselected never becomes a reference to a view that is not there.
 */
import type { StreamRelation } from '../../streams/relations.js';
import type { SqlDialect } from './dialect.js';
import type { AmountFormat } from './fields.js';
import type { LookmlNode } from './lookml-text.js';
import { EXTRACTED_AT, type DestinationTable } from './tables.js';

export interface GeneratorContext {
  dialect: SqlDialect;
  /** How SQL names the destination schema: the manifest constant, e.g. @{SAP_B1_SCHEMA}. */
  schemaSql: string;
  tables: ReadonlyMap<string, DestinationTable>;
  relations: readonly StreamRelation[];
  /** Format of amounts in the company's local currency. */
  amount: AmountFormat;
  /** The datagroup that derived tables persist with, when they are persisted at all. */
  persistWith: string | undefined;
}

/** A view that is not a stream's table: a derived table (SQL over the final tables). */
export interface DerivedView {
  name: string;
  body: LookmlNode[];
}

/** An explore and the name of the file it is written to (without folder and extension). */
export interface ExploreFile {
  name: string;
  node: LookmlNode;
}

/** What a subject area adds to the project. */
export interface SubjectContribution {
  derivedViews: DerivedView[];
  explores: ExploreFile[];
  /** Measures, dimensions and sets added to stream views, by view (stream) name. */
  viewFields: { view: string; fields: LookmlNode[] }[];
  /** What was left out and why; written as comments in the explore files and printed. */
  notes: string[];
}

export function emptyContribution(): SubjectContribution {
  return { derivedViews: [], explores: [], viewFields: [], notes: [] };
}

export function hasTable(ctx: GeneratorContext, table: string): boolean {
  return ctx.tables.has(table);
}

export function hasColumns(ctx: GeneratorContext, table: string, columns: readonly string[]): boolean {
  const t = ctx.tables.get(table);
  return t !== undefined && columns.every((c) => t.columns.has(c));
}

/** Which of the columns the table lacks (all of them when the table is missing). */
export function missingColumns(ctx: GeneratorContext, table: string, columns: readonly string[]): string[] {
  const t = ctx.tables.get(table);
  return t === undefined ? [...columns] : columns.filter((c) => !t.columns.has(c));
}

/** A final table as the destination stores it, schema-qualified and quoted for the dialect. */
export function storedTableSql(ctx: GeneratorContext, table: string): string {
  return ctx.dialect.table(ctx.schemaSql, table);
}

/**
 * A final table as of the latest sync, for use in FROM: the table itself, or, when the catalog
 * appends every sync's copy (see DestinationTable.keepsHistory), each key's latest copy. A row the
 * source removed stays as its key's latest copy; stream relations (current-rows.ts) drop the
 * child rows their parent no longer holds.
 */
export function tableSql(ctx: GeneratorContext, table: string): string {
  const stored = storedTableSql(ctx, table);
  const t = ctx.tables.get(table);
  if (!t?.keepsHistory) return stored;
  const key = t.primaryKey.map((c) => columnSql(ctx, 'k', c)).join(', ');
  return `(SELECT h.* FROM (SELECT k.*, ROW_NUMBER() OVER (PARTITION BY ${key} ORDER BY ${columnSql(ctx, 'k', EXTRACTED_AT)} DESC) AS b1_copy_rank FROM ${stored} AS k) AS h WHERE h.b1_copy_rank = 1)`;
}

/** A column of a final table under a SQL alias, e.g. l."line_total". */
export function columnSql(ctx: GeneratorContext, alias: string, column: string): string {
  return `${alias}.${ctx.dialect.column(column)}`;
}

/** A column of the view's own table in LookML, e.g. ${TABLE}."line_total". */
export function tableColumn(ctx: GeneratorContext, column: string): string {
  return `\${TABLE}.${ctx.dialect.column(column)}`;
}

/** A column of a final table when the catalog has it, else a typed NULL. */
export function columnOrNull(ctx: GeneratorContext, table: string, alias: string, column: string, kind: Parameters<SqlDialect['type']>[0]): string {
  return hasColumns(ctx, table, [column]) ? columnSql(ctx, alias, column) : `CAST(NULL AS ${ctx.dialect.type(kind)})`;
}
