/**
 * Inventory aging: stock on hand per item and warehouse, valued and split into FIFO age layers.
 *
 * Age method (FIFO layers): with first-in-first-out, what is on hand in a warehouse is what
 * arrived there most recently, whatever left in between. So the inflows into the warehouse are
 * walked newest first, each covering on-hand quantity until the stock is used up; each such
 * layer is as old as its inflow's posting date. Inflows are every document that brings stock
 * into a warehouse: goods receipt POs, A/P invoices not based on a goods receipt (they post stock
 * themselves), goods receipts (inventory_gen_entries), customer returns, credit notes not based on
 * a return, and stock transfers in (the transfer line's warehouse is the destination). Cancelled
 * documents and cancellation documents are not inflows (a cancelled receipt brought nothing; stock
 * an issue's cancellation brings back is aged as the older stock it was). Streams the catalog lacks are simply not
 * inflows. Stock not covered by the synced inflows (opening balances, production, history before
 * the sync start) is one layer "Before inflow history" without an age. The layers of a stock row
 * add up exactly to its InStock, so quantity and value can be summed by age bucket. Value is
 * quantity times the warehouse's item cost (StandardAveragePrice), in local currency.
 *
 * Month-end history is stock-history.ts (item_warehouse_stock synced in append mode); expiry of
 * batch-managed items is batch-expiry.ts.
 */
import { columnSql, emptyContribution, hasColumns, hasTable, missingColumns, tableSql, type GeneratorContext, type SubjectContribution } from './context.js';
import { currentVersionColumns, parentChildJoinSql, relationOfChild, staleRowsNote } from './current-rows.js';
import { addDerivedExploreJoining, bucketDimensions, derivedColumnSql, derivedField, indentSql, itemWarehouseFields, rowKeyDimension, type Bucket } from './derived.js';
import { amountOptions, dimension, fieldSet, measure, QUANTITY_FORMAT } from './fields.js';
import type { JoinSpec } from './joins.js';
import { documentLineUnion, lineColumn, headerColumn, type DocumentLineSource, type UnionColumn } from './line-union.js';
import { fieldList, type LookmlNode } from './lookml-text.js';
import { masterDataJoins } from './master-joins.js';
import { DETAIL_SET } from './stream-views.js';

export const INVENTORY_VIEW = 'inventory_age_layers';
export const INVENTORY_EXPLORE = 'inventory_aging';
const STOCK = 'item_warehouse_stock';

/** Upper bounds (days) of the age buckets; older stock falls in the last, open bucket. */
export const AGE_BUCKET_LIMITS = [30, 60, 90, 180, 365] as const;

/** Documents that bring stock into the warehouse of their lines. */
const INFLOWS: (DocumentLineSource & { onlyWhen?: { column: string; sql: (l: string) => string } })[] = [
  { kind: 'goods_receipt_po', header: 'goods_receipts', sign: 1 },
  // An A/P invoice copied from a goods receipt PO (BaseType 20) moved no stock: the receipt did.
  { kind: 'purchase_invoice', header: 'purchase_invoices', sign: 1, onlyWhen: { column: 'base_type', sql: (l) => `COALESCE(${l}, -1) <> 20` } },
  { kind: 'goods_receipt', header: 'inventory_gen_entries', sign: 1 },
  { kind: 'return', header: 'returns', sign: 1 },
  // A credit memo brings goods back unless it is based on a return (BaseType 16), which did.
  { kind: 'credit_note', header: 'credit_notes', sign: 1, onlyWhen: { column: 'base_type', sql: (l) => `COALESCE(${l}, -1) <> 16` } },
  { kind: 'transfer_in', header: 'stock_transfers', sign: 1, collection: 'StockTransferLines' },
];

const INFLOW_COLUMNS: UnionColumn[] = [
  { alias: 'item_code', kind: 'string', value: lineColumn('item_code') },
  { alias: 'warehouse_code', kind: 'string', value: lineColumn('warehouse_code') },
  { alias: 'inflow_date', kind: 'date', value: headerColumn('doc_date') },
  { alias: 'doc_entry', kind: 'integer', value: lineColumn('doc_entry') },
  { alias: 'line_num', kind: 'integer', value: lineColumn('line_num') },
  {
    alias: 'inflow_quantity',
    kind: 'number',
    value: (ref) => {
      const quantity = ref('line', 'quantity');
      const inventory = ref('line', 'inventory_quantity');
      return inventory && quantity ? `COALESCE(${inventory}, ${quantity})` : quantity;
    },
  },
];

