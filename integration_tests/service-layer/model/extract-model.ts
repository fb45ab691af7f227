/**
 * Extracts the part of a real Service Layer v2 $metadata document that the simulator serves, and writes it
 * to sap-model.json next to this file. The simulator reads only that JSON at run time; this script is the
 * only place that touches the reference documents, and it is re-run by hand:
 *
 *   npx tsx integration_tests/service-layer/model/extract-model.ts [path/to/v2/metadata.xml]
 *
 * The real document belongs to some customer's company, so its user-defined fields (U_...) are dropped: the
 * simulator adds its own food-distributor UDFs (see ../src/model/udf.ts).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { STANDARD_ENTITY_SETS } from '../src/model/entity-sets.js';

const here = dirname(fileURLToPath(import.meta.url));
const defaultSource = join(here, '../../../../shared/reference/sap-b1/metadata/v2-odata4_softwaredesign_servicelayer_metadata_v4.xml');
const itemSamplePath = join(here, '../../../../shared/reference/sap-b1/samples/v2_items_top5_b1sl-python.json');
/** A v1 document of the same generation, for the few property names the v1 root spells differently. */
const v1Source = join(here, '../../../../shared/reference/sap-b1/metadata/v1-odata3_gregorwolf_SAPB1-v1.edmx');

/** The entity sets of the issue; each is bound to its entity type in the real document. */
const SERVED_SETS = STANDARD_ENTITY_SETS;

interface XmlNode {
  [key: string]: unknown;
}

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

interface PropertyDef {
  name: string;
  type: string;
  nullable: boolean;
  /** The name on /b1s/v1 when it differs (see v1NamesOf). */
  v1Name?: string;
}

interface NavigationDef {
  name: string;
  type: string;
  collection: boolean;
  partner?: string;
  constraints: { property: string; referencedProperty: string }[];
}

const sourcePath = process.argv[2] ?? defaultSource;
const xml = readFileSync(sourcePath, 'utf8');
const parserOptions = {
  ignoreAttributes: false,
  attributeNamePrefix: '',
  removeNSPrefix: true,
  isArray: (name: string) =>
    [
      'EntityType',
      'ComplexType',
      'EnumType',
      'Member',
      'Property',
      'NavigationProperty',
      'PropertyRef',
      'EntitySet',
      'NavigationPropertyBinding',
      'ReferentialConstraint',
      'PropertyPath',
      'Schema',
    ].includes(name),
};

function firstSchema(text: string): XmlNode {
  const edmx = (new XMLParser(parserOptions).parse(text) as XmlNode)['Edmx'] as XmlNode;
  return asArray((edmx['DataServices'] as XmlNode)['Schema'] as XmlNode[])[0]!;
}
const schema = firstSchema(xml);

const entityTypes = new Map<string, XmlNode>();
for (const t of asArray(schema['EntityType'] as XmlNode[])) entityTypes.set(String(t['Name']), t);
const complexTypes = new Map<string, XmlNode>();
for (const t of asArray(schema['ComplexType'] as XmlNode[])) complexTypes.set(String(t['Name']), t);
const enumTypes = new Map<string, XmlNode>();
for (const t of asArray(schema['EnumType'] as XmlNode[])) enumTypes.set(String(t['Name']), t);

/**
 * OData v4 forbids a property named like its declaring type, so /b1s/v2 renames such a property X of type X to
 * XProperty (BatchNumber.BatchNumber is BatchNumber.BatchNumberProperty on v2); /b1s/v1 keeps X.
 */
const v1Schema = firstSchema(readFileSync(v1Source, 'utf8'));
const v1PropertyNames = new Map<string, Set<string>>();
for (const t of [...asArray(v1Schema['EntityType'] as XmlNode[]), ...asArray(v1Schema['ComplexType'] as XmlNode[])]) {
  v1PropertyNames.set(String(t['Name']), new Set(asArray(t['Property'] as XmlNode[]).map((p) => String(p['Name']))));
}

function withV1Names(typeName: string, props: PropertyDef[]): PropertyDef[] {
  return props.map((p) => (p.name === `${typeName}Property` && v1PropertyNames.get(typeName)?.has(typeName) ? { ...p, v1Name: typeName } : p));
}

