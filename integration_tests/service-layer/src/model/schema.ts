/**
 * The simulator's data model: the properties of every served entity and complex type (from the extracted real
 * $metadata, model/sap-model.json) plus the company's user-defined fields and tables. Values are held in a
 * canonical form: dates 'YYYY-MM-DD', times 'HH:MM:SS', enums as member names, numbers as numbers.
 */
import { readFileSync } from 'node:fs';
import { USER_FIELDS, USER_TABLES } from './udf.js';

export type PropertyKind = 'string' | 'int' | 'double' | 'date' | 'time' | 'enum' | 'complex' | 'collection';

export interface PropertyInfo {
  name: string;
  /** The name /b1s/v1 uses, where it differs from the v2 name (BatchNumber.BatchNumberProperty is BatchNumber there). */
  v1Name: string;
  /** Type as written in a v2 (OData v4) $metadata document, e.g. 'Edm.TimeOfDay', 'SAPB1.BoYesNoEnum'. */
  edmType: string;
  kind: PropertyKind;
  nullable: boolean;
  /** Enum name for 'enum'; element type name for 'complex' and 'collection'. */
  typeName?: string;
  userDefined: boolean;
}

export interface NavigationInfo {
  name: string;
  type: string;
  collection: boolean;
  partner?: string;
  constraints: { property: string; referencedProperty: string }[];
}

export interface StructuredType {
  name: string;
  isEntity: boolean;
  properties: PropertyInfo[];
  byName: Map<string, PropertyInfo>;
  key: string[];
  navigation: NavigationInfo[];
  /** Values a real row shows for properties nothing sets (from the recorded sample), else type defaults. */
  defaults: Map<string, unknown>;
}

export interface EntitySetInfo {
  name: string;
  entityType: string;
  /** Property whose value the ETag is computed from (OptimisticConcurrency annotation), if any. */
  concurrency: string | null;
  bindings: { path: string; target: string }[];
  userTable: boolean;
}

interface RawProperty {
  name: string;
  type: string;
  nullable: boolean;
  v1Name?: string;
}

interface RawModel {
  entitySets: Record<string, { entityType: string; concurrency: string | null; bindings: { path: string; target: string }[] }>;
  entityTypes: Record<string, { key: string[]; properties: RawProperty[]; udfIndex: number; navigation: NavigationInfo[] }>;
  complexTypes: Record<string, { properties: RawProperty[]; udfIndex: number }>;
  enums: Record<string, [string, number][]>;
  sampleDefaults: Record<string, Record<string, unknown>>;
}

export class SchemaModel {
  readonly entitySets = new Map<string, EntitySetInfo>();
  readonly types = new Map<string, StructuredType>();
  readonly enums = new Map<string, [string, number][]>();

  constructor(raw: RawModel) {
    for (const [name, members] of Object.entries(raw.enums)) this.enums.set(name, members);
    for (const [name, t] of Object.entries(raw.complexTypes)) {
      this.addType(name, false, withUserFields(name, t.properties, t.udfIndex), [], [], raw.sampleDefaults[name]);
    }
    for (const [name, t] of Object.entries(raw.entityTypes)) {
      this.addType(name, true, withUserFields(name, t.properties, t.udfIndex), t.key, t.navigation, raw.sampleDefaults[name]);
    }
    for (const [name, s] of Object.entries(raw.entitySets)) {
      this.entitySets.set(name, { name, ...s, userTable: false });
    }
    for (const table of USER_TABLES) {
      const props: RawProperty[] = [
        { name: 'Code', type: 'Edm.String', nullable: false },
        { name: 'Name', type: 'Edm.String', nullable: true },
        ...table.fields.map((f) => ({ name: f.name, type: f.type, nullable: true })),
      ];
      this.addType(table.entitySet, true, props, ['Code'], [], undefined);
      this.entitySets.set(table.entitySet, {
        name: table.entitySet,
        entityType: table.entitySet,
        concurrency: null,
        bindings: [],
        userTable: true,
      });
    }
  }

  static load(): SchemaModel {
    const url = new URL('../../model/sap-model.json', import.meta.url);
    return new SchemaModel(JSON.parse(readFileSync(url, 'utf8')) as RawModel);
  }

  entitySet(name: string): EntitySetInfo | undefined {
    return this.entitySets.get(name);
  }

  type(name: string): StructuredType {
    const t = this.types.get(name);
    if (!t) throw new Error(`Unknown type ${name}`);
    return t;
  }

  typeOfSet(setName: string): StructuredType {
    const set = this.entitySets.get(setName);
    if (!set) throw new Error(`Unknown entity set ${setName}`);
    return this.type(set.entityType);
  }

  enumHasMember(enumName: string, member: string): boolean {
    return this.enums.get(enumName)?.some(([m]) => m === member) ?? false;
  }

  /**
   * A full canonical record of the type: every property, generated values where the core has them, defaults
   * elsewhere, nested complex values and collections expanded the same way. Always a fresh object.
   */
  expand(typeName: string, core: Record<string, unknown>): Record<string, unknown> {
    const t = this.type(typeName);
    const out: Record<string, unknown> = {};
    for (const p of t.properties) {
      const v = core[p.name];
      if (p.kind === 'collection') {
        out[p.name] = Array.isArray(v) ? v.map((row) => this.expand(p.typeName!, row as Record<string, unknown>)) : [];
      } else if (p.kind === 'complex') {
        out[p.name] = this.expand(p.typeName!, (v as Record<string, unknown> | undefined) ?? {});
      } else {
        out[p.name] = v !== undefined ? v : t.defaults.get(p.name);
      }
    }
    return out;
  }

