/**
 * The JSON Schema the connector reads and writes, in one type for any node of it: a column of a
 * stream's schema (schemas/streams/, the company's $metadata, a configured catalog), a stream's
 * whole schema, and the config form (schemas/spec.json). Also the one place where the column types
 * the connector emits are written down, following Airbyte's type conventions
 * (docs.airbyte.com/understanding-airbyte/supported-data-types): every column is nullable, because
 * the Service Layer omits or nulls any field a record does not fill.
 */
export interface JsonSchemaFragment {
  type?: string | string[];
  format?: string;
  airbyte_type?: string;
  description?: string;
  properties?: Record<string, JsonSchemaFragment>;
  items?: JsonSchemaFragment;
  required?: string[];
  oneOf?: JsonSchemaFragment[];
  const?: unknown;
  default?: unknown;
  pattern?: string;
  airbyte_secret?: boolean;
  /** The SAP property a column comes from, so that a selected snake_case column maps back to `$select`. */
  'x-b1-property'?: string;
  /**
   * The other spellings of that property on other Service Layer versions: OData v4 forbids a
   * property named like its type, so /b1s/v2 calls BatchNumber.BatchNumber BatchNumberProperty.
   */
  'x-b1-property-aliases'?: string[];
  [keyword: string]: unknown;
}

/** The schema of a stream's records: an object whose properties are its columns. */
export interface StreamSchema extends JsonSchemaFragment {
  type: 'object';
  properties: Record<string, JsonSchemaFragment>;
}

/** The Airbyte column types this connector emits. */
export type ColumnKind =
  'string' | 'integer' | 'number' | 'boolean' | 'date' | 'time_without_timezone' | 'timestamp_without_timezone' | 'array' | 'object';

/** The schema of a column of a kind; sapName is the SAP property it comes from, absent for columns the connector derives. */
export function columnSchema(kind: ColumnKind, sapName?: string, description?: string): JsonSchemaFragment {
  const schema = ((): JsonSchemaFragment => {
    switch (kind) {
      case 'date':
        return { type: ['null', 'string'], format: 'date' };
      case 'time_without_timezone':
        return { type: ['null', 'string'], format: 'time', airbyte_type: 'time_without_timezone' };
      case 'timestamp_without_timezone':
        return { type: ['null', 'string'], format: 'date-time', airbyte_type: 'timestamp_without_timezone' };
      default:
        return { type: ['null', kind] };
    }
  })();
  return { ...schema, ...(description === undefined ? {} : { description }), ...(sapName === undefined ? {} : { 'x-b1-property': sapName }) };
}

/** The JSON type of a column's values besides null ("integer" for ["null", "integer"]). */
export function mainType(schema: JsonSchemaFragment): string | undefined {
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  return types.find((type) => type !== 'null');
}