export function inventory(ctx: GeneratorContext): SubjectContribution {
  const contribution = emptyContribution();
  const lacking = missingColumns(ctx, STOCK, ['item_code', 'warehouse_code', 'in_stock']);
  if (lacking.length) {
    contribution.notes.push(
      `explore ${INVENTORY_EXPLORE} is left out: the catalog lacks ${hasTable(ctx, STOCK) ? `${STOCK}.${lacking.join(`, ${STOCK}.`)}` : `the ${STOCK} stream`}.`,
    );
  } else {
    addInventory(ctx, contribution);
  }
  contribution.viewFields.push({ view: STOCK, fields: stockMeasures(ctx) });
  return contribution;
}

function addInventory(ctx: GeneratorContext, contribution: SubjectContribution): void {
  const stock = stockSql(ctx, contribution.notes);
  const inflows = documentLineUnion(ctx, INFLOWS, INFLOW_COLUMNS, { header: ['doc_date'], line: ['item_code', 'warehouse_code', 'quantity'] }, (ref, source) => {
    const rule = INFLOWS.find((i) => i.kind === source.kind)?.onlyWhen;
    const column = rule ? ref('line', rule.column) : undefined;
    return rule && column ? rule.sql(column) : undefined;
  });
  if (inflows) contribution.notes.push(...inflows.notes.filter((n) => !/lines are left out: the catalog lacks (inventory_gen_entries|returns|stock_transfers)/.test(n)));
  const layersSql = inflows ? fifoLayersSql(ctx, stock, inflows.sql) : unagedSql(ctx, stock);
  if (!inflows) contribution.notes.push(`explore ${INVENTORY_EXPLORE}: the catalog has no inflow documents with their lines, so stock has no age (one layer per stock row, "Before inflow history").`);

  const base = (field: string) => `\${${INVENTORY_VIEW}.${field}}`;
  const specs: JoinSpec[] = [
    {
      name: 'stock',
      from: STOCK,
      viewLabel: 'Stock per warehouse',
      relationship: 'many_to_one',
      sqlOn: `\${stock.item_code} = ${base('item_code')} AND \${stock.warehouse_code} = ${base('warehouse_code')}`,
      requires: [{ table: STOCK, columns: ['item_code', 'warehouse_code'] }],
    },
    ...masterDataJoins({ baseView: INVENTORY_VIEW, item: 'item_code', warehouse: 'warehouse_code' }),
  ];
  addDerivedExploreJoining(
    contribution,
    ctx,
    {
      name: INVENTORY_EXPLORE,
      view: INVENTORY_VIEW,
      label: 'Inventory aging',
      description: `Stock on hand and its value per item and warehouse, by age bucket: FIFO layers from ${inflows ? inflows.kinds.join(', ') : 'no'} inflows.`,
      viewDescription: 'Stock on hand per item and warehouse split into FIFO age layers: the most recent inflows into the warehouse cover the quantity on hand; the rest is "Before inflow history".',
      sql: layersSql,
      fields: layerFields(ctx),
    },
    specs,
  );
}

/** Current stock rows with positive stock: item, warehouse, quantity, unit cost. */
function stockSql(ctx: GeneratorContext, notes: string[]): string {
  const c = (column: string) => columnSql(ctx, 'st', column);
  const unitCost = hasColumns(ctx, STOCK, ['standard_average_price']) ? c('standard_average_price') : `CAST(NULL AS ${ctx.dialect.type('number')})`;
  if (!hasColumns(ctx, STOCK, ['standard_average_price'])) notes.push(`${STOCK}: the catalog lacks standard_average_price, so stock has no value.`);
  const lines = [
    `SELECT ${c('item_code')} AS item_code, ${c('warehouse_code')} AS warehouse_code, ${c('in_stock')} AS in_stock, ${unitCost} AS unit_cost`,
    `FROM ${tableSql(ctx, STOCK)} AS st`,
  ];
  const relation = relationOfChild(ctx, STOCK);
  if (relation && hasTable(ctx, relation.parent) && hasColumns(ctx, relation.parent, [relation.parentKeyColumn]) && currentVersionColumns(ctx, relation)) {
    lines.push(`INNER JOIN ${tableSql(ctx, relation.parent)} AS it ON ${parentChildJoinSql(ctx, relation, 'it', 'st').sql}`);
  } else if (relation) {
    notes.push(staleRowsNote(relation));
  }
  lines.push(`WHERE ${c('in_stock')} > 0`);
  return lines.join('\n');
}

