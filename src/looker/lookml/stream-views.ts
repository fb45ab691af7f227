/**
 * One view per stream, over the final table the destination made of it: a dimension per column,
 * typed from the stream's JSON schema, time columns as dimension groups, the stream's primary
 * key as the view's primary key (several key columns concatenated), a row count that drills into
 * the view's curated fields, and whatever measures the subject areas add for that stream.
 *
 * The curated columns (field-catalog.ts) and user-defined fields are shown with a human label and
 * a description; every other column is hidden from the field picker but stays in the view.
 */
import { streamSchemaNames } from '../../streams/relations.js';
import { concatKey } from './dialect.js';
import { tableColumn, tableSql, type GeneratorContext } from './context.js';
import { curatedColumn, humanLabel, isUserDefined, type ColumnPresentation } from './field-catalog.js';
import { amountOptions, dimension, dimensionGroup, fieldSet, ID_FORMAT, isTimeKind, measure, QUANTITY_FORMAT, timeFieldNames, type DimensionOptions } from './fields.js';
import { block, comment, fieldList, sqlParam, type LookmlNode } from './lookml-text.js';
import type { DestinationTable, TableColumn } from './tables.js';

/** Name of the hidden key dimension of a view whose stream has a compound primary key. */
export const COMPOUND_KEY = 'compound_key';
/** The set of a stream view's curated fields that its count (and subject measures) drill into. */
export const DETAIL_SET = 'detail';

const TIME_SUFFIXES = ['_date', '_at'];

/** Columns that are sync bookkeeping, not business data. */
function isTechnical(column: string): boolean {
  return column.startsWith('_b1_') || column.startsWith('_airbyte_') || column === 'parent_updated_at';
}

/** Integer codes and keys are shown without thousands separators. */
function isIdentifier(column: string, table: DestinationTable): boolean {
  return table.primaryKey.includes(column) || /(_entry|_num|_id|_code|^number|^series|^jdt_num)$/.test(column);
}

/** The name of the dimension group for a time column: doc_date -> doc, updated_at -> updated, unless that collides. */
function groupName(column: TableColumn & { kind: 'date' | 'timestamp_tz' | 'timestamp_ntz' }, taken: Set<string>): string {
  const candidates = TIME_SUFFIXES.filter((s) => column.name.endsWith(s) && column.name.length > s.length).map((s) => column.name.slice(0, -s.length));
  for (const candidate of [...candidates, column.name]) {
    const names = [candidate, ...timeFieldNames(candidate, column.kind)];
    if (names.every((n) => !taken.has(n))) return candidate;
  }
  throw new Error(`Cannot name the dimension group of column ${column.name} without colliding with another field.`);
}

/** How a column is shown: curated, user-defined (shown), or hidden with a plain label. */
function presentation(schema: string | undefined, table: DestinationTable, column: TableColumn): ColumnPresentation & { hidden: boolean } {
  const curated = curatedColumn(schema, column.name);
  if (curated) return { ...curated, hidden: false };
  if (isUserDefined(column.name)) {
    return { label: humanLabel(column.name), description: column.description ?? `User-defined field of ${table.name}.`, group: 'User-defined fields', hidden: false };
  }
  if (schema === undefined && !isTechnical(column.name)) {
    // A configured entity set: nothing is known about its columns beyond $metadata, so all show.
    return { label: humanLabel(column.name), description: column.description ?? `Column ${column.name} of the ${table.name} stream.`, hidden: false };
  }
  return {
    label: humanLabel(column.name),
    description: column.description ?? `Column ${column.name} of the ${table.name} stream.`,
    ...(column.airbyteMetadata || column.name.startsWith('_b1_') ? { group: 'Sync metadata' } : {}),
    hidden: true,
  };
}

