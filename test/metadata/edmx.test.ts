import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ConnectorError } from '../../src/errors.js';
import { elementTypeName, parseEdmx } from '../../src/metadata/edmx.js';
import { referencePath } from '../helpers/paths.js';
import { REFERENCE_DOCUMENTS, edmx4, reference, referenceDocument, referenceModel, referenceXml } from './reference-documents.js';

/** Independent counts straight from the text, to check the parser against. */
function countTags(xml: string, tag: string): number {
  return xml.match(new RegExp(`<${tag}[\\s/>]`, 'g'))?.length ?? 0;
}

function entitySetsByRegex(xml: string): Map<string, string> {
  const sets = new Map<string, string>();
  for (const [, attributes] of xml.matchAll(/<EntitySet\s([^>]*)>/g)) {
    const name = /\bName="([^"]*)"/.exec(attributes ?? '')?.[1];
    const type = /\bEntityType="([^"]*)"/.exec(attributes ?? '')?.[1];
    assert.ok(name !== undefined && type !== undefined, `unexpected EntitySet tag ${attributes}`);
    sets.set(name, type);
  }
  return sets;
}

/** Property names declared in one EntityType/ComplexType element of the raw text. */
function propertyNamesByRegex(xml: string, element: 'EntityType' | 'ComplexType', name: string): string[] {
  const block = new RegExp(`<${element}\\s[^>]*\\bName="${name}"[^>]*>([\\s\\S]*?)</${element}>`).exec(xml)?.[1];
  assert.ok(block !== undefined, `${element} ${name} not found by regex`);
  return [...block.matchAll(/<Property\s[^>]*?\bName="([^"]*)"/g)].map((match) => match[1] as string);
}

const STREAM_ENTITY_SETS: { sets: string[]; type: string; key: string[]; lines?: [string, string] }[] = [
  {
    sets: ['Invoices', 'CreditNotes', 'PurchaseInvoices', 'PurchaseOrders', 'PurchaseDeliveryNotes'],
    type: 'Document',
    key: ['DocEntry'],
    lines: ['DocumentLines', 'DocumentLine'],
  },
  { sets: ['JournalEntries'], type: 'JournalEntry', key: ['JdtNum'], lines: ['JournalEntryLines', 'JournalEntryLine'] },
  { sets: ['IncomingPayments', 'VendorPayments'], type: 'Payment', key: ['DocEntry'], lines: ['PaymentInvoices', 'PaymentInvoice'] },
  { sets: ['Items'], type: 'Item', key: ['ItemCode'], lines: ['ItemWarehouseInfoCollection', 'ItemWarehouseInfo'] },
  { sets: ['BusinessPartners'], type: 'BusinessPartner', key: ['CardCode'] },
  { sets: ['ChartOfAccounts'], type: 'ChartOfAccount', key: ['Code'] },
  { sets: ['ProfitCenters'], type: 'ProfitCenter', key: ['CenterCode'] },
  { sets: ['Dimensions'], type: 'Dimension', key: ['DimensionCode'] },
  { sets: ['DistributionRules'], type: 'DistributionRule', key: ['FactorCode'] },
  { sets: ['Warehouses'], type: 'Warehouse', key: ['WarehouseCode'] },
  { sets: ['ItemGroups'], type: 'ItemGroups', key: ['Number'] },
];

interface EntitiesSummary {
  entity_sets: Record<string, Record<string, { entity_type: string; key: string[] }>>;
  types: Record<string, Record<string, Record<string, string | null>>>;
  enums: Record<string, Record<string, [string, string | null][]>>;
}
let summaryCache: EntitiesSummary | undefined;
const summary = (): EntitiesSummary =>
  (summaryCache ??= JSON.parse(readFileSync(referencePath('sap-b1', 'derived', 'entities-summary.json'), 'utf8')) as EntitiesSummary);