function fifoLayersSql(ctx: GeneratorContext, stock: string, inflows: string): string {
  const int = ctx.dialect.type('integer');
  const text = ctx.dialect.type('string');
  const positive = `SELECT * FROM (\n${indentSql(inflows, '  ')}\n) AS i WHERE i.inflow_quantity > 0`;
  return [
    'SELECT s.item_code, s.warehouse_code, r.document_kind AS inflow_kind, r.inflow_date, r.doc_entry AS inflow_doc_entry, r.line_num AS inflow_line_num,',
    '  LEAST(r.inflow_quantity, s.in_stock - (r.received_since - r.inflow_quantity)) AS layer_quantity, s.unit_cost',
    'FROM (',
    indentSql(stock),
    ') AS s',
    'INNER JOIN (',
    '  SELECT rl.document_kind, rl.item_code, rl.warehouse_code, rl.inflow_date, rl.doc_entry, rl.line_num, rl.inflow_quantity,',
    '    SUM(rl.inflow_quantity) OVER (',
    '      PARTITION BY rl.item_code, rl.warehouse_code',
    '      ORDER BY rl.inflow_date DESC, rl.document_kind DESC, rl.doc_entry DESC, rl.line_num DESC',
    '      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW',
    '    ) AS received_since',
    '  FROM (',
    indentSql(positive, '    '),
    '  ) AS rl',
    ') AS r ON r.item_code = s.item_code AND r.warehouse_code = s.warehouse_code',
    'WHERE r.received_since - r.inflow_quantity < s.in_stock',
    'UNION ALL',
    `SELECT s.item_code, s.warehouse_code, CAST(NULL AS ${text}), CAST(NULL AS DATE), CAST(NULL AS ${int}), CAST(NULL AS ${int}),`,
    '  s.in_stock - COALESCE(t.total_received, 0), s.unit_cost',
    'FROM (',
    indentSql(stock),
    ') AS s',
    'LEFT JOIN (',
    '  SELECT rl.item_code, rl.warehouse_code, SUM(rl.inflow_quantity) AS total_received',
    '  FROM (',
    indentSql(positive, '    '),
    '  ) AS rl',
    '  GROUP BY rl.item_code, rl.warehouse_code',
    ') AS t ON t.item_code = s.item_code AND t.warehouse_code = s.warehouse_code',
    'WHERE s.in_stock > COALESCE(t.total_received, 0)',
  ].join('\n');
}

function unagedSql(ctx: GeneratorContext, stock: string): string {
  const int = ctx.dialect.type('integer');
  const text = ctx.dialect.type('string');
  return [
    `SELECT s.item_code, s.warehouse_code, CAST(NULL AS ${text}) AS inflow_kind, CAST(NULL AS DATE) AS inflow_date, CAST(NULL AS ${int}) AS inflow_doc_entry, CAST(NULL AS ${int}) AS inflow_line_num,`,
    '  s.in_stock AS layer_quantity, s.unit_cost',
    'FROM (',
    indentSql(stock),
    ') AS s',
  ].join('\n');
}