  /**
   * Like expand, but only the properties named by `paths` ('DocTotal', 'DocumentLines/ItemCode',
   * 'DocumentLines/BatchNumbers/Quantity'...): a path into a collection or complex property selects properties of
   * its rows. For tests that total large sets.
   */
  project(typeName: string, core: Record<string, unknown>, paths: readonly string[]): Record<string, unknown> {
    return this.projectTree(typeName, core, pathTree(paths));
  }

  private projectTree(typeName: string, core: Record<string, unknown>, tree: PathTree): Record<string, unknown> {
    const t = this.type(typeName);
    const out: Record<string, unknown> = {};
    for (const [name, sub] of tree) {
      const p = t.byName.get(name);
      if (!p) throw new Error(`${typeName} has no property '${name}'`);
      const v = core[name];
      if (p.kind === 'collection') {
        const rows = Array.isArray(v) ? (v as Record<string, unknown>[]) : [];
        out[name] = rows.map((row) => (sub.size > 0 ? this.projectTree(p.typeName!, row, sub) : this.expand(p.typeName!, row)));
      } else if (p.kind === 'complex') {
        const value = (v as Record<string, unknown> | undefined) ?? {};
        out[name] = sub.size > 0 ? this.projectTree(p.typeName!, value, sub) : this.expand(p.typeName!, value);
      } else {
        out[name] = v !== undefined ? v : t.defaults.get(name);
      }
    }
    return out;
  }

  private addType(
    name: string,
    isEntity: boolean,
    raw: RawProperty[],
    key: string[],
    navigation: NavigationInfo[],
    sample: Record<string, unknown> | undefined,
  ): void {
    const properties = raw.map((p) => this.describe(p));
    const defaults = new Map<string, unknown>();
    for (const p of properties) {
      if (p.kind === 'complex' || p.kind === 'collection') continue;
      const fromSample = sample?.[p.name];
      const fits = fromSample !== undefined && (fromSample === null || this.valueFits(p, fromSample));
      defaults.set(p.name, fits ? fromSample : this.typeDefault(p));
    }
    this.types.set(name, {
      name,
      isEntity,
      properties,
      byName: new Map(properties.map((p) => [p.name, p])),
      key,
      navigation,
      defaults,
    });
  }

  private describe(p: RawProperty): PropertyInfo {
    const userDefined = p.name.startsWith('U_');
    const base = { name: p.name, v1Name: p.v1Name ?? p.name, edmType: p.type, nullable: p.nullable, userDefined };
    const collection = /^Collection\(SAPB1\.(.+)\)$/.exec(p.type);
    if (collection) return { ...base, kind: 'collection', typeName: collection[1]! };
    if (p.type.startsWith('SAPB1.')) {
      const typeName = p.type.slice('SAPB1.'.length);
      return { ...base, kind: this.enums.has(typeName) ? 'enum' : 'complex', typeName };
    }
    switch (p.type) {
      case 'Edm.String':
        return { ...base, kind: 'string' };
      case 'Edm.Int32':
        return { ...base, kind: 'int' };
      case 'Edm.Double':
        return { ...base, kind: 'double' };
      case 'Edm.DateTimeOffset':
        return { ...base, kind: 'date' };
      case 'Edm.TimeOfDay':
        return { ...base, kind: 'time' };
      default:
        throw new Error(`Unsupported property type ${p.type} of ${p.name}`);
    }
  }

  /** What a database row holds where nothing was written: amounts 0, the enum's first member, else null. */
  private typeDefault(p: PropertyInfo): unknown {
    if (p.kind === 'double') return 0;
    if (p.kind === 'enum') return this.enums.get(p.typeName!)?.[0]?.[0] ?? null;
    return null;
  }

  valueFits(p: PropertyInfo, v: unknown): boolean {
    switch (p.kind) {
      case 'string':
        return typeof v === 'string';
      case 'int':
        return typeof v === 'number' && Number.isInteger(v);
      case 'double':
        return typeof v === 'number' && Number.isFinite(v);
      case 'date':
        return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v);
      case 'time':
        return typeof v === 'string' && /^\d{2}:\d{2}:\d{2}$/.test(v);
      case 'enum':
        return typeof v === 'string' && this.enumHasMember(p.typeName!, v);
      case 'complex':
        return typeof v === 'object' && v !== null && !Array.isArray(v);
      case 'collection':
        return Array.isArray(v);
    }
  }
}

function withUserFields(typeName: string, props: RawProperty[], udfIndex: number): RawProperty[] {
  const udfs = USER_FIELDS[typeName];
  if (!udfs) return props;
  const added = udfs.map((f) => ({ name: f.name, type: f.type, nullable: true }));
  return [...props.slice(0, udfIndex), ...added, ...props.slice(udfIndex)];
}

type PathTree = Map<string, PathTree>;

function pathTree(paths: readonly string[]): PathTree {
  const root: PathTree = new Map();
  for (const path of paths) {
    let node = root;
    for (const part of path.split('/')) {
      let next = node.get(part);
      if (!next) node.set(part, (next = new Map()));
      node = next;
    }
  }
  return root;
}
