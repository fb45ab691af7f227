/**
 * General ledger: journal entry lines with their entry, G/L account and its hierarchy, and the
 * distribution rules of dimensions 1 and 2. The entry is always inner-joined on its current
 * version, so lines removed from an entry in SAP do not count. Reversals are entries of their own
 * in SAP and net out. Amounts keep the ledger's convention (debit positive); the profit_and_loss
 * explore signs them by account type.
 */
import { emptyContribution, hasColumns, hasTable, tableColumn, type GeneratorContext, type SubjectContribution } from './context.js';
import { accountHierarchyJoin, hasAccountHierarchy } from './account-hierarchy.js';
import { parentChildJoinLookml, relationOfChild } from './current-rows.js';
import { amountOptions, measure } from './fields.js';
import { buildJoins, type JoinSpec } from './joins.js';
import { bare, block, quoted, wordList, type LookmlNode } from './lookml-text.js';
import { masterDataJoins } from './master-joins.js';
import { DETAIL_SET } from './stream-views.js';

export const LEDGER_EXPLORE = 'general_ledger';
const LINES = 'journal_entry_lines';

export function generalLedger(ctx: GeneratorContext): SubjectContribution {
  const contribution = emptyContribution();
  const relation = relationOfChild(ctx, LINES);
  if (!hasTable(ctx, LINES) || !relation) {
    contribution.notes.push(`explore ${LEDGER_EXPLORE} is left out: the catalog lacks the ${LINES} stream.`);
    return contribution;
  }
  const entryJoin = parentChildJoinLookml(ctx, relation, 'journal_entry', LINES);
  const specs: JoinSpec[] = [
    {
      name: 'journal_entry',
      from: relation.parent,
      viewLabel: 'Journal entry',
      type: 'inner',
      relationship: 'many_to_one',
      sqlOn: entryJoin.sql,
      requires: [
        { table: relation.parent, columns: [relation.parentKeyColumn] },
        { table: LINES, columns: [relation.childParentKeyColumn] },
      ],
    },
    ...masterDataJoins({
      baseView: LINES,
      baseTable: LINES,
      costCenter1: 'costing_code',
      costCenter2: 'costing_code2',
      account: { name: 'gl_account', label: 'G/L account', column: 'account_code' },
    }),
    ...(hasAccountHierarchy(ctx) && hasColumns(ctx, LINES, ['account_code']) ? [accountHierarchyJoin(LINES, 'account_code')] : []),
  ];
  const joins = buildJoins(ctx, LEDGER_EXPLORE, specs);
  contribution.notes.push(...joins.notes);
  if (joins.kept.has('journal_entry')) contribution.notes.push(...entryJoin.notes);
  else contribution.notes.push(`explore ${LEDGER_EXPLORE}: without journal_entries, lines removed from an entry in SAP are still counted.`);

  const amount = amountOptions(ctx.amount);
  const drill = [`${DETAIL_SET}*`];
  const fields: LookmlNode[] = [];
  if (hasColumns(ctx, LINES, ['debit', 'credit'])) {
    const debit = tableColumn(ctx, 'debit');
    const credit = tableColumn(ctx, 'credit');
    fields.push(
      measure('total_debit', { type: 'sum', label: 'Total debit', description: 'Debits, local currency.', sql: debit, ...amount, drillFields: drill }),
      measure('total_credit', { type: 'sum', label: 'Total credit', description: 'Credits, local currency.', sql: credit, ...amount, drillFields: drill }),
      measure('balance', {
        type: 'sum',
        label: 'Balance (debit less credit)',
        description: 'Debit less credit, local currency: assets and expenses positive, liabilities, equity and revenue negative.',
        sql: `COALESCE(${debit}, 0) - COALESCE(${credit}, 0)`,
        ...amount,
        drillFields: drill,
      }),
    );
  } else {
    contribution.notes.push(`${LINES}: the catalog lacks debit or credit, so the ledger has no debit, credit or balance measures.`);
  }
  if (hasColumns(ctx, LINES, [relation.childParentKeyColumn])) {
    fields.push(measure('journal_entry_count', { type: 'count_distinct', label: 'Journal entries', description: 'Journal entries with lines in the selection.', sql: tableColumn(ctx, relation.childParentKeyColumn), drillFields: drill }));
  }
  contribution.viewFields.push({ view: LINES, fields });
  contribution.explores.push({
    name: LEDGER_EXPLORE,
    node: block('explore', LEDGER_EXPLORE, [
      bare('view_name', LINES),
      quoted('label', 'General ledger'),
      quoted('description', 'Journal entry lines with their entry, G/L account and account hierarchy, and distribution rules: debits, credits and balances.'),
      ...(joins.kept.has('journal_entry') ? [wordList('always_join', ['journal_entry'])] : []),
      ...joins.nodes,
    ]),
  });
  return contribution;
}