for (const document of REFERENCE_DOCUMENTS) {
  describe(`real $metadata ${document.label}`, { skip: reference.skip }, () => {
    const xml = referenceXml(document);
    const model = referenceModel(document);

    test('version and namespace', () => {
      assert.equal(model.version, document.version);
      assert.equal(model.namespace, 'SAPB1');
    });

    test('counts of entity sets and types match the raw document', () => {
      assert.equal(model.entitySets.size, countTags(xml, 'EntitySet'));
      assert.equal(model.entityTypes.size, countTags(xml, 'EntityType'));
      assert.equal(model.complexTypes.size, countTags(xml, 'ComplexType'));
      assert.equal(model.enumTypes.size, countTags(xml, 'EnumType'));
      assert.deepEqual(model.entitySets, entitySetsByRegex(xml));
    });

    test('every entity set resolves to an entity type with a key that is one of its properties', () => {
      for (const entitySet of model.entitySets.keys()) {
        const type = model.entityTypeOfSet(entitySet);
        assert.ok(type !== undefined, `${entitySet} has no entity type`);
        assert.ok(type.key.length > 0, `${entitySet} has no key`);
        for (const keyProperty of type.key) assert.ok(type.properties.has(keyProperty), `${entitySet} key ${keyProperty} is not a property`);
      }
    });

    test('every structured or enum property type resolves', () => {
      for (const type of [...model.entityTypes.values(), ...model.complexTypes.values()]) {
        for (const property of type.properties.values()) {
          const element = elementTypeName(property.type);
          if (element.startsWith('Edm.')) continue;
          const resolved = model.structuredType(property.type) ?? model.enumType(property.type);
          assert.ok(resolved !== undefined, `${type.name}.${property.name}: ${property.type} does not resolve`);
        }
      }
    });

    test('shipped entity sets: entity type, key and line collection', () => {
      for (const { sets, type, key, lines } of STREAM_ENTITY_SETS) {
        for (const entitySet of sets) {
          const entityType = model.entityTypeOfSet(entitySet);
          assert.equal(entityType?.qualifiedName, `SAPB1.${type}`, entitySet);
          assert.deepEqual(entityType.key, key, entitySet);
          if (lines === undefined) continue;
          const [collection, itemType] = lines;
          assert.equal(entityType.properties.get(collection)?.type, `Collection(SAPB1.${itemType})`, `${entitySet}.${collection}`);
          assert.equal(model.structuredType(`Collection(SAPB1.${itemType})`)?.name, itemType);
        }
      }
    });

    test('properties of Document and DocumentLine match the raw document, in order', () => {
      assert.deepEqual([...model.structuredType('Document')!.properties.keys()], propertyNamesByRegex(xml, 'EntityType', 'Document'));
      assert.deepEqual([...model.structuredType('DocumentLine')!.properties.keys()], propertyNamesByRegex(xml, 'ComplexType', 'DocumentLine'));
    });

    test('property details: Edm types as written, nullability', () => {
      const document = model.structuredType('SAPB1.Document')!;
      assert.deepEqual(document.properties.get('DocEntry'), { name: 'DocEntry', type: 'Edm.Int32', nullable: false });
      assert.equal(document.properties.get('DocDate')?.type, model.version === 'v3' ? 'Edm.DateTime' : 'Edm.DateTimeOffset');
      assert.equal(document.properties.get('DocTime')?.type, model.version === 'v3' ? 'Edm.Time' : 'Edm.TimeOfDay');
      assert.equal(document.properties.get('DocTotal')?.type, 'Edm.Double');
      assert.equal(document.properties.get('Confirmed')?.type, 'SAPB1.BoYesNoEnum');
      assert.equal(document.properties.get('DocumentStatus')?.type, 'SAPB1.BoStatus');
      assert.equal(document.properties.get('DocTotalFc')?.type, 'Edm.Double', 'SAP spells it DocTotalFc in every version');
      assert.ok(document.navigationProperties.includes('BusinessPartner'));
      assert.equal(model.entityTypes.get('SAPB1.Document'), document);
    });

    if (document.summaryKey !== undefined) {
      const summaryKey = document.summaryKey;
      test('agrees with derived/entities-summary.json (entity types, keys, selected field types)', () => {
        for (const [entitySet, perDocument] of Object.entries(summary().entity_sets)) {
          const expected = perDocument[summaryKey];
          if (expected === undefined) continue;
          const type = model.entityTypeOfSet(entitySet);
          assert.equal(type?.name, expected.entity_type, entitySet);
          assert.deepEqual(type.key, expected.key, entitySet);
        }
        for (const [typeName, fields] of Object.entries(summary().types)) {
          const type = model.structuredType(typeName);
          assert.ok(type !== undefined, typeName);
          for (const [field, perDocument] of Object.entries(fields)) {
            const expected = perDocument[summaryKey];
            assert.equal(type.properties.get(field)?.type ?? null, expected, `${typeName}.${field}`);
          }
        }
        for (const [enumName, perDocument] of Object.entries(summary().enums)) {
          const expected = perDocument[summaryKey];
          if (expected === undefined) continue;
          const members = model.enumType(enumName)?.members.map((member) => [member.name, member.value ?? null]) ?? null;
          assert.deepEqual(members, expected, enumName);
        }
      });
    }
  });
}

