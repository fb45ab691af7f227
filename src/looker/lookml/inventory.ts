/**
 * Inventory: stock on hand per item and warehouse, valued and aged.
 *
 * Age method (FIFO layers): the quantity on hand in a warehouse is taken to be what arrived
 * there most recently. Goods-receipt lines into the warehouse are walked newest first, each
 * covering on-hand quantity until the stock is used up; each such layer is as old as its
 * receipt's posting date. Stock not covered by receipts in the synced history (opening
 * balances, production, transfers) forms one layer "Before receipt history" without an age.
 * The layers of a stock row add up exactly to its InStock, so on-hand quantity and value can be
 * summed by age bucket. Value is quantity times the warehouse's StandardAveragePrice (the item
 * cost SAP keeps per warehouse), in local currency. Rows with no positive stock have no layer.
 */
import {
  columnSql,
  emptyContribution,
  hasColumns,
  hasTable,
  missingColumns,
  tableSql,
  type GeneratorContext,
  type SubjectContribution,
} from './context.js';
import { currentVersionColumns, notCancelledSql, parentChildJoinSql, staleRowsNote, type ParentChild } from './current-rows.js';
import { concatKey } from './dialect.js';
import { addDerivedExplore, derivedColumnSql, derivedField } from './derived.js';
import { AMOUNT_FORMAT, QUANTITY_FORMAT, dimension, measure } from './fields.js';
import { buildJoins, type JoinSpec } from './joins.js';
import type { LookmlNode } from './lookml-text.js';
import { masterDataJoins } from './master-joins.js';

export const INVENTORY_VIEW = 'inventory_age_layers';
export const INVENTORY_EXPLORE = 'inventory';
const STOCK = 'item_warehouse_stock';
const STOCK_OF_ITEM: ParentChild = { parent: 'items', child: STOCK, parentKey: 'item_code', childParentKey: 'item_code' };
const RECEIPT_LINES: ParentChild = { parent: 'goods_receipts', child: 'goods_receipt_lines', parentKey: 'doc_entry', childParentKey: 'doc_entry' };

/** Upper bounds (days) of the age buckets; older stock falls in the last, open bucket. */
export const AGE_BUCKET_LIMITS = [30, 60, 90, 180, 365] as const;

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
  const receipts = receiptSql(ctx, contribution.notes);
  const layersSql = receipts ? fifoLayersSql(ctx, stock, receipts) : unagedSql(ctx, stock);
  if (!receipts)
    contribution.notes.push(
      `explore ${INVENTORY_EXPLORE}: without goods receipts and their lines, stock has no age (one layer per stock row, "Before receipt history").`,
    );

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
  const joins = buildJoins(ctx, INVENTORY_EXPLORE, specs);
  contribution.notes.push(...joins.notes);

  addDerivedExplore(contribution, ctx, {
    name: INVENTORY_EXPLORE,
    view: INVENTORY_VIEW,
    label: 'Inventory',
    description: 'Stock on hand and its value per item and warehouse, by age bucket (FIFO layers from goods receipts).',
    viewDescription:
      'Stock on hand per item and warehouse split into FIFO age layers: the most recent goods receipts into the warehouse cover the quantity on hand; the rest is "Before receipt history".',
    sql: layersSql,
    fields: layerFields(ctx),
    joins: joins.nodes,
  });
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
  if (hasTable(ctx, 'items') && hasColumns(ctx, 'items', ['item_code']) && currentVersionColumns(ctx, STOCK_OF_ITEM)) {
    lines.push(`INNER JOIN ${tableSql(ctx, 'items')} AS it ON ${parentChildJoinSql(ctx, STOCK_OF_ITEM, 'it', 'st').sql}`);
  } else {
    notes.push(staleRowsNote(STOCK_OF_ITEM));
  }
  lines.push(`WHERE ${c('in_stock')} > 0`);
  return lines.join('\n');
}

