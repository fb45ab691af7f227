/**
 * Sales margin at line grain: A/R invoice lines minus A/R credit-note lines, current lines of
 * documents that are neither cancelled nor cancellation documents, joined to the document,
 * customer and region, item and item group, warehouse, cost centers and revenue account.
 *
 * Amounts are SAP's local-currency line values: revenue is LineTotal (after the line discount,
 * before any document-level discount), gross margin is the line's GrossProfit as SAP computed it
 * (LineTotal less the gross-profit base price times quantity), and cost of goods is the
 * difference, LineTotal - GrossProfit. GrossProfit rather than Quantity * GrossBuyPrice because
 * SAP prices the cost in inventory units and applies its own rounding; the difference always
 * reconciles with SAP's gross profit report.
 */
import { emptyContribution, hasColumns, type GeneratorContext, type SubjectContribution } from './context.js';
import { addDerivedExplore, derivedColumnSql, derivedField, documentLineKeys } from './derived.js';
import { AMOUNT_FORMAT, PERCENT_FORMAT, QUANTITY_FORMAT, dimension, measure } from './fields.js';
import { buildJoins, type JoinSpec } from './joins.js';
import { documentLineUnion, headerColumn, lineColumn, type DocumentLineSource, type UnionColumn } from './line-union.js';
import type { LookmlNode } from './lookml-text.js';
import { masterDataJoins } from './master-joins.js';

export const SALES_MARGIN_VIEW = 'sales_margin_lines';
export const SALES_MARGIN_EXPLORE = 'sales_margin';

const SOURCES: DocumentLineSource[] = [
  { kind: 'invoice', header: 'invoices', lines: 'invoice_lines', headerKey: 'doc_entry', lineParentKey: 'doc_entry', lineKey: 'line_num', sign: 1 },
  {
    kind: 'credit_note',
    header: 'credit_notes',
    lines: 'credit_note_lines',
    headerKey: 'doc_entry',
    lineParentKey: 'doc_entry',
    lineKey: 'line_num',
    sign: -1,
  },
];

const COLUMNS: UnionColumn[] = [
  { alias: 'doc_entry', kind: 'integer', value: lineColumn('doc_entry') },
  { alias: 'line_num', kind: 'integer', value: lineColumn('line_num') },
  { alias: 'doc_num', kind: 'integer', value: headerColumn('doc_num') },
  { alias: 'doc_date', kind: 'date', value: headerColumn('doc_date') },
  { alias: 'card_code', kind: 'string', value: headerColumn('card_code') },
  { alias: 'item_code', kind: 'string', value: lineColumn('item_code') },
  { alias: 'warehouse_code', kind: 'string', value: lineColumn('warehouse_code') },
  { alias: 'costing_code', kind: 'string', value: lineColumn('costing_code') },
  { alias: 'costing_code2', kind: 'string', value: lineColumn('costing_code2') },
  { alias: 'account_code', kind: 'string', value: lineColumn('account_code') },
  { alias: 'line_quantity', kind: 'number', signed: true, value: lineColumn('quantity') },
  { alias: 'line_revenue', kind: 'number', signed: true, value: lineColumn('line_total') },
  {
    alias: 'line_cost_of_goods',
    kind: 'number',
    signed: true,
    value: (ref) => {
      const total = ref('line', 'line_total');
      const profit = ref('line', 'gross_profit');
      return total && profit ? `${total} - ${profit}` : undefined;
    },
  },
  { alias: 'line_gross_margin', kind: 'number', signed: true, value: lineColumn('gross_profit') },
];

const REQUIRED = { header: ['doc_date', 'card_code'], line: ['quantity', 'line_total', 'gross_profit'] };

