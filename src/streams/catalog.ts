/**
 * Turns the stream table into Airbyte streams: schema, sync modes, keys and cursor. Each entry
 * also keeps the definition it came from, so that read can map a configured stream back to the
 * entity set and collection that feed it.
 */
import type { AirbyteStream } from '../protocol/generated/airbyte-protocol.js';
import type { ChildStreamDefinition, StreamDefinition } from './definitions.js';
import { PARENT_UPDATED_AT, UPDATED_AT, childStreamSchema, columnOf, parentStreamSchema, sapColumns, type StreamSchema } from './columns.js';

/** One Airbyte stream and where it comes from: a parent entity set, or a collection of it. */
export interface CatalogEntry {
  definition: StreamDefinition;
  child: ChildStreamDefinition | undefined;
  stream: AirbyteStream;
}

/** Per-definition schemas, possibly enriched from the customer's $metadata by discover. */
export interface DefinitionSchemas {
  parent: StreamSchema;
  children: Map<string, StreamSchema>;
}

export function shippedSchemas(definition: StreamDefinition): DefinitionSchemas {
  return {
    parent: sapColumns(definition.schema),
    children: new Map(definition.children.map((child) => [child.name, sapColumns(child.schema)])),
  };
}

export function catalogEntries(definition: StreamDefinition, schemas: DefinitionSchemas = shippedSchemas(definition)): CatalogEntry[] {
  const keyColumn = columnOf(schemas.parent, definition.key);
  const incremental = definition.cursor.kind !== 'none';
  const syncModes: AirbyteStream['supported_sync_modes'] = incremental ? ['full_refresh', 'incremental'] : ['full_refresh'];
  const parentCursor = definition.cursor.kind === 'change_stamp' ? UPDATED_AT : keyColumn;

  const entries: CatalogEntry[] = [
    {
      definition,
      child: undefined,
      stream: {
        name: definition.name,
        json_schema: parentStreamSchema(definition, schemas.parent) as unknown as AirbyteStream['json_schema'],
        supported_sync_modes: syncModes,
        source_defined_primary_key: [[keyColumn]],
        is_resumable: true,
        ...(incremental ? { source_defined_cursor: true, default_cursor_field: [parentCursor] } : {}),
      },
    },
  ];
  for (const child of definition.children) {
    const childSchema = schemas.children.get(child.name) ?? sapColumns(child.schema);
    const lineKeyColumn = columnOf(childSchema, child.lineKey);
    const childCursor = definition.cursor.kind === 'change_stamp' ? PARENT_UPDATED_AT : child.parentKeyColumn;
    entries.push({
      definition,
      child,
      stream: {
        name: child.name,
        json_schema: childStreamSchema(definition, child, childSchema, schemas.parent) as unknown as AirbyteStream['json_schema'],
        supported_sync_modes: syncModes,
        source_defined_primary_key: [[child.parentKeyColumn], [lineKeyColumn]],
        is_resumable: true,
        ...(incremental ? { source_defined_cursor: true, default_cursor_field: [childCursor] } : {}),
      },
    });
  }
  return entries;
}
