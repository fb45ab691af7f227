/**
 * Derived-table views: a view over generator-written SQL instead of a final table. Their output
 * columns are unquoted lower-case aliases, which every dialect resolves the same way when
 * referenced unquoted (Snowflake folds both sides to upper case). With --persist they become
 * persistent derived tables rebuilt when the sync datagroup triggers, unless their SQL reads a
 * templated filter: Looker cannot persist those.
 */
import type { DerivedView, GeneratorContext, SubjectContribution } from './context.js';
import { concatKey, type SqlKind } from './dialect.js';
import { dimension, dimensionGroup, ID_FORMAT, type DimensionOptions } from './fields.js';
import { buildJoins, type JoinSpec } from './joins.js';
import { bare, block, comment, quoted, sqlParam, type LookmlNode } from './lookml-text.js';
import { masterDataJoins } from './master-joins.js';

export function derivedTableView(ctx: GeneratorContext, name: string, description: string, sql: string, fields: LookmlNode[]): DerivedView {
  const derivedTable: LookmlNode[] = [sqlParam('sql', sql)];
  if (ctx.persistWith) derivedTable.push(bare('datagroup_trigger', ctx.persistWith));
  return { name, body: [comment(description), block('derived_table', undefined, derivedTable), ...fields] };
}

export interface DerivedExplore {
  name: string;
  view: string;
  label: string;
  description: string;
  viewDescription: string;
  sql: string;
  fields: LookmlNode[];
  joins: LookmlNode[];
  /** Explore parameters written after the description (always_filter, sql_always_where...). */
  parameters?: LookmlNode[];
}

/** A subject area's derived-table view and the explore built on it, added to its contribution. */
export function addDerivedExplore(contribution: SubjectContribution, ctx: GeneratorContext, explore: DerivedExplore): void {
  contribution.derivedViews.push(derivedTableView(ctx, explore.view, explore.viewDescription, explore.sql, explore.fields));
  contribution.explores.push({
    name: explore.name,
    node: block('explore', explore.name, [
      bare('view_name', explore.view),
      quoted('label', explore.label),
      quoted('description', explore.description),
      ...(explore.parameters ?? []),
      ...explore.joins,
    ]),
  });
}

/**
 * A derived explore whose joins are built from specs (those the catalog cannot satisfy are left
 * out, with a note), added to the contribution.
 */
export function addDerivedExploreJoining(contribution: SubjectContribution, ctx: GeneratorContext, explore: Omit<DerivedExplore, 'joins'>, specs: readonly JoinSpec[]): void {
  const joins = buildJoins(ctx, explore.name, specs);
  contribution.notes.push(...joins.notes);
  addDerivedExplore(contribution, ctx, { ...explore, joins: joins.nodes });
}

/**
 * An explore of a derived table with a row per item and warehouse (stock rows, batches, month
 * ends), joined to the item, its group and the warehouse.
 */
export function addItemWarehouseExplore(contribution: SubjectContribution, ctx: GeneratorContext, explore: Omit<DerivedExplore, 'joins'>): void {
  addDerivedExploreJoining(contribution, ctx, explore, masterDataJoins({ baseView: explore.view, item: 'item_code', warehouse: 'warehouse_code' }));
}

/**
 * The keys of a derived table of document lines from several kinds of documents: a line is unique
 * by kind, document and line number, a document by kind and document.
 */
export function documentLineKeys(ctx: GeneratorContext, extraKeySql: readonly string[] = []): LookmlNode[] {
  const t = derivedColumnSql;
  return [
    rowKeyDimension(ctx, 'Unique key of the row.', [t('document_kind'), t('doc_entry'), t('line_num'), ...extraKeySql]),
    dimension('document_key', {
      type: 'string',
      hidden: true,
      label: 'Document key',
      description: 'Document kind and internal key as one value.',
      sql: concatKey(ctx.dialect, [t('document_kind'), t('doc_entry')]),
    }),
  ];
}

/** The hidden primary key of a derived view: several values as one text value. */
export function rowKeyDimension(ctx: GeneratorContext, description: string, partsSql: readonly string[], name = 'row_key'): LookmlNode {
  return dimension(name, { type: 'string', primaryKey: true, hidden: true, label: humanKeyLabel(name), description, sql: concatKey(ctx.dialect, partsSql) });
}

const humanKeyLabel = (name: string) => name.charAt(0).toUpperCase() + name.slice(1).replace(/_/g, ' ');

export interface Bucket {
  label: string;
  /** SQL condition; the first bucket whose condition holds is the row's. */
  when: string;
}

/**
 * A bucket dimension (aging, age, expiry) and its hidden sort order, `<name>_order`: each row's
 * label is the first bucket whose condition holds, else `otherwise`.
 */
export function bucketDimensions(name: string, o: { label: string; groupLabel: string; description: string; buckets: readonly Bucket[]; otherwise: string }): LookmlNode[] {
  const caseOf = (value: (label: string, i: number) => string, last: string) => `CASE ${o.buckets.map((b, i) => `WHEN ${b.when} THEN ${value(b.label, i)}`).join(' ')} ELSE ${last} END`;
  return [
    dimension(name, { type: 'string', label: o.label, groupLabel: o.groupLabel, description: o.description, orderByField: `${name}_order`, sql: caseOf((label) => `'${label}'`, `'${o.otherwise}'`) }),
    dimension(`${name}_order`, { type: 'number', hidden: true, label: `${o.label} order`, description: 'Sort order of the buckets.', sql: caseOf((_l, i) => String(i), String(o.buckets.length)) }),
  ];
}

/** The item and warehouse of a row of stock (derived columns item_code and warehouse_code). */
export function itemWarehouseFields(ctx: GeneratorContext, of: string): LookmlNode[] {
  return [
    derivedField(ctx, 'item_code', 'string', { label: 'Item code', groupLabel: 'Stock', description: `Item of the ${of} (ItemCode).` }),
    derivedField(ctx, 'warehouse_code', 'string', { label: 'Warehouse code', groupLabel: 'Stock', description: `Warehouse of the ${of} (WarehouseCode).` }),
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
      groupLabel: o.groupLabel,
      description: o.description,
    });
  }
  const type = kind === 'string' ? 'string' : kind === 'boolean' ? 'yesno' : 'number';
  return dimension(alias, { ...o, type, sql, valueFormatName: o.valueFormatName ?? (kind === 'integer' && !o.valueFormat ? ID_FORMAT : undefined) });
}

/** Indents every line of SQL, for nesting a query in another. */
export function indentSql(sql: string, by = '  '): string {
  return sql
    .split('\n')
    .map((line) => `${by}${line}`)
    .join('\n');
}
