/**
 * Purchasing at line grain: purchase-order, goods-receipt and purchase-invoice lines (current
 * lines of documents that are neither cancelled nor cancellation documents), joined to the
 * vendor, item and item group and warehouse. Ordered, received and invoiced quantities and
 * amounts sit side by side so that open orders and receipts not yet invoiced can be compared.
 */
import { emptyContribution, type GeneratorContext, type SubjectContribution } from './context.js';
import { addDerivedExploreJoining, derivedColumnSql, derivedField, documentLineKeys } from './derived.js';
import { amountOptions, dimension, fieldSet, measure, QUANTITY_FORMAT } from './fields.js';
import { documentLineUnion, LINE_IDENTITY_COLUMNS, lineColumn, type DocumentLineSource, type UnionColumn } from './line-union.js';
import { fieldList, type LookmlNode } from './lookml-text.js';
import { masterDataJoins } from './master-joins.js';

export const PURCHASING_VIEW = 'purchase_lines';
export const PURCHASING_EXPLORE = 'purchasing';

const SOURCES: { source: DocumentLineSource; label: string; title: string }[] = [
  { source: { kind: 'purchase_order', header: 'purchase_orders', sign: 1 }, label: 'ordered', title: 'Ordered' },
  { source: { kind: 'goods_receipt', header: 'goods_receipts', sign: 1 }, label: 'received', title: 'Received' },
  { source: { kind: 'purchase_invoice', header: 'purchase_invoices', sign: 1 }, label: 'invoiced', title: 'Invoiced' },
];

const COLUMNS: UnionColumn[] = [
  ...LINE_IDENTITY_COLUMNS,
  { alias: 'base_entry', kind: 'integer', value: lineColumn('base_entry') },
  { alias: 'line_quantity', kind: 'number', value: lineColumn('quantity') },
  { alias: 'line_amount', kind: 'number', value: lineColumn('line_total') },
  { alias: 'line_open_quantity', kind: 'number', value: lineColumn('remaining_open_quantity') },
];

const PRESENTATION: Record<string, { label: string; description: string; group?: string; hidden?: boolean }> = {
  doc_entry: { label: 'Document entry', description: 'Internal key of the document (DocEntry).', hidden: true },
  line_num: { label: 'Line number', description: 'Line of the document (LineNum).', hidden: true },
  doc_num: { label: 'Document number', description: 'Number of the document (DocNum).', group: 'Document' },
  doc_date: { label: 'Posting', description: 'Posting date of the document (DocDate).' },
  card_code: { label: 'Vendor code', description: 'Vendor of the document (CardCode).', group: 'Document' },
  item_code: { label: 'Item code', description: 'Item of the line (ItemCode).', group: 'Document' },
  warehouse_code: { label: 'Warehouse code', description: 'Warehouse of the line (WarehouseCode).', group: 'Document' },
  base_entry: { label: 'Base document entry', description: 'Internal key of the document this line was copied from (BaseEntry), e.g. the order of a receipt.', group: 'Document' },
  line_quantity: { label: 'Line quantity', description: 'Quantity of the line (Quantity).', hidden: true },
  line_amount: { label: 'Line amount', description: 'Line total in local currency (LineTotal).', hidden: true },
  line_open_quantity: { label: 'Open quantity', description: 'Quantity not yet received or invoiced (RemainingOpenQuantity).', hidden: true },
};

export function purchasing(ctx: GeneratorContext): SubjectContribution {
  const contribution = emptyContribution();
  const union = documentLineUnion(
    ctx,
    SOURCES.map((s) => s.source),
    COLUMNS,
    { header: ['doc_date', 'card_code'], line: ['quantity', 'line_total'] },
  );
  if (!union) {
    contribution.notes.push(`explore ${PURCHASING_EXPLORE} is left out: it needs purchase orders, goods receipts or purchase invoices with their lines.`);
    return contribution;
  }
  contribution.notes.push(...union.notes);
  addDerivedExploreJoining(
    contribution,
    ctx,
    {
      name: PURCHASING_EXPLORE,
      view: PURCHASING_VIEW,
      label: 'Purchasing',
      description: 'Ordered, received and invoiced quantities and amounts per purchasing document line, by vendor, item and warehouse.',
      viewDescription: `Current lines of ${union.kinds.join(', ')} documents, excluding cancelled documents and cancellation documents. Amounts in local currency.`,
      sql: union.sql,
      fields: [...viewFields(ctx), ...measures(ctx, union.kinds)],
    },
    masterDataJoins({
      baseView: PURCHASING_VIEW,
      partner: { name: 'vendor', label: 'Vendor', column: 'card_code' },
      item: 'item_code',
      warehouse: 'warehouse_code',
    }),
  );
  return contribution;
}

