/**
 * $metadata documents generated from the simulator's own model, laid out like the real ones: EDMX 4.0 with
 * enum Values, Edm.DateTimeOffset/Edm.TimeOfDay, Partner navigation, OptimisticConcurrency annotations and
 * action imports on /b1s/v2; EDMX 1.0 (DataServiceVersion 3.0) with Edm.DateTime/Edm.Time, associations and
 * function imports on /b1s/v1. User-defined fields sit among the standard properties; the user-defined table
 * is an entity type and set of its own.
 */
import type { Dialect } from '../types.js';
import type { NavigationInfo, PropertyInfo, SchemaModel, StructuredType } from './schema.js';

export function metadataDocument(schema: SchemaModel, dialect: Dialect, entitySetOrder: readonly string[]): string {
  return dialect === 'v2' ? v4(schema, entitySetOrder) : v3(schema, entitySetOrder);
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function orderedTypes(schema: SchemaModel): { complex: StructuredType[]; entity: StructuredType[] } {
  const all = [...schema.types.values()];
  return {
    complex: all.filter((t) => !t.isEntity).sort((a, b) => a.name.localeCompare(b.name)),
    entity: all.filter((t) => t.isEntity),
  };
}

function v3Type(p: PropertyInfo): string {
  if (p.edmType === 'Edm.DateTimeOffset') return 'Edm.DateTime';
  if (p.edmType === 'Edm.TimeOfDay') return 'Edm.Time';
  return p.edmType;
}

function propertyLine(p: PropertyInfo, dialect: Dialect): string {
  const nullable = p.nullable ? '' : ' Nullable="false"';
  const type = dialect === 'v2' ? p.edmType : v3Type(p);
  return dialect === 'v2'
    ? `        <Property Name="${p.name}"${nullable} Type="${type}"/>`
    : `        <Property Name="${p.v1Name}"${nullable} Type="${type}" />`;
}

function v4(schema: SchemaModel, entitySetOrder: readonly string[]): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">',
    '',
    '  <edmx:Reference Uri="https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.xml">',
    '    <edmx:Include Alias="Core" Namespace="Org.OData.Core.V1"/>',
    '  </edmx:Reference>',
    '',
    '  <edmx:DataServices>',
    '    <Schema Namespace="SAPB1" xmlns="http://docs.oasis-open.org/odata/ns/edm">',
  ];
  for (const [name, members] of [...schema.enums.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(`      <EnumType IsFlags="false" Name="${name}" UnderlyingType="Edm.Int32">`);
    for (const [member, value] of members) out.push(`        <Member Name="${member}" Value="${value}"/>`);
    out.push('      </EnumType>');
  }
  const { complex, entity } = orderedTypes(schema);
  for (const t of complex) {
    out.push(`      <ComplexType Name="${t.name}" OpenType="true">`);
    for (const p of t.properties) out.push(propertyLine(p, 'v2'));
    out.push('      </ComplexType>');
  }
  for (const t of entity) {
    out.push(`      <EntityType Name="${t.name}" OpenType="true">`);
    out.push('        <Key>');
    for (const k of t.key) out.push(`          <PropertyRef Name="${k}"/>`);
    out.push('        </Key>');
    for (const p of t.properties) out.push(propertyLine(p, 'v2'));
    for (const n of t.navigation) {
      const type = n.collection ? `Collection(SAPB1.${n.type})` : `SAPB1.${n.type}`;
      const partner = n.partner ? ` Partner="${n.partner}"` : '';
      if (n.constraints.length === 0) {
        out.push(`        <NavigationProperty Name="${n.name}"${partner} Type="${type}"/>`);
      } else {
        out.push(`        <NavigationProperty Name="${n.name}"${partner} Type="${type}">`);
        for (const c of n.constraints) out.push(`          <ReferentialConstraint Property="${c.property}" ReferencedProperty="${c.referencedProperty}"/>`);
        out.push('        </NavigationProperty>');
      }
    }
    out.push('      </EntityType>');
  }
  out.push(
    '      <EntityType Name="B1Session">',
    '        <Key>',
    '          <PropertyRef Name="SessionId"/>',
    '        </Key>',
    '        <Property Name="Version" Type="Edm.String"/>',
    '        <Property Name="SessionTimeout" Type="Edm.Int32"/>',
    '        <Property Name="SessionId" Nullable="false" Type="Edm.String"/>',
    '      </EntityType>',
    '      <Action Name="Login">',
    '        <Parameter Name="CompanyDB" Type="Edm.String"/>',
    '        <Parameter Name="UserName" Type="Edm.String"/>',
    '        <Parameter Name="Password" Type="Edm.String"/>',
    '        <Parameter Name="Language" Type="Edm.String"/>',
    '        <ReturnType Type="SAPB1.B1Session"/>',
    '      </Action>',
    '      <Action Name="Logout"/>',
    '      <EntityContainer Name="ServiceLayer">',
  );
  for (const name of entitySetOrder) {
    const set = schema.entitySet(name)!;
    const children: string[] = [];
    if (set.concurrency) {
      children.push(
        '          <Annotation Term="Org.OData.Core.V1.OptimisticConcurrency">',
        '            <Collection>',
        `              <PropertyPath>${set.concurrency}</PropertyPath>`,
        '            </Collection>',
        '          </Annotation>',
      );
    }
    for (const b of set.bindings) children.push(`          <NavigationPropertyBinding Path="${b.path}" Target="${b.target}"/>`);
    if (children.length === 0) out.push(`        <EntitySet EntityType="SAPB1.${set.entityType}" Name="${escapeXml(name)}"/>`);
    else out.push(`        <EntitySet EntityType="SAPB1.${set.entityType}" Name="${escapeXml(name)}">`, ...children, '        </EntitySet>');
  }
  out.push(
    '        <EntitySet EntityType="SAPB1.B1Session" Name="B1Sessions"/>',
    '        <ActionImport Action="SAPB1.Login" Name="Login"/>',
    '        <ActionImport Action="SAPB1.Logout" Name="Logout"/>',
    '      </EntityContainer>',
    '    </Schema>',
    '  </edmx:DataServices>',
    '',
    '</edmx:Edmx>',
    '',
  );
  return out.join('\n');
}