/** Current, non-cancelled goods-receipt lines with a positive quantity, or undefined without receipts. */
function receiptSql(ctx: GeneratorContext, notes: string[]): string | undefined {
  const lines = RECEIPT_LINES.child;
  const header = RECEIPT_LINES.parent;
  if (
    missingColumns(ctx, lines, ['doc_entry', 'line_num', 'item_code', 'warehouse_code', 'quantity']).length ||
    missingColumns(ctx, header, ['doc_entry', 'doc_date']).length
  ) {
    return undefined;
  }
  const l = (column: string) => columnSql(ctx, 'l', column);
  const quantity = hasColumns(ctx, lines, ['inventory_quantity']) ? `COALESCE(${l('inventory_quantity')}, ${l('quantity')})` : l('quantity');
  const join = parentChildJoinSql(ctx, RECEIPT_LINES, 'h', 'l');
  const notCancelled = notCancelledSql(ctx, header, 'h');
  notes.push(...join.notes, ...notCancelled.notes);
  return [
    `SELECT ${l('item_code')} AS item_code, ${l('warehouse_code')} AS warehouse_code, ${columnSql(ctx, 'h', 'doc_date')} AS receipt_date,`,
    `  ${l('doc_entry')} AS doc_entry, ${l('line_num')} AS line_num, ${quantity} AS received_quantity`,
    `FROM ${tableSql(ctx, lines)} AS l`,
    `INNER JOIN ${tableSql(ctx, header)} AS h ON ${join.sql}`,
    `WHERE ${[notCancelled.sql, `${quantity} > 0`].filter(Boolean).join(' AND ')}`,
  ].join('\n');
}

const indent = (sql: string, by: string) =>
  sql
    .split('\n')
    .map((line) => `${by}${line}`)
    .join('\n');

function fifoLayersSql(ctx: GeneratorContext, stock: string, receipts: string): string {
  const int = ctx.dialect.type('integer');
  return [
    'SELECT s.item_code, s.warehouse_code, r.receipt_date, r.doc_entry AS receipt_doc_entry, r.line_num AS receipt_line_num,',
    '  LEAST(r.received_quantity, s.in_stock - (r.received_since - r.received_quantity)) AS layer_quantity, s.unit_cost',
    'FROM (',
    indent(stock, '  '),
    ') AS s',
    'INNER JOIN (',
    '  SELECT rl.item_code, rl.warehouse_code, rl.receipt_date, rl.doc_entry, rl.line_num, rl.received_quantity,',
    '    SUM(rl.received_quantity) OVER (',
    '      PARTITION BY rl.item_code, rl.warehouse_code',
    '      ORDER BY rl.receipt_date DESC, rl.doc_entry DESC, rl.line_num DESC',
    '      ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW',
    '    ) AS received_since',
    '  FROM (',
    indent(receipts, '    '),
    '  ) AS rl',
    ') AS r ON r.item_code = s.item_code AND r.warehouse_code = s.warehouse_code',
    'WHERE r.received_since - r.received_quantity < s.in_stock',
    'UNION ALL',
    `SELECT s.item_code, s.warehouse_code, CAST(NULL AS DATE), CAST(NULL AS ${int}), CAST(NULL AS ${int}),`,
    '  s.in_stock - COALESCE(t.total_received, 0), s.unit_cost',
    'FROM (',
    indent(stock, '  '),
    ') AS s',
    'LEFT JOIN (',
    '  SELECT rl.item_code, rl.warehouse_code, SUM(rl.received_quantity) AS total_received',
    '  FROM (',
    indent(receipts, '    '),
    '  ) AS rl',
    '  GROUP BY rl.item_code, rl.warehouse_code',
    ') AS t ON t.item_code = s.item_code AND t.warehouse_code = s.warehouse_code',
    'WHERE s.in_stock > COALESCE(t.total_received, 0)',
  ].join('\n');
}

function unagedSql(ctx: GeneratorContext, stock: string): string {
  const int = ctx.dialect.type('integer');
  return [
    `SELECT s.item_code, s.warehouse_code, CAST(NULL AS DATE) AS receipt_date, CAST(NULL AS ${int}) AS receipt_doc_entry, CAST(NULL AS ${int}) AS receipt_line_num,`,
    '  s.in_stock AS layer_quantity, s.unit_cost',
    'FROM (',
    indent(stock, '  '),
    ') AS s',
  ].join('\n');
}

