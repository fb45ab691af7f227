/**
 * Month-end stock history, when the destination keeps every sync's copy of item_warehouse_stock.
 *
 * SAP Business One keeps the quantity on hand per item and warehouse (OITW) only as it is now:
 * the Service Layer has no stock as of a past date. A connection that syncs item_warehouse_stock
 * in append mode (full refresh | append) keeps one copy of every row per sync, stamped with
 * _airbyte_extracted_at; the last copy of each month is that month's closing stock (as of the
 * last sync of the month, so a connection should sync at least once near each month end). The
 * month is the one of the sync's timestamp in the warehouse's session time zone. Value is the
 * quantity times the warehouse's item cost of that copy (StandardAveragePrice), local currency.
 * Months without a sync have no rows.
 */
import { columnSql, emptyContribution, hasColumns, storedTableSql, type GeneratorContext, type SubjectContribution } from './context.js';
import { addItemWarehouseExplore, derivedColumnSql, derivedField, itemWarehouseFields, rowKeyDimension } from './derived.js';
import { amountOptions, dimension, fieldSet, measure, QUANTITY_FORMAT } from './fields.js';
import { fieldList, type LookmlNode } from './lookml-text.js';
import { EXTRACTED_AT } from './tables.js';

export const STOCK_HISTORY_EXPLORE = 'inventory_history';
export const STOCK_HISTORY_VIEW = 'stock_month_ends';
const STOCK = 'item_warehouse_stock';

export function stockHistory(ctx: GeneratorContext): SubjectContribution {
  const contribution = emptyContribution();
  const table = ctx.tables.get(STOCK);
  if (!table?.keepsHistory || !hasColumns(ctx, STOCK, ['item_code', 'warehouse_code', 'in_stock'])) return contribution;
  const k = (column: string) => columnSql(ctx, 'k', column);
  const monthEnd = ctx.dialect.monthEnd(`CAST(${k(EXTRACTED_AT)} AS DATE)`);
  const unitCost = hasColumns(ctx, STOCK, ['standard_average_price']) ? k('standard_average_price') : `CAST(NULL AS ${ctx.dialect.type('number')})`;
  const sql = [
    'SELECT c.item_code, c.warehouse_code, c.month_end, c.in_stock, c.unit_cost',
    'FROM (',
    '  SELECT m.*, ROW_NUMBER() OVER (PARTITION BY m.item_code, m.warehouse_code, m.month_end ORDER BY m.synced_at DESC) AS copy_rank',
    '  FROM (',
    `    SELECT ${k('item_code')} AS item_code, ${k('warehouse_code')} AS warehouse_code, ${monthEnd} AS month_end,`,
    `      ${k('in_stock')} AS in_stock, ${unitCost} AS unit_cost, ${k(EXTRACTED_AT)} AS synced_at`,
    `    FROM ${storedTableSql(ctx, STOCK)} AS k`,
    '  ) AS m',
    ') AS c',
    'WHERE c.copy_rank = 1',
  ].join('\n');
  addItemWarehouseExplore(contribution, ctx, {
    name: STOCK_HISTORY_EXPLORE,
    view: STOCK_HISTORY_VIEW,
    label: 'Inventory history',
    description: 'Stock on hand and its value per item and warehouse at each month end: the last copy of item_warehouse_stock synced in the month (append mode).',
    viewDescription: 'The last synced copy of each item-warehouse stock row per month (item_warehouse_stock in append mode). Amounts in local currency.',
    sql,
    fields: fields(ctx),
  });
  return contribution;
}

function fields(ctx: GeneratorContext): LookmlNode[] {
  const t = derivedColumnSql;
  const drill = ['month_end_detail*'];
  return [
    rowKeyDimension(ctx, 'Item, warehouse and month end as one value.', [t('item_code'), t('warehouse_code'), t('month_end')]),
    ...itemWarehouseFields(ctx, 'stock row'),
    derivedField(ctx, 'month_end', 'date', { groupName: 'month_end', label: 'Month end', description: 'Last day of the month the stock is shown at.' }),
    dimension('in_stock', { type: 'number', hidden: true, label: 'In stock', description: 'Quantity on hand at the month end.', valueFormat: QUANTITY_FORMAT, sql: t('in_stock') }),
    dimension('unit_cost', { type: 'number', label: 'Item cost', groupLabel: 'Stock', description: "The warehouse's item cost at the month end (StandardAveragePrice).", ...amountOptions(ctx.amount), sql: t('unit_cost') }),
    fieldSet('month_end_detail', ['month_end_date', 'item_code', 'warehouse_code', 'quantity', 'stock_value']),
    fieldList('drill_fields', drill),
    measure('quantity', { type: 'sum', label: 'Quantity on hand', description: 'Quantity on hand at the month end (InStock).', sql: '${in_stock}', valueFormat: QUANTITY_FORMAT, drillFields: drill }),
    measure('stock_value', { type: 'sum', label: 'Stock value', description: 'Quantity times item cost at the month end, local currency.', sql: '${in_stock} * ${unit_cost}', ...amountOptions(ctx.amount), drillFields: drill }),
  ];
}