function columnField(ctx: GeneratorContext, schema: string | undefined, table: DestinationTable, column: TableColumn, taken: Set<string>): { node: LookmlNode; visibleNames: string[] } {
  const shown = presentation(schema, table, column);
  const display = { hidden: shown.hidden, label: shown.label, groupLabel: shown.group, description: shown.description };
  const sql = tableColumn(ctx, column.name);
  if (isTimeKind(column.kind)) {
    const name = groupName({ ...column, kind: column.kind }, taken);
    for (const n of [name, ...timeFieldNames(name, column.kind)]) taken.add(n);
    return { node: dimensionGroup(ctx.dialect, name, { kind: column.kind, sql, ...display }), visibleNames: shown.hidden ? [] : [`${name}_date`] };
  }
  const singleKey = table.primaryKey.length === 1 && table.primaryKey[0] === column.name;
  const common = { ...display, primaryKey: singleKey };
  const format: Partial<DimensionOptions> =
    shown.format === 'amount' ? amountOptions(ctx.amount) : shown.format === 'quantity' ? { valueFormat: QUANTITY_FORMAT } : {};
  let node: LookmlNode;
  switch (column.kind) {
    case 'integer':
      node = dimension(column.name, { ...common, type: 'number', sql, valueFormatName: shown.format === 'id' || isIdentifier(column.name, table) ? ID_FORMAT : undefined });
      break;
    case 'number':
      node = dimension(column.name, { ...common, ...format, type: 'number', sql });
      break;
    case 'boolean':
      node = dimension(column.name, { ...common, type: 'yesno', sql });
      break;
    case 'json':
      node = dimension(column.name, { ...common, type: 'string', sql: ctx.dialect.jsonText(sql) });
      break;
    default:
      node = dimension(column.name, { ...common, type: 'string', sql });
  }
  return { node, visibleNames: shown.hidden ? [] : [column.name] };
}

/** The name of a view's row-count measure (count, unless a column is already called that). */
export function countMeasureName(table: DestinationTable): string {
  return table.columns.has('count') ? 'row_count' : 'count';
}

export function streamView(ctx: GeneratorContext, table: DestinationTable, extraFields: readonly LookmlNode[]): LookmlNode[] {
  const schema = streamSchemaNames().get(table.name);
  // A table that keeps every sync's copy is seen as of the latest sync (see tableSql).
  const body: LookmlNode[] = [table.keepsHistory ? block('derived_table', undefined, [sqlParam('sql', `SELECT * FROM ${tableSql(ctx, table.name)} AS latest`)]) : sqlParam('sql_table_name', tableSql(ctx, table.name))];
  const taken = new Set<string>([...table.columns.values()].filter((c) => !isTimeKind(c.kind)).map((c) => c.name));
  const countName = countMeasureName(table);
  taken.add(countName);

  const singleKeyColumn = table.primaryKey.length === 1 ? table.columns.get(table.primaryKey[0]!) : undefined;
  if (!singleKeyColumn || isTimeKind(singleKeyColumn.kind)) {
    if (taken.has(COMPOUND_KEY)) throw new Error(`Stream ${table.name} has a column named ${COMPOUND_KEY}, the generator's key dimension name.`);
    taken.add(COMPOUND_KEY);
    body.push(
      dimension(COMPOUND_KEY, {
        type: 'string',
        primaryKey: true,
        hidden: true,
        label: 'Row key',
        description: `The stream's primary key (${table.primaryKey.join(', ')}) as one value.`,
        sql: concatKey(
          ctx.dialect,
          table.primaryKey.map((c) => tableColumn(ctx, c)),
        ),
      }),
    );
  }
  const visible: string[] = [];
  for (const column of table.columns.values()) {
    const field = columnField(ctx, schema, table, column, taken);
    body.push(field.node);
    visible.push(...field.visibleNames);
  }
  const detail = visible.slice(0, 12);
  if (detail.length) {
    if (taken.has(DETAIL_SET)) throw new Error(`Stream ${table.name} has a field named ${DETAIL_SET}, the generator's drill set name.`);
    body.push(fieldSet(DETAIL_SET, detail), fieldList('drill_fields', [`${DETAIL_SET}*`]));
  }
  body.push(
    measure(countName, {
      type: 'count',
      label: `Number of ${table.name.replace(/_/g, ' ')}`,
      description: `Rows of the ${table.name} stream.`,
      ...(detail.length ? { drillFields: [`${DETAIL_SET}*`] } : {}),
    }),
  );
  for (const field of extraFields) {
    if (field.kind === 'block' && field.name !== undefined && field.key !== 'set') {
      if (taken.has(field.name)) throw new Error(`Field ${field.name} added to view ${table.name} collides with an existing field.`);
      taken.add(field.name);
    }
    body.push(field);
  }
  return [comment(`Final table of the ${table.name} stream, as Airbyte's destination writes it.`), block('view', table.name, body)];
}