/** Role names in v3 associations are plural type names, as in the real documents (Documents, BusinessPartners). */
function plural(typeName: string): string {
  if (typeName.endsWith('s')) return typeName;
  if (typeName.endsWith('y')) return `${typeName.slice(0, -1)}ies`;
  return `${typeName}s`;
}

interface Association {
  name: string;
  /** The end holding the foreign key (many). */
  dependent: string;
  principal: string;
  constraints: { property: string; referencedProperty: string }[];
}

/**
 * One association per navigation with a referential constraint, named FK_<dependents>_<principals>; the
 * reverse navigation (a collection without constraint) reuses its partner's association.
 */
function associations(entity: StructuredType[]): { list: Association[]; byNavigation: Map<string, { assoc: Association; from: string; to: string }> } {
  const list: Association[] = [];
  const byName = new Map<string, Association>();
  const byNavigation = new Map<string, { assoc: Association; from: string; to: string }>();
  const navKey = (t: string, n: NavigationInfo) => `${t}.${n.name}`;
  for (const t of entity) {
    for (const n of t.navigation) {
      if (n.constraints.length === 0 || n.type === t.name) continue;
      const name = `FK_${plural(t.name)}_${plural(n.type)}`;
      let assoc = byName.get(name);
      if (!assoc) {
        assoc = { name, dependent: t.name, principal: n.type, constraints: n.constraints };
        byName.set(name, assoc);
        list.push(assoc);
      }
      byNavigation.set(navKey(t.name, n), { assoc, from: plural(t.name), to: plural(n.type) });
    }
  }
  for (const t of entity) {
    for (const n of t.navigation) {
      if (byNavigation.has(navKey(t.name, n)) || n.type === t.name) continue;
      const assoc = byName.get(`FK_${plural(n.type)}_${plural(t.name)}`);
      if (assoc) byNavigation.set(navKey(t.name, n), { assoc, from: plural(t.name), to: plural(n.type) });
    }
  }
  return { list, byNavigation };
}

