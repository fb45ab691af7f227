/**
 * Sales margin: net revenue and the cost of goods as posted, by region, customer, item and item
 * group, warehouse, G/L account and cost center with split distribution rules allocated.
 *
 * Rows (before allocation to cost centers):
 * - revenue rows, one per current line of an A/R invoice or credit note (credit notes negative):
 *   LineTotal net of the header discount. SAP applies the header DiscountPercent to the line
 *   totals and rounds the discount once per document (TotalDiscount); the model spreads that
 *   TotalDiscount over the lines by line total, so a document's net revenue is exactly what it
 *   posted to revenue. Without TotalDiscount in the catalog, DiscountPercent is applied per line.
 * - cost-of-goods rows, one per current line of the documents that post cost of goods with
 *   perpetual inventory (invoices, credit notes, and when synced deliveries and returns): the
 *   document's journal entry (TransNum) movement on the line's COGS account (debit - credit, so
 *   reversals are negative by themselves), spread over the document's lines on that account in
 *   proportion to SAP's gross-profit base cost (LineTotal - GrossProfit). The document lines carry
 *   no posted cost in the Service Layer (INV1.StockValue is not exposed; GrossBuyPrice and
 *   GrossProfit are SAP's estimate from the gross-profit price source), so the ledger is the only
 *   source of the posted cost. An invoice based on a delivery posts no cost of goods: its
 *   delivery did. A document without journal entry has cost_source "no journal entry".
 * Cancelled documents and cancellation documents are left out: in the ledger they cancel out.
 * Cost of goods rows use the line's COGS distribution rules (COGSCostingCode...), falling back to
 * its revenue rules as SAP does when they are empty.
 */
import { columnSql, emptyContribution, hasColumns, hasTable, tableSql, type GeneratorContext, type SubjectContribution } from './context.js';
import { allocatedRowsSql } from './cost-centers.js';
import { childRelation, parentChildJoinSql } from './current-rows.js';
import { concatKey } from './dialect.js';
import { addDerivedExplore, derivedColumnSql, derivedField, documentLineKeys, indentSql } from './derived.js';
import { amountOptions, dimension, fieldSet, measure, PERCENT_FORMAT, QUANTITY_FORMAT } from './fields.js';
import { buildJoins, type JoinSpec } from './joins.js';
import { documentLineUnion, headerColumn, lineColumn, type ColumnRef, type DocumentLineSource, type UnionColumn } from './line-union.js';
import { fieldList, type LookmlNode } from './lookml-text.js';
import { masterDataJoins } from './master-joins.js';

export const SALES_MARGIN_VIEW = 'sales_margin_lines';
export const SALES_MARGIN_EXPLORE = 'sales_margin';
const JOURNAL_LINES = 'journal_entry_lines';

/** Documents whose lines are revenue (credit notes negative). */
const REVENUE_SOURCES: DocumentLineSource[] = [
  { kind: 'invoice', header: 'invoices', sign: 1 },
  { kind: 'credit_note', header: 'credit_notes', sign: -1 },
];

/** Documents that post cost of goods with perpetual inventory (the sign comes from the ledger). */
const COST_SOURCES: DocumentLineSource[] = [
  { kind: 'invoice', header: 'invoices', sign: 1 },
  { kind: 'credit_note', header: 'credit_notes', sign: 1 },
  { kind: 'delivery_note', header: 'delivery_notes', sign: 1 },
  { kind: 'return', header: 'returns', sign: 1 },
];

const KIND_LABELS: Record<string, string> = { invoice: 'Invoice', credit_note: 'Credit note', delivery_note: 'Delivery', return: 'Return' };

const firstOf = (ref: ColumnRef, side: 'header' | 'line', columns: string[]) => columns.map((c) => ref(side, c)).filter((v): v is string => v !== undefined);
const coalesce = (values: string[]) => (values.length === 0 ? undefined : values.length === 1 ? values[0] : `COALESCE(${values.join(', ')})`);

/** Columns both row kinds share, in union order. */
const COMMON: UnionColumn[] = [
  { alias: 'doc_entry', kind: 'integer', value: lineColumn('doc_entry') },
  { alias: 'line_num', kind: 'integer', value: lineColumn('line_num') },
  { alias: 'doc_num', kind: 'integer', value: headerColumn('doc_num') },
  { alias: 'doc_date', kind: 'date', value: headerColumn('doc_date') },
  { alias: 'card_code', kind: 'string', value: headerColumn('card_code') },
  { alias: 'item_code', kind: 'string', value: lineColumn('item_code') },
  { alias: 'warehouse_code', kind: 'string', value: lineColumn('warehouse_code') },
  { alias: 'sales_person_code', kind: 'integer', value: (ref) => coalesce([...firstOf(ref, 'line', ['sales_person_code']), ...firstOf(ref, 'header', ['sales_person_code'])]) },
];

