/**
 * The destination tables the LookML describes, read from an Airbyte catalog: one table per
 * stream, with the stream's columns typed as an Airbyte destination (v2, typing and deduping)
 * types them, plus the columns the destination adds to every final table.
 */
import type { AirbyteCatalog, AirbyteStream, ConfiguredAirbyteCatalog } from '../../protocol/generated/airbyte-protocol.js';
import { configError } from '../../errors.js';
import type { JsonSchemaFragment } from '../../json-schema.js';

/**
 * How a destination types a table column: Airbyte's column types (json-schema.ts ColumnKind) as the
 * destinations map them, with unions, arrays and objects as JSON, and timestamps with a time zone
 * (Airbyte's own _airbyte_extracted_at).
 */
export type TableColumnKind = 'string' | 'integer' | 'number' | 'boolean' | 'date' | 'timestamp_tz' | 'timestamp_ntz' | 'time' | 'json';

export interface TableColumn {
  name: string;
  kind: TableColumnKind;
  description: string | undefined;
  /** Present on every final table because the destination adds it, not because the stream has it. */
  airbyteMetadata: boolean;
}

export interface DestinationTable {
  /** Stream name, which is also the table name before the destination's case rule. */
  name: string;
  columns: Map<string, TableColumn>;
  /** Column names of the (possibly compound) primary key, in key order. */
  primaryKey: string[];
  /**
   * The configured catalog appends every sync's records (destination sync mode append) instead of
   * keeping one row per key: the table holds the history of the stream, one copy per sync.
   */
  keepsHistory: boolean;
}

/**
 * Columns every final table of Airbyte's BigQuery, Snowflake and Postgres destinations carries
 * (destinations v2). `_airbyte_generation_id` came with refreshes (mid 2024); tables written by
 * older destination versions lack it, so nothing generated depends on it.
 */
export const AIRBYTE_COLUMNS: readonly TableColumn[] = [
  { name: '_airbyte_raw_id', kind: 'string', description: 'Unique id Airbyte gave the record.', airbyteMetadata: true },
  { name: '_airbyte_extracted_at', kind: 'timestamp_tz', description: 'When Airbyte read the record from the source.', airbyteMetadata: true },
  { name: '_airbyte_meta', kind: 'json', description: 'Changes Airbyte made to the record (e.g. values it could not type), and the sync id.', airbyteMetadata: true },
  { name: '_airbyte_generation_id', kind: 'integer', description: 'Refresh generation the record belongs to (destinations since mid 2024).', airbyteMetadata: true },
];

export const EXTRACTED_AT = '_airbyte_extracted_at';

/** The column kind a destination gives a JSON schema fragment (unions and untyped values become JSON). */
export function columnKind(fragment: JsonSchemaFragment): TableColumnKind {
  const types = (Array.isArray(fragment.type) ? fragment.type : fragment.type === undefined ? [] : [fragment.type]).filter((t) => t !== 'null');
  if (types.length !== 1) return 'json';
  switch (types[0]) {
    case 'boolean':
      return 'boolean';
    case 'integer':
      return 'integer';
    case 'number':
      return fragment.airbyte_type === 'integer' ? 'integer' : 'number';
    case 'string':
      if (fragment.format === 'date') return 'date';
      if (fragment.format === 'date-time') return fragment.airbyte_type === 'timestamp_without_timezone' ? 'timestamp_ntz' : 'timestamp_tz';
      if (fragment.format === 'time') return 'time';
      return 'string';
    default:
      return 'json';
  }
}

function isConfiguredCatalog(catalog: AirbyteCatalog | ConfiguredAirbyteCatalog): catalog is ConfiguredAirbyteCatalog {
  return catalog.streams.some((s) => 'stream' in s && typeof (s as { stream?: unknown }).stream === 'object');
}

/** The destination tables of a discovered or configured catalog, by stream name. */
export function destinationTables(catalog: AirbyteCatalog | ConfiguredAirbyteCatalog): Map<string, DestinationTable> {
  if (!catalog || !Array.isArray(catalog.streams)) throw configError('The catalog has no "streams" array; pass the output of discover or a configured catalog.');
  const entries: { stream: AirbyteStream; primaryKey: string[][] | undefined; keepsHistory: boolean }[] = isConfiguredCatalog(catalog)
    ? catalog.streams.map((s) => ({
        stream: s.stream,
        primaryKey: s.primary_key?.length ? s.primary_key : s.stream.source_defined_primary_key,
        keepsHistory: s.destination_sync_mode === 'append',
      }))
    : catalog.streams.map((s) => ({ stream: s, primaryKey: s.source_defined_primary_key, keepsHistory: false }));

  const tables = new Map<string, DestinationTable>();
  for (const { stream, primaryKey, keepsHistory } of entries) {
    if (!/^[a-z_][a-z0-9_]*$/.test(stream.name)) {
      throw configError(`Stream name ${JSON.stringify(stream.name)} is not a lower-case snake_case name; the LookML generator only models this connector's streams.`);
    }
    if (tables.has(stream.name)) throw configError(`The catalog lists stream ${stream.name} twice.`);
    const properties = (stream.json_schema as JsonSchemaFragment).properties ?? {};
    const columns = new Map<string, TableColumn>();
    for (const [name, fragment] of Object.entries(properties)) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) {
        throw configError(`Column ${JSON.stringify(name)} of stream ${stream.name} is not a lower-case snake_case name; regenerate the catalog with discover.`);
      }
      columns.set(name, { name, kind: columnKind(fragment), description: fragment.description, airbyteMetadata: false });
    }
    for (const column of AIRBYTE_COLUMNS) if (!columns.has(column.name)) columns.set(column.name, column);
    const key = (primaryKey ?? []).map((path) => path[0]).filter((c): c is string => c !== undefined);
    if (key.length === 0) throw configError(`Stream ${stream.name} has no primary key in the catalog; every view needs one.`);
    for (const column of key) {
      if (!columns.has(column)) throw configError(`Primary key column ${column} of stream ${stream.name} is not among its columns.`);
    }
    tables.set(stream.name, { name: stream.name, columns, primaryKey: key, keepsHistory });
  }
  return tables;
}
