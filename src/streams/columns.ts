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
export const auditColumns: Record<string, JsonSchemaFragment> = {
  _b1_company_db: columnSchema('string', undefined, 'SAP Business One company database the record was read from.'),
  _b1_source_url: columnSchema('string', undefined, 'Canonical Service Layer URL of the entity the record came from.'),
  _b1_record_hash: columnSchema('string', undefined, 'SHA-256 of the source JSON of the record, to detect changes.'),
};

export const UPDATED_AT = 'updated_at';
export const PARENT_UPDATED_AT = 'parent_updated_at';
export const PARENT_RECORD_HASH = '_b1_parent_record_hash';

/** Loads a shipped schema file, schemas/streams/<name>.json; a stream without one (a configured entity set) starts with no columns. */
export function loadStreamSchema(schemaName: string | undefined): StreamSchema {
  if (schemaName === undefined) return { type: 'object', additionalProperties: true, properties: {} };
  return readSchema<StreamSchema>(`streams/${schemaName}.json`);
}

/** Column name of an SAP property in the given schema: its declared column, else the naming rule. */
export function columnOf(schema: StreamSchema, sapProperty: string): string {
  for (const [column, fragment] of Object.entries(schema.properties)) {
    if (fragment['x-b1-property'] === sapProperty) return column;
  }
  return snakeCase(sapProperty);
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
  Object.assign(properties, withoutColumn(base.properties, child.parentKeyColumn));
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
