/**
 * What every part of the generator shares: the dialect, the destination schema, the tables the
 * catalog has, and the pieces each subject area (margin, purchasing, ledger...) contributes to
 * the project. Subjects ask here whether a table or column exists, so that a stream the user
 * deselected never becomes a reference to a view that is not there.
 */
import type { SqlDialect } from './dialect.js';
import type { LookmlNode } from './lookml-text.js';
import type { DestinationTable } from './tables.js';

export interface GeneratorContext {
  dialect: SqlDialect;
  schema: string;
  tables: ReadonlyMap<string, DestinationTable>;
  /** The datagroup that derived tables persist with, when they are persisted at all. */
  persistWith: string | undefined;
}

/** A view that is not a stream's table: a derived table (SQL over the final tables). */
export interface DerivedView {
  name: string;
  body: LookmlNode[];
}

/** What a subject area adds to the project. */
export interface SubjectContribution {
  derivedViews: DerivedView[];
  explores: LookmlNode[];
  /** Measures and dimensions added to stream views, by view (stream) name. */
  viewFields: { view: string; fields: LookmlNode[] }[];
  /** What was left out and why; written as comments in the model file. */
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

/** A final table, schema-qualified and quoted for the dialect. */
export function tableSql(ctx: GeneratorContext, table: string): string {
  return ctx.dialect.table(ctx.schema, table);
}

/** A column of a final table under a SQL alias, e.g. l."line_total". */
export function columnSql(ctx: GeneratorContext, alias: string, column: string): string {
  return `${alias}.${ctx.dialect.column(column)}`;
}

/** A column of the view's own table in LookML, e.g. ${TABLE}."line_total". */
export function tableColumn(ctx: GeneratorContext, column: string): string {
  return `\${TABLE}.${ctx.dialect.column(column)}`;
}
