/**
 * What a customer's `$metadata` says about the entity sets we read: their columns (standard and
 * user-defined fields `U_…`, headers and lines), and the user-defined tables and objects that only
 * exist in that company.
 */
import { elementTypeName, type EdmModel, type EdmStructuredType } from './edmx.js';
import { edmValueKind, propertySchema, type ColumnSchema, type EdmValueKind } from './json-schema.js';
import { snakeCase } from './naming.js';

export interface Column {
  /** SAP property name, e.g. 'U_Region'. */
  sapName: string;
  /** Stream column name, snakeCase(sapName), e.g. 'u_region'. */
  column: string;
  edmType: string;
  kind: EdmValueKind;
  schema: ColumnSchema;
}

/** A property that did not become a column, with the reason, so callers can log it. */
export interface SkippedProperty {
  sapName: string;
  edmType: string;
  reason: string;
}

export interface StructuredColumns {
  columns: Column[];
  skipped: SkippedProperty[];
}

export interface CollectionProperty {
  /** e.g. 'DocumentLines'. */
  sapName: string;
  column: string;
  /** e.g. 'SAPB1.DocumentLine'. */
  itemTypeName: string;
  /** Undefined for a collection of primitive or enum values. */
  itemType?: EdmStructuredType;
  /** Scalar columns of the item type; empty for a collection of primitive values. */
  columns: Column[];
  skipped: SkippedProperty[];
}

/** A single nested complex value (not a collection), e.g. a document's AddressExtension. */
export interface ComplexProperty {
  sapName: string;
  column: string;
  typeName: string;
}

export type EntitySetKind = 'standard' | 'user_defined_table' | 'user_defined_object';

export interface ResolvedEntitySet {
  entitySet: string;
  entityType: EdmStructuredType;
  kind: EntitySetKind;
  /** SAP key property names, e.g. ['DocEntry']. */
  key: string[];
  /** Scalar columns, in document order. */
  columns: Column[];
  collections: CollectionProperty[];
  complexProperties: ComplexProperty[];
  skipped: SkippedProperty[];
}

export interface UserDefinedEntitySet {
  entitySet: string;
  entityType: EdmStructuredType;
  key: string[];
  kind: 'user_defined_table' | 'user_defined_object';
  /** For user-defined objects: 'document' objects carry DocNum/Series; 'master_data' objects are keyed by Code. */
  objectType?: 'document' | 'master_data';
}

/** SAP prefixes every user-defined field with U_ (the database column is U_<name> too). */
export function isUserDefinedField(sapName: string): boolean {
  return sapName.startsWith('U_');
}

/**
 * Scalar columns of a structured type, in document order. Collections, complex values and types
 * without an Airbyte representation are skipped (and listed), as is a property whose snake_case
 * name collides with an earlier one (two SAP names differing only in case or underscores).
 */
export function structuredColumns(model: EdmModel, type: EdmStructuredType, include: (sapName: string) => boolean = () => true): StructuredColumns {
  const columns: Column[] = [];
  const skipped: SkippedProperty[] = [];
  const byColumn = new Map<string, string>();
  for (const property of type.properties.values()) {
    if (!include(property.name)) continue;
    const kind = edmValueKind(model, property.type);
    if (kind === 'collection' || kind === 'complex') continue;
    const schema = propertySchema(model, property);
    if (kind === undefined || schema === undefined) {
      skipped.push({ sapName: property.name, edmType: property.type, reason: `type ${property.type} has no column representation` });
      continue;
    }
    const column = snakeCase(property.name);
    const earlier = byColumn.get(column);
    if (earlier !== undefined) {
      skipped.push({ sapName: property.name, edmType: property.type, reason: `column ${column} is already taken by ${earlier}` });
      continue;
    }
    byColumn.set(column, property.name);
    columns.push({ sapName: property.name, column, edmType: property.type, kind, schema });
  }
  return { columns, skipped };
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
  return type === undefined ? undefined : structuredColumns(model, type, isUserDefinedField).columns;
}

// System fields that SAP adds to the table of every user-defined object (and not to standard
// objects or plain user-defined tables); the Service Layer exposes them as properties.
const UDO_SYSTEM_FIELDS = ['Object', 'LogInst', 'UserSign', 'Transfered', 'DataSource'];

function userDefinedObjectType(type: EdmStructuredType): UserDefinedEntitySet['objectType'] | undefined {
  if (!UDO_SYSTEM_FIELDS.every((field) => type.properties.has(field))) return undefined;
  return type.properties.has('DocNum') ? 'document' : 'master_data';
}

function classify(entitySet: string, type: EdmStructuredType): EntitySetKind {
  if (userDefinedObjectType(type) !== undefined) return 'user_defined_object';
  // A user-defined table @FOO without an object is exposed as entity set U_FOO.
  if (entitySet.startsWith('U_')) return 'user_defined_table';
  return 'standard';
}

function userDefinedEntitySets(model: EdmModel, wanted: UserDefinedEntitySet['kind']): UserDefinedEntitySet[] {
  const result: UserDefinedEntitySet[] = [];
  for (const entitySet of model.entitySets.keys()) {
    const entityType = model.entityTypeOfSet(entitySet);
    if (entityType === undefined || classify(entitySet, entityType) !== wanted) continue;
    const objectType = userDefinedObjectType(entityType);
    result.push({ entitySet, entityType, key: entityType.key, kind: wanted, ...(objectType === undefined ? {} : { objectType }) });
  }
  return result;
}

/** Entity sets of user-defined tables without an object (names starting with U_). */
export function userDefinedTables(model: EdmModel): UserDefinedEntitySet[] {
  return userDefinedEntitySets(model, 'user_defined_table');
}

/**
 * Entity sets of user-defined objects (UDOs), recognised by the system fields SAP adds to every
 * UDO table. Their entity set name is the UDO code and may contain spaces ('My Doc').
 */
export function userDefinedObjects(model: EdmModel): UserDefinedEntitySet[] {
  return userDefinedEntitySets(model, 'user_defined_object');
}

/** Everything a stream needs to know about an entity set, or undefined if this metadata has no such set. */
export function resolveEntitySet(model: EdmModel, entitySet: string): ResolvedEntitySet | undefined {
  const entityType = model.entityTypeOfSet(entitySet);
  if (entityType === undefined) return undefined;
  const { columns, skipped } = structuredColumns(model, entityType);
  const collections: CollectionProperty[] = [];
  const complexProperties: ComplexProperty[] = [];
  for (const property of entityType.properties.values()) {
    const kind = edmValueKind(model, property.type);
    if (kind === 'collection') {
      const itemType = model.structuredType(property.type);
      const item = itemType === undefined ? { columns: [], skipped: [] } : structuredColumns(model, itemType);
      collections.push({
        sapName: property.name,
        column: snakeCase(property.name),
        itemTypeName: elementTypeName(property.type),
        ...(itemType === undefined ? {} : { itemType }),
        ...item,
      });
    } else if (kind === 'complex') {
      complexProperties.push({ sapName: property.name, column: snakeCase(property.name), typeName: property.type });
    }
  }
  return { entitySet, entityType, kind: classify(entitySet, entityType), key: entityType.key, columns, collections, complexProperties, skipped };
}