const container = schema['EntityContainer'] as XmlNode;
const setsByName = new Map<string, XmlNode>();
for (const s of asArray(container['EntitySet'] as XmlNode[])) setsByName.set(String(s['Name']), s);

function localName(qualified: string): string {
  return qualified.replace(/^Collection\((.*)\)$/, '$1').replace(/^SAPB1\./, '');
}

/**
 * Where the source company's user-defined fields sat among the properties (the simulator puts its own there);
 * without any, before the first structured property, as in the recorded Items response.
 */
function udfIndexOf(node: XmlNode): number {
  const all = asArray(node['Property'] as XmlNode[]);
  const firstUdf = all.findIndex((p) => String(p['Name']).startsWith('U_'));
  if (firstUdf >= 0) return firstUdf;
  const firstStructured = all.findIndex((p) => !String(p['Type']).startsWith('Edm.'));
  return firstStructured >= 0 ? firstStructured : all.length;
}

/** Standard properties only: a U_ property is a user-defined field of the company the document was dumped from. */
function propertiesOf(node: XmlNode): PropertyDef[] {
  return asArray(node['Property'] as XmlNode[])
    .filter((p) => !String(p['Name']).startsWith('U_'))
    .map((p) => ({ name: String(p['Name']), type: String(p['Type']), nullable: p['Nullable'] !== 'false' }));
}

const servedEntityTypes = new Map<string, string>();
for (const setName of SERVED_SETS) {
  const set = setsByName.get(setName);
  if (!set) throw new Error(`Entity set ${setName} is not in ${sourcePath}`);
  servedEntityTypes.set(setName, localName(String(set['EntityType'])));
}
const servedTypeNames = new Set(servedEntityTypes.values());

const neededComplex = new Set<string>();
const neededEnums = new Set<string>();
function collectTypeRefs(props: PropertyDef[]): void {
  for (const p of props) {
    if (p.type.startsWith('Edm.') || p.type.startsWith('Collection(Edm.')) continue;
    const name = localName(p.type);
    if (enumTypes.has(name)) neededEnums.add(name);
    else if (complexTypes.has(name) && !neededComplex.has(name)) {
      neededComplex.add(name);
      collectTypeRefs(propertiesOf(complexTypes.get(name)!));
    } else if (!complexTypes.has(name) && !enumTypes.has(name)) {
      throw new Error(`Unknown type ${p.type}`);
    }
  }
}

const navigationPathsBySet = new Map<string, Set<string>>();
for (const setName of SERVED_SETS) {
  const set = setsByName.get(setName)!;
  const typeName = servedEntityTypes.get(setName)!;
  const paths = navigationPathsBySet.get(typeName) ?? new Set<string>();
  for (const b of asArray(set['NavigationPropertyBinding'] as XmlNode[])) {
    if (SERVED_SETS.includes(String(b['Target']))) paths.add(String(b['Path']));
  }
  navigationPathsBySet.set(typeName, paths);
}

const outEntityTypes: Record<string, { key: string[]; properties: PropertyDef[]; udfIndex: number; navigation: NavigationDef[] }> = {};
for (const typeName of [...servedTypeNames].sort()) {
  const node = entityTypes.get(typeName);
  if (!node) throw new Error(`Entity type ${typeName} missing`);
  const props = withV1Names(typeName, propertiesOf(node));
  collectTypeRefs(props);
  const key = asArray((node['Key'] as XmlNode)['PropertyRef'] as XmlNode[]).map((r) => String(r['Name']));
  // Navigation properties are kept only where a served set binds them to a served set.
  const boundPaths = navigationPathsBySet.get(typeName) ?? new Set<string>();
  const navigation: NavigationDef[] = asArray(node['NavigationProperty'] as XmlNode[])
    .filter((n) => servedTypeNames.has(localName(String(n['Type']))) && boundPaths.has(String(n['Name'])))
    .map((n) => ({
      name: String(n['Name']),
      type: localName(String(n['Type'])),
      collection: String(n['Type']).startsWith('Collection('),
      ...(n['Partner'] ? { partner: String(n['Partner']) } : {}),
      constraints: asArray(n['ReferentialConstraint'] as XmlNode[]).map((c) => ({
        property: String(c['Property']),
        referencedProperty: String(c['ReferencedProperty']),
      })),
    }));
  outEntityTypes[typeName] = { key, properties: props, udfIndex: udfIndexOf(node), navigation };
}
// A partner must name a navigation property of the target type; drop the ones the subset lost.
for (const t of Object.values(outEntityTypes)) {
  for (const n of t.navigation) {
    const target = outEntityTypes[n.type];
    if (n.partner && !target?.navigation.some((m) => m.name === n.partner)) delete n.partner;
  }
}