function viewFields(ctx: GeneratorContext): LookmlNode[] {
  return [
    ...documentLineKeys(ctx),
    dimension('document_kind', {
      type: 'string',
      label: 'Document type',
      groupLabel: 'Document',
      description: 'purchase_order, goods_receipt or purchase_invoice.',
      sql: derivedColumnSql('document_kind'),
    }),
    ...COLUMNS.map((c) => {
      const p = PRESENTATION[c.alias]!;
      return derivedField(ctx, c.alias, c.kind, {
        groupName: c.alias === 'doc_date' ? 'posting' : undefined,
        label: p.label,
        description: p.description,
        groupLabel: p.group,
        hidden: p.hidden,
        ...(c.alias === 'line_amount' ? amountOptions(ctx.amount) : c.alias.endsWith('quantity') ? { valueFormat: QUANTITY_FORMAT } : {}),
      });
    }),
    fieldSet('purchase_detail', ['document_kind', 'doc_num', 'posting_date', 'card_code', 'item_code', 'warehouse_code', 'base_entry']),
    fieldList('drill_fields', ['purchase_detail*']),
  ];
}

function measures(ctx: GeneratorContext, kinds: readonly string[]): LookmlNode[] {
  const amount = amountOptions(ctx.amount);
  const drill = ['purchase_detail*'];
  const fields: LookmlNode[] = [];
  for (const { source, label, title } of SOURCES) {
    if (!kinds.includes(source.kind)) continue;
    const when = (value: string) => `CASE WHEN \${document_kind} = '${source.kind}' THEN ${value} END`;
    const noun = source.kind.replace(/_/g, ' ');
    fields.push(
      measure(`${label}_quantity`, { type: 'sum', label: `${title} quantity`, description: `Quantity on ${noun} lines.`, sql: when('${line_quantity}'), valueFormat: QUANTITY_FORMAT, drillFields: drill }),
      measure(`${label}_amount`, { type: 'sum', label: `${title} amount`, description: `Line totals of ${noun} lines, local currency.`, sql: when('${line_amount}'), ...amount, drillFields: drill }),
      measure(`${source.kind}_count`, { type: 'count_distinct', label: `${title} documents`, description: `Number of ${noun} documents.`, sql: when('${document_key}'), drillFields: drill }),
    );
  }
  if (kinds.includes('purchase_order')) {
    fields.push(
      measure('open_order_quantity', {
        type: 'sum',
        label: 'Open order quantity',
        description: 'Quantity still to be received on purchase-order lines.',
        sql: `CASE WHEN \${document_kind} = 'purchase_order' THEN \${line_open_quantity} END`,
        valueFormat: QUANTITY_FORMAT,
        drillFields: drill,
      }),
    );
  }
  if (kinds.includes('goods_receipt')) {
    fields.push(
      measure('average_receipt_unit_cost', {
        type: 'number',
        label: 'Average receipt unit cost',
        description: 'Received amount per unit received.',
        sql: '${received_amount} / NULLIF(${received_quantity}, 0)',
        ...amount,
      }),
    );
  }
  fields.push(
    measure('document_count', { type: 'count_distinct', label: 'Documents', description: 'Purchasing documents.', sql: '${document_key}', drillFields: drill }),
    measure('line_count', { type: 'count', label: 'Document lines', description: 'Purchasing document lines.', drillFields: drill }),
  );
  return fields;
}