export function salesMargin(ctx: GeneratorContext): SubjectContribution {
  const contribution = emptyContribution();
  const union = documentLineUnion(ctx, SOURCES, COLUMNS, REQUIRED);
  if (!union) {
    contribution.notes.push(
      `explore ${SALES_MARGIN_EXPLORE} is left out: it needs invoices with invoice_lines or credit_notes with credit_note_lines.`,
    );
    return contribution;
  }
  contribution.notes.push(...union.notes);
  if (!union.kinds.includes('credit_note'))
    contribution.notes.push(`explore ${SALES_MARGIN_EXPLORE}: without credit notes, margins are not netted of returns.`);

  const base = (field: string) => `\${${SALES_MARGIN_VIEW}.${field}}`;
  const documentJoins: JoinSpec[] = SOURCES.filter((s) => union.kinds.includes(s.kind)).flatMap((s): JoinSpec[] => {
    const isKind = `${base('document_kind')} = '${s.kind}'`;
    return [
      {
        name: s.kind,
        from: s.header,
        viewLabel: s.kind === 'invoice' ? 'Invoice' : 'Credit note',
        relationship: 'many_to_one',
        sqlOn: `${isKind} AND \${${s.kind}.doc_entry} = ${base('doc_entry')}`,
        requires: [{ table: s.header, columns: ['doc_entry'] }],
      },
      {
        name: `${s.kind}_line`,
        from: s.lines,
        viewLabel: s.kind === 'invoice' ? 'Invoice line' : 'Credit note line',
        relationship: 'one_to_one',
        sqlOn: `${isKind} AND \${${s.kind}_line.doc_entry} = ${base('doc_entry')} AND \${${s.kind}_line.line_num} = ${base('line_num')}`,
        requires: [{ table: s.lines, columns: ['doc_entry', 'line_num'] }],
      },
    ];
  });
  const joins = buildJoins(ctx, SALES_MARGIN_EXPLORE, [
    ...documentJoins,
    ...masterDataJoins({
      baseView: SALES_MARGIN_VIEW,
      partner: { name: 'customer', label: 'Customer', column: 'card_code' },
      item: 'item_code',
      warehouse: 'warehouse_code',
      costCenter1: 'costing_code',
      costCenter2: 'costing_code2',
      account: { name: 'revenue_account', label: 'Revenue account', column: 'account_code' },
    }),
  ]);
  contribution.notes.push(...joins.notes);

  addDerivedExplore(contribution, ctx, {
    name: SALES_MARGIN_EXPLORE,
    view: SALES_MARGIN_VIEW,
    label: 'Sales margin',
    description: 'Revenue, cost of goods and gross margin per invoice and credit-note line, by region, customer, item, warehouse and cost center.',
    viewDescription: `Current lines of A/R invoices (${union.kinds.includes('credit_note') ? 'plus' : 'without'} A/R credit notes, negated), excluding cancelled documents and cancellation documents. Amounts in local currency.`,
    sql: union.sql,
    fields: [...viewFields(ctx), regionDimension(ctx, joins.kept), ...measures()],
    joins: joins.nodes,
  });
  return contribution;
}

function viewFields(ctx: GeneratorContext): LookmlNode[] {
  const t = derivedColumnSql;
  return [
    ...documentLineKeys(ctx),
    dimension('document_kind', { type: 'string', description: 'invoice or credit_note.', sql: t('document_kind') }),
    dimension('line_sign', { type: 'number', hidden: true, description: '1 for invoice lines, -1 for credit-note lines.', sql: t('line_sign') }),
    ...COLUMNS.map((c) =>
      derivedField(ctx, c.alias, c.kind, {
        groupName: c.alias === 'doc_date' ? 'doc' : undefined,
        label: c.alias === 'doc_date' ? 'Posting' : undefined,
        groupLabel: c.alias.startsWith('line_') && c.kind === 'number' ? 'Line values (signed)' : undefined,
        valueFormatName: c.kind === 'number' && c.alias !== 'line_quantity' ? AMOUNT_FORMAT : undefined,
      }),
    ),
  ];
}

/** Region: the customer's U_Region when the catalog has it, else the line's dimension-1 cost center. */
function regionDimension(ctx: GeneratorContext, kept: Set<string>): LookmlNode {
  if (kept.has('customer') && hasColumns(ctx, 'business_partners', ['u_region'])) {
    return dimension('region', {
      type: 'string',
      description: "The customer's region: the user-defined field U_Region on the business partner.",
      sql: '${customer.u_region}',
    });
  }
  if (kept.has('cost_center_1') && hasColumns(ctx, 'cost_centers', ['center_name'])) {
    return dimension('region', {
      type: 'string',
      description: 'The cost center of dimension 1 on the line (the catalog has no U_Region on business partners).',
      sql: `COALESCE(\${cost_center_1.center_name}, ${derivedColumnSql('costing_code')})`,
    });
  }
  return dimension('region', {
    type: 'string',
    description: 'The cost center code of dimension 1 on the line (the catalog has no U_Region on business partners).',
    sql: derivedColumnSql('costing_code'),
  });
}

function measures(): LookmlNode[] {
  return [
    measure('revenue', {
      type: 'sum',
      sql: '${line_revenue}',
      valueFormatName: AMOUNT_FORMAT,
      description: 'Line totals of invoices less credit notes, local currency.',
    }),
    measure('cost_of_goods', {
      type: 'sum',
      sql: '${line_cost_of_goods}',
      valueFormatName: AMOUNT_FORMAT,
      description: 'LineTotal - GrossProfit: the gross-profit base cost SAP applied to the line.',
    }),
    measure('gross_margin', {
      type: 'sum',
      sql: '${line_gross_margin}',
      valueFormatName: AMOUNT_FORMAT,
      description: "SAP's GrossProfit of the lines, net of credit notes.",
    }),
    measure('gross_margin_pct', {
      type: 'number',
      label: 'Gross margin %',
      sql: '${gross_margin} / NULLIF(${revenue}, 0)',
      valueFormatName: PERCENT_FORMAT,
    }),
    measure('quantity', {
      type: 'sum',
      sql: '${line_quantity}',
      valueFormat: QUANTITY_FORMAT,
      description: 'Quantity invoiced less quantity credited.',
    }),
    measure('document_count', { type: 'count_distinct', sql: '${document_key}', description: 'Invoices and credit notes.' }),
    measure('invoice_count', { type: 'count_distinct', sql: `CASE WHEN \${document_kind} = 'invoice' THEN \${document_key} END` }),
    measure('credit_note_count', { type: 'count_distinct', sql: `CASE WHEN \${document_kind} = 'credit_note' THEN \${document_key} END` }),
    measure('line_count', { type: 'count' }),
  ];
}
