/**
 * What a company's `$metadata` says about the columns of the entity sets we read: standard and
 * user-defined fields (`U_…`), on headers and on their collections' rows (lines).
 */
import type { EdmModel, EdmStructuredType } from './edmx.js';
import type { JsonSchemaFragment } from '../json-schema.js';
import { propertySchema } from './json-schema.js';
import { snakeCase } from './naming.js';

export interface Column {
  /** SAP property name, e.g. 'U_Region'. */
  sapName: string;
  /** Stream column name, snakeCase(sapName), e.g. 'u_region'. */
  column: string;
  schema: JsonSchemaFragment;
}

/** SAP prefixes every user-defined field with U_ (the database column is U_<name> too). */
export function isUserDefinedField(sapName: string): boolean {
  return sapName.startsWith('U_');
}

/**
 * Scalar columns of a structured type, in document order. Collections, complex values and types
 * without an Airbyte representation are left out, as is a property whose snake_case name collides
 * with an earlier one (two SAP names differing only in case or underscores).
 */
export function structuredColumns(model: EdmModel, type: EdmStructuredType, include: (sapName: string) => boolean = () => true): Column[] {
  const columns: Column[] = [];
  const taken = new Set<string>();
  for (const property of type.properties.values()) {
    if (!include(property.name)) continue;
    // Collections and complex values get no schema here: they are not flat columns.
    const schema = propertySchema(model, property);
    const column = snakeCase(property.name);
    if (schema === undefined || taken.has(column)) continue;
    taken.add(column);
    columns.push({ sapName: property.name, column, schema });
  }
  return columns;
}

function entityTypeArgument(model: EdmModel, entityType: EdmStructuredType | string): EdmStructuredType | undefined {
  return typeof entityType === 'string' ? model.structuredType(entityType) : entityType;
}

/** The item type of a collection property, e.g. (Document, 'DocumentLines') -> DocumentLine. */
export function collectionItemType(model: EdmModel, entityType: EdmStructuredType | string, collectionProperty: string): EdmStructuredType | undefined {
  const property = entityTypeArgument(model, entityType)?.properties.get(collectionProperty);
  return property === undefined ? undefined : model.structuredType(property.type);
}

/**
 * The user-defined fields of an entity type, or of the items of one of its collection properties
 * (e.g. 'DocumentLines' for the DocumentLine UDFs). Undefined when the type or the collection
 * property does not exist in this metadata, so the caller can tell that apart from "no UDFs".
 */
export function userDefinedFields(
  model: EdmModel,
  entityType: EdmStructuredType | string,
  collectionProperty?: string,
): Column[] | undefined {
  const type =
    collectionProperty === undefined
      ? entityTypeArgument(model, entityType)
      : collectionItemType(model, entityType, collectionProperty);
  return type === undefined ? undefined : structuredColumns(model, type, isUserDefinedField);
}