describe('quirks of the real documents', { skip: reference.skip }, () => {
  test('enum member values: database characters (v1 with mapping info), integers (v2), none (plain v1)', () => {
    assert.deepEqual(referenceModel(referenceDocument('v1-sap-sdk')).enumType('BoYesNoEnum')?.members, [
      { name: 'tNO', value: 'N' },
      { name: 'tYES', value: 'Y' },
    ]);
    assert.deepEqual(referenceModel(referenceDocument('v2-gregorwolf')).enumType('SAPB1.BoYesNoEnum')?.members, [
      { name: 'tNO', value: '0' },
      { name: 'tYES', value: '1' },
    ]);
    assert.deepEqual(referenceModel(referenceDocument('v1-gregorwolf')).enumType('Collection(SAPB1.BoYesNoEnum)')?.members, [
      { name: 'tNO' },
      { name: 'tYES' },
    ]);
  });

  test('v1 mapping-info variant: Alias/Index attributes are ignored, nameless Table2TypeMapping properties skipped', () => {
    const model = referenceModel(referenceDocument('v1-sap-sdk'));
    const journalEntry = model.structuredType('JournalEntry')!;
    assert.deepEqual(journalEntry.properties.get('JdtNum'), { name: 'JdtNum', type: 'Edm.Int32', nullable: false });
    const mapping = model.complexTypes.get('SAPB1.Table2TypeMapping');
    assert.ok(mapping !== undefined);
    assert.equal(mapping.properties.size, 0);
  });

  test('user-defined objects with spaces and leading digits in their names resolve', () => {
    const model = referenceModel(referenceDocument('v1-sap-sdk'));
    assert.equal(model.entityTypeOfSet('My Doc')?.qualifiedName, 'SAPB1.ODOC');
    assert.equal(model.entityTypeOfSet('My Doc2')?.qualifiedName, 'SAPB1.2_ODOC');
    assert.equal(model.entityTypeOfSet('U_AUTO_INCRE')?.qualifiedName, 'SAPB1.AUTO_INCRE');
    assert.equal(model.structuredType('Collection(SAPB1.2_ODOC_R1)')?.name, '2_ODOC_R1');
  });

  test('user-defined fields and tables are part of the model', () => {
    const model = referenceModel(referenceDocument('v2-softwaredesign'));
    assert.equal(model.structuredType('Document')?.properties.get('U_VPS_DTV_PRSTART')?.type, 'Edm.DateTimeOffset');
    assert.equal(model.entityTypeOfSet('U_CKS_PREFIXES')?.key[0], 'Code');
  });

  test('unknown names resolve to undefined', () => {
    const model = referenceModel(referenceDocument('v2-gregorwolf'));
    assert.equal(model.entityTypeOfSet('NoSuchSet'), undefined);
    assert.equal(model.entityTypeOfSet('invoices'), undefined, 'entity set names are case-sensitive');
    assert.equal(model.structuredType('SAPB1.NoSuchType'), undefined);
    assert.equal(model.structuredType('Edm.String'), undefined);
    assert.equal(model.enumType('Document'), undefined);
  });
});

