import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseEdmx, type EdmModel } from '../../src/metadata/edmx.js';
import { snakeCase } from '../../src/metadata/naming.js';
import {
  collectionItemType,
  resolveEntitySet,
  structuredColumns,
  userDefinedFields,
  userDefinedObjects,
  userDefinedTables,
  type Column,
} from '../../src/metadata/udf.js';
import { edmx4, REFERENCE_DOCUMENTS, reference, referenceDocument, referenceModel, referenceXml } from './reference-documents.js';

const names = (columns: Column[] | undefined): string[] | undefined => columns?.map((column) => column.sapName);

/** U_ property names declared in one EntityType/ComplexType element of the raw text. */
function udfNamesByRegex(xml: string, element: 'EntityType' | 'ComplexType', typeName: string): string[] {
  const block = new RegExp(`<${element}\\s[^>]*\\bName="${typeName}"[^>]*>([\\s\\S]*?)</${element}>`).exec(xml)?.[1] ?? '';
  return [...block.matchAll(/<Property\s[^>]*?\bName="(U_[^"]*)"/g)].map((match) => match[1] as string);
}

function assertWellFormedColumns(columns: Column[], context: string): void {
  const seen = new Set<string>();
  for (const column of columns) {
    assert.equal(column.column, snakeCase(column.sapName), context);
    assert.equal(column.schema['x-b1-property'], column.sapName, context);
    assert.ok(!seen.has(column.column), `${context}: duplicate column ${column.column}`);
    seen.add(column.column);
  }
}

describe('user-defined fields in the real documents', { skip: reference.skip }, () => {
  test('v1 with mapping info: the U_ rule finds exactly the properties SAP flags UserField="true"', () => {
    const document = referenceDocument('v1-sap-sdk');
    const xml = referenceXml(document);
    const model = referenceModel(document);
    const flagged = [...xml.matchAll(/<Property\s([^>]*)>/g)]
      .filter(([, attributes]) => attributes?.includes('UserField="true"'))
      .map(([, attributes]) => /\bName="([^"]*)"/.exec(attributes ?? '')?.[1]);
    const found: string[] = [];
    for (const type of [...model.entityTypes.values(), ...model.complexTypes.values()]) found.push(...(names(userDefinedFields(model, type)) ?? []));
    assert.equal(found.length, 121);
    assert.deepEqual(found.sort(), flagged.sort());
    assert.deepEqual(names(userDefinedFields(model, 'Document')), udfNamesByRegex(xml, 'EntityType', 'Document'));
    assert.deepEqual(names(userDefinedFields(model, 'Document', 'DocumentLines')), [
      'U_SOR_Percent',
      'U_SOR_SO',
      'U_SOR_Payment',
      'U_SOR_UDT',
      'U_SOR_UDO_Tax',
      'U_SOR_Advanced_Length2',
      'U_SOR_Time',
    ]);
  });

  test('gregorwolf (v1 and v2, same company): headers, lines, items, partners', () => {
    for (const label of ['v1-gregorwolf', 'v2-gregorwolf'] as const) {
      const document = referenceDocument(label);
      const xml = referenceXml(document);
      const model = referenceModel(document);
      const header = userDefinedFields(model, 'Document');
      assert.deepEqual(names(header), udfNamesByRegex(xml, 'EntityType', 'Document'), label);
      assert.equal(header?.length, 32, label);
      const byName = new Map(header?.map((column) => [column.sapName, column]));
      assert.deepEqual(byName.get('U_Fertigungszeit')?.schema, {
        type: ['null', 'string'],
        format: 'time',
        airbyte_type: 'time_without_timezone',
        'x-b1-property': 'U_Fertigungszeit',
      });
      assert.equal(byName.get('U_COR_FormType')?.column, 'u_cor_form_type');
      assert.equal(byName.get('U_COR_FormType')?.kind, 'integer');
      assert.equal(byName.get('U_Belegok')?.kind, 'string');
      const lines = userDefinedFields(model, 'SAPB1.Document', 'DocumentLines');
      assert.deepEqual(names(lines), udfNamesByRegex(xml, 'ComplexType', 'DocumentLine'), label);
      assert.deepEqual(names(lines)?.slice(0, 3), ['U_BNBpCtry', 'U_BNOriCtr', 'U_BNOriSta']);
      assert.deepEqual(names(userDefinedFields(model, 'Item')), udfNamesByRegex(xml, 'EntityType', 'Item'));
      assert.deepEqual(names(userDefinedFields(model, 'BusinessPartner')), udfNamesByRegex(xml, 'EntityType', 'BusinessPartner'));
      assert.ok((userDefinedFields(model, 'Item')?.length ?? 0) > 0);
    }
  });

  test('softwaredesign (v2): dates, lines, journal entry lines', () => {
    const document = referenceDocument('v2-softwaredesign');
    const xml = referenceXml(document);
    const model = referenceModel(document);
    const header = new Map(userDefinedFields(model, 'Document')?.map((column) => [column.sapName, column]));
    assert.equal(header.size, udfNamesByRegex(xml, 'EntityType', 'Document').length);
    assert.deepEqual(header.get('U_VPS_DTV_PRSTART'), {
      sapName: 'U_VPS_DTV_PRSTART',
      column: 'u_vps_dtv_prstart',
      edmType: 'Edm.DateTimeOffset',
      kind: 'date',
      schema: { type: ['null', 'string'], format: 'date', 'x-b1-property': 'U_VPS_DTV_PRSTART' },
    });
    assert.equal(header.get('U_CKSDMSID')?.kind, 'integer');
    assert.ok(names(userDefinedFields(model, 'Document', 'DocumentLines'))?.includes('U_GA_Anfragestatus'));
    assert.deepEqual(
      names(userDefinedFields(model, 'JournalEntry', 'JournalEntryLines')),
      udfNamesByRegex(xml, 'ComplexType', 'JournalEntryLine'),
    );
  });

  test('a type or collection missing from the metadata is undefined, a type without UDFs is empty', () => {
    const model = referenceModel(referenceDocument('v2-gregorwolf'));
    assert.equal(userDefinedFields(model, 'NoSuchType'), undefined);
    assert.equal(userDefinedFields(model, 'Document', 'NoSuchLines'), undefined);
    assert.equal(userDefinedFields(model, 'Document', 'DocEntry'), undefined, 'a scalar property is not a collection');
    assert.deepEqual(userDefinedFields(model, 'Dimension'), []);
    assert.equal(collectionItemType(model, 'Item', 'ItemWarehouseInfoCollection')?.name, 'ItemWarehouseInfo');
  });
});

