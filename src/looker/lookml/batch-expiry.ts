/**
 * Stock of batch-managed items per batch and warehouse, by expiry: expired, expiring within 7, 30
 * or 90 days, later, or without an expiry date.
 *
 * SAP keeps the quantity of a batch per warehouse (OBTQ) out of the Service Layer's reach; what
 * it serves is the batch allocations of every document line that moved a batch item (the line's
 * BatchNumbers: BatchNumberProperty, Quantity, BaseLineNumber = the line's LineNum) and the batches
 * themselves (BatchNumberDetails: ItemCode, Batch, AdmissionDate, ExpirationDate). So stock per
 * batch and warehouse is the sum of the allocations of every stock movement, each in the
 * direction its document moves stock, in the warehouse of its line:
 * - out of the line's warehouse: deliveries, A/R invoices (unless based on a delivery, BaseType
 *   15, which moved the goods), goods returns, goods issues;
 * - into it: customer returns, A/R credit notes (unless based on a return, BaseType 16), goods
 *   receipt POs, A/P invoices (unless based on a goods receipt PO, BaseType 20), goods receipts;
 * - stock transfers: out of the line's FromWarehouseCode, into its WarehouseCode;
 * - a cancellation document (CancelStatus csCancellation) moves the reverse of what the document
 *   it cancels moved; the cancelled original keeps its movement.
 * (The SAP Business One help, "Batches and serial numbers" and the perpetual-inventory postings of
 * each document; the same rules as the Service Layer simulator's README states for its books.)
 *
 * The allocations are a stream per document kind whose stream-table relation has the header
 * stream as parent and a collection ending in BatchNumbers (DocumentLines/BatchNumbers), with the
 * header's key, the key of the line each allocation sits on (the relation's childLineKeyColumn,
 * base_line_number), batch_number_property (batch_number in catalogs that named it after v1's
 * property) and quantity. Without any of them, this explore is not generated.
 */
import { columnSql, emptyContribution, hasColumns, hasTable, tableSql, type GeneratorContext, type SubjectContribution } from './context.js';
import { childRelation, currentChildRowsFrom, isLineRelation, parentChildJoinSql, type LineRelation } from './current-rows.js';
import { addDerivedExploreJoining, bucketDimensions, derivedColumnSql, derivedField, indentSql, itemWarehouseFields, rowKeyDimension } from './derived.js';
import { amountOptions, dimension, fieldSet, measure, QUANTITY_FORMAT } from './fields.js';
import { fieldList, type LookmlNode } from './lookml-text.js';
import { masterDataJoins } from './master-joins.js';

export const BATCH_EXPIRY_EXPLORE = 'inventory_expiry';
export const BATCH_STOCK_VIEW = 'batch_stock';
const BATCH_DETAILS = 'batch_number_details';
const STOCK = 'item_warehouse_stock';
const CANCELLATION = 'csCancellation';

/** Days ahead that bound the expiry buckets. */
export const EXPIRY_BUCKET_LIMITS = [7, 30, 90] as const;

interface StockDocument {
  header: string;
  /** +1 into the line's warehouse, -1 out of it; 0 for transfers (out of FromWarehouseCode, into WarehouseCode). */
  direction: 1 | -1 | 0;
  /** The line's BaseType for which the document moves no stock (its base document did). */
  noStockWhenBasedOn?: number;
  lines?: string;
}

export const STOCK_DOCUMENTS: readonly StockDocument[] = [
  { header: 'delivery_notes', direction: -1 },
  { header: 'invoices', direction: -1, noStockWhenBasedOn: 15 },
  { header: 'purchase_returns', direction: -1 },
  { header: 'inventory_gen_exits', direction: -1 },
  { header: 'returns', direction: 1 },
  { header: 'credit_notes', direction: 1, noStockWhenBasedOn: 16 },
  { header: 'goods_receipts', direction: 1 },
  { header: 'purchase_invoices', direction: 1, noStockWhenBasedOn: 20 },
  { header: 'inventory_gen_entries', direction: 1 },
  { header: 'stock_transfers', direction: 0, lines: 'StockTransferLines' },
];

/** The allocations stream of a document header, by the stream table. */
function batchRelation(ctx: GeneratorContext, header: string): LineRelation | undefined {
  return ctx.relations.filter(isLineRelation).find((r) => r.parent === header && /(^|\/)BatchNumbers$/.test(r.collection) && hasTable(ctx, r.child));
}