const REVENUE_COLUMNS: UnionColumn[] = [
  ...COMMON,
  { alias: 'account_code', kind: 'string', value: lineColumn('account_code') },
  { alias: 'rule_1', kind: 'string', value: lineColumn('costing_code') },
  { alias: 'rule_2', kind: 'string', value: lineColumn('costing_code2') },
  { alias: 'quantity', kind: 'number', signed: true, value: lineColumn('quantity') },
  { alias: 'line_total', kind: 'number', signed: true, value: lineColumn('line_total') },
  { alias: 'header_discount', kind: 'number', signed: true, value: headerColumn('total_discount') },
  { alias: 'header_discount_percent', kind: 'number', value: headerColumn('discount_percent') },
  {
    alias: 'estimated_cost',
    kind: 'number',
    signed: true,
    value: (ref) => {
      const total = ref('line', 'line_total');
      const profit = ref('line', 'gross_profit');
      return total && profit ? `${total} - ${profit}` : undefined;
    },
  },
];

const COST_COLUMNS: UnionColumn[] = [
  ...COMMON,
  { alias: 'account_code', kind: 'string', value: lineColumn('cogs_account_code') },
  { alias: 'rule_1', kind: 'string', value: (ref) => coalesce([...firstOf(ref, 'line', ['cogs_costing_code', 'costing_code'])]) },
  { alias: 'rule_2', kind: 'string', value: (ref) => coalesce([...firstOf(ref, 'line', ['cogs_costing_code2', 'costing_code2'])]) },
  { alias: 'trans_num', kind: 'integer', value: headerColumn('trans_num') },
  {
    // Spreads the document's posted cost over its lines: the line's cost as SAP shows it
    // (GrossProfitTotalBasePrice = Quantity x GrossBuyPrice, LineTotal - GrossProfit where the
    // catalog lacks it), else its quantity. Only the proportions matter: the amount is the ledger's.
    alias: 'cost_weight',
    kind: 'number',
    value: (ref) => {
      const base = ref('line', 'gross_profit_total_base_price');
      const total = ref('line', 'line_total');
      const profit = ref('line', 'gross_profit');
      const quantity = ref('line', 'quantity');
      if (base) return `ABS(${base})`;
      return total && profit ? `ABS(${total} - ${profit})` : quantity ? `ABS(${quantity})` : undefined;
    },
  },
];

/** Output columns of the rows before allocation (revenue and cost rows alike). */
const ROW_COLUMNS = ['document_kind', 'doc_entry', 'line_num', 'doc_num', 'doc_date', 'card_code', 'item_code', 'warehouse_code', 'sales_person_code', 'amount_type', 'account_code', 'cost_source'];
const ROW_AMOUNTS = ['quantity', 'amount', 'estimated_cost'];

