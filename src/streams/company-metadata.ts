/**
 * Fits each stream's columns to one company's Service Layer, as its $metadata describes it:
 * shipped columns the server does not have are left out (older releases lack some fields, and
 * asking for them would fail the whole request), the company's user-defined fields (U_...) on
 * headers and lines are added, and configured entity sets get all their columns from metadata.
 */
import type { Logger } from '../logging.js';
import type { EdmModel, EdmStructuredType } from '../metadata/edmx.js';
import { collectionItemType, structuredColumns, userDefinedFields, type Column } from '../metadata/udf.js';
import { snakeCase } from '../metadata/naming.js';
import { shippedSchemas, type CatalogEntry, type DefinitionSchemas } from './catalog.js';
import type { ColumnResolver } from './selection.js';
import type { JsonSchemaFragment, StreamSchema } from '../json-schema.js';
import { loadStreamSchema } from './columns.js';
import type { StreamDefinition } from './definitions.js';

/** The schemas of a definition's streams fitted to the company's $metadata; without it, the shipped ones (key-only for configured entity sets). */
export function fitToCompanyMetadata(definition: StreamDefinition, model: EdmModel | undefined, logger: Logger): DefinitionSchemas {
  if (!model) return definition.schema ? shippedSchemas(definition) : keyOnlySchemas(definition);
  const entityType = model.entityTypeOfSet(definition.entitySet);
  if (!entityType) {
    logger.warn(
      `The Service Layer's $metadata has no entity set ${definition.entitySet}; stream ${definition.name} keeps its ${definition.schema ? 'shipped' : 'key-only'} schema and will fail to read if the entity set is really missing.`,
    );
    return definition.schema ? shippedSchemas(definition) : keyOnlySchemas(definition);
  }
  const parent = fitToType(definition.name, definition.schema, model, entityType, logger);
  const children = new Map<string, StreamSchema>();
  for (const child of definition.children) {
    const itemType = collectionItemType(model, entityType, child.collection);
    if (!itemType) {
      logger.warn(`${definition.entitySet} has no collection ${child.collection} in $metadata; stream ${child.name} keeps its shipped schema.`);
      children.set(child.name, loadStreamSchema(child.schema));
      continue;
    }
    children.set(child.name, fitToType(child.name, child.schema, model, itemType, logger));
  }
  return { parent, children };
}

/**
 * A shipped schema keeps the columns the type has and gains the type's user-defined fields; a
 * configured entity set (no shipped schema) takes every scalar column of the type.
 */
function fitToType(stream: string, shippedName: string | undefined, model: EdmModel, type: EdmStructuredType, logger: Logger): StreamSchema {
  if (!shippedName) {
    const columns = structuredColumns(model, type);
    return {
      type: 'object',
      additionalProperties: true,
      description: `Columns of SAPB1.${type.name} from $metadata.`,
      properties: toProperties(columns),
    };
  }
  const shipped = loadStreamSchema(shippedName);
  const properties: Record<string, JsonSchemaFragment> = {};
  const missing: string[] = [];
  for (const [column, fragment] of Object.entries(shipped.properties)) {
    const sapName = fragment['x-b1-property'];
    if (sapName && !type.properties.has(sapName)) missing.push(sapName);
    else properties[column] = fragment;
  }
  if (missing.length > 0) {
    logger.warn(`Stream ${stream}: this Service Layer has no ${missing.join(', ')} on ${type.name}; those columns are left out.`);
  }
  for (const udf of userDefinedFields(model, type) ?? []) {
    if (properties[udf.column]) continue;
    properties[udf.column] = { ...udf.schema, description: `User-defined field ${udf.sapName}.` };
  }
  return { ...shipped, properties };
}

function toProperties(columns: Column[]): Record<string, JsonSchemaFragment> {
  return Object.fromEntries(columns.map((column) => [column.column, { ...column.schema }]));
}

/** Without $metadata a configured entity set is known only by its key, carried as text. */
function keyOnlySchemas(definition: StreamDefinition): DefinitionSchemas {
  const keyColumn = (name: string): StreamSchema => ({
    type: 'object',
    additionalProperties: true,
    properties: { [snakeCase(name)]: { type: ['null', 'string'], 'x-b1-property': name } },
  });
  return {
    parent: keyColumn(definition.key),
    children: new Map(definition.children.map((child) => [child.name, keyColumn(child.lineKey)])),
  };
}

/** Answers column questions from the company's $metadata during read. */
export function metadataColumnResolver(model: EdmModel): ColumnResolver {
  const typeOf = (entry: CatalogEntry): EdmStructuredType | undefined => {
    const entityType = model.entityTypeOfSet(entry.definition.entitySet);
    if (!entityType || !entry.child) return entityType;
    return collectionItemType(model, entityType, entry.child.collection);
  };
  return {
    resolve(entry, column) {
      const type = typeOf(entry);
      const match = type && structuredColumns(model, type).find((candidate) => candidate.column === column);
      return match ? { property: match.sapName, schema: { ...match.schema } } : undefined;
    },
    // When the entity set itself is unknown, the request fails anyway with a clearer error than a
    // column list; so only properties of a known type are judged.
    exists(entry, property) {
      const type = typeOf(entry);
      return type === undefined || type.properties.has(property);
    },
  };
}
