/**
 * Purchasing at line grain: purchase-order, goods-receipt and purchase-invoice lines (current
 * lines of documents that are neither cancelled nor cancellation documents), joined to the
 * vendor, item and item group and warehouse. Ordered, received and invoiced quantities and
 * amounts sit side by side so that open orders and receipts not yet invoiced can be compared.
 */
import { emptyContribution, type GeneratorContext, type SubjectContribution } from './context.js';
import { addDerivedExplore, derivedColumnSql, derivedField, documentLineKeys } from './derived.js';
import { AMOUNT_FORMAT, QUANTITY_FORMAT, dimension, measure } from './fields.js';
import { buildJoins } from './joins.js';
import { documentLineUnion, headerColumn, lineColumn, type DocumentLineSource, type UnionColumn } from './line-union.js';
import type { LookmlNode } from './lookml-text.js';
import { masterDataJoins } from './master-joins.js';

export const PURCHASING_VIEW = 'purchase_lines';
export const PURCHASING_EXPLORE = 'purchasing';

const document = (kind: string, header: string, lines: string): DocumentLineSource => ({
  kind,
  header,
  lines,
  headerKey: 'doc_entry',
  lineParentKey: 'doc_entry',
  lineKey: 'line_num',
  sign: 1,
});

const SOURCES: { source: DocumentLineSource; label: string }[] = [
  { source: document('purchase_order', 'purchase_orders', 'purchase_order_lines'), label: 'ordered' },
  { source: document('goods_receipt', 'goods_receipts', 'goods_receipt_lines'), label: 'received' },
  { source: document('purchase_invoice', 'purchase_invoices', 'purchase_invoice_lines'), label: 'invoiced' },
];

const COLUMNS: UnionColumn[] = [
  { alias: 'doc_entry', kind: 'integer', value: lineColumn('doc_entry') },
  { alias: 'line_num', kind: 'integer', value: lineColumn('line_num') },
  { alias: 'doc_num', kind: 'integer', value: headerColumn('doc_num') },
  { alias: 'doc_date', kind: 'date', value: headerColumn('doc_date') },
  { alias: 'card_code', kind: 'string', value: headerColumn('card_code') },
  { alias: 'item_code', kind: 'string', value: lineColumn('item_code') },
  { alias: 'warehouse_code', kind: 'string', value: lineColumn('warehouse_code') },
  { alias: 'base_entry', kind: 'integer', value: lineColumn('base_entry') },
  { alias: 'line_quantity', kind: 'number', value: lineColumn('quantity') },
  { alias: 'line_amount', kind: 'number', value: lineColumn('line_total') },
  { alias: 'line_open_quantity', kind: 'number', value: lineColumn('remaining_open_quantity') },
];

export function purchasing(ctx: GeneratorContext): SubjectContribution {
  const contribution = emptyContribution();
  const union = documentLineUnion(
    ctx,
    SOURCES.map((s) => s.source),
    COLUMNS,
    { header: ['doc_date', 'card_code'], line: ['quantity', 'line_total'] },
  );
  if (!union) {
    contribution.notes.push(
      `explore ${PURCHASING_EXPLORE} is left out: it needs purchase orders, goods receipts or purchase invoices with their lines.`,
    );
    return contribution;
  }
  contribution.notes.push(...union.notes);
  const joins = buildJoins(
    ctx,
    PURCHASING_EXPLORE,
    masterDataJoins({
      baseView: PURCHASING_VIEW,
      partner: { name: 'vendor', label: 'Vendor', column: 'card_code' },
      item: 'item_code',
      warehouse: 'warehouse_code',
    }),
  );
  contribution.notes.push(...joins.notes);
  addDerivedExplore(contribution, ctx, {
    name: PURCHASING_EXPLORE,
    view: PURCHASING_VIEW,
    label: 'Purchasing',
    description: 'Ordered, received and invoiced quantities and amounts per purchasing document line, by vendor, item and warehouse.',
    viewDescription: `Current lines of ${union.kinds.join(', ')} documents, excluding cancelled documents and cancellation documents. Amounts in local currency.`,
    sql: union.sql,
    fields: [...viewFields(ctx), ...measures(union.kinds)],
    joins: joins.nodes,
  });
  return contribution;
}

function viewFields(ctx: GeneratorContext): LookmlNode[] {
  const t = derivedColumnSql;
  return [
    ...documentLineKeys(ctx),
    dimension('document_kind', { type: 'string', description: 'purchase_order, goods_receipt or purchase_invoice.', sql: t('document_kind') }),
    ...COLUMNS.map((c) =>
      derivedField(ctx, c.alias, c.kind, {
        groupName: c.alias === 'doc_date' ? 'doc' : undefined,
        label: c.alias === 'doc_date' ? 'Posting' : c.alias === 'base_entry' ? 'Base document entry' : undefined,
        groupLabel: c.alias.startsWith('line_') ? 'Line values' : undefined,
        valueFormatName: c.alias === 'line_amount' ? AMOUNT_FORMAT : undefined,
      }),
    ),
  ];
}

function measures(kinds: readonly string[]): LookmlNode[] {
  const fields: LookmlNode[] = [];
  for (const { source, label } of SOURCES) {
    if (!kinds.includes(source.kind)) continue;
    const when = (value: string) => `CASE WHEN \${document_kind} = '${source.kind}' THEN ${value} END`;
    fields.push(
      measure(`${label}_quantity`, { type: 'sum', sql: when('${line_quantity}'), valueFormat: QUANTITY_FORMAT }),
      measure(`${label}_amount`, {
        type: 'sum',
        sql: when('${line_amount}'),
        valueFormatName: AMOUNT_FORMAT,
        description: 'Line totals, local currency.',
      }),
      measure(`${source.kind}_count`, { type: 'count_distinct', sql: when('${document_key}') }),
    );
  }
  if (kinds.includes('purchase_order')) {
    fields.push(
      measure('open_order_quantity', {
        type: 'sum',
        sql: `CASE WHEN \${document_kind} = 'purchase_order' THEN \${line_open_quantity} END`,
        valueFormat: QUANTITY_FORMAT,
        description: 'Quantity still to be received on purchase-order lines.',
      }),
    );
  }
  if (kinds.includes('goods_receipt')) {
    fields.push(
      measure('average_receipt_unit_cost', {
        type: 'number',
        sql: '${received_amount} / NULLIF(${received_quantity}, 0)',
        valueFormatName: AMOUNT_FORMAT,
        description: 'Received amount per unit received.',
      }),
    );
  }
  fields.push(measure('document_count', { type: 'count_distinct', sql: '${document_key}' }), measure('line_count', { type: 'count' }));
  return fields;
}