export function salesMargin(ctx: GeneratorContext): SubjectContribution {
  const contribution = emptyContribution();
  const revenue = documentLineUnion(ctx, REVENUE_SOURCES, REVENUE_COLUMNS, { header: ['doc_date', 'card_code'], line: ['line_total'] });
  if (!revenue) {
    contribution.notes.push(`explore ${SALES_MARGIN_EXPLORE} is left out: it needs invoices with invoice_lines or credit_notes with credit_note_lines.`);
    return contribution;
  }
  contribution.notes.push(...revenue.notes);
  if (!revenue.kinds.includes('credit_note')) contribution.notes.push(`explore ${SALES_MARGIN_EXPLORE}: without credit notes, revenue is not net of returns.`);
  const cost = costRowsSql(ctx);
  contribution.notes.push(...cost.notes);

  const rows = [revenueRowsSql(ctx, revenue.sql), ...(cost.sql ? [cost.sql] : [])].join('\nUNION ALL\n');
  const allocated = allocatedRowsSql(ctx, {
    baseSql: rows,
    date: 'doc_date',
    dimensions: [
      { rule: 'distribution_rule_1', center: 'cost_center_1' },
      { rule: 'distribution_rule_2', center: 'cost_center_2' },
    ],
    amounts: ROW_AMOUNTS,
    passthrough: ROW_COLUMNS,
  });
  contribution.notes.push(...allocated.notes);

  const base = (field: string) => `\${${SALES_MARGIN_VIEW}.${field}}`;
  const documentJoins: JoinSpec[] = COST_SOURCES.filter((s) => hasTable(ctx, s.header)).flatMap((s): JoinSpec[] => {
    const isKind = `${base('document_kind')} = '${s.kind}'`;
    const lines = childRelation(ctx, s.header, 'DocumentLines');
    const label = KIND_LABELS[s.kind]!;
    // Deliveries and returns only bring cost rows: their joins show what identifies the source of a
    // cost (doc_date is the date of the posting date's dimension group), so that the explore keeps
    // its curated size.
    const costOnly = !REVENUE_SOURCES.some((r) => r.kind === s.kind);
    const shown = (table: string, columns: string[]) => (costOnly ? { fields: columns.filter((column) => hasColumns(ctx, table, [column])) } : {});
    return [
      {
        name: s.kind,
        from: s.header,
        viewLabel: label,
        relationship: 'many_to_one',
        sqlOn: `${isKind} AND \${${s.kind}.doc_entry} = ${base('doc_entry')}`,
        requires: [{ table: s.header, columns: ['doc_entry'] }],
        ...shown(s.header, ['doc_num', 'doc_date']),
      },
      ...(lines
        ? [
            {
              name: `${s.kind}_line`,
              from: lines.child,
              viewLabel: `${label} line`,
              relationship: 'many_to_one',
              sqlOn: `${isKind} AND \${${s.kind}_line.${lines.childParentKeyColumn}} = ${base('doc_entry')} AND \${${s.kind}_line.${lines.childLineKeyColumn}} = ${base('line_num')}`,
              requires: [{ table: lines.child, columns: [lines.childParentKeyColumn, lines.childLineKeyColumn] }],
              ...shown(lines.child, ['line_num', 'item_code', 'quantity', 'warehouse_code']),
            } satisfies JoinSpec,
          ]
        : []),
    ];
  });
  const joins = buildJoins(ctx, SALES_MARGIN_EXPLORE, [
    ...documentJoins,
    ...masterDataJoins({
      baseView: SALES_MARGIN_VIEW,
      partner: { name: 'customer', label: 'Customer', column: 'card_code' },
      item: 'item_code',
      warehouse: 'warehouse_code',
      costCenter1: 'cost_center_1',
      costCenter2: 'cost_center_2',
      account: { name: 'account', label: 'G/L account', column: 'account_code' },
    }),
  ]);
  contribution.notes.push(...joins.notes);

  addDerivedExplore(contribution, ctx, {
    name: SALES_MARGIN_EXPLORE,
    view: SALES_MARGIN_VIEW,
    label: 'Sales margin',
    description:
      'Net revenue (after header discounts), cost of goods as posted to the ledger and gross margin, by region, customer, item, warehouse, G/L account and cost center (split rules allocated). Cancelled documents are left out.',
    viewDescription:
      'Revenue rows (invoice and credit-note lines, net of the header discount) and cost-of-goods rows (the journal entry of each invoice, credit note, delivery or return, spread over its lines), allocated to the cost centers of their distribution rules. Amounts in local currency.',
    sql: allocated.sql,
    fields: [...viewFields(ctx), regionDimension(ctx, joins.kept), ...measures(ctx)],
    joins: joins.nodes,
  });
  return contribution;
}

/** Revenue rows: the union's lines with the header discount taken off. */
function revenueRowsSql(ctx: GeneratorContext, unionSql: string): string {
  const documentTotal = 'SUM(r.line_total) OVER (PARTITION BY r.document_kind, r.doc_entry)';
  const common = COMMON.map((c) => `r.${c.alias}`);
  return [
    'SELECT r.document_kind,',
    `  ${common.join(', ')},`,
    `  'revenue' AS amount_type, r.account_code, CAST(NULL AS ${ctx.dialect.type('string')}) AS cost_source, r.rule_1 AS distribution_rule_1, r.rule_2 AS distribution_rule_2,`,
    '  r.quantity,',
    '  CASE',
    `    WHEN r.header_discount IS NOT NULL THEN r.line_total - COALESCE(r.header_discount * r.line_total / NULLIF(${documentTotal}, 0), 0)`,
    '    ELSE r.line_total * (1 - COALESCE(r.header_discount_percent, 0) / 100)',
    '  END AS amount,',
    '  r.estimated_cost',
    'FROM (',
    indentSql(unionSql),
    ') AS r',
  ].join('\n');
}