/** One SELECT per warehouse a document kind's allocations move stock in: item, warehouse, batch, signed quantity. */
function movementsOf(ctx: GeneratorContext, d: StockDocument, notes: string[]): string[] {
  const batches = batchRelation(ctx, d.header);
  const lines = childRelation(ctx, d.header, d.lines ?? 'DocumentLines');
  if (!batches || !lines || !hasTable(ctx, lines.child)) return [];
  const batchColumn = ['batch_number_property', 'batch_number'].find((c) => hasColumns(ctx, batches.child, [c]));
  const warehouses = d.direction === 0 ? ['from_warehouse_code', 'warehouse_code'] : ['warehouse_code'];
  if (!batchColumn || !hasColumns(ctx, batches.child, [batches.childLineKeyColumn, 'quantity']) || !hasColumns(ctx, lines.child, [lines.childLineKeyColumn, 'item_code', ...warehouses])) {
    notes.push(`explore ${BATCH_EXPIRY_EXPLORE}: ${batches.child} or ${lines.child} lacks the columns batch stock needs, so ${d.header} are left out.`);
    return [];
  }
  const current = currentChildRowsFrom(ctx, batches.child, 'h', 'b');
  if (!current) return [];
  notes.push(...current.notes);
  const lineJoin = parentChildJoinSql(ctx, lines, 'h', 'l');
  notes.push(...lineJoin.notes);
  const b = (column: string) => columnSql(ctx, 'b', column);
  const l = (column: string) => columnSql(ctx, 'l', column);
  const reversed = hasColumns(ctx, d.header, ['cancel_status']) ? `CASE WHEN ${columnSql(ctx, 'h', 'cancel_status')} = '${CANCELLATION}' THEN -1 ELSE 1 END` : '1';
  const where = d.noStockWhenBasedOn !== undefined && hasColumns(ctx, lines.child, ['base_type']) ? [`COALESCE(${l('base_type')}, -1) <> ${d.noStockWhenBasedOn}`] : [];
  return warehouses.map((warehouse, i) => {
    const direction = d.direction === 0 ? (i === 0 ? -1 : 1) : d.direction;
    return [
      `SELECT ${l('item_code')} AS item_code, ${l(warehouse)} AS warehouse_code, ${b(batchColumn)} AS batch,`,
      `  ${direction} * ${reversed} * ${b('quantity')} AS quantity`,
      `FROM ${current.from}`,
      `INNER JOIN ${tableSql(ctx, lines.child)} AS l ON ${lineJoin.sql} AND ${l(lines.childLineKeyColumn)} = ${b(batches.childLineKeyColumn)}`,
      ...(where.length ? [`WHERE ${where.join(' AND ')}`] : []),
    ].join('\n');
  });
}

export function batchExpiry(ctx: GeneratorContext): SubjectContribution {
  const contribution = emptyContribution();
  const notes: string[] = [];
  const branches = STOCK_DOCUMENTS.flatMap((d) => movementsOf(ctx, d, notes));
  if (branches.length === 0) return contribution;
  const withoutAllocations = STOCK_DOCUMENTS.filter((d) => hasTable(ctx, d.header) && !batchRelation(ctx, d.header)).map((d) => d.header);
  if (withoutAllocations.length) notes.push(`explore ${BATCH_EXPIRY_EXPLORE}: the catalog lacks the batch allocations of ${withoutAllocations.join(', ')}, so batch stock leaves out what they moved.`);
  const details = hasColumns(ctx, BATCH_DETAILS, ['item_code', 'batch', 'expiration_date']);
  if (!details) notes.push(`explore ${BATCH_EXPIRY_EXPLORE}: the catalog lacks ${BATCH_DETAILS} (item_code, batch, expiration_date), so batches have no expiry date.`);
  const d = (column: string) => columnSql(ctx, 'd', column);
  const s = (column: string) => columnSql(ctx, 's', column);
  const date = `CAST(NULL AS ${ctx.dialect.type('date')})`;
  const unitCost = hasColumns(ctx, STOCK, ['item_code', 'warehouse_code', 'standard_average_price']);
  const sql = [
    'SELECT m.item_code, m.warehouse_code, m.batch, m.quantity,',
    `  ${details ? d('expiration_date') : date} AS expiry_date,`,
    `  ${details && hasColumns(ctx, BATCH_DETAILS, ['admission_date']) ? d('admission_date') : date} AS admission_date,`,
    `  ${unitCost ? s('standard_average_price') : `CAST(NULL AS ${ctx.dialect.type('number')})`} AS unit_cost`,
    'FROM (',
    '  SELECT a.item_code, a.warehouse_code, a.batch, SUM(a.quantity) AS quantity',
    '  FROM (',
    indentSql(branches.join('\nUNION ALL\n'), '    '),
    '  ) AS a',
    '  GROUP BY a.item_code, a.warehouse_code, a.batch',
    ') AS m',
    ...(details ? [`LEFT JOIN ${tableSql(ctx, BATCH_DETAILS)} AS d ON ${d('item_code')} = m.item_code AND ${d('batch')} = m.batch`] : []),
    ...(unitCost ? [`LEFT JOIN ${tableSql(ctx, STOCK)} AS s ON ${s('item_code')} = m.item_code AND ${s('warehouse_code')} = m.warehouse_code`] : []),
    'WHERE m.quantity <> 0',
  ].join('\n');
  contribution.notes.push(...new Set(notes));
  addDerivedExploreJoining(
    contribution,
    ctx,
    {
      name: BATCH_EXPIRY_EXPLORE,
      view: BATCH_STOCK_VIEW,
      label: 'Inventory expiry',
      description: 'Stock of batch-managed items per batch and warehouse by expiry: expired, expiring within 7, 30 or 90 days, or later.',
      viewDescription: 'Stock per item, warehouse and batch: the batch allocations of every stock movement added up, with the batch dates. Amounts in local currency.',
      sql,
      fields: fields(ctx),
    },
    masterDataJoins({ baseView: BATCH_STOCK_VIEW, item: 'item_code', warehouse: 'warehouse_code' }),
  );
  return contribution;
}