function layerFields(ctx: GeneratorContext): LookmlNode[] {
  const t = derivedColumnSql;
  const text = ctx.dialect.type('string');
  const amount = amountOptions(ctx.amount);
  const age = ctx.dialect.daysSince(t('inflow_date'));
  const buckets: Bucket[] = [
    { label: 'Before inflow history', when: `${t('inflow_date')} IS NULL` },
    ...AGE_BUCKET_LIMITS.map((limit, i) => ({ label: `${i === 0 ? 0 : AGE_BUCKET_LIMITS[i - 1]! + 1}-${limit} days`, when: `${age} <= ${limit}` })),
  ];
  const last = `Over ${AGE_BUCKET_LIMITS[AGE_BUCKET_LIMITS.length - 1]} days`;
  const drill = ['layer_detail*'];
  return [
    rowKeyDimension(
      ctx,
      'Item, warehouse and inflow line as one value.',
      [t('item_code'), t('warehouse_code'), `COALESCE(${t('inflow_kind')}, 'none')`, `COALESCE(CAST(${t('inflow_doc_entry')} AS ${text}), 'none')`, `COALESCE(CAST(${t('inflow_line_num')} AS ${text}), 'none')`],
      'layer_key',
    ),
    ...itemWarehouseFields(ctx, 'layer'),
    derivedField(ctx, 'inflow_kind', 'string', {
      label: 'Inflow type',
      groupLabel: 'Inflow',
      description: 'What brought the layer in: goods_receipt_po, purchase_invoice, goods_receipt, return, credit_note or transfer_in; empty before the inflow history.',
    }),
    derivedField(ctx, 'inflow_date', 'date', { label: 'Inflow', description: 'Posting date of the document the layer came in with; empty before the inflow history.' }),
    derivedField(ctx, 'inflow_doc_entry', 'integer', { label: 'Inflow document entry', groupLabel: 'Inflow', description: 'Internal key (DocEntry) of the inflow document.' }),
    derivedField(ctx, 'inflow_line_num', 'integer', { hidden: true, label: 'Inflow line', description: 'Line of the inflow document (LineNum).' }),
    dimension('age_days', { type: 'number', label: 'Age in days', groupLabel: 'Age', description: 'Days since the layer came in.', sql: age }),
    ...bucketDimensions('age_bucket', {
      label: 'Age bucket',
      groupLabel: 'Age',
      description: 'Age of the layer since its inflow: 0-30, 31-60, 61-90, 91-180, 181-365, over 365 days, or before the inflow history.',
      buckets,
      otherwise: last,
    }),
    dimension('layer_quantity', { type: 'number', hidden: true, label: 'Layer quantity', description: 'Quantity of the layer.', valueFormat: QUANTITY_FORMAT, sql: t('layer_quantity') }),
    dimension('unit_cost', { type: 'number', label: 'Item cost', groupLabel: 'Stock', description: "The warehouse's item cost (StandardAveragePrice).", ...amount, sql: t('unit_cost') }),
    fieldSet('layer_detail', ['item_code', 'warehouse_code', 'inflow_kind', 'inflow_date', 'inflow_doc_entry', 'age_days', 'on_hand_quantity', 'on_hand_value']),
    fieldList('drill_fields', drill),
    measure('on_hand_quantity', { type: 'sum', label: 'Quantity on hand', description: 'Quantity on hand (the layers add up to InStock).', sql: '${layer_quantity}', valueFormat: QUANTITY_FORMAT, drillFields: drill }),
    measure('on_hand_value', { type: 'sum', label: 'Stock value', description: 'Quantity on hand times item cost, local currency.', sql: '${layer_quantity} * ${unit_cost}', ...amount, drillFields: drill }),
    measure('aged_quantity', { type: 'sum', hidden: true, label: 'Aged quantity', description: 'Quantity with a known inflow.', sql: 'CASE WHEN ${age_days} IS NOT NULL THEN ${layer_quantity} END' }),
    measure('age_weighted_quantity', { type: 'sum', hidden: true, label: 'Age-weighted quantity', description: 'Quantity times age.', sql: '${layer_quantity} * ${age_days}' }),
    measure('average_age_days', {
      type: 'number',
      label: 'Average age in days',
      description: 'Quantity-weighted age of the stock with a known inflow.',
      valueFormatName: 'decimal_1',
      sql: '${age_weighted_quantity} / NULLIF(${aged_quantity}, 0)',
    }),
  ];
}

/** Measures on the stock view itself (usable wherever item_warehouse_stock is joined). */
function stockMeasures(ctx: GeneratorContext): LookmlNode[] {
  if (!hasTable(ctx, STOCK)) return [];
  const c = (column: string) => `\${TABLE}.${ctx.dialect.column(column)}`;
  const drill = [`${DETAIL_SET}*`];
  const fields: LookmlNode[] = [];
  for (const [name, column, label, description] of [
    ['total_in_stock', 'in_stock', 'Total in stock', 'Quantity on hand (InStock).'],
    ['total_committed', 'committed', 'Total committed', 'Quantity committed to customer orders (Committed).'],
    ['total_ordered', 'ordered', 'Total ordered', 'Quantity ordered from vendors (Ordered).'],
  ] as const) {
    if (hasColumns(ctx, STOCK, [column])) fields.push(measure(name, { type: 'sum', label, description, sql: c(column), valueFormat: QUANTITY_FORMAT, drillFields: drill }));
  }
  if (hasColumns(ctx, STOCK, ['in_stock', 'standard_average_price'])) {
    fields.push(
      measure('stock_value', {
        type: 'sum',
        label: 'Stock value',
        description: 'In stock times item cost, local currency.',
        sql: `${c('in_stock')} * ${c('standard_average_price')}`,
        ...amountOptions(ctx.amount),
        drillFields: drill,
      }),
    );
  }
  return fields;
}
