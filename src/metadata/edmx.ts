/**
 * Reads a Service Layer `$metadata` document (EDMX 1.0 / OData v3 from /b1s/v1, EDMX 4.0 / OData v4
 * from /b1s/v2) into the small model that discovery needs: entity sets, structured types with their
 * properties and keys, and enum types. Everything else in the document (associations, actions,
 * function imports, navigation bindings, annotations, the database mapping attributes that
 * `B1S-WithMappingInfo` adds) is dropped while parsing, so the model stays small.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { systemError, type ConnectorError } from '../errors.js';

export interface EdmProperty {
  name: string;
  /** As written in the document ('Edm.String', 'SAPB1.BoYesNoEnum', 'Collection(SAPB1.DocumentLine)'), with a schema alias replaced by its namespace. */
  type: string;
  nullable: boolean;
  maxLength?: number;
}

export interface EdmStructuredType {
  name: string;
  qualifiedName: string;
  key: string[];
  /** In document order, base type properties first. */
  properties: Map<string, EdmProperty>;
  navigationProperties: string[];
  baseType?: string;
}

export interface EdmEnumType {
  name: string;
  qualifiedName: string;
  members: { name: string; value?: string }[];
}

export interface EdmModel {
  version: 'v3' | 'v4';
  /** Namespace of the schema that holds the entity container, e.g. 'SAPB1'. */
  namespace: string;
  /** Entity set name -> qualified entity type name, in document order. */
  entitySets: Map<string, string>;
  /** Keyed by qualified name; use structuredType() for short names and Collection(...) wrappers. */
  entityTypes: Map<string, EdmStructuredType>;
  complexTypes: Map<string, EdmStructuredType>;
  enumTypes: Map<string, EdmEnumType>;
  entityTypeOfSet(entitySet: string): EdmStructuredType | undefined;
  /** Accepts 'SAPB1.DocumentLine', 'DocumentLine' and 'Collection(SAPB1.DocumentLine)'. */
  structuredType(typeName: string): EdmStructuredType | undefined;
  /** Accepts 'SAPB1.BoYesNoEnum', 'BoYesNoEnum' and 'Collection(SAPB1.BoYesNoEnum)'. */
  enumType(typeName: string): EdmEnumType | undefined;
}

const COLLECTION = /^Collection\((.*)\)$/;

/** 'Collection(SAPB1.DocumentLine)' -> 'SAPB1.DocumentLine'; any other name unchanged. */
export function elementTypeName(typeName: string): string {
  const match = COLLECTION.exec(typeName);
  return match?.[1] ?? typeName;
}

export function isCollectionType(typeName: string): boolean {
  return COLLECTION.test(typeName);
}

// The attributes the model reads, per element. Filtering them out during parsing (rather than
// afterwards) keeps the intermediate tree small: the mapping-info variant of v1 carries Alias,
// Index, DefaultValue and Writable on every one of its ~10,000 properties.
const KEPT_ATTRIBUTES: Record<string, ReadonlySet<string>> = {
  Edmx: new Set(['Version']),
  DataServices: new Set(['DataServiceVersion']),
  Schema: new Set(['Namespace', 'Alias']),
  EntityType: new Set(['Name', 'BaseType']),
  ComplexType: new Set(['Name', 'BaseType']),
  EnumType: new Set(['Name']),
  Member: new Set(['Name', 'Value']),
  Property: new Set(['Name', 'Type', 'Nullable', 'MaxLength']),
  NavigationProperty: new Set(['Name']),
  PropertyRef: new Set(['Name']),
  EntityContainer: new Set(['Name']),
  EntitySet: new Set(['Name', 'EntityType']),
};

// Elements whose whole subtree the model does not need; dropping them saves memory (v4 documents
// carry ~2,000 NavigationPropertyBinding and ~1,000 Action/ActionImport elements).
const SKIPPED_ELEMENTS = new Set([
  'Reference',
  'Association',
  'AssociationSet',
  'FunctionImport',
  'ActionImport',
  'Action',
  'Function',
  'NavigationPropertyBinding',
  'ReferentialConstraint',
  'Annotation',
  'Annotations',
  'Term',
  'TypeDefinition',
  'Documentation',
]);