describe('document shapes', () => {
  test('single elements (one schema, type, property, key, member, entity set) are read like repeated ones', () => {
    const model = parseEdmx(
      edmx4(`
      <EnumType Name="Colour"><Member Name="red" Value="0"/></EnumType>
      <EntityType Name="Thing"><Key><PropertyRef Name="Code"/></Key><Property Name="Code" Type="Edm.String" Nullable="false" MaxLength="20"/></EntityType>
      <EntityType Name="Empty"/>
      <EntityType Name="AlsoEmpty"><Key/></EntityType>
      <EntityContainer Name="ServiceLayer"><EntitySet Name="Things" EntityType="SAPB1.Thing"/></EntityContainer>`),
    );
    assert.equal(model.version, 'v4');
    assert.deepEqual(model.entitySets, new Map([['Things', 'SAPB1.Thing']]));
    const thing = model.entityTypeOfSet('Things')!;
    assert.deepEqual(thing.key, ['Code']);
    assert.deepEqual([...thing.properties.values()], [{ name: 'Code', type: 'Edm.String', nullable: false, maxLength: 20 }]);
    assert.deepEqual(model.enumType('Colour')?.members, [{ name: 'red', value: '0' }]);
    assert.equal(model.structuredType('Empty')?.properties.size, 0);
    assert.deepEqual(model.structuredType('AlsoEmpty')?.key, []);
  });

  test('several schemas, a schema alias and the container namespace', () => {
    const model = parseEdmx(`<?xml version="1.0"?>
      <edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>
        <Schema Namespace="Vendor.Types" Alias="VT" xmlns="http://docs.oasis-open.org/odata/ns/edm">
          <ComplexType Name="Line"><Property Name="Qty" Type="Edm.Decimal"/></ComplexType>
          <EnumType Name="Flag"><Member Name="on"/><Member Name="off"/></EnumType>
        </Schema>
        <Schema Namespace="Service" xmlns="http://docs.oasis-open.org/odata/ns/edm">
          <EntityType Name="Order"><Key><PropertyRef Name="Id"/></Key>
            <Property Name="Id" Type="Edm.Int64" Nullable="false"/>
            <Property Name="Flag" Type="VT.Flag"/>
            <Property Name="Lines" Type="Collection(VT.Line)"/>
          </EntityType>
          <EntityContainer Name="C"><EntitySet Name="Orders" EntityType="Service.Order"/></EntityContainer>
        </Schema>
      </edmx:DataServices></edmx:Edmx>`);
    assert.equal(model.namespace, 'Service');
    const order = model.entityTypeOfSet('Orders')!;
    assert.equal(order.properties.get('Flag')?.type, 'Vendor.Types.Flag', 'alias replaced by its namespace');
    assert.equal(order.properties.get('Lines')?.type, 'Collection(Vendor.Types.Line)');
    assert.equal(model.structuredType('Collection(VT.Line)')?.qualifiedName, 'Vendor.Types.Line');
    assert.equal(model.structuredType('Line')?.qualifiedName, 'Vendor.Types.Line', 'short names resolve across schemas');
    assert.deepEqual(model.enumType('VT.Flag')?.members, [{ name: 'on' }, { name: 'off' }]);
  });

  test('OData v3 envelope with namespaced attributes and several containers', () => {
    const model = parseEdmx(`<?xml version="1.0" encoding="utf-8"?>
      <edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx">
        <edmx:DataServices m:DataServiceVersion="3.0" xmlns:m="http://schemas.microsoft.com/ado/2007/08/dataservices/metadata">
          <Schema Namespace="SAPB1" xmlns="http://schemas.microsoft.com/ado/2009/11/edm">
            <EntityType Name="Attachment" m:HasStream="true"><Key><PropertyRef Name="AbsoluteEntry"/></Key>
              <Property Name="AbsoluteEntry" Type="Edm.Int32" Nullable="false"/></EntityType>
            <EntityContainer Name="ServiceLayer" m:IsDefaultEntityContainer="true">
              <EntitySet Name="Attachments2" EntityType="SAPB1.Attachment"/>
              <AssociationSet Name="A" Association="SAPB1.A"><End EntitySet="Attachments2" Role="R"/></AssociationSet>
              <FunctionImport Name="Login" ReturnType="Edm.String"/>
            </EntityContainer>
            <EntityContainer Name="Other"><EntitySet Name="Attachments2" EntityType="SAPB1.Other"/><EntitySet Name="More" EntityType="SAPB1.Attachment"/></EntityContainer>
          </Schema>
        </edmx:DataServices>
      </edmx:Edmx>`);
    assert.equal(model.version, 'v3');
    assert.deepEqual(model.entitySets, new Map([['Attachments2', 'SAPB1.Attachment'], ['More', 'SAPB1.Attachment']]));
  });

  test('base types: properties and key are inherited, base properties first', () => {
    const model = parseEdmx(
      edmx4(`
      <EntityType Name="Derived" BaseType="SAPB1.Base"><Property Name="Extra" Type="Edm.Boolean"/></EntityType>
      <EntityType Name="Base"><Key><PropertyRef Name="Id"/></Key><Property Name="Id" Type="Edm.Int32" Nullable="false"/><NavigationProperty Name="Owner" Type="SAPB1.Base"/></EntityType>
      <EntityType Name="External" BaseType="Other.Thing"><Property Name="Own" Type="Edm.String"/></EntityType>`),
    );
    const derived = model.structuredType('Derived')!;
    assert.equal(derived.baseType, 'SAPB1.Base');
    assert.deepEqual(derived.key, ['Id']);
    assert.deepEqual([...derived.properties.keys()], ['Id', 'Extra']);
    assert.deepEqual(derived.navigationProperties, ['Owner']);
    assert.deepEqual([...model.structuredType('External')!.properties.keys()], ['Own'], 'a base type from another document is left alone');
  });
});

