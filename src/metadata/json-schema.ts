/**
 * Maps EDM property types to the column kinds and schemas of src/json-schema.ts: which Edm types
 * are dates, times, yes/no values, enums, and which have no column representation.
 */
import { columnSchema, type JsonSchemaFragment } from '../json-schema.js';
import { elementTypeName, isCollectionType, type EdmEnumType, type EdmModel, type EdmProperty } from './edmx.js';

/**
 * How the values of an EDM type travel through the connector:
 * - date: Edm.DateTime (v3), Edm.DateTimeOffset and Edm.Date (v4). The Service Layer stores a
 *   company-local calendar date in them (time part always zero; the time of day lives in separate
 *   Edm.Time / Edm.TimeOfDay properties such as UpdateTime), so they are dates, not instants.
 * - time: Edm.Time (v3) and Edm.TimeOfDay (v4), a time of day without time zone.
 * - yes_no: SAP's tYES/tNO enum, a boolean.
 * - enum: any other enum; values are member names.
 * - collection / complex: nested structures (document lines, address extensions), not flat columns.
 */
export type EdmValueKind =
  | 'string'
  | 'integer'
  | 'number'
  | 'boolean'
  | 'date'
  | 'time'
  | 'yes_no'
  | 'enum'
  | 'collection'
  | 'complex';

const PRIMITIVE_KINDS: Readonly<Record<string, EdmValueKind>> = {
  'Edm.String': 'string',
  'Edm.Guid': 'string',
  // Binary travels as base64 text (Airbyte's BinaryData convention); Duration as ISO 8601 text.
  'Edm.Binary': 'string',
  'Edm.Duration': 'string',
  'Edm.Boolean': 'boolean',
  'Edm.Byte': 'integer',
  'Edm.SByte': 'integer',
  'Edm.Int16': 'integer',
  'Edm.Int32': 'integer',
  'Edm.Int64': 'integer',
  'Edm.Single': 'number',
  'Edm.Double': 'number',
  'Edm.Decimal': 'number',
  'Edm.DateTime': 'date',
  'Edm.DateTimeOffset': 'date',
  'Edm.Date': 'date',
  'Edm.Time': 'time',
  'Edm.TimeOfDay': 'time',
};

/**
 * Edm types that are deliberately not columns: media streams, spatial values and untyped JSON
 * have no Airbyte column type, and the Service Layer does not use them for business fields.
 */
export function isUnsupportedEdmType(typeName: string): boolean {
  return /^Edm\.(Stream|Untyped|PrimitiveType|Geography|Geometry)/.test(elementTypeName(typeName));
}

/** The value kind of a property type, or undefined when the type cannot be represented (see isUnsupportedEdmType) or is unknown. */
export function edmValueKind(model: EdmModel, typeName: string): EdmValueKind | undefined {
  if (isCollectionType(typeName)) return 'collection';
  const primitive = PRIMITIVE_KINDS[typeName];
  if (primitive !== undefined) return primitive;
  const enumType = model.enumType(typeName);
  if (enumType !== undefined) return isYesNoEnum(enumType) ? 'yes_no' : 'enum';
  if (model.structuredType(typeName) !== undefined) return 'complex';
  return undefined;
}

/** SAP's BoYesNoEnum (tYES/tNO); recognised by its members too, in case a namespace or name differs. */
export function isYesNoEnum(enumType: EdmEnumType): boolean {
  if (enumType.name === 'BoYesNoEnum') return true;
  const names = enumType.members.map((member) => member.name).sort();
  return names.length === 2 && names[0] === 'tNO' && names[1] === 'tYES';
}

// Long enums (BoObjectTypes has hundreds of members) would bloat every catalog; beyond this many
// the description points at $metadata instead.
const MAX_LISTED_ENUM_MEMBERS = 40;

/**
 * Enum columns are plain strings with their members listed in the description, not a JSON Schema
 * `enum`: SAP adds members in feature packs and a customer may run a newer patch than the catalog
 * was discovered on; with an `enum`, a destination or validator that enforces it would reject or
 * null the new value, while a string column simply carries it.
 */
function enumDescription(enumType: EdmEnumType): string {
  const names = enumType.members.map((member) => member.name);
  const listed = names.slice(0, MAX_LISTED_ENUM_MEMBERS).join(', ');
  const more = names.length > MAX_LISTED_ENUM_MEMBERS ? `, … (${names.length - MAX_LISTED_ENUM_MEMBERS} more in $metadata)` : '';
  return `SAP enum ${enumType.qualifiedName}: ${listed}${more}`;
}

export interface PropertySchemaOptions {
  /** Return collection and complex properties as a nested JSON array/object column instead of undefined. */
  nested?: boolean;
}

/**
 * The column schema of a property; undefined for collections and complex types (unless `nested`)
 * and for types without an Airbyte representation.
 */
export function propertySchema(model: EdmModel, property: EdmProperty, options: PropertySchemaOptions = {}): JsonSchemaFragment | undefined {
  const kind = edmValueKind(model, property.type);
  switch (kind) {
    case undefined:
      return undefined;
    case 'collection':
      return options.nested === true ? columnSchema('array', property.name) : undefined;
    case 'complex':
      return options.nested === true ? columnSchema('object', property.name) : undefined;
    case 'yes_no':
      return columnSchema('boolean', property.name);
    case 'enum': {
      const enumType = model.enumType(property.type) as EdmEnumType;
      return columnSchema('string', property.name, enumDescription(enumType));
    }
    case 'time':
      return columnSchema('time_without_timezone', property.name);
    default:
      return columnSchema(kind, property.name);
  }
}