// Elements that may occur once or many times: always arrays, so one document with a single
// entity type and another with hundreds are read by the same code.
const REPEATED_ELEMENTS = new Set([
  'Schema',
  'EntityContainer',
  'EntitySet',
  'EntityType',
  'ComplexType',
  'EnumType',
  'Member',
  'Property',
  'NavigationProperty',
  'PropertyRef',
  'Key',
]);

const ATTRIBUTES = '$';

const parser = new XMLParser({
  removeNSPrefix: true,
  attributeNamePrefix: '',
  attributesGroupName: ATTRIBUTES,
  ignoreAttributes: (name, matcher) => {
    const tag = typeof matcher === 'string' ? undefined : matcher.getCurrentTag();
    return tag === undefined || !(KEPT_ATTRIBUTES[tag]?.has(name) ?? false);
  },
  parseTagValue: false,
  parseAttributeValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Callbacks get the cheap matcher view instead of a jPath string built for every element.
  jPath: false,
  isArray: (tagName) => REPEATED_ELEMENTS.has(tagName),
  updateTag: (tagName) => (SKIPPED_ELEMENTS.has(tagName) ? false : tagName),
});

type XmlNode = { [ATTRIBUTES]?: Record<string, string> } & Record<string, unknown>;

function isNode(value: unknown): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Child elements named `tag`; empty elements (`<Key/>`) come back from the parser as strings. */
function children(node: XmlNode | undefined, tag: string): XmlNode[] {
  const value = node?.[tag];
  if (value === undefined) return [];
  const list = Array.isArray(value) ? value : [value];
  return list.map((item) => (isNode(item) ? item : {}));
}

function attribute(node: XmlNode, name: string): string | undefined {
  return node[ATTRIBUTES]?.[name];
}

function notEdmx(reason: string, internalMessage?: string): ConnectorError {
  return systemError(
    `The Service Layer $metadata document could not be read: ${reason}. ` +
      'Check that the service URL points at the Service Layer (…/b1s/v1/ or …/b1s/v2/) and that $metadata answers with its EDMX XML.',
    internalMessage === undefined ? undefined : { internalMessage },
  );
}

/** Parses a `$metadata` EDMX document; throws a system_error ConnectorError if it is not one. */
export function parseEdmx(xml: string): EdmModel {
  const text = xml.replace(/^\uFEFF/, '').trimStart();
  if (text.length === 0) throw notEdmx('the document is empty');
  if (!text.startsWith('<')) throw notEdmx('the document is not XML (it does not start with "<")');

  // The parser accepts documents with unclosed elements, so a truncated download would silently
  // lose every type after the cut. The validator costs a fraction of the parse and rejects that.
  const validation = XMLValidator.validate(text);
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    throw notEdmx(`it is not well-formed XML (line ${line}, column ${col}: ${msg}); it may have been truncated`);
  }

  let tree: Record<string, unknown>;
  try {
    tree = parser.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw notEdmx('its XML could not be parsed', error instanceof Error ? error.message : String(error));
  }

  const edmx = tree['Edmx'];
  if (!isNode(edmx)) {
    const root = Object.keys(tree)[0];
    throw notEdmx(`its root element is <${root ?? '?'}>, not <edmx:Edmx>`);
  }
  const version = edmxVersion(attribute(edmx, 'Version'));
  const dataServices = children(edmx, 'DataServices')[0];
  const schemas = children(dataServices, 'Schema');
  if (schemas.length === 0) throw notEdmx('it has no <Schema> inside <edmx:DataServices>');
  return buildModel(version, schemas);
}

function edmxVersion(version: string | undefined): 'v3' | 'v4' {
  // EDMX 1.0 is the OData v1-v3 envelope; the Service Layer serves it only for OData v3 (/b1s/v1).
  if (version === '1.0') return 'v3';
  if (version !== undefined && /^4\.\d+$/.test(version)) return 'v4';
  throw notEdmx(`its EDMX version is ${version === undefined ? 'missing' : `"${version}"`}, expected 1.0 (OData v3) or 4.0 (OData v4)`);
}

