/**
 * General ledger: journal entry lines with their entry, G/L account and cost centers of
 * dimensions 1 and 2. The entry is always inner-joined on its current version, so lines removed
 * from an entry in SAP do not count. Reversals are entries of their own in SAP and net out.
 */
import { emptyContribution, hasColumns, hasTable, type GeneratorContext, type SubjectContribution } from './context.js';
import { parentChildJoinLookml } from './current-rows.js';
import { AMOUNT_FORMAT, measure } from './fields.js';
import { buildJoins, type JoinSpec } from './joins.js';
import { bare, block, quoted, wordList, type LookmlNode } from './lookml-text.js';
import { masterDataJoins } from './master-joins.js';

export const LEDGER_EXPLORE = 'general_ledger';
const LINES = 'journal_entry_lines';

export function generalLedger(ctx: GeneratorContext): SubjectContribution {
  const contribution = emptyContribution();
  if (!hasTable(ctx, LINES)) {
    contribution.notes.push(`explore ${LEDGER_EXPLORE} is left out: the catalog lacks the ${LINES} stream.`);
    return contribution;
  }
  const entryJoin = parentChildJoinLookml(ctx, { parent: 'journal_entries', child: LINES, parentKey: 'jdt_num', childParentKey: 'jdt_num' }, 'journal_entry', LINES);
  const specs: JoinSpec[] = [
    {
      name: 'journal_entry',
      from: 'journal_entries',
      viewLabel: 'Journal entry',
      type: 'inner',
      relationship: 'many_to_one',
      sqlOn: entryJoin.sql,
      requires: [
        { table: 'journal_entries', columns: ['jdt_num'] },
        { table: LINES, columns: ['jdt_num'] },
      ],
    },
    ...masterDataJoins({
      baseView: LINES,
      baseTable: LINES,
      costCenter1: 'costing_code',
      costCenter2: 'costing_code2',
      account: { name: 'gl_account', label: 'G/L account', column: 'account_code' },
    }),
  ];
  const joins = buildJoins(ctx, LEDGER_EXPLORE, specs);
  contribution.notes.push(...joins.notes);
  if (joins.kept.has('journal_entry')) contribution.notes.push(...entryJoin.notes);
  else contribution.notes.push(`explore ${LEDGER_EXPLORE}: without journal_entries, lines removed from an entry in SAP are still counted.`);

  const fields: LookmlNode[] = [];
  if (hasColumns(ctx, LINES, ['debit', 'credit'])) {
    fields.push(
      measure('total_debit', { type: 'sum', sql: `\${TABLE}.${ctx.dialect.column('debit')}`, valueFormatName: AMOUNT_FORMAT, description: 'Debits, local currency.' }),
      measure('total_credit', { type: 'sum', sql: `\${TABLE}.${ctx.dialect.column('credit')}`, valueFormatName: AMOUNT_FORMAT, description: 'Credits, local currency.' }),
      measure('balance', {
        type: 'sum',
        sql: `COALESCE(\${TABLE}.${ctx.dialect.column('debit')}, 0) - COALESCE(\${TABLE}.${ctx.dialect.column('credit')}, 0)`,
        valueFormatName: AMOUNT_FORMAT,
        description: 'Debit minus credit, local currency.',
      }),
    );
  } else {
    contribution.notes.push(`${LINES}: the catalog lacks debit or credit, so the ledger has no debit, credit or balance measures.`);
  }
  if (hasColumns(ctx, LINES, ['jdt_num'])) {
    fields.push(measure('journal_entry_count', { type: 'count_distinct', sql: `\${TABLE}.${ctx.dialect.column('jdt_num')}` }));
  }
  contribution.viewFields.push({ view: LINES, fields });
  contribution.explores.push(
    block('explore', LEDGER_EXPLORE, [
      bare('view_name', LINES),
      quoted('label', 'General ledger'),
      quoted('description', 'Journal entry lines with their entry, G/L account and cost centers: debits, credits and balances.'),
      ...(joins.kept.has('journal_entry') ? [wordList('always_join', ['journal_entry'])] : []),
      ...joins.nodes,
    ]),
  );
  return contribution;
}