const outComplexTypes: Record<string, { properties: PropertyDef[]; udfIndex: number }> = {};
for (const name of [...neededComplex].sort()) {
  const node = complexTypes.get(name)!;
  outComplexTypes[name] = { properties: withV1Names(name, propertiesOf(node)), udfIndex: udfIndexOf(node) };
}

const outEnums: Record<string, [string, number][]> = {};
for (const name of [...neededEnums].sort()) {
  outEnums[name] = asArray(enumTypes.get(name)!['Member'] as XmlNode[]).map((m) => [String(m['Name']), Number(m['Value'])]);
}

const outSets: Record<string, { entityType: string; concurrency: string | null; bindings: { path: string; target: string }[] }> = {};
for (const setName of SERVED_SETS) {
  const set = setsByName.get(setName)!;
  const annotation = set['Annotation'] as XmlNode | undefined;
  let concurrency: string | null = null;
  if (annotation && String(annotation['Term']).endsWith('OptimisticConcurrency')) {
    const paths = asArray((annotation['Collection'] as XmlNode)['PropertyPath'] as unknown[]);
    concurrency = paths.length > 0 ? String(paths[0]) : null;
  }
  const bindings = asArray(set['NavigationPropertyBinding'] as XmlNode[])
    .map((b) => ({ path: String(b['Path']), target: String(b['Target']) }))
    .filter((b) => SERVED_SETS.includes(b.target));
  outSets[setName] = { entityType: servedEntityTypes.get(setName)!, concurrency, bindings };
}

/**
 * Values a real row carries where the generator sets nothing: taken from the recorded Items response
 * (numbers, enum members and nulls only; strings such as account codes belong to that company).
 */
function sampleDefaults(): Record<string, Record<string, unknown>> {
  const sample = JSON.parse(readFileSync(itemSamplePath, 'utf8')) as { value: Record<string, unknown>[] };
  const first = sample.value[0]!;
  const pick = (record: Record<string, unknown>, props: PropertyDef[]): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    for (const p of props) {
      const v = record[p.name];
      if (v === undefined || typeof v === 'object' || typeof v === 'boolean') continue;
      if (typeof v === 'string' && !p.type.startsWith('SAPB1.')) continue;
      if (p.type === 'Edm.DateTimeOffset' || p.type === 'Edm.TimeOfDay') continue;
      out[p.name] = v;
    }
    return out;
  };
  const warehouseInfo = (first['ItemWarehouseInfoCollection'] as Record<string, unknown>[])[0]!;
  return {
    Item: pick(first, outEntityTypes['Item']!.properties),
    ItemWarehouseInfo: pick(warehouseInfo, outComplexTypes['ItemWarehouseInfo']?.properties ?? []),
  };
}

const model = {
  _about:
    'Generated by extract-model.ts from a real Service Layer v2 $metadata document: standard properties (names, Edm types, ' +
    'nullability) of the entity and complex types the simulator serves, enum members, entity set annotations. ' +
    'User-defined fields of the source company are dropped. Do not edit by hand; re-run the script.',
  source: basename(sourcePath),
  entitySets: outSets,
  entityTypes: outEntityTypes,
  complexTypes: outComplexTypes,
  enums: outEnums,
  sampleDefaults: sampleDefaults(),
};

const outPath = join(here, 'sap-model.json');
writeFileSync(outPath, JSON.stringify(model, null, 1) + '\n');
const propCount =
  Object.values(outEntityTypes).reduce((n, t) => n + t.properties.length, 0) +
  Object.values(outComplexTypes).reduce((n, t) => n + t.properties.length, 0);
console.log(
  `Wrote ${outPath}: ${Object.keys(outSets).length} entity sets, ${Object.keys(outEntityTypes).length} entity types, ` +
    `${Object.keys(outComplexTypes).length} complex types, ${Object.keys(outEnums).length} enums, ${propCount} properties`,
);