function buildModel(version: 'v3' | 'v4', schemas: XmlNode[]): EdmModel {
  // A schema alias may stand in for its namespace in type references (OData v4 allows it).
  const aliases = new Map<string, string>();
  for (const schema of schemas) {
    const namespace = attribute(schema, 'Namespace');
    const alias = attribute(schema, 'Alias');
    if (namespace !== undefined && alias !== undefined) aliases.set(alias, namespace);
  }
  const qualify = (typeName: string): string => {
    const element = elementTypeName(typeName);
    const dot = element.lastIndexOf('.');
    const namespace = dot < 0 ? undefined : aliases.get(element.slice(0, dot));
    if (namespace === undefined) return typeName;
    const qualified = `${namespace}${element.slice(dot)}`;
    return element === typeName ? qualified : `Collection(${qualified})`;
  };

  const entityTypes = new Map<string, EdmStructuredType>();
  const complexTypes = new Map<string, EdmStructuredType>();
  const enumTypes = new Map<string, EdmEnumType>();
  const entitySets = new Map<string, string>();
  let containerNamespace: string | undefined;

  for (const schema of schemas) {
    const namespace = attribute(schema, 'Namespace');
    if (namespace === undefined) throw notEdmx('a <Schema> has no Namespace attribute');
    for (const node of children(schema, 'EntityType')) {
      const type = structuredType(node, namespace, qualify, 'EntityType');
      entityTypes.set(type.qualifiedName, type);
    }
    for (const node of children(schema, 'ComplexType')) {
      const type = structuredType(node, namespace, qualify, 'ComplexType');
      complexTypes.set(type.qualifiedName, type);
    }
    for (const node of children(schema, 'EnumType')) {
      const type = enumType(node, namespace);
      enumTypes.set(type.qualifiedName, type);
    }
    for (const container of children(schema, 'EntityContainer')) {
      containerNamespace ??= namespace;
      for (const set of children(container, 'EntitySet')) {
        const name = attribute(set, 'Name');
        const type = attribute(set, 'EntityType');
        if (name === undefined || type === undefined) {
          throw notEdmx(`an <EntitySet> in container ${attribute(container, 'Name') ?? '?'} lacks its Name or EntityType attribute`);
        }
        // v3 may declare several containers; the first declaration of a name wins, as in lookup order.
        if (!entitySets.has(name)) entitySets.set(name, qualify(type));
      }
    }
  }

  const firstSchemaNamespace = attribute(schemas[0] as XmlNode, 'Namespace') as string;
  const namespace = containerNamespace ?? firstSchemaNamespace;
  applyInheritance(entityTypes);
  applyInheritance(complexTypes);
  return new Model(version, namespace, entitySets, entityTypes, complexTypes, enumTypes, qualify);
}

function structuredType(
  node: XmlNode,
  namespace: string,
  qualify: (typeName: string) => string,
  element: string,
): EdmStructuredType {
  const name = attribute(node, 'Name');
  if (name === undefined) throw notEdmx(`an <${element}> in schema ${namespace} has no Name attribute`);
  const properties = new Map<string, EdmProperty>();
  for (const propertyNode of children(node, 'Property')) {
    const property = edmProperty(propertyNode, qualify);
    // The v1 mapping-info variant has a ComplexType "Table2TypeMapping" whose <Property> elements
    // carry Table/Type but no Name: they describe database tables, not properties.
    if (property !== undefined) properties.set(property.name, property);
  }
  const key = children(node, 'Key')
    .flatMap((keyNode) => children(keyNode, 'PropertyRef'))
    .map((ref) => attribute(ref, 'Name'))
    .filter((refName): refName is string => refName !== undefined);
  const navigationProperties = children(node, 'NavigationProperty')
    .map((nav) => attribute(nav, 'Name'))
    .filter((navName): navName is string => navName !== undefined);
  const baseType = attribute(node, 'BaseType');
  const type: EdmStructuredType = { name, qualifiedName: `${namespace}.${name}`, key, properties, navigationProperties };
  if (baseType !== undefined) type.baseType = qualify(baseType);
  return type;
}

