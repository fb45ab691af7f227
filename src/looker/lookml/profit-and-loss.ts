/**
 * Profit and loss from the ledger: the current lines of journal entries on revenue and expense
 * accounts (gl_accounts.account_type at_Revenues / at_Expenses, SAP's profit-and-loss accounts),
 * without SAP's year-end closing entries (OriginalJournal ttClosingBalance), which move the
 * year's result to retained earnings and would zero every year. Each line is allocated to the
 * cost centers of its distribution rules (split rules by their shares).
 *
 * Signs: net_income_amount is credit - debit, so revenue is positive and expenses negative and
 * the sum is the result; the "amount" measures show revenue and expenses each as positive
 * numbers. Fiscal years and periods come from financial_years (Code, StartDate, EndDate) when it
 * is synced; otherwise the fiscal year is the calendar year and the period the month.
 */
import { columnSql, emptyContribution, hasColumns, hasTable, tableSql, type GeneratorContext, type SubjectContribution } from './context.js';
import { accountHierarchyJoin, hasAccountHierarchy } from './account-hierarchy.js';
import { allocatedCostCenterFields, allocatedRowsSql } from './cost-centers.js';
import { currentChildRowsFrom } from './current-rows.js';
import { addDerivedExploreJoining, derivedColumnSql, derivedField, rowKeyDimension } from './derived.js';
import { amountOptions, dimension, fieldSet, measure, PERCENT_FORMAT } from './fields.js';
import type { JoinSpec } from './joins.js';
import { fieldList, type LookmlNode } from './lookml-text.js';
import { masterDataJoins } from './master-joins.js';

export const PROFIT_AND_LOSS_EXPLORE = 'profit_and_loss';
export const PROFIT_AND_LOSS_VIEW = 'profit_and_loss_lines';
const LINES = 'journal_entry_lines';
const FINANCIAL_YEARS = 'financial_years';
export const CLOSING_ENTRY = 'ttClosingBalance';
export const PROFIT_AND_LOSS_TYPES = ['at_Revenues', 'at_Expenses'] as const;