describe('user-defined tables and objects', { skip: reference.skip }, () => {
  test('user-defined tables are the U_ entity sets', () => {
    for (const document of REFERENCE_DOCUMENTS) {
      const model = referenceModel(document);
      const expected = [...referenceXml(document).matchAll(/<EntitySet\s[^>]*\bName="(U_[^"]*)"/g)].map((match) => match[1]);
      const tables = userDefinedTables(model);
      assert.deepEqual(tables.map((table) => table.entitySet).sort(), expected.sort(), document.label);
      for (const table of tables) {
        assert.equal(table.kind, 'user_defined_table');
        assert.deepEqual(table.key, ['Code'], `${document.label} ${table.entitySet}`);
      }
    }
    assert.equal(userDefinedTables(referenceModel(referenceDocument('v2-softwaredesign'))).length, 149);
    assert.deepEqual(
      userDefinedTables(referenceModel(referenceDocument('v1-sap-sdk'))).map((table) => [table.entitySet, table.entityType.name]),
      [
        ['U_AUTO_INCRE', 'AUTO_INCRE'],
        ['U_NO_OBJECT', 'NO_OBJECT'],
      ],
    );
  });

  test('user-defined objects are recognised by their system fields', () => {
    const summary = (model: EdmModel) =>
      userDefinedObjects(model).map((udo) => `${udo.entitySet}:${udo.entityType.name}:${udo.objectType}:${udo.key.join(',')}`);
    assert.deepEqual(summary(referenceModel(referenceDocument('v1-sap-sdk'))), [
      'My BP:OOCD:master_data:Code',
      'My Doc:ODOC:document:DocEntry',
      'My Doc2:2_ODOC:document:DocEntry',
      'My Item:OOTM:master_data:Code',
      'My Item2:2_OITM:master_data:Code',
      'My Tax:OOVT:master_data:Code',
    ]);
    for (const label of ['v1-gregorwolf', 'v2-gregorwolf'] as const) {
      assert.deepEqual(summary(referenceModel(referenceDocument(label))), [
        'Masterartikel:Masterartikel:master_data:Code',
        'Kalkulation:Kalkulation:master_data:Code',
        'ANGEBOTS_ANFRAGE:ANGEBOTS_ANFRAGE:document:DocEntry',
        'EdiGpEinstellungen:EdiGpEinstellungen:master_data:Code',
        'Technik:Technik:document:DocEntry',
      ]);
    }
    const recent = userDefinedObjects(referenceModel(referenceDocument('v2-softwaredesign')));
    assert.equal(recent.length, 27);
    assert.ok(recent.some((udo) => udo.entitySet === 'VPS_DATEV_IMP' && udo.objectType === 'document'));
    assert.ok(recent.every((udo) => udo.kind === 'user_defined_object'));
  });
});