describe('documents that are not EDMX give a readable system_error', () => {
  function assertSystemError(xml: string, fragment: RegExp): void {
    assert.throws(
      () => parseEdmx(xml),
      (error: unknown) => {
        assert.ok(error instanceof ConnectorError, `expected a ConnectorError, got ${String(error)}`);
        assert.equal(error.failureType, 'system_error');
        assert.match(error.message, /^The Service Layer \$metadata document could not be read: /);
        assert.match(error.message, fragment);
        assert.doesNotMatch(error.message, /\n\s+at /, 'no stack trace in the message');
        return true;
      },
    );
  }

  test('empty body', () => assertSystemError('  \n', /the document is empty/));
  test('JSON error body', () => assertSystemError('{"error":{"code":-1,"message":{"value":"Invalid session"}}}', /not XML/));
  test('HTML page from a proxy', () => assertSystemError('<html><body><h1>502 Bad Gateway</h1></body></html>', /root element is <html>, not <edmx:Edmx>/));
  test('truncated real document (cut in the middle of a tag)', { skip: reference.skip }, () => {
    const xml = referenceXml(referenceDocument('v2-gregorwolf'));
    assertSystemError(xml.slice(0, Math.floor(xml.length / 2)), /not well-formed XML \(line \d+, column \d+: .+\).*truncated/);
  });
  test('truncated real document (only the closing tags missing)', { skip: reference.skip }, () => {
    const xml = referenceXml(referenceDocument('v1-gregorwolf'));
    assertSystemError(xml.slice(0, xml.lastIndexOf('</edmx:DataServices>')), /not well-formed XML/);
  });
  test('mismatched tags', () => assertSystemError('<edmx:Edmx Version="4.0"><Schema></edmx:Edmx>', /not well-formed XML/));
  test('unknown EDMX version', () =>
    assertSystemError('<edmx:Edmx Version="2.0" xmlns:edmx="x"><edmx:DataServices/></edmx:Edmx>', /EDMX version is "2.0", expected 1.0 \(OData v3\) or 4.0 \(OData v4\)/));
  test('EDMX without schema', () =>
    assertSystemError('<edmx:Edmx Version="4.0" xmlns:edmx="x"><edmx:DataServices/></edmx:Edmx>', /no <Schema>/));
  test('entity set without entity type', () =>
    assertSystemError(edmx4('<EntityContainer Name="C"><EntitySet Name="Broken"/></EntityContainer>'), /EntitySet.*lacks its Name or EntityType/));
  test('base type cycle', () =>
    assertSystemError(
      edmx4('<EntityType Name="A" BaseType="SAPB1.B"/><EntityType Name="B" BaseType="SAPB1.A"/>'),
      /inherits from itself/,
    ));
});
