/**
 * The per-column mappings, evaluated as the engine evaluates them (render, then literal_eval) by
 * the test interpreter, on Service Layer values of both dialects. Expected values are written out
 * here, as the connector emits them.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { columnTemplate, recordTransformations } from '../../src/manifest/fields.js';
import type { ColumnPlan } from '../../src/streams/records.js';
import { columnSchema, type JsonSchemaFragment } from '../../src/json-schema.js';
import { shippedStreams, type ChildStreamDefinition } from '../../src/streams/definitions.js';
import { interpolate } from '../helpers/declarative/interpolation.js';

const invoices = shippedStreams.find((d) => d.name === 'invoices')!;
const items = shippedStreams.find((d) => d.name === 'items')!;
const invoiceLines = invoices.children.find((c) => c.name === 'invoice_lines')!;
const invoiceBatches = invoices.children.find((c) => c.name === 'invoices_batch_numbers')!;
const config = { service_layer_url: 'https://b1.example.com:50000/b1s/v2/', credentials: { company_db: 'SBO_FOODCO' } };

function sapColumn(property: string, schema: ColumnPlan['schema']): ColumnPlan {
  return { column: 'c', source: { kind: 'sap', property }, schema };
}

function value(column: ColumnPlan, record: Record<string, unknown>, child: ChildStreamDefinition | undefined = undefined, definition = invoices): unknown {
  const template = columnTemplate(column, { definition, child });
  assert.ok(template);
  return interpolate(template, { record, config });
}

// The column schemas the connector publishes (json-schema.ts columnSchema).
const fragment = (kind: Parameters<typeof columnSchema>[0]): JsonSchemaFragment => ({ ...columnSchema(kind, 'X') });
const text = fragment('string');
const integer = fragment('integer');
const number = fragment('number');
const boolean = fragment('boolean');
const date = fragment('date');
const time = fragment('time_without_timezone');

/** Each Service Layer value of the property, with the value the column must get. */
function assertValues(column: ColumnPlan, cases: [unknown, unknown][]): void {
  const property = (column.source as { property: string }).property;
  for (const [input, expected] of cases) {
    assert.deepEqual(value(column, input === undefined ? {} : { [property]: input }), expected, `${property} ${JSON.stringify(input)}`);
  }
}

