/**
 * Cost centers with split distribution rules allocated by their shares.
 *
 * A document or journal line names a distribution rule per dimension (CostingCode,
 * CostingCode2...), not a cost center. A direct rule has the code of its one cost center; a split
 * rule (e.g. ALLREG: NE 40 %, MW 35 %, SO 25 %) spreads the amount over several centers. SAP keeps
 * each version of a rule as lines with their own EffectiveFrom/EffectiveTo; a center's share on a
 * posting date is its TotalInCenter over the total of the rule's lines valid on that date (the
 * rule's TotalFactor for its current version). So every amount row becomes one row per center of
 * each dimension's rule, the amount multiplied by the shares: the allocated rows of one line add
 * up to the line, and totals do not change.
 *
 * The rule lines come from the distribution_rule_lines stream when the catalog has it (the
 * DistributionRuleLines of DistributionRules as a stream of their own: factor_code, center_code,
 * total_in_center, effective_from, effective_to), else from the distribution_rules stream's
 * distribution_rule_lines column, which holds the same lines as a JSON array (its elements carry
 * the same snake_case names). Without either, every rule is taken as direct: its code is the
 * cost center, share 1.
 */
import { columnSql, hasColumns, hasTable, tableSql, type GeneratorContext } from './context.js';
import { currentChildRowsFrom } from './current-rows.js';
import { derivedColumnSql, derivedField, indentSql } from './derived.js';
import { dimension, PERCENT_FORMAT } from './fields.js';
import type { LookmlNode } from './lookml-text.js';

export const RULE_LINES = 'distribution_rule_lines';
const RULES = 'distribution_rules';
const RULE_LINE_COLUMNS = ['factor_code', 'center_code', 'total_in_center', 'effective_from', 'effective_to'] as const;

export interface AllocatedDimension {
  /** Column of the base rows holding the rule code, and the output column of the center. */
  rule: string;
  center: string;
}

export interface AllocationInput {
  /** SQL of the rows to allocate (aliased b in the output query). */
  baseSql: string;
  /** Base column with the posting date the rule version is chosen by. */
  date: string;
  dimensions: readonly AllocatedDimension[];
  /** Base columns multiplied by the shares. */
  amounts: readonly string[];
  /** Base columns passed through unchanged. */
  passthrough: readonly string[];
}

/** Rule lines (factor_code, center_code, total_in_center, effective_from, effective_to) from whichever source the catalog has. */
function ruleLinesSql(ctx: GeneratorContext): { sql: string; notes: string[] } | undefined {
  if (hasTable(ctx, RULE_LINES) && hasColumns(ctx, RULE_LINES, RULE_LINE_COLUMNS)) {
    const current = currentChildRowsFrom(ctx, RULE_LINES, 'r', 'rl');
    const c = (column: string) => columnSql(ctx, 'rl', column);
    return {
      sql: `SELECT ${RULE_LINE_COLUMNS.map((column) => `${c(column)} AS ${column}`).join(', ')}\nFROM ${current?.from ?? `${tableSql(ctx, RULE_LINES)} AS rl`}`,
      notes: current?.notes ?? [],
    };
  }
  if (hasColumns(ctx, RULES, ['factor_code', RULE_LINES])) {
    const member = (name: string) => ctx.dialect.jsonMemberText('rl', name);
    return {
      sql: [
        `SELECT ${columnSql(ctx, 'r', 'factor_code')} AS factor_code, ${member('center_code')} AS center_code,`,
        `  CAST(${member('total_in_center')} AS ${ctx.dialect.type('number')}) AS total_in_center,`,
        `  CAST(${member('effective_from')} AS DATE) AS effective_from, CAST(${member('effective_to')} AS DATE) AS effective_to`,
        `FROM ${tableSql(ctx, RULES)} AS r`,
        ctx.dialect.jsonArrayRows(columnSql(ctx, 'r', RULE_LINES), 'rl'),
      ].join('\n'),
      notes: [],
    };
  }
  return undefined;
}

