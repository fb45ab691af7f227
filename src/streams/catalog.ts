/**
 * Turns the stream table into Airbyte streams: schema, sync modes, keys and cursor. Each entry
 * also keeps the definition it came from and its cursor policy, so that read and the manifest can
 * map a configured stream back to the entity set and collection that feed it.
 */
import type { AirbyteStream } from '../protocol/generated/airbyte-protocol.js';
import type { ChildStreamDefinition, StreamDefinition } from './definitions.js';
import type { StreamSchema } from '../json-schema.js';
import { childKeyColumns, childStreamSchema, columnOf, parentKeyColumn, parentStreamSchema, loadStreamSchema } from './columns.js';
import { cursorPolicyOf } from './cursor/index.js';
import type { CursorPolicy } from './cursor/policy.js';

/** One Airbyte stream and where it comes from: a parent entity set, or a collection of it. */
export interface CatalogEntry {
  definition: StreamDefinition;
  child: ChildStreamDefinition | undefined;
  /** The definition's cursor policy, shared by the entries of one definition. */
  policy: CursorPolicy;
  stream: AirbyteStream;
}

/** Per-definition schemas, possibly enriched from the customer's $metadata by discover. */
export interface DefinitionSchemas {
  parent: StreamSchema;
  children: Map<string, StreamSchema>;
}

export function shippedSchemas(definition: StreamDefinition): DefinitionSchemas {
  return {
    parent: loadStreamSchema(definition.schema),
    children: new Map(definition.children.map((child) => [child.name, loadStreamSchema(child.schema)])),
  };
}

export function catalogEntries(definition: StreamDefinition, schemas: DefinitionSchemas = shippedSchemas(definition)): CatalogEntry[] {
  const policy = cursorPolicyOf(definition);
  const primaryKey = parentKeyColumn(definition, schemas.parent);
  const entries: CatalogEntry[] = [
    {
      definition,
      child: undefined,
      policy,
      // The cursor of a policy that finds new records by key is the key the entity set is paged by.
      stream: airbyteStream(
        definition.name,
        parentStreamSchema(definition, schemas.parent),
        [[primaryKey]],
        policy.parentCursorField(columnOf(schemas.parent, definition.key)),
      ),
    },
  ];
  for (const child of definition.children) {
    const childSchema = schemas.children.get(child.name) ?? loadStreamSchema(child.schema);
    entries.push({
      definition,
      child,
      policy,
      stream: airbyteStream(
        child.name,
        childStreamSchema(definition, child, childSchema, schemas.parent),
        childKeyColumns(child, childSchema).map((column) => [column]),
        policy.childCursorField(child),
      ),
    });
  }
  return entries;
}

/** An offered stream: incremental on its policy's cursor field when the policy has one, else full refresh only. */
function airbyteStream(name: string, schema: StreamSchema, primaryKey: string[][], cursorField: string | undefined): AirbyteStream {
  return {
    name,
    json_schema: schema as unknown as AirbyteStream['json_schema'],
    supported_sync_modes: cursorField === undefined ? ['full_refresh'] : ['full_refresh', 'incremental'],
    source_defined_primary_key: primaryKey,
    is_resumable: true,
    ...(cursorField === undefined ? {} : { source_defined_cursor: true, default_cursor_field: [cursorField] }),
  };
}