describe('column values', () => {
  const cases: [string, ColumnPlan, [unknown, unknown][]][] = [
    [
      'text stays text, also when it looks like a number, a literal or None',
      sapColumn('CardCode', text),
      [
        ['00123', '00123'],
        ['123', '123'],
        ['1e5', '1e5'],
        ['None', 'None'],
        ["it's \"quoted\"", 'it\'s "quoted"'],
        ['Müller\nGmbH', 'Müller\nGmbH'],
        ['', ''],
        [null, null],
        [undefined, null],
      ],
    ],
    ['integers stay integers; a fraction is not one', sapColumn('DocEntry', integer), [[42, 42], [4.5, null]]],
    ['amounts stay numbers', sapColumn('DocTotal', number), [[1130.5, 1130.5], [0, 0], ['x', null]]],
    ['tYES and tNO become booleans', sapColumn('Cancelled', boolean), [['tYES', true], ['tNO', false], [true, true], ['maybe', null], [null, null]]],
    [
      'dates of both dialects become ISO dates',
      sapColumn('DocDate', date),
      [['2024-01-15T00:00:00Z', '2024-01-15'], ['2024-01-15', '2024-01-15'], ['20240115', '2024-01-15'], [null, null]],
    ],
    ['times become HH:MM:SS', sapColumn('DocTime', time), [['10:15', '10:15:00'], ['10:15:30', '10:15:30'], ['10:15:30.123', '10:15:30'], [null, null]]],
  ];
  for (const [name, column, values] of cases) test(name, () => assertValues(column, values));

  test('updated_at combines the change date and time, company-local', () => {
    const column: ColumnPlan = { column: 'updated_at', source: { kind: 'updated_at' }, schema: {} };
    assert.equal(value(column, { UpdateDate: '2026-11-24T00:00:00Z', UpdateTime: '18:05:09' }), '2026-11-24T18:05:09');
    assert.equal(value(column, { UpdateDate: '2026-11-24', UpdateTime: null }), '2026-11-24T00:00:00');
    assert.equal(value(column, { UpdateDate: null, UpdateTime: '18:05:09' }), null);
  });

  test("a line carries its parent's key and stamp", () => {
    const parent = { DocEntry: 7, UpdateDate: '2026-11-24', UpdateTime: '08:00:00', DocumentLines: [] };
    const line = { LineNum: 0, DocEntry: 999, original_record: parent };
    assert.equal(value({ column: 'doc_entry', source: { kind: 'parent_key' }, schema: integer }, line, invoiceLines), 7);
    assert.equal(value({ column: 'parent_updated_at', source: { kind: 'parent_updated_at' }, schema: {} }, line, invoiceLines), '2026-11-24T08:00:00');
  });

  test("a line's batch allocation carries its document's key, and its line's key from its own BaseLineNumber", () => {
    const parent = { DocEntry: 7, UpdateDate: '2026-11-24', UpdateTime: '08:00:00', DocumentLines: [] };
    const batch = { BatchNumberProperty: 'B-1', BaseLineNumber: 2, Quantity: 3.0, original_record: parent };
    assert.equal(value({ column: 'doc_entry', source: { kind: 'parent_key' }, schema: integer }, batch, invoiceBatches), 7);
    assert.equal(value({ column: 'base_line_number', source: { kind: 'line_key' }, schema: integer }, batch, invoiceBatches), 2);
    assert.equal(columnTemplate({ column: 'base_line_number', source: { kind: 'line_key' }, schema: integer }, { definition: invoices, child: invoiceLines }), undefined, 'only nested rows have a line key');
  });

  test("the source URL quotes text keys as the image does", () => {
    const column: ColumnPlan = { column: '_b1_source_url', source: { kind: 'audit', name: '_b1_source_url' }, schema: {} };
    assert.equal(value(column, { DocEntry: 7 }), 'https://b1.example.com:50000/b1s/v2/Invoices(7)');
    assert.equal(value(column, { ItemCode: "A'1" }, undefined, items), "https://b1.example.com:50000/b1s/v2/Items('A''1')");
  });

  test('the company database comes from the config', () => {
    assert.equal(value({ column: '_b1_company_db', source: { kind: 'audit', name: '_b1_company_db' }, schema: {} }, {}), 'SBO_FOODCO');
  });

  test('a nested collection column keeps its rows, with column names and typed values', () => {
    const schema = {
      type: ['null', 'array'],
      items: { type: 'object', properties: { center_code: { ...text, 'x-b1-property': 'CenterCode' }, effective_from: { ...date, 'x-b1-property': 'EffectiveFrom' } } },
    };
    const column = sapColumn('DistributionRuleLines', schema);
    assert.deepEqual(value(column, { DistributionRuleLines: [{ CenterCode: 'NE', EffectiveFrom: '2020-01-01T00:00:00Z', Other: 1 }, { CenterCode: '007', EffectiveFrom: null }] }), [
      { center_code: 'NE', effective_from: '2020-01-01' },
      { center_code: '007', effective_from: null },
    ]);
    assert.deepEqual(value(column, { DistributionRuleLines: [] }), []);
    assert.equal(value(column, { DistributionRuleLines: null }), null);
  });
});

describe('record transformations', () => {
  test('the record hash is computed first, on the record as the Service Layer sent it', () => {
    const columns: ColumnPlan[] = [
      { column: 'doc_entry', source: { kind: 'sap', property: 'DocEntry' }, schema: integer },
      { column: '_b1_record_hash', source: { kind: 'audit', name: '_b1_record_hash' }, schema: {} },
    ];
    const [addFields, flatten] = recordTransformations(columns, { definition: invoices, child: undefined });
    const fields = (addFields as unknown as { fields: { path: string[] }[] }).fields;
    assert.deepEqual(
      fields.map((f) => f.path[1]),
      ['_b1_record_hash', 'doc_entry'],
    );
    assert.deepEqual(flatten, { type: 'DpathFlattenFields', field_path: ['_b1_out'], replace_record: true });
  });

  test("a line's own hash leaves its parent copy out, and its parent hash is the parent's record hash", () => {
    const parent = { DocEntry: 7, DocumentLines: [{ LineNum: 0 }] };
    const line = { LineNum: 0, original_record: structuredClone(parent) };
    const context = { definition: invoices, child: invoiceLines };
    const parentHash = interpolate(columnTemplate({ column: '_b1_record_hash', source: { kind: 'audit', name: '_b1_record_hash' }, schema: {} }, { definition: invoices, child: undefined })!, { record: parent, config });
    const childParentHash = interpolate(columnTemplate({ column: '_b1_parent_record_hash', source: { kind: 'parent_hash' }, schema: {} }, context)!, { record: line, config });
    const lineHash = interpolate(columnTemplate({ column: '_b1_record_hash', source: { kind: 'audit', name: '_b1_record_hash' }, schema: {} }, context)!, { record: line, config });
    assert.equal(childParentHash, parentHash);
    const lineWithOtherParent = { ...line, original_record: { DocEntry: 8 } };
    assert.equal(interpolate(columnTemplate({ column: '_b1_record_hash', source: { kind: 'audit', name: '_b1_record_hash' }, schema: {} }, context)!, { record: lineWithOtherParent, config }), lineHash);
    assert.match(String(lineHash), /^[0-9a-f]{64}$/);
  });
});