function fields(ctx: GeneratorContext): LookmlNode[] {
  const t = derivedColumnSql;
  const days = ctx.dialect.daysBetween(ctx.dialect.currentDate, t('expiry_date'));
  const buckets = [
    { label: 'No expiry date', when: `${t('expiry_date')} IS NULL` },
    { label: 'Expired', when: `${days} < 0` },
    ...EXPIRY_BUCKET_LIMITS.map((limit, i) => ({ label: `Expires in ${i === 0 ? 0 : EXPIRY_BUCKET_LIMITS[i - 1]! + 1}-${limit} days`, when: `${days} <= ${limit}` })),
  ];
  const later = `Expires in over ${EXPIRY_BUCKET_LIMITS[EXPIRY_BUCKET_LIMITS.length - 1]} days`;
  const drill = ['batch_detail*'];
  return [
    rowKeyDimension(ctx, 'Item, warehouse and batch as one value.', [t('item_code'), t('warehouse_code'), t('batch')]),
    ...itemWarehouseFields(ctx, 'batch'),
    derivedField(ctx, 'batch', 'string', { label: 'Batch', groupLabel: 'Batch', description: 'Batch number (BatchNumberDetails.Batch).' }),
    derivedField(ctx, 'expiry_date', 'date', { groupName: 'expiry', label: 'Expiry', description: 'Expiry date of the batch (ExpirationDate).' }),
    derivedField(ctx, 'admission_date', 'date', { groupName: 'admission', label: 'Admission', description: 'When the batch came in (AdmissionDate).' }),
    dimension('days_to_expiry', { type: 'number', label: 'Days to expiry', groupLabel: 'Expiry', description: 'Days from today to the expiry date; negative when expired.', sql: days }),
    ...bucketDimensions('expiry_bucket', {
      label: 'Expiry bucket',
      groupLabel: 'Expiry',
      description: `Expired, expiring within 0-7, 8-30 or 31-90 days, ${later.toLowerCase()}, or no expiry date.`,
      buckets,
      otherwise: later,
    }),
    dimension('batch_quantity', { type: 'number', hidden: true, label: 'Batch quantity', description: 'Quantity of the batch in the warehouse.', valueFormat: QUANTITY_FORMAT, sql: t('quantity') }),
    dimension('unit_cost', { type: 'number', label: 'Item cost', groupLabel: 'Stock', description: "The warehouse's item cost (StandardAveragePrice).", ...amountOptions(ctx.amount), sql: t('unit_cost') }),
    fieldSet('batch_detail', ['item_code', 'warehouse_code', 'batch', 'expiry_date', 'days_to_expiry', 'quantity', 'stock_value']),
    fieldList('drill_fields', drill),
    measure('quantity', { type: 'sum', label: 'Quantity on hand', description: 'Quantity of the batches on hand.', sql: '${batch_quantity}', valueFormat: QUANTITY_FORMAT, drillFields: drill }),
    measure('stock_value', { type: 'sum', label: 'Stock value', description: 'Quantity times item cost, local currency.', sql: '${batch_quantity} * ${unit_cost}', ...amountOptions(ctx.amount), drillFields: drill }),
  ];
}
