/**
 * Cost centers with split distribution rules allocated by their shares.
 *
 * A document or journal line names a distribution rule per dimension (CostingCode,
 * CostingCode2...), not a cost center. A direct rule has the code of its one cost center; a split
 * rule (e.g. ALLREG: NE 40 %, MW 35 %, SO 25 %) spreads the amount over several centers by their
 * TotalInCenter within the rule's lines valid on the posting date (SAP keeps each version of a
 * rule as lines with their own EffectiveFrom/EffectiveTo). So every amount row becomes one row
 * per center of each dimension's rule, the amount multiplied by the shares: the allocated rows of
 * one line add up to the line, and totals do not change.
 *
 * The rule lines come from the distribution_rule_lines stream (DistributionRules /
 * DistributionRuleLines: factor_code, center_code, total_in_center, effective_from,
 * effective_to). Without it every rule is taken as direct: its code is the cost center, share 1.
 */
import { columnSql, hasColumns, hasTable, tableSql, type GeneratorContext } from './context.js';
import { currentChildRowsFrom } from './current-rows.js';
import { indentSql } from './derived.js';

export const RULE_LINES = 'distribution_rule_lines';
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

/** Shares of each rule's centers by rule version, or undefined when the catalog lacks the rule lines. */
function ruleSharesSql(ctx: GeneratorContext): { sql: string | undefined; notes: string[] } {
  if (!hasTable(ctx, RULE_LINES) || !hasColumns(ctx, RULE_LINES, RULE_LINE_COLUMNS)) {
    return {
      sql: undefined,
      notes: [
        `cost centers: the catalog lacks the ${RULE_LINES} stream (or its ${RULE_LINE_COLUMNS.join(', ')} columns), so every distribution rule is taken as direct (its code is the cost center) and split rules are not allocated.`,
      ],
    };
  }
  const current = currentChildRowsFrom(ctx, RULE_LINES, 'r', 'rl');
  const from = current?.from ?? `${tableSql(ctx, RULE_LINES)} AS rl`;
  const c = (column: string) => columnSql(ctx, 'rl', column);
  return {
    sql: [
      `SELECT ${c('factor_code')} AS factor_code, ${c('center_code')} AS center_code, ${c('effective_from')} AS effective_from, ${c('effective_to')} AS effective_to,`,
      `  ${c('total_in_center')} / NULLIF(SUM(${c('total_in_center')}) OVER (PARTITION BY ${c('factor_code')}, ${c('effective_from')}), 0) AS share`,
      `FROM ${from}`,
    ].join('\n'),
    notes: current?.notes ?? [],
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