/** Cost-of-goods rows: each document's posted COGS per account, spread over its lines on that account. */
function costRowsSql(ctx: GeneratorContext): { sql: string | undefined; notes: string[] } {
  if (!hasColumns(ctx, JOURNAL_LINES, ['jdt_num', 'account_code', 'debit', 'credit'])) {
    return { sql: undefined, notes: [`explore ${SALES_MARGIN_EXPLORE}: the catalog lacks ${JOURNAL_LINES} (jdt_num, account_code, debit, credit), so it has no cost of goods.`] };
  }
  const union = documentLineUnion(ctx, COST_SOURCES, COST_COLUMNS, { header: ['doc_date', 'trans_num'], line: ['cogs_account_code'] });
  if (!union) return { sql: undefined, notes: [`explore ${SALES_MARGIN_EXPLORE}: no document stream has trans_num and cogs_account_code, so it has no cost of goods.`] };
  const withoutDeliveries = !union.kinds.includes('delivery_note');
  const notes = union.notes.filter((n) => (withoutDeliveries ? !/^(delivery_note|return) lines are left out/.test(n) : true));
  if (withoutDeliveries) {
    notes.push(`explore ${SALES_MARGIN_EXPLORE}: without the delivery_notes stream, the cost of goods of invoices based on a delivery (posted by the delivery) and of returns is not in the margin.`);
  } else {
    for (let i = 0; i < notes.length; i++) if (/^return lines are left out/.test(notes[i]!)) notes[i] = `explore ${SALES_MARGIN_EXPLORE}: ${notes[i]} The cost of goods returns give back is not in the margin.`;
  }
  const entries = ctx.relations.find((r) => r.child === JOURNAL_LINES);
  const entryJoin = entries && hasTable(ctx, entries.parent) ? parentChildJoinSql(ctx, entries, 'je', 'jl') : undefined;
  if (entryJoin) notes.push(...entryJoin.notes);
  const jl = (column: string) => columnSql(ctx, 'jl', column);
  const postings = [
    `SELECT ${jl('jdt_num')} AS jdt_num, ${jl('account_code')} AS account_code, SUM(COALESCE(${jl('debit')}, 0) - COALESCE(${jl('credit')}, 0)) AS posted`,
    `FROM ${tableSql(ctx, JOURNAL_LINES)} AS jl`,
    ...(entryJoin && entries ? [`INNER JOIN ${tableSql(ctx, entries.parent)} AS je ON ${entryJoin.sql}`] : []),
    `GROUP BY ${jl('jdt_num')}, ${jl('account_code')}`,
  ].join('\n');
  const entryList = entries && hasTable(ctx, entries.parent) ? `SELECT DISTINCT ${columnSql(ctx, 'je', 'jdt_num')} AS jdt_num FROM ${tableSql(ctx, entries.parent)} AS je` : `SELECT DISTINCT ${jl('jdt_num')} AS jdt_num FROM ${tableSql(ctx, JOURNAL_LINES)} AS jl`;
  const group = 'PARTITION BY c.document_kind, c.doc_entry, c.account_code';
  const common = COMMON.map((col) => `c.${col.alias}`);
  const sql = [
    'SELECT c.document_kind,',
    `  ${common.join(', ')},`,
    `  'cost_of_goods' AS amount_type, c.account_code,`,
    `  CASE WHEN e.jdt_num IS NULL THEN 'no journal entry' ELSE 'journal entry' END AS cost_source,`,
    '  c.rule_1 AS distribution_rule_1, c.rule_2 AS distribution_rule_2,',
    `  CAST(NULL AS ${ctx.dialect.type('number')}) AS quantity,`,
    '  CASE',
    '    WHEN p.posted IS NULL THEN 0',
    `    WHEN SUM(COALESCE(c.cost_weight, 0)) OVER (${group}) = 0 THEN p.posted / COUNT(*) OVER (${group})`,
    `    ELSE p.posted * COALESCE(c.cost_weight, 0) / SUM(COALESCE(c.cost_weight, 0)) OVER (${group})`,
    '  END AS amount,',
    `  CAST(NULL AS ${ctx.dialect.type('number')}) AS estimated_cost`,
    'FROM (',
    indentSql(union.sql),
    ') AS c',
    'LEFT JOIN (',
    indentSql(postings),
    ') AS p ON p.jdt_num = c.trans_num AND p.account_code = c.account_code',
    'LEFT JOIN (',
    indentSql(entryList),
    ') AS e ON e.jdt_num = c.trans_num',
  ].join('\n');
  return { sql, notes };
}

