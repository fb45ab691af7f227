/**
 * The chart of accounts as a hierarchy: one row per account with the names and codes of its
 * ancestors by level (level 1 is SAP's drawer: Assets, Liabilities, Revenues, Cost of Sales...),
 * found by walking FatherAccountKey up. The levels come from AccountLevel, so a posting account at
 * level 3 shows itself at level 3 and nothing below. SAP allows up to ten levels; companies use
 * three to five, and the walk covers six.
 */
import { columnSql, emptyContribution, hasColumns, tableSql, type DerivedView, type GeneratorContext, type SubjectContribution } from './context.js';
import { derivedTableView } from './derived.js';
import { dimension } from './fields.js';
import type { JoinSpec } from './joins.js';

export const ACCOUNT_HIERARCHY_VIEW = 'gl_account_hierarchy';
export const HIERARCHY_LEVELS = 5;
const ANCESTORS = 6;
const REQUIRED = ['code', 'name', 'father_account_key', 'account_level'];

/** Whether the catalog allows the hierarchy (explores join it only then). */
export function hasAccountHierarchy(ctx: GeneratorContext): boolean {
  return hasColumns(ctx, 'gl_accounts', REQUIRED);
}

/** The hierarchy as a subject of its own: one derived view that the ledger explores join. */
export function accountHierarchy(ctx: GeneratorContext): SubjectContribution {
  const contribution = emptyContribution();
  const { view, notes } = accountHierarchyView(ctx);
  if (view) contribution.derivedViews.push(view);
  contribution.notes.push(...notes);
  return contribution;
}

/** The hierarchy view, or undefined when gl_accounts lacks what the walk needs. */
function accountHierarchyView(ctx: GeneratorContext): { view: DerivedView | undefined; notes: string[] } {
  if (!hasColumns(ctx, 'gl_accounts', REQUIRED)) {
    return { view: undefined, notes: [`account hierarchy is left out: the catalog lacks gl_accounts with ${REQUIRED.join(', ')}.`] };
  }
  const a = (i: number, column: string) => columnSql(ctx, `a${i}`, column);
  const joins = Array.from({ length: ANCESTORS - 1 }, (_, i) => `LEFT JOIN ${tableSql(ctx, 'gl_accounts')} AS a${i + 1} ON ${a(i + 1, 'code')} = ${a(i, 'father_account_key')}`);
  const atLevel = (level: number, column: string) =>
    `CASE ${Array.from({ length: ANCESTORS }, (_, i) => `WHEN ${a(i, 'account_level')} = ${level} THEN ${a(i, column)}`).join(' ')} END`;
  const select = [`${a(0, 'code')} AS account_code`];
  for (let level = 1; level <= HIERARCHY_LEVELS; level++) {
    select.push(`${atLevel(level, 'code')} AS level_${level}_code`, `${atLevel(level, 'name')} AS level_${level}_name`);
  }
  const sql = ['SELECT', select.map((s) => `  ${s}`).join(',\n'), `FROM ${tableSql(ctx, 'gl_accounts')} AS a0`, ...joins].join('\n');
  const fields = [
    dimension('account_code', { type: 'string', primaryKey: true, hidden: true, label: 'Account code', description: 'The account (Code).', sql: '${TABLE}.account_code' }),
  ];
  for (let level = 1; level <= HIERARCHY_LEVELS; level++) {
    fields.push(
      dimension(`level_${level}_name`, {
        type: 'string',
        label: `Level ${level}`,
        groupLabel: 'Account hierarchy',
        description: `Name of the account's ancestor at level ${level} of the chart of accounts${level === 1 ? ' (the drawer: Assets, Revenues, Cost of Sales...)' : ''}; the account itself at its own level.`,
        sql: `\${TABLE}.level_${level}_name`,
      }),
      dimension(`level_${level}_code`, {
        type: 'string',
        hidden: true,
        label: `Level ${level} code`,
        description: `Code of the ancestor at level ${level}.`,
        sql: `\${TABLE}.level_${level}_code`,
      }),
    );
  }
  return {
    view: derivedTableView(ctx, ACCOUNT_HIERARCHY_VIEW, 'Each G/L account with its ancestors by level (FatherAccountKey walked up, levels from AccountLevel).', sql, fields),
    notes: [],
  };
}

/** The join of the hierarchy onto a view's account column. */
export function accountHierarchyJoin(baseView: string, accountField: string): JoinSpec {
  return {
    name: 'account_hierarchy',
    from: ACCOUNT_HIERARCHY_VIEW,
    viewLabel: 'G/L account',
    relationship: 'many_to_one',
    sqlOn: `\${account_hierarchy.account_code} = \${${baseView}.${accountField}}`,
    requires: [],
    derived: true,
  };
}