describe('resolveEntitySet', () => {
  test('standard documents we do not ship by default: Orders, DeliveryNotes', { skip: reference.skip }, () => {
    for (const document of REFERENCE_DOCUMENTS) {
      const model = referenceModel(document);
      for (const entitySet of ['Orders', 'DeliveryNotes']) {
        const resolved = resolveEntitySet(model, entitySet);
        assert.ok(resolved !== undefined, `${document.label} ${entitySet}`);
        assert.equal(resolved.kind, 'standard');
        assert.equal(resolved.entityType.name, 'Document');
        assert.deepEqual(resolved.key, ['DocEntry']);
        const columns = new Map(resolved.columns.map((column) => [column.column, column]));
        assert.equal(columns.get('doc_entry')?.kind, 'integer');
        assert.equal(columns.get('doc_total_fc')?.sapName, 'DocTotalFc');
        assert.equal(columns.get('doc_date')?.kind, 'date');
        assert.equal(columns.has('document_lines'), false, 'collections are not scalar columns');
        assertWellFormedColumns(resolved.columns, `${document.label} ${entitySet}`);
        const lines = resolved.collections.find((collection) => collection.sapName === 'DocumentLines');
        assert.equal(lines?.itemTypeName, 'SAPB1.DocumentLine');
        assert.equal(lines.column, 'document_lines');
        assert.ok(lines.columns.some((column) => column.sapName === 'LineNum' && column.kind === 'integer'));
        assertWellFormedColumns(lines.columns, `${document.label} ${entitySet} lines`);
        assert.ok(resolved.complexProperties.some((complex) => complex.sapName === 'AddressExtension'));
        assert.deepEqual(resolved.skipped, []);
        const declared = [...resolved.entityType.properties.keys()].length;
        assert.equal(resolved.columns.length + resolved.collections.length + resolved.complexProperties.length, declared, 'every property accounted for');
      }
    }
  });

  test('user-defined tables and objects', { skip: reference.skip }, () => {
    const recent = referenceModel(referenceDocument('v2-softwaredesign'));
    const table = resolveEntitySet(recent, 'U_CKS_PREFIXES');
    assert.equal(table?.kind, 'user_defined_table');
    assert.deepEqual(table.columns.map((column) => column.column), ['code', 'name']);
    const udo = resolveEntitySet(recent, 'COR_CUSTOM_FIELD2');
    assert.equal(udo?.kind, 'user_defined_object');
    assert.ok(udo.columns.some((column) => column.sapName === 'UpdateDate' && column.kind === 'date'));
    assert.ok(udo.columns.some((column) => column.sapName === 'U_RuleCode'));
    const sdk = referenceModel(referenceDocument('v1-sap-sdk'));
    const document = resolveEntitySet(sdk, 'My Doc');
    assert.equal(document?.kind, 'user_defined_object');
    assert.deepEqual(document.collections.map((collection) => collection.itemTypeName), ['SAPB1.DOC1', 'SAPB1.DOC2']);
  });

  test('an entity set that is not in the metadata is undefined', { skip: reference.skip }, () => {
    assert.equal(resolveEntitySet(referenceModel(referenceDocument('v2-gregorwolf')), 'U_FD_PROMOS'), undefined);
  });

  test('a customer table, column collisions and unsupported types (synthetic)', () => {
    const model = parseEdmx(
      edmx4(`
      <EnumType Name="BoYesNoEnum"><Member Name="tNO" Value="0"/><Member Name="tYES" Value="1"/></EnumType>
      <EntityType Name="U_FD_PROMOS" OpenType="true"><Key><PropertyRef Name="Code"/></Key>
        <Property Name="Code" Type="Edm.String" Nullable="false"/><Property Name="Name" Type="Edm.String"/>
        <Property Name="U_Channel" Type="Edm.String"/><Property Name="U_ValidFrom" Type="Edm.DateTimeOffset"/>
        <Property Name="U_Active" Type="SAPB1.BoYesNoEnum"/><Property Name="U_Discount" Type="Edm.Double"/>
        <Property Name="U_DISCOUNT" Type="Edm.Double"/><Property Name="U_Picture" Type="Edm.Stream"/>
      </EntityType>
      <EntityContainer Name="ServiceLayer"><EntitySet Name="U_FD_PROMOS" EntityType="SAPB1.U_FD_PROMOS"/></EntityContainer>`),
    );
    const resolved = resolveEntitySet(model, 'U_FD_PROMOS');
    assert.ok(resolved !== undefined);
    assert.equal(resolved.kind, 'user_defined_table');
    assert.deepEqual(
      resolved.columns.map((column) => [column.column, column.kind]),
      [
        ['code', 'string'],
        ['name', 'string'],
        ['u_channel', 'string'],
        ['u_valid_from', 'date'],
        ['u_active', 'yes_no'],
        ['u_discount', 'number'],
      ],
    );
    assert.deepEqual(resolved.skipped, [
      { sapName: 'U_DISCOUNT', edmType: 'Edm.Double', reason: 'column u_discount is already taken by U_Discount' },
      { sapName: 'U_Picture', edmType: 'Edm.Stream', reason: 'type Edm.Stream has no column representation' },
    ]);
    assert.deepEqual(userDefinedTables(model).map((table) => table.entitySet), ['U_FD_PROMOS']);
    assert.deepEqual(names(structuredColumns(model, resolved.entityType, (name) => name.startsWith('U_V')).columns), ['U_ValidFrom']);
  });

  test('no snake_case collisions and nothing skipped in any real type', { skip: reference.skip }, () => {
    for (const document of REFERENCE_DOCUMENTS) {
      const model = referenceModel(document);
      for (const type of [...model.entityTypes.values(), ...model.complexTypes.values()]) {
        assert.deepEqual(structuredColumns(model, type).skipped, [], `${document.label} ${type.name}`);
      }
    }
  });
});