function layerFields(ctx: GeneratorContext): LookmlNode[] {
  const t = derivedColumnSql;
  const text = ctx.dialect.type('string');
  const age = ctx.dialect.daysSince(t('receipt_date'));
  const buckets: { label: string; when: string }[] = [
    { label: 'Before receipt history', when: `${t('receipt_date')} IS NULL` },
    ...AGE_BUCKET_LIMITS.map((limit, i) => ({ label: `${i === 0 ? 0 : AGE_BUCKET_LIMITS[i - 1]! + 1}-${limit} days`, when: `${age} <= ${limit}` })),
  ];
  const last = `over ${AGE_BUCKET_LIMITS[AGE_BUCKET_LIMITS.length - 1]} days`;
  const caseOf = (value: (b: { label: string }, i: number) => string, otherwise: string) =>
    `CASE ${buckets.map((b, i) => `WHEN ${b.when} THEN ${value(b, i)}`).join(' ')} ELSE ${otherwise} END`;
  return [
    dimension('layer_key', {
      type: 'string',
      primaryKey: true,
      hidden: true,
      sql: concatKey(ctx.dialect, [
        t('item_code'),
        t('warehouse_code'),
        `COALESCE(CAST(${t('receipt_doc_entry')} AS ${text}), 'none')`,
        `COALESCE(CAST(${t('receipt_line_num')} AS ${text}), 'none')`,
      ]),
    }),
    derivedField(ctx, 'item_code', 'string'),
    derivedField(ctx, 'warehouse_code', 'string'),
    derivedField(ctx, 'receipt_date', 'date', {
      label: 'Receipt',
      description: 'Posting date of the goods receipt the layer came with; empty before the receipt history.',
    }),
    derivedField(ctx, 'receipt_doc_entry', 'integer', { description: 'DocEntry of the goods receipt (PurchaseDeliveryNotes).' }),
    derivedField(ctx, 'receipt_line_num', 'integer'),
    dimension('age_days', { type: 'number', description: 'Days since the layer was received.', sql: age }),
    dimension('age_bucket', {
      type: 'string',
      orderByField: 'age_bucket_order',
      description: 'Age of the layer since its goods receipt.',
      sql: caseOf((b) => `'${b.label}'`, `'${last}'`),
    }),
    dimension('age_bucket_order', { type: 'number', hidden: true, sql: caseOf((_b, i) => String(i), String(buckets.length)) }),
    dimension('layer_quantity', { type: 'number', hidden: true, sql: t('layer_quantity') }),
    dimension('unit_cost', {
      type: 'number',
      valueFormatName: AMOUNT_FORMAT,
      description: "The warehouse's standard/average item cost.",
      sql: t('unit_cost'),
    }),
    measure('on_hand_quantity', {
      type: 'sum',
      sql: '${layer_quantity}',
      valueFormat: QUANTITY_FORMAT,
      description: 'Quantity on hand (the layers add up to InStock).',
    }),
    measure('on_hand_value', {
      type: 'sum',
      sql: '${layer_quantity} * ${unit_cost}',
      valueFormatName: AMOUNT_FORMAT,
      description: 'Quantity on hand times unit cost, local currency.',
    }),
    measure('aged_quantity', { type: 'sum', hidden: true, sql: 'CASE WHEN ${age_days} IS NOT NULL THEN ${layer_quantity} END' }),
    measure('age_weighted_quantity', { type: 'sum', hidden: true, sql: '${layer_quantity} * ${age_days}' }),
    measure('average_age_days', {
      type: 'number',
      sql: '${age_weighted_quantity} / NULLIF(${aged_quantity}, 0)',
      valueFormatName: 'decimal_1',
      description: 'Quantity-weighted age in days of the stock with a known receipt.',
    }),
  ];
}

/** Measures on the stock view itself (usable wherever item_warehouse_stock is joined). */
function stockMeasures(ctx: GeneratorContext): LookmlNode[] {
  if (!hasTable(ctx, STOCK)) return [];
  const c = (column: string) => `\${TABLE}.${ctx.dialect.column(column)}`;
  const fields: LookmlNode[] = [];
  for (const [name, column, description] of [
    ['total_in_stock', 'in_stock', 'InStock: quantity on hand.'],
    ['total_committed', 'committed', 'Quantity committed to sales orders.'],
    ['total_ordered', 'ordered', 'Quantity ordered from vendors.'],
  ] as const) {
    if (hasColumns(ctx, STOCK, [column])) fields.push(measure(name, { type: 'sum', sql: c(column), valueFormat: QUANTITY_FORMAT, description }));
  }
  if (hasColumns(ctx, STOCK, ['in_stock', 'standard_average_price'])) {
    fields.push(
      measure('stock_value', {
        type: 'sum',
        sql: `${c('in_stock')} * ${c('standard_average_price')}`,
        valueFormatName: AMOUNT_FORMAT,
        description: 'InStock times StandardAveragePrice, local currency.',
      }),
    );
  }
  return fields;
}