/** Shares of each rule's centers by rule version, or undefined when the catalog has no rule lines. */
function ruleSharesSql(ctx: GeneratorContext): { sql: string | undefined; notes: string[] } {
  const lines = ruleLinesSql(ctx);
  if (!lines) {
    return {
      sql: undefined,
      notes: [
        `cost centers: the catalog has neither the ${RULE_LINES} stream nor ${RULES}.${RULE_LINES}, so every distribution rule is taken as direct (its code is the cost center) and split rules are not allocated.`,
      ],
    };
  }
  // The lines of one version of a rule share their validity; a share is over that version's total.
  const version = 'PARTITION BY l.factor_code, l.effective_from, l.effective_to';
  return {
    sql: [
      'SELECT l.factor_code, l.center_code, l.effective_from, l.effective_to,',
      `  l.total_in_center / NULLIF(SUM(l.total_in_center) OVER (${version}), 0) AS share`,
      'FROM (',
      indentSql(lines.sql),
      ') AS l',
    ].join('\n'),
    notes: lines.notes,
  };
}

/**
 * The base rows allocated to cost centers: passthrough columns, each dimension's rule and its
 * center, amounts times the shares, and allocation_share (the product of the shares).
 */
export function allocatedRowsSql(ctx: GeneratorContext, input: AllocationInput): { sql: string; notes: string[] } {
  const shares = ruleSharesSql(ctx);
  const select: string[] = input.passthrough.map((column) => `b.${column}`);
  const joins: string[] = [];
  const shareFactors: string[] = [];
  input.dimensions.forEach((dimension, i) => {
    const a = `a${i + 1}`;
    select.push(`b.${dimension.rule}`);
    if (shares.sql) {
      select.push(`COALESCE(${a}.center_code, b.${dimension.rule}) AS ${dimension.center}`);
      shareFactors.push(`COALESCE(${a}.share, 1)`);
      joins.push(
        [
          `LEFT JOIN (`,
          indentSql(shares.sql),
          `) AS ${a} ON ${a}.factor_code = b.${dimension.rule}`,
          `  AND (${a}.effective_from IS NULL OR ${a}.effective_from <= b.${input.date})`,
          `  AND (${a}.effective_to IS NULL OR ${a}.effective_to >= b.${input.date})`,
        ].join('\n'),
      );
    } else {
      select.push(`b.${dimension.rule} AS ${dimension.center}`);
    }
  });
  const share = shareFactors.length ? shareFactors.join(' * ') : '1';
  for (const amount of input.amounts) select.push(`b.${amount} * ${share} AS ${amount}`);
  select.push(`${share} AS allocation_share`);
  return {
    sql: ['SELECT', select.map((s) => `  ${s}`).join(',\n'), 'FROM (', indentSql(input.baseSql), ') AS b', ...joins].join('\n'),
    notes: shares.notes,
  };
}

/** What the rule and center columns of a view's allocated rows hold, in the view's own words. */
export interface AllocatedFieldDescriptions {
  rule1: string;
  rule2: string;
  center1: string;
  center2: string;
}

/** The fields of allocated rows (see allocatedRowsSql): each dimension's rule and center, and the share. */
export function allocatedCostCenterFields(ctx: GeneratorContext, describe: AllocatedFieldDescriptions): LookmlNode[] {
  const group = 'Cost centers';
  return [
    derivedField(ctx, 'distribution_rule_1', 'string', { label: 'Distribution rule, dimension 1', groupLabel: group, description: describe.rule1 }),
    derivedField(ctx, 'distribution_rule_2', 'string', { label: 'Distribution rule, dimension 2', groupLabel: group, description: describe.rule2 }),
    derivedField(ctx, 'cost_center_1', 'string', { label: 'Cost center code, dimension 1', groupLabel: group, description: describe.center1 }),
    derivedField(ctx, 'cost_center_2', 'string', { label: 'Cost center code, dimension 2', groupLabel: group, description: describe.center2 }),
    dimension('allocation_share', {
      type: 'number',
      label: 'Allocation share',
      groupLabel: group,
      description: "Share of the line's amount allocated to these cost centers (1 for direct rules).",
      valueFormatName: PERCENT_FORMAT,
      sql: derivedColumnSql('allocation_share'),
    }),
  ];
}
