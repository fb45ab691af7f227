/**
 * Derived-table views: a view over generator-written SQL instead of a final table. Their output
 * columns are unquoted lower-case aliases, which every dialect resolves the same way when
 * referenced unquoted (Snowflake folds both sides to upper case).
 */
import type { DerivedView, GeneratorContext, SubjectContribution } from './context.js';
import { concatKey, type SqlKind } from './dialect.js';
import { dimension, dimensionGroup, type DimensionOptions } from './fields.js';
import { bare, block, comment, quoted, sqlParam, type LookmlNode } from './lookml-text.js';

export function derivedTableView(ctx: GeneratorContext, name: string, description: string, sql: string, fields: LookmlNode[]): DerivedView {
  const derivedTable: LookmlNode[] = [sqlParam('sql', sql)];
  if (ctx.persistWith) derivedTable.push(bare('datagroup_trigger', ctx.persistWith));
  return { name, body: [comment(description), block('derived_table', undefined, derivedTable), ...fields] };
}

/** A subject area's derived-table view and the explore built on it, added to its contribution. */
export function addDerivedExplore(
  contribution: SubjectContribution,
  ctx: GeneratorContext,
  explore: {
    name: string;
    view: string;
    label: string;
    description: string;
    viewDescription: string;
    sql: string;
    fields: LookmlNode[];
    joins: LookmlNode[];
  },
): void {
  contribution.derivedViews.push(derivedTableView(ctx, explore.view, explore.viewDescription, explore.sql, explore.fields));
  contribution.explores.push(
    block('explore', explore.name, [
      bare('view_name', explore.view),
      quoted('label', explore.label),
      quoted('description', explore.description),
      ...explore.joins,
    ]),
  );
}

/**
 * The keys of a derived table of document lines from several kinds of documents: a line is unique
 * by kind, document and line number, a document by kind and document.
 */
export function documentLineKeys(ctx: GeneratorContext): LookmlNode[] {
  const t = derivedColumnSql;
  return [
    dimension('line_key', {
      type: 'string',
      primaryKey: true,
      hidden: true,
      sql: concatKey(ctx.dialect, [t('document_kind'), t('doc_entry'), t('line_num')]),
    }),
    dimension('document_key', { type: 'string', hidden: true, sql: concatKey(ctx.dialect, [t('document_kind'), t('doc_entry')]) }),
  ];
}

/** A derived column, referenced as ${TABLE}.alias. */
export function derivedColumnSql(alias: string): string {
  return `\${TABLE}.${alias}`;
}

export interface DerivedFieldOptions extends Partial<Omit<DimensionOptions, 'type' | 'sql'>> {
  /** Dimension-group name for a date column (defaults to the alias without _date). */
  groupName?: string;
}

/** The dimension (or dimension group, for dates) of a derived column. */
export function derivedField(ctx: GeneratorContext, alias: string, kind: SqlKind, o: DerivedFieldOptions = {}): LookmlNode {
  const sql = derivedColumnSql(alias);
  if (kind === 'date') {
    return dimensionGroup(ctx.dialect, o.groupName ?? alias.replace(/_date$/, ''), {
      kind: 'date',
      sql,
      hidden: o.hidden,
      label: o.label,
      description: o.description,
    });
  }
  const type = kind === 'string' ? 'string' : kind === 'boolean' ? 'yesno' : 'number';
  return dimension(alias, { ...o, type, sql, valueFormatName: o.valueFormatName ?? (kind === 'integer' ? 'id' : undefined) });
}