function edmProperty(node: XmlNode, qualify: (typeName: string) => string): EdmProperty | undefined {
  const name = attribute(node, 'Name');
  const type = attribute(node, 'Type');
  if (name === undefined || type === undefined) return undefined;
  const property: EdmProperty = { name, type: qualify(type), nullable: attribute(node, 'Nullable') !== 'false' };
  const maxLength = Number.parseInt(attribute(node, 'MaxLength') ?? '', 10);
  if (Number.isFinite(maxLength)) property.maxLength = maxLength;
  return property;
}

function enumType(node: XmlNode, namespace: string): EdmEnumType {
  const name = attribute(node, 'Name');
  if (name === undefined) throw notEdmx(`an <EnumType> in schema ${namespace} has no Name attribute`);
  const members: EdmEnumType['members'] = [];
  for (const memberNode of children(node, 'Member')) {
    const memberName = attribute(memberNode, 'Name');
    if (memberName === undefined) continue;
    const value = attribute(memberNode, 'Value');
    members.push(value === undefined ? { name: memberName } : { name: memberName, value });
  }
  return { name, qualifiedName: `${namespace}.${name}`, members };
}

/** Folds base type properties and keys into derived types, so consumers never walk the chain. */
function applyInheritance(types: Map<string, EdmStructuredType>): void {
  const done = new Set<string>();
  const resolve = (type: EdmStructuredType, chain: string[]): void => {
    if (done.has(type.qualifiedName) || type.baseType === undefined) return;
    if (chain.includes(type.qualifiedName)) {
      throw notEdmx(`type ${type.qualifiedName} inherits from itself (${[...chain, type.qualifiedName].join(' -> ')})`);
    }
    const base = types.get(type.baseType);
    // A base type from another document (edmx:Reference) is not ours to read; the type keeps its own properties.
    if (base === undefined) return;
    resolve(base, [...chain, type.qualifiedName]);
    type.properties = new Map([...base.properties, ...type.properties]);
    if (type.key.length === 0) type.key = [...base.key];
    type.navigationProperties = [...base.navigationProperties, ...type.navigationProperties];
    done.add(type.qualifiedName);
  };
  for (const type of types.values()) resolve(type, []);
}

class Model implements EdmModel {
  private readonly structuredByShortName = new Map<string, EdmStructuredType>();
  private readonly enumByShortName = new Map<string, EdmEnumType>();

  constructor(
    readonly version: 'v3' | 'v4',
    readonly namespace: string,
    readonly entitySets: Map<string, string>,
    readonly entityTypes: Map<string, EdmStructuredType>,
    readonly complexTypes: Map<string, EdmStructuredType>,
    readonly enumTypes: Map<string, EdmEnumType>,
    private readonly qualify: (typeName: string) => string,
  ) {
    // Short names resolve to the container's namespace first, then to the first schema that has them.
    const byNamespaceFirst = <T extends { name: string; qualifiedName: string }>(types: Iterable<T>, index: Map<string, T>): void => {
      const all = [...types];
      for (const type of all) if (type.qualifiedName === `${namespace}.${type.name}`) index.set(type.name, type);
      for (const type of all) if (!index.has(type.name)) index.set(type.name, type);
    };
    byNamespaceFirst([...entityTypes.values(), ...complexTypes.values()], this.structuredByShortName);
    byNamespaceFirst(enumTypes.values(), this.enumByShortName);
  }

  entityTypeOfSet(entitySet: string): EdmStructuredType | undefined {
    const typeName = this.entitySets.get(entitySet);
    return typeName === undefined ? undefined : this.entityTypes.get(typeName);
  }

  structuredType(typeName: string): EdmStructuredType | undefined {
    const name = elementTypeName(this.qualify(typeName));
    return this.entityTypes.get(name) ?? this.complexTypes.get(name) ?? this.structuredByShortName.get(name);
  }

  enumType(typeName: string): EdmEnumType | undefined {
    const name = elementTypeName(this.qualify(typeName));
    return this.enumTypes.get(name) ?? this.enumByShortName.get(name);
  }
}