function v3(schema: SchemaModel, entitySetOrder: readonly string[]): string {
  const out: string[] = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx">',
    '',
    '  <edmx:DataServices m:DataServiceVersion="3.0" m:MaxDataServiceVersion="3.0"',
    '    xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">',
    '    <Schema Namespace="SAPB1" xmlns="http://schemas.microsoft.com/ado/2009/11/edm">',
  ];
  for (const [name, members] of [...schema.enums.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    out.push(`      <EnumType Name="${name}">`);
    for (const [member] of members) out.push(`        <Member Name="${member}" />`);
    out.push('      </EnumType>');
  }
  const { complex, entity } = orderedTypes(schema);
  for (const t of complex) {
    out.push(`      <ComplexType Name="${t.name}" OpenType="true">`);
    for (const p of t.properties) out.push(propertyLine(p, 'v1'));
    out.push('      </ComplexType>');
  }
  const { list, byNavigation } = associations(entity);
  for (const t of entity) {
    out.push(`      <EntityType Name="${t.name}" OpenType="true">`);
    out.push('        <Key>');
    for (const k of t.key) out.push(`          <PropertyRef Name="${k}" />`);
    out.push('        </Key>');
    for (const p of t.properties) out.push(propertyLine(p, 'v1'));
    for (const n of t.navigation) {
      const a = byNavigation.get(`${t.name}.${n.name}`);
      if (!a) continue;
      out.push(`        <NavigationProperty FromRole="${a.from}" Name="${n.name}"`, `          Relationship="SAPB1.${a.assoc.name}" ToRole="${a.to}" />`);
    }
    out.push('      </EntityType>');
  }
  out.push(
    '      <EntityType Name="B1Session">',
    '        <Key>',
    '          <PropertyRef Name="SessionId" />',
    '        </Key>',
    '        <Property Name="Version" Type="Edm.String" />',
    '        <Property Name="SessionTimeout" Type="Edm.Int32" />',
    '        <Property Name="SessionId" Nullable="false" Type="Edm.String" />',
    '      </EntityType>',
  );
  for (const a of list) {
    const dependentRole = plural(a.dependent);
    const principalRole = plural(a.principal);
    out.push(
      `      <Association Name="${a.name}">`,
      `        <End Multiplicity="*" Role="${dependentRole}" Type="SAPB1.${a.dependent}" />`,
      `        <End Multiplicity="0..1" Role="${principalRole}" Type="SAPB1.${a.principal}" />`,
      '        <ReferentialConstraint>',
      `          <Principal Role="${principalRole}">`,
      ...a.constraints.map((c) => `            <PropertyRef Name="${c.referencedProperty}" />`),
      '          </Principal>',
      `          <Dependent Role="${dependentRole}">`,
      ...a.constraints.map((c) => `            <PropertyRef Name="${c.property}" />`),
      '          </Dependent>',
      '        </ReferentialConstraint>',
      '      </Association>',
    );
  }
  out.push('      <EntityContainer Name="ServiceLayer" m:IsDefaultEntityContainer="true">');
  for (const name of entitySetOrder) {
    const set = schema.entitySet(name)!;
    out.push(`        <EntitySet EntityType="SAPB1.${set.entityType}" Name="${escapeXml(name)}" />`);
  }
  out.push('        <EntitySet EntityType="SAPB1.B1Session" Name="B1Sessions" />');
  const seen = new Set<string>();
  for (const name of entitySetOrder) {
    const set = schema.entitySet(name)!;
    const type = schema.type(set.entityType);
    for (const b of set.bindings) {
      const n = type.navigation.find((x) => x.name === b.path);
      const a = n ? byNavigation.get(`${type.name}.${n.name}`) : undefined;
      if (!a) continue;
      const dependentIsSource = a.assoc.dependent === type.name;
      const dependentSet = dependentIsSource ? name : b.target;
      const principalSet = dependentIsSource ? b.target : name;
      const setName = `FK_${dependentSet}_${principalSet}`;
      if (seen.has(setName)) continue;
      seen.add(setName);
      out.push(
        `        <AssociationSet Association="SAPB1.${a.assoc.name}" Name="${setName}">`,
        `          <End EntitySet="${dependentSet}" Role="${plural(a.assoc.dependent)}" />`,
        `          <End EntitySet="${principalSet}" Role="${plural(a.assoc.principal)}" />`,
        '        </AssociationSet>',
      );
    }
  }
  out.push(
    '        <FunctionImport Name="Login" ReturnType="SAPB1.B1Session" m:HttpMethod="POST">',
    '          <Parameter Name="CompanyDB" Type="Edm.String" />',
    '          <Parameter Name="UserName" Type="Edm.String" />',
    '          <Parameter Name="Password" Type="Edm.String" />',
    '          <Parameter Name="Language" Type="Edm.String" />',
    '        </FunctionImport>',
    '        <FunctionImport Name="Logout" m:HttpMethod="POST" />',
    '      </EntityContainer>',
    '    </Schema>',
    '  </edmx:DataServices>',
    '',
    '</edmx:Edmx>',
    '',
  );
  return out.join('\n');
}