function viewFields(ctx: GeneratorContext): LookmlNode[] {
  const t = derivedColumnSql;
  const amount = amountOptions(ctx.amount);
  return [
    ...documentLineKeys(ctx, [t('amount_type'), `COALESCE(${t('cost_center_1')}, '-')`, `COALESCE(${t('cost_center_2')}, '-')`]),
    dimension('document_kind', {
      type: 'string',
      label: 'Document type',
      groupLabel: 'Document',
      description: 'invoice or credit_note (revenue and cost of goods); delivery_note or return (cost of goods their journal entry posted).',
      sql: t('document_kind'),
    }),
    derivedField(ctx, 'doc_num', 'integer', { label: 'Document number', groupLabel: 'Document', description: 'Number of the document (DocNum).' }),
    derivedField(ctx, 'doc_entry', 'integer', { hidden: true, label: 'Document entry', description: 'Internal key of the document (DocEntry).' }),
    derivedField(ctx, 'line_num', 'integer', { hidden: true, label: 'Line number', description: 'Line of the document (LineNum).' }),
    derivedField(ctx, 'doc_date', 'date', { groupName: 'posting', label: 'Posting', description: 'Posting date of the document (DocDate).' }),
    derivedField(ctx, 'card_code', 'string', { label: 'Customer code', groupLabel: 'Document', description: 'Customer of the document (CardCode).' }),
    derivedField(ctx, 'item_code', 'string', { label: 'Item code', groupLabel: 'Document', description: 'Item of the line (ItemCode).' }),
    derivedField(ctx, 'warehouse_code', 'string', { label: 'Warehouse code', groupLabel: 'Document', description: 'Warehouse of the line (WarehouseCode).' }),
    derivedField(ctx, 'sales_person_code', 'integer', { label: 'Sales employee code', groupLabel: 'Document', description: 'Sales employee of the line, else of the document (SalesPersonCode).' }),
    dimension('amount_type', {
      type: 'string',
      label: 'Amount type',
      groupLabel: 'Accounting',
      description: "revenue or cost_of_goods: what the row's amount is.",
      sql: t('amount_type'),
    }),
    derivedField(ctx, 'account_code', 'string', { label: 'G/L account code', groupLabel: 'Accounting', description: 'Revenue account (AccountCode) on revenue rows, cost-of-goods account (COGSAccountCode) on cost rows.' }),
    derivedField(ctx, 'cost_source', 'string', {
      label: 'Cost source',
      groupLabel: 'Accounting',
      description: "On cost rows: 'journal entry' when the cost comes from the document's posting, 'no journal entry' when the document has none in the synced ledger (its cost counts as 0).",
    }),
    derivedField(ctx, 'distribution_rule_1', 'string', { label: 'Distribution rule, dimension 1', groupLabel: 'Cost centers', description: 'Distribution rule of dimension 1 on the line (CostingCode, or COGSCostingCode on cost rows).' }),
    derivedField(ctx, 'distribution_rule_2', 'string', { label: 'Distribution rule, dimension 2', groupLabel: 'Cost centers', description: 'Distribution rule of dimension 2 on the line (CostingCode2, or COGSCostingCode2 on cost rows).' }),
    derivedField(ctx, 'cost_center_1', 'string', { label: 'Cost center code, dimension 1', groupLabel: 'Cost centers', description: 'Cost center of dimension 1 the row is allocated to: the rule itself when direct, each center of a split rule.' }),
    derivedField(ctx, 'cost_center_2', 'string', { label: 'Cost center code, dimension 2', groupLabel: 'Cost centers', description: 'Cost center of dimension 2 the row is allocated to.' }),
    dimension('allocation_share', {
      type: 'number',
      label: 'Allocation share',
      groupLabel: 'Cost centers',
      description: "Share of the line's amount allocated to these cost centers (1 for direct rules).",
      valueFormatName: PERCENT_FORMAT,
      sql: t('allocation_share'),
    }),
    dimension('amount', { type: 'number', hidden: true, label: 'Amount', description: 'Revenue or cost of goods of the row, allocated.', ...amount, sql: t('amount') }),
    dimension('quantity', { type: 'number', hidden: true, label: 'Quantity', description: 'Quantity of revenue rows, allocated.', valueFormat: QUANTITY_FORMAT, sql: t('quantity') }),
    dimension('estimated_cost', { type: 'number', hidden: true, label: 'Estimated cost', description: "SAP's gross-profit base cost of revenue rows.", ...amount, sql: t('estimated_cost') }),
    fieldSet('margin_detail', ['document_kind', 'doc_num', 'posting_date', 'card_code', 'item_code', 'warehouse_code', 'amount_type', 'account_code', 'cost_center_1', 'cost_center_2', 'revenue', 'cost_of_goods']),
  ];
}