export function profitAndLoss(ctx: GeneratorContext): SubjectContribution {
  const contribution = emptyContribution();
  const current = currentChildRowsFrom(ctx, LINES, 'je', 'jl');
  const lacking = [
    ...(current ? [] : [`the ${LINES} and journal_entries streams`]),
    ...(hasColumns(ctx, LINES, ['account_code', 'debit', 'credit']) ? [] : [`${LINES}.account_code, debit and credit`]),
    ...(hasColumns(ctx, 'journal_entries', ['reference_date']) ? [] : ['journal_entries.reference_date']),
    ...(hasColumns(ctx, 'gl_accounts', ['code', 'account_type']) ? [] : ['gl_accounts with code and account_type']),
  ];
  if (!current || lacking.length) {
    contribution.notes.push(`explore ${PROFIT_AND_LOSS_EXPLORE} is left out: it needs ${lacking.join(', ')}.`);
    return contribution;
  }
  contribution.notes.push(...current.notes);
  const jl = (column: string) => columnSql(ctx, 'jl', column);
  const je = (column: string) => columnSql(ctx, 'je', column);
  const orNull = (table: string, alias: string, column: string) =>
    hasColumns(ctx, table, [column]) ? columnSql(ctx, alias, column) : `CAST(NULL AS ${ctx.dialect.type('string')})`;
  const postingDate = je('reference_date');
  const fiscal = fiscalSql(ctx, postingDate);
  contribution.notes.push(...fiscal.notes);
  const where = [`${columnSql(ctx, 'ga', 'account_type')} IN (${PROFIT_AND_LOSS_TYPES.map((t) => `'${t}'`).join(', ')})`];
  if (hasColumns(ctx, 'journal_entries', ['original_journal'])) where.push(`COALESCE(${je('original_journal')}, '') <> '${CLOSING_ENTRY}'`);
  else contribution.notes.push(`explore ${PROFIT_AND_LOSS_EXPLORE}: journal_entries lacks original_journal, so year-end closing entries are not excluded.`);

  const base = [
    'SELECT',
    [
      `${jl('jdt_num')} AS jdt_num`,
      `${jl('line_id')} AS line_id`,
      `${postingDate} AS posting_date`,
      `${fiscal.year} AS fiscal_year`,
      `${fiscal.period} AS fiscal_period`,
      `${orNull('journal_entries', 'je', 'original_journal')} AS origin`,
      `${jl('account_code')} AS account_code`,
      `${columnSql(ctx, 'ga', 'account_type')} AS account_type`,
      `${orNull(LINES, 'jl', 'costing_code')} AS distribution_rule_1`,
      `${orNull(LINES, 'jl', 'costing_code2')} AS distribution_rule_2`,
      `COALESCE(${jl('credit')}, 0) - COALESCE(${jl('debit')}, 0) AS net_income_amount`,
    ]
      .map((s) => `  ${s}`)
      .join(',\n'),
    `FROM ${current.from}`,
    `INNER JOIN ${tableSql(ctx, 'gl_accounts')} AS ga ON ${columnSql(ctx, 'ga', 'code')} = ${jl('account_code')}`,
    ...fiscal.joins,
    `WHERE ${where.join(' AND ')}`,
  ].join('\n');
  const allocated = allocatedRowsSql(ctx, {
    baseSql: base,
    date: 'posting_date',
    dimensions: [
      { rule: 'distribution_rule_1', center: 'cost_center_1' },
      { rule: 'distribution_rule_2', center: 'cost_center_2' },
    ],
    amounts: ['net_income_amount'],
    passthrough: ['jdt_num', 'line_id', 'posting_date', 'fiscal_year', 'fiscal_period', 'origin', 'account_code', 'account_type'],
  });
  contribution.notes.push(...allocated.notes);

  const specs: JoinSpec[] = [
    {
      name: 'journal_entry',
      from: 'journal_entries',
      viewLabel: 'Journal entry',
      relationship: 'many_to_one',
      sqlOn: `\${journal_entry.jdt_num} = \${${PROFIT_AND_LOSS_VIEW}.jdt_num}`,
      requires: [{ table: 'journal_entries', columns: ['jdt_num'] }],
    },
    ...masterDataJoins({
      baseView: PROFIT_AND_LOSS_VIEW,
      costCenter1: 'cost_center_1',
      costCenter2: 'cost_center_2',
      account: { name: 'account', label: 'G/L account', column: 'account_code' },
    }),
    ...(hasAccountHierarchy(ctx) ? [accountHierarchyJoin(PROFIT_AND_LOSS_VIEW, 'account_code')] : []),
  ];
  addDerivedExploreJoining(
    contribution,
    ctx,
    {
      name: PROFIT_AND_LOSS_EXPLORE,
      view: PROFIT_AND_LOSS_VIEW,
      label: 'Profit and loss',
      description:
        'Revenue, expenses and net income from the journal entry lines on profit-and-loss accounts, by account hierarchy, fiscal year and period, and cost center (split rules allocated). Year-end closing entries are left out.',
      viewDescription: 'Current journal entry lines on revenue and expense accounts, without year-end closing entries, allocated to the cost centers of their distribution rules. Amounts in local currency.',
      sql: allocated.sql,
      fields: fields(ctx),
    },
    specs,
  );
  return contribution;
}

/** Fiscal year and period of a posting date: from financial_years when synced, else the calendar. */
function fiscalSql(ctx: GeneratorContext, date: string): { year: string; period: string; joins: string[]; notes: string[] } {
  const text = ctx.dialect.type('string');
  const monthsBetween = (from: string) => `(EXTRACT(YEAR FROM ${date}) - EXTRACT(YEAR FROM ${from})) * 12 + EXTRACT(MONTH FROM ${date}) - EXTRACT(MONTH FROM ${from}) + 1`;
  if (hasTable(ctx, FINANCIAL_YEARS) && hasColumns(ctx, FINANCIAL_YEARS, ['code', 'start_date', 'end_date'])) {
    const fy = (column: string) => columnSql(ctx, 'fy', column);
    return {
      year: `COALESCE(${fy('code')}, CAST(EXTRACT(YEAR FROM ${date}) AS ${text}))`,
      period: `COALESCE(${monthsBetween(fy('start_date'))}, EXTRACT(MONTH FROM ${date}))`,
      joins: [`LEFT JOIN ${tableSql(ctx, FINANCIAL_YEARS)} AS fy ON ${date} BETWEEN ${fy('start_date')} AND ${fy('end_date')}`],
      notes: [],
    };
  }
  return {
    year: `CAST(EXTRACT(YEAR FROM ${date}) AS ${text})`,
    period: `EXTRACT(MONTH FROM ${date})`,
    joins: [],
    notes: [`explore ${PROFIT_AND_LOSS_EXPLORE}: without the ${FINANCIAL_YEARS} stream, fiscal years are calendar years and periods are months.`],
  };
}

