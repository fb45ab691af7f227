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
import type { ChildStreamDefinition, StreamDefinition } from './definitions.js';

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
    const itemType = rowTypeOf(model, entityType, child);
    if (!itemType) {
      logger.warn(`${definition.entitySet} has no collection ${collectionPath(child)} in $metadata; stream ${child.name} keeps its shipped schema.`);
      children.set(child.name, loadStreamSchema(child.schema));
      continue;
    }
    children.set(child.name, fitToType(child.name, child.schema, model, itemType, logger));
  }
  return { parent, children };
}

/** The type of a child stream's rows: the items of the parent's collection, or of the collection nested in them. */
export function rowTypeOf(model: EdmModel, entityType: EdmStructuredType, child: ChildStreamDefinition): EdmStructuredType | undefined {
  const itemType = collectionItemType(model, entityType, child.collection);
  return child.nested && itemType ? collectionItemType(model, itemType, child.nested.collection) : itemType;
}

function collectionPath(child: ChildStreamDefinition): string {
  return child.nested ? `${child.collection}/${child.nested.collection}` : child.collection;
}

/**
 * A shipped schema keeps the columns the type has (under the spelling this server uses) and gains
 * the type's user-defined fields; a configured entity set (no shipped schema) takes every scalar
 * column of the type.
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
    const spelling = sapName && spellingOn(type, fragment);
    if (sapName && !spelling) missing.push(sapName);
    else properties[column] = spelling && spelling !== sapName ? respelled(fragment, spelling) : fragment;
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

/** Which spelling of a column's property the type has, if any. */
function spellingOn(type: EdmStructuredType, fragment: JsonSchemaFragment): string | undefined {
  return [fragment['x-b1-property'], ...(fragment['x-b1-property-aliases'] ?? [])].find((name) => name !== undefined && type.properties.has(name));
}

/** The column read from another spelling of its property; the others stay known as aliases. */
function respelled(fragment: JsonSchemaFragment, spelling: string): JsonSchemaFragment {
  const all = [fragment['x-b1-property']!, ...(fragment['x-b1-property-aliases'] ?? [])];
  return { ...fragment, 'x-b1-property': spelling, 'x-b1-property-aliases': all.filter((name) => name !== spelling) };
}

function toProperties(columns: Column[]): Record<string, JsonSchemaFragment> {
  return Object.fromEntries(columns.map((column) => [column.column, { ...column.schema }]));
}

/** Without $metadata a configured entity set is known only by its key, carried as text. */
function keyOnlySchemas(definition: StreamDefinition): DefinitionSchemas {
  const keyColumns = (names: readonly string[]): StreamSchema => ({
    type: 'object',
    additionalProperties: true,
    properties: Object.fromEntries(names.map((name) => [snakeCase(name), { type: ['null', 'string'], 'x-b1-property': name }])),
  });
  return {
    parent: keyColumns([definition.key]),
    children: new Map(definition.children.map((child) => [child.name, keyColumns(child.lineKey)])),
  };
}

/** Answers column questions from the company's $metadata during read. */
export function metadataColumnResolver(model: EdmModel): ColumnResolver {
  const typeOf = (entry: CatalogEntry): EdmStructuredType | undefined => {
    const entityType = model.entityTypeOfSet(entry.definition.entitySet);
    if (!entityType || !entry.child) return entityType;
    return rowTypeOf(model, entityType, entry.child);
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