/** Region: the customer's U_Region when the catalog has it, else the allocated dimension-1 cost center. */
function regionDimension(ctx: GeneratorContext, kept: Set<string>): LookmlNode {
  const common = { type: 'string' as const, label: 'Region', groupLabel: 'Customer' };
  if (kept.has('customer') && hasColumns(ctx, 'business_partners', ['u_region'])) {
    return dimension('region', { ...common, description: "The customer's region: the user-defined field U_Region on the business partner.", sql: '${customer.u_region}' });
  }
  if (kept.has('cost_center_1') && hasColumns(ctx, 'cost_centers', ['center_name'])) {
    return dimension('region', {
      ...common,
      description: 'The cost center of dimension 1 the row is allocated to (the catalog has no U_Region on business partners).',
      sql: `COALESCE(\${cost_center_1.center_name}, ${derivedColumnSql('cost_center_1')})`,
    });
  }
  return dimension('region', {
    ...common,
    description: 'The cost center code of dimension 1 the row is allocated to (the catalog has no U_Region on business partners).',
    sql: derivedColumnSql('cost_center_1'),
  });
}

function measures(ctx: GeneratorContext): LookmlNode[] {
  const amount = amountOptions(ctx.amount);
  const drill = ['margin_detail*'];
  const of = (type: string) => `CASE WHEN \${amount_type} = '${type}' THEN \${amount} END`;
  return [
    measure('revenue', { type: 'sum', label: 'Net revenue', description: 'Line totals net of the header discount, invoices less credit notes, local currency.', sql: of('revenue'), ...amount, drillFields: drill }),
    measure('cost_of_goods', {
      type: 'sum',
      label: 'Cost of goods',
      description: "Cost of goods as posted by the documents' journal entries (debit less credit on the cost-of-goods accounts), local currency.",
      sql: of('cost_of_goods'),
      ...amount,
      drillFields: drill,
    }),
    measure('gross_margin', { type: 'number', label: 'Gross margin', description: 'Net revenue less cost of goods, local currency.', sql: '${revenue} - ${cost_of_goods}', ...amount, drillFields: drill }),
    measure('gross_margin_pct', { type: 'number', label: 'Gross margin %', description: 'Gross margin as a share of net revenue.', sql: '${gross_margin} / NULLIF(${revenue}, 0)', valueFormatName: PERCENT_FORMAT }),
    measure('quantity_sold', { type: 'sum', label: 'Quantity sold', description: 'Quantity invoiced less quantity credited.', sql: '${quantity}', valueFormat: QUANTITY_FORMAT, drillFields: drill }),
    measure('estimated_cost_of_goods', {
      type: 'sum',
      label: 'Cost of goods, SAP estimate',
      groupLabel: 'SAP gross-profit estimate',
      description: "SAP's gross-profit base cost of the lines (LineTotal - GrossProfit), to compare with the posted cost.",
      sql: '${estimated_cost}',
      ...amount,
    }),
    measure('document_count', { type: 'count_distinct', label: 'Documents', description: 'Invoices and credit notes (and deliveries and returns with cost rows).', sql: '${document_key}', drillFields: drill }),
    measure('invoice_count', { type: 'count_distinct', label: 'Invoices', description: 'A/R invoices.', sql: `CASE WHEN \${document_kind} = 'invoice' THEN \${document_key} END`, drillFields: drill }),
    measure('credit_note_count', { type: 'count_distinct', label: 'Credit notes', description: 'A/R credit notes.', sql: `CASE WHEN \${document_kind} = 'credit_note' THEN \${document_key} END`, drillFields: drill }),
    measure('line_count', {
      type: 'count_distinct',
      label: 'Document lines',
      description: 'Document lines with revenue or cost.',
      sql: concatKey(ctx.dialect, [derivedColumnSql('document_kind'), derivedColumnSql('doc_entry'), derivedColumnSql('line_num')]),
    }),
    fieldList('drill_fields', drill),
  ];
}
