/**
 * The columns of every stream: the SAP-derived columns listed in schemas/streams/, the columns
 * the connector derives (updated_at, the parent's key and stamp on child rows) and the audit
 * columns every record carries. Discover publishes them; read fills them.
 */
import { columnSchema, type JsonSchemaFragment, type StreamSchema } from '../json-schema.js';
import { readSchema } from '../schemas.js';
import { snakeCase } from '../metadata/naming.js';
import type { ChildStreamDefinition, StreamDefinition } from './definitions.js';

/**
 * Columns every record carries so that each row can be traced back to its source. When and in
 * which sync a record was read are Airbyte's own columns (_airbyte_extracted_at,
 * _airbyte_meta.sync_id), so the connector does not repeat them.
 */
export const auditColumns = {
  _b1_company_db: columnSchema('string', undefined, 'SAP Business One company database the record was read from.'),
  _b1_source_url: columnSchema('string', undefined, 'Canonical Service Layer URL of the entity the record came from.'),
  _b1_record_hash: columnSchema('string', undefined, 'SHA-256 of the source JSON of the record, to detect changes.'),
} satisfies Record<string, JsonSchemaFragment>;

export const UPDATED_AT = 'updated_at';
export const PARENT_UPDATED_AT = 'parent_updated_at';
export const PARENT_RECORD_HASH = '_b1_parent_record_hash';

/** Loads a shipped schema file, schemas/streams/<name>.json; a stream without one (a configured entity set) starts with no columns. */
export function loadStreamSchema(schemaName: string | undefined): StreamSchema {
  if (schemaName === undefined) return { type: 'object', additionalProperties: true, properties: {} };
  return readSchema<StreamSchema>(`streams/${schemaName}.json`);
}

/** Column name of an SAP property in the given schema: its declared column (under any of its spellings), else the naming rule. */
export function columnOf(schema: StreamSchema, sapProperty: string): string {
  for (const [column, fragment] of Object.entries(schema.properties)) {
    if (fragment['x-b1-property'] === sapProperty || fragment['x-b1-property-aliases']?.includes(sapProperty)) return column;
  }
  return snakeCase(sapProperty);
}

/** The primary key columns of a child stream: the parent's key, then the row's key within it. */
export function childKeyColumns(child: ChildStreamDefinition, childSchema: StreamSchema): string[] {
  const ownKey = child.nested
    ? [child.nested.lineKeyColumn, ...child.nested.key.map((p) => columnOf(childSchema, p))]
    : child.lineKey.map((p) => columnOf(childSchema, p));
  return [child.parentKeyColumn, ...ownKey];
}

/** The primary key column of a parent stream. */
export function parentKeyColumn(definition: StreamDefinition, schema: StreamSchema): string {
  return columnOf(schema, definition.primaryKey ?? definition.key);
}

export function parentStreamSchema(definition: StreamDefinition, base: StreamSchema = loadStreamSchema(definition.schema)): StreamSchema {
  const properties = { ...base.properties };
  if (definition.changeStamp) {
    properties[UPDATED_AT] = columnSchema(
      'timestamp_without_timezone',
      undefined,
      `When the record last changed, in the company's local time (${definition.changeStamp.dateProperty}${
        definition.changeStamp.timeProperty ? ` + ${definition.changeStamp.timeProperty}` : ''
      }).`,
    );
  }
  return { ...base, properties: { ...properties, ...auditColumns } };
}

export function childStreamSchema(
  definition: StreamDefinition,
  child: ChildStreamDefinition,
  base: StreamSchema = loadStreamSchema(child.schema),
  parentBase: StreamSchema = loadStreamSchema(definition.schema),
): StreamSchema {
  const properties: Record<string, JsonSchemaFragment> = {};
  const parentKey = parentBase.properties[columnOf(parentBase, definition.key)];
  properties[child.parentKeyColumn] = { ...(base.properties[child.parentKeyColumn] ?? parentKey ?? columnSchema('string')) };
  delete properties[child.parentKeyColumn]!['x-b1-property'];
  properties[child.parentKeyColumn]!.description = `Key of the parent record (${definition.entitySet} ${definition.key}).`;
  let own = withoutColumn(base.properties, child.parentKeyColumn);
  if (child.nested) {
    const { lineKeyColumn } = child.nested;
    properties[lineKeyColumn] = { ...(base.properties[lineKeyColumn] ?? columnSchema('integer')) };
    delete properties[lineKeyColumn]!['x-b1-property'];
    properties[lineKeyColumn]!.description = `Key of the ${child.collection} row this row belongs to (its ${child.lineKey.join(', ')}).`;
    own = withoutColumn(own, lineKeyColumn);
  }
  Object.assign(properties, own);
  if (definition.changeStamp) {
    properties[PARENT_UPDATED_AT] = columnSchema(
      'timestamp_without_timezone',
      undefined,
      "updated_at of the parent record when this row was read. A row whose parent_updated_at is older than its parent's updated_at was removed from the parent.",
    );
  }
  properties[PARENT_RECORD_HASH] = columnSchema(
    'string',
    undefined,
    "The parent's _b1_record_hash when this row was read; rows of the parent's current version share it.",
  );
  return { ...base, properties: { ...properties, ...auditColumns } };
}

function withoutColumn(properties: Record<string, JsonSchemaFragment>, column: string): Record<string, JsonSchemaFragment> {
  const { [column]: _dropped, ...rest } = properties;
  return rest;
}
