/**
 * The explicit mapping from a Service Layer record to the record the image emits: one AddFields
 * entry per column, each writing the column's value under a scratch object, and a
 * DpathFlattenFields that makes that object the record (replace_record drops every Service Layer
 * property, including those a line has but no column reads). Column names come from the catalog,
 * never from a key-case rule, so they are the image's names.
 *
 * AddFields evaluates its fields in order against the record as it is being changed
 * (add_fields.py, transform: each value is set with dpath.new before the next is evaluated), so
 * the record hash is the first field, computed over the record exactly as the Service Layer sent
 * it. A line stream's record is one line with its parent under original_record
 * (RecordExpander, remain_original_record); its parent hash is computed over that copy, which is
 * the record the parent stream hashed, because both streams send the same request.
 */
import { PARENT_RECORD_HASH } from '../streams/columns.js';
import type { ChildStreamDefinition, StreamDefinition } from '../streams/definitions.js';
import type { Component } from './components.js';
import type { ColumnPlan } from '../streams/records.js';
import { configPath, exactValue, pyString, recordProperty } from './jinja.js';
import { columnValueTemplate, nestedRowsTemplate, timestampTemplate } from './values.js';

/** The scratch object the columns are written to before it replaces the record. */
export const OUTPUT_FIELD = '_b1_out';
/** Where RecordExpander puts the parent of an expanded line (record_expander.py). */
export const ORIGINAL_RECORD = 'original_record';

const RECORD_HASH = '_b1_record_hash';

interface FieldContext {
  definition: StreamDefinition;
  /** The child stream the record is a row of, or undefined for the parent stream. */
  child: ChildStreamDefinition | undefined;
}

function parentRecord(context: FieldContext): string {
  return context.child ? `record[${pyString(ORIGINAL_RECORD)}]` : 'record';
}

/** The own record of a line, without the parent copy the expander added. */
function ownRecord(context: FieldContext): string {
  return context.child ? `(record.items()|rejectattr('0', 'equalto', ${pyString(ORIGINAL_RECORD)})|list)` : 'record';
}

/** The canonical URL of the record's entity, as the image builds it (engine.ts sourceUrlOf). */
function sourceUrlTemplate(context: FieldContext): string {
  const quote = pyString("'");
  const literal = `((key ~ '') if key is number else (${quote} ~ (key ~ '')|replace(${quote}, ${pyString("''")}) ~ ${quote}))`;
  const root = `${configPath('service_layer_url')}.strip().rstrip('/')`;
  return (
    `{% set key = ${recordProperty(context.definition.key, parentRecord(context))} %}` +
    exactValue(`${root} ~ ${pyString(`/${context.definition.entitySet}(`)} ~ ${literal} ~ ')'`)
  );
}

/** The value template of one column, or undefined when the engine has nothing to put there. */
export function columnTemplate(column: ColumnPlan, context: FieldContext): string | undefined {
  const source = column.source;
  const stamp = context.definition.changeStamp;
  switch (source.kind) {
    case 'sap': {
      const value = recordProperty(source.property);
      return nestedRowsTemplate(value, column.schema) ?? columnValueTemplate(value, column.schema);
    }
    case 'updated_at':
    case 'parent_updated_at': {
      if (!stamp) return undefined;
      const parent = parentRecord(context);
      const time = stamp.timeProperty === undefined ? undefined : recordProperty(stamp.timeProperty, parent);
      return timestampTemplate(recordProperty(stamp.dateProperty, parent), time);
    }
    case 'parent_key':
      return columnValueTemplate(recordProperty(context.definition.key, parentRecord(context)), column.schema);
    case 'line_key':
      // The expander keeps the parent but not the line a nested row came from; the row repeats its
      // line's key in its own property (a batch allocation's BaseLineNumber is its line's LineNum).
      return context.child?.nested ? columnValueTemplate(recordProperty(context.child.nested.lineKeyProperty), column.schema) : undefined;
    case 'parent_hash':
      return exactValue(`${parentRecord(context)}|hash('sha256')`);
    case 'audit':
      switch (source.name) {
        case '_b1_record_hash':
          return exactValue(`${ownRecord(context)}|hash('sha256')`);
        case '_b1_company_db':
          return exactValue(`config['credentials'].get('company_db')`);
        case '_b1_source_url':
          return sourceUrlTemplate(context);
      }
  }
}

/** The AddFields and DpathFlattenFields that shape a stream's records. */
export function recordTransformations(columns: readonly ColumnPlan[], context: FieldContext): Component[] {
  // The hashes first, while the record is still exactly what the Service Layer sent.
  const first = (column: ColumnPlan): number => (column.column === RECORD_HASH || column.column === PARENT_RECORD_HASH ? 0 : 1);
  const ordered = [...columns].sort((a, b) => first(a) - first(b));
  const fields: Component[] = [];
  for (const column of ordered) {
    const value = columnTemplate(column, context);
    if (value === undefined) continue;
    fields.push({ type: 'AddedFieldDefinition', path: [OUTPUT_FIELD, column.column], value });
  }
  return [
    { type: 'AddFields', fields },
    { type: 'DpathFlattenFields', field_path: [OUTPUT_FIELD], replace_record: true },
  ];
}
