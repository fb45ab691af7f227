import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { parseEdmx, type EdmModel, type EdmStructuredType } from '../../src/metadata/edmx.js';
import { snakeCase } from '../../src/metadata/naming.js';
import { edmValueKind } from '../../src/metadata/json-schema.js';
import { collectionItemType, structuredColumns, userDefinedFields, type Column } from '../../src/metadata/udf.js';
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
      assert.deepEqual(byName.get('U_COR_FormType')?.schema.type, ['null', 'integer']);
      assert.deepEqual(byName.get('U_Belegok')?.schema, { type: ['null', 'string'], 'x-b1-property': 'U_Belegok' });
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
    assert.equal(model.structuredType('Document')?.properties.get('U_VPS_DTV_PRSTART')?.type, 'Edm.DateTimeOffset');
    assert.deepEqual(header.get('U_VPS_DTV_PRSTART'), {
      sapName: 'U_VPS_DTV_PRSTART',
      column: 'u_vps_dtv_prstart',
      schema: { type: ['null', 'string'], format: 'date', 'x-b1-property': 'U_VPS_DTV_PRSTART' },
    });
    assert.deepEqual(header.get('U_CKSDMSID')?.schema.type, ['null', 'integer']);
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

/** Whether every scalar property of a type became a column (nothing left out, no snake_case collision). */
function everyScalarPropertyIsAColumn(model: EdmModel, type: EdmStructuredType, columns: Column[]): boolean {
  const scalar = [...type.properties.values()].filter((property) => !['collection', 'complex'].includes(edmValueKind(model, property.type) ?? ''));
  return columns.length === scalar.length && columns.every((column, index) => column.sapName === scalar[index]!.name);
}

describe('structuredColumns', () => {
  test('standard documents we do not ship by default: Orders, DeliveryNotes', { skip: reference.skip }, () => {
    for (const document of REFERENCE_DOCUMENTS) {
      const model = referenceModel(document);
      for (const entitySet of ['Orders', 'DeliveryNotes']) {
        const entityType = model.entityTypeOfSet(entitySet);
        assert.ok(entityType !== undefined, `${document.label} ${entitySet}`);
        assert.equal(entityType.name, 'Document');
        assert.deepEqual(entityType.key, ['DocEntry']);
        const resolved = structuredColumns(model, entityType);
        const columns = new Map(resolved.map((column) => [column.column, column]));
        assert.deepEqual(columns.get('doc_entry')?.schema.type, ['null', 'integer']);
        assert.equal(columns.get('doc_total_fc')?.sapName, 'DocTotalFc');
        assert.equal(columns.get('doc_date')?.schema.format, 'date');
        assert.equal(columns.has('document_lines'), false, 'collections are not scalar columns');
        assertWellFormedColumns(resolved, `${document.label} ${entitySet}`);
        const lineType = collectionItemType(model, entityType, 'DocumentLines');
        assert.equal(lineType?.qualifiedName, 'SAPB1.DocumentLine');
        const lines = structuredColumns(model, lineType);
        assert.ok(lines.some((column) => column.sapName === 'LineNum' && (column.schema.type as string[]).includes('integer')));
        assertWellFormedColumns(lines, `${document.label} ${entitySet} lines`);
        assert.equal(edmValueKind(model, entityType.properties.get('AddressExtension')!.type), 'complex');
        assert.ok(everyScalarPropertyIsAColumn(model, entityType, resolved), 'every scalar property accounted for');
      }
    }
  });

  test('user-defined tables and objects', { skip: reference.skip }, () => {
    const recent = referenceModel(referenceDocument('v2-softwaredesign'));
    const table = structuredColumns(recent, recent.entityTypeOfSet('U_CKS_PREFIXES')!);
    assert.deepEqual(table.map((column) => column.column), ['code', 'name']);
    const udo = structuredColumns(recent, recent.entityTypeOfSet('COR_CUSTOM_FIELD2')!);
    assert.ok(udo.some((column) => column.sapName === 'UpdateDate' && column.schema.format === 'date'));
    assert.ok(udo.some((column) => column.sapName === 'U_RuleCode'));
  });

  test('an entity set that is not in the metadata has no type', { skip: reference.skip }, () => {
    assert.equal(referenceModel(referenceDocument('v2-gregorwolf')).entityTypeOfSet('U_FD_PROMOS'), undefined);
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
    const entityType = model.entityTypeOfSet('U_FD_PROMOS');
    assert.ok(entityType !== undefined);
    const resolved = structuredColumns(model, entityType);
    // U_DISCOUNT collides with U_Discount (the first wins); an Edm.Stream has no column type.
    assert.deepEqual(
      resolved.map((column) => [column.column, column.schema.type, column.schema.format]),
      [
        ['code', ['null', 'string'], undefined],
        ['name', ['null', 'string'], undefined],
        ['u_channel', ['null', 'string'], undefined],
        ['u_valid_from', ['null', 'string'], 'date'],
        ['u_active', ['null', 'boolean'], undefined],
        ['u_discount', ['null', 'number'], undefined],
      ],
    );
    assert.equal(resolved.find((column) => column.column === 'u_discount')?.sapName, 'U_Discount');
    assert.ok(!everyScalarPropertyIsAColumn(model, entityType, resolved));
    assert.deepEqual(names(structuredColumns(model, entityType, (name) => name.startsWith('U_V'))), ['U_ValidFrom']);
  });

  test('no snake_case collisions and nothing left out in any real type', { skip: reference.skip }, () => {
    for (const document of REFERENCE_DOCUMENTS) {
      const model = referenceModel(document);
      for (const type of [...model.entityTypes.values(), ...model.complexTypes.values()]) {
        assert.ok(everyScalarPropertyIsAColumn(model, type, structuredColumns(model, type)), `${document.label} ${type.name}`);
      }
    }
  });
});
