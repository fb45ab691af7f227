/**
 * One view per stream, over the final table the destination made of it: a dimension per column,
 * typed from the stream's JSON schema, time columns as dimension groups, the stream's primary
 * key as the view's primary key (several key columns concatenated), a row count, and whatever
 * measures the subject areas add for that stream.
 */
import { concatKey } from './dialect.js';
import { tableColumn, tableSql, type GeneratorContext } from './context.js';
import { dimension, dimensionGroup, isTimeKind, measure, timeFieldNames } from './fields.js';
import { block, comment, sqlParam, type LookmlNode } from './lookml-text.js';
import type { DestinationTable, TableColumn } from './tables.js';

/** Name of the hidden key dimension of a view whose stream has a compound primary key. */
export const COMPOUND_KEY = 'compound_key';

const TIME_SUFFIXES = ['_date', '_at'];

/** Columns kept out of the field picker: sync bookkeeping, not business data. */
function isTechnical(column: string): boolean {
  return (column.startsWith('_b1_') || column.startsWith('_airbyte_') || column === 'parent_updated_at') && column !== '_airbyte_extracted_at';
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

function columnField(ctx: GeneratorContext, table: DestinationTable, column: TableColumn, taken: Set<string>): LookmlNode {
  const hidden = isTechnical(column.name);
  const groupLabel = column.airbyteMetadata || column.name.startsWith('_b1_') ? 'Sync metadata' : undefined;
  const sql = tableColumn(ctx, column.name);
  if (isTimeKind(column.kind)) {
    const name = groupName({ ...column, kind: column.kind }, taken);
    for (const n of [name, ...timeFieldNames(name, column.kind)]) taken.add(n);
    return dimensionGroup(ctx.dialect, name, { kind: column.kind, sql, hidden, groupLabel, description: column.description });
  }
  const singleKey = table.primaryKey.length === 1 && table.primaryKey[0] === column.name;
  const common = { hidden, groupLabel, description: column.description, primaryKey: singleKey };
  switch (column.kind) {
    case 'integer':
      return dimension(column.name, { ...common, type: 'number', sql, valueFormatName: isIdentifier(column.name, table) ? 'id' : undefined });
    case 'number':
      return dimension(column.name, { ...common, type: 'number', sql });
    case 'boolean':
      return dimension(column.name, { ...common, type: 'yesno', sql });
    case 'json':
      return dimension(column.name, { ...common, type: 'string', sql: ctx.dialect.jsonText(sql) });
    default:
      return dimension(column.name, { ...common, type: 'string', sql });
  }
}

/** The name of a view's row-count measure (count, unless a column is already called that). */
export function countMeasureName(table: DestinationTable): string {
  return table.columns.has('count') ? 'row_count' : 'count';
}

export function streamView(ctx: GeneratorContext, table: DestinationTable, extraFields: readonly LookmlNode[]): LookmlNode[] {
  const body: LookmlNode[] = [sqlParam('sql_table_name', tableSql(ctx, table.name))];
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
        description: `The stream's primary key (${table.primaryKey.join(', ')}) as one value.`,
        sql: concatKey(
          ctx.dialect,
          table.primaryKey.map((c) => tableColumn(ctx, c)),
        ),
      }),
    );
  }
  for (const column of table.columns.values()) body.push(columnField(ctx, table, column, taken));
  body.push(measure(countName, { type: 'count', label: `Number of ${table.name.replace(/_/g, ' ')}` }));
  for (const field of extraFields) {
    if (field.kind === 'block' && field.name !== undefined) {
      if (taken.has(field.name)) throw new Error(`Field ${field.name} added to view ${table.name} collides with an existing field.`);
      taken.add(field.name);
    }
    body.push(field);
  }
  return [comment(`Final table of the ${table.name} stream, as Airbyte's destination writes it.`), block('view', table.name, body)];
}