function fields(ctx: GeneratorContext): LookmlNode[] {
  const t = derivedColumnSql;
  const amount = amountOptions(ctx.amount);
  const drill = ['pnl_detail*'];
  const revenueRow = `\${account_type} = 'at_Revenues'`;
  return [
    rowKeyDimension(ctx, 'Journal entry, line and allocated cost centers as one value.', [t('jdt_num'), t('line_id'), `COALESCE(${t('cost_center_1')}, '-')`, `COALESCE(${t('cost_center_2')}, '-')`]),
    derivedField(ctx, 'jdt_num', 'integer', { label: 'Transaction number', groupLabel: 'Journal entry', description: 'Journal entry of the line (JdtNum).' }),
    derivedField(ctx, 'line_id', 'integer', { hidden: true, label: 'Line number', description: 'Line of the journal entry (Line_ID).' }),
    derivedField(ctx, 'posting_date', 'date', { groupName: 'posting', label: 'Posting', description: 'Posting date of the journal entry (ReferenceDate).' }),
    derivedField(ctx, 'fiscal_year', 'string', { label: 'Fiscal year', groupLabel: 'Fiscal calendar', description: 'Financial year of the posting date (FinancialYears.Code), or the calendar year.' }),
    derivedField(ctx, 'fiscal_period', 'integer', { label: 'Fiscal period', groupLabel: 'Fiscal calendar', description: 'Month of the fiscal year, 1 to 12.' }),
    derivedField(ctx, 'origin', 'string', { label: 'Origin', groupLabel: 'Journal entry', description: 'Kind of transaction that posted the line (OriginalJournal): ttARInvoice, ttJournalEntry...' }),
    derivedField(ctx, 'account_code', 'string', { label: 'G/L account code', groupLabel: 'Account', description: 'Account posted to (AccountCode).' }),
    derivedField(ctx, 'account_type', 'string', { label: 'Account type', groupLabel: 'Account', description: 'at_Revenues or at_Expenses.' }),
    ...allocatedCostCenterFields(ctx, {
      rule1: 'Distribution rule of dimension 1 on the line (CostingCode).',
      rule2: 'Distribution rule of dimension 2 on the line (CostingCode2).',
      center1: 'Cost center of dimension 1 the line is allocated to.',
      center2: 'Cost center of dimension 2 the line is allocated to.',
    }),
    dimension('net_income_amount', { type: 'number', hidden: true, label: 'Net income amount', description: 'Credit less debit, allocated.', ...amount, sql: t('net_income_amount') }),
    fieldSet('pnl_detail', ['jdt_num', 'posting_date', 'origin', 'account_code', 'cost_center_1', 'cost_center_2', 'amount']),
    fieldList('drill_fields', drill),
    measure('revenue', { type: 'sum', label: 'Revenue', description: 'Credit less debit on revenue accounts, local currency.', sql: `CASE WHEN ${revenueRow} THEN \${net_income_amount} END`, ...amount, drillFields: drill }),
    measure('expenses', { type: 'sum', label: 'Expenses', description: 'Debit less credit on expense accounts (cost of sales included), local currency.', sql: `CASE WHEN ${revenueRow} THEN NULL ELSE -(\${net_income_amount}) END`, ...amount, drillFields: drill }),
    measure('amount', {
      type: 'sum',
      label: 'Amount',
      description: 'Revenue and expenses each as a positive number (credit less debit on revenue accounts, debit less credit on expense accounts), local currency.',
      sql: `CASE WHEN ${revenueRow} THEN \${net_income_amount} ELSE -(\${net_income_amount}) END`,
      ...amount,
      drillFields: drill,
    }),
    measure('net_income', { type: 'sum', label: 'Net income', description: 'Revenue less expenses (credit less debit on all profit-and-loss accounts), local currency.', sql: '${net_income_amount}', ...amount, drillFields: drill }),
    measure('net_margin_pct', { type: 'number', label: 'Net margin %', description: 'Net income as a share of revenue.', sql: '${net_income} / NULLIF(${revenue}, 0)', valueFormatName: PERCENT_FORMAT }),
    measure('journal_entry_count', { type: 'count_distinct', label: 'Journal entries', description: 'Journal entries with profit-and-loss lines.', sql: t('jdt_num'), drillFields: drill }),
  ];
}
