/**
 * What a payment paid in total, by every means (cash, bank transfer, checks, credit cards).
 *
 * The Service Layer's Payment entity has CashSum and TransferSum on the header, but checks and
 * credit cards only in its PaymentChecks and PaymentCreditCards collections, and no document
 * total. The payment's own journal entry has the total: SAP posts it with OriginalJournal
 * ttReceipt (incoming) or ttVendorPayment (outgoing) and Original = the payment's DocEntry, and
 * credits the customer (debits the vendor) with the whole amount on the business partner's line
 * (ShortName = CardCode). So the total paid is that line's amount, which also ties to the
 * receivables and payables control accounts. A payment without such a posting in the synced
 * ledger (a payment to G/L accounts only, or journal entries not synced) falls back to cash plus
 * bank transfer, and says so in total_source.
 */
import { columnSql, hasColumns, tableSql, type GeneratorContext } from './context.js';
import { relationOfChild, parentChildJoinSql } from './current-rows.js';
import { indentSql } from './derived.js';

export interface PaymentFlow {
  payments: string;
  /** OriginalJournal of the payment's journal entry. */
  origin: 'ttReceipt' | 'ttVendorPayment';
  /** +1 when the business partner is credited (incoming), -1 when debited (outgoing). */
  partnerCreditSign: 1 | -1;
}

const JOURNAL_LINES = 'journal_entry_lines';

/** One row per payment: doc_entry, total_paid, total_source. Undefined without doc_entry. */
export function paymentTotalsSql(ctx: GeneratorContext, flow: PaymentFlow): { sql: string | undefined; notes: string[] } {
  const p = (column: string) => columnSql(ctx, 'p', column);
  if (!hasColumns(ctx, flow.payments, ['doc_entry'])) return { sql: undefined, notes: [] };
  const headerParts = ['cash_sum', 'transfer_sum'].filter((c) => hasColumns(ctx, flow.payments, [c])).map((c) => `COALESCE(${p(c)}, 0)`);
  const headerTotal = headerParts.length ? headerParts.join(' + ') : `CAST(NULL AS ${ctx.dialect.type('number')})`;
  const relation = relationOfChild(ctx, JOURNAL_LINES);
  const canPost =
    relation !== undefined &&
    hasColumns(ctx, relation.parent, ['jdt_num', 'original_journal', 'original']) &&
    hasColumns(ctx, JOURNAL_LINES, ['short_name', 'debit', 'credit']) &&
    hasColumns(ctx, flow.payments, ['card_code']);
  if (!canPost || !relation) {
    return {
      sql: [`SELECT ${p('doc_entry')} AS doc_entry, ${headerTotal} AS total_paid, 'cash and transfer only' AS total_source`, `FROM ${tableSql(ctx, flow.payments)} AS p`].join('\n'),
      notes: [
        `${flow.payments}: the catalog lacks the journal entries (original_journal, original) or their lines (short_name, debit, credit), so the total paid counts cash and bank transfers only, not checks or credit cards.`,
      ],
    };
  }
  const join = parentChildJoinSql(ctx, relation, 'je', 'jl');
  const jl = (column: string) => columnSql(ctx, 'jl', column);
  const je = (column: string) => columnSql(ctx, 'je', column);
  const signed = `${flow.partnerCreditSign === 1 ? '' : '-'}(COALESCE(${jl('credit')}, 0) - COALESCE(${jl('debit')}, 0))`;
  const posted = [
    `SELECT ${je('original')} AS doc_entry, ${jl('short_name')} AS card_code, SUM(${signed}) AS posted`,
    `FROM ${tableSql(ctx, JOURNAL_LINES)} AS jl`,
    `INNER JOIN ${tableSql(ctx, relation.parent)} AS je ON ${join.sql}`,
    `WHERE ${je('original_journal')} = '${flow.origin}'`,
    `GROUP BY ${je('original')}, ${jl('short_name')}`,
  ].join('\n');
  return {
    sql: [
      `SELECT ${p('doc_entry')} AS doc_entry,`,
      `  COALESCE(pp.posted, ${headerTotal}) AS total_paid,`,
      `  CASE WHEN pp.posted IS NULL THEN 'cash and transfer only' ELSE 'journal entry' END AS total_source`,
      `FROM ${tableSql(ctx, flow.payments)} AS p`,
      'LEFT JOIN (',
      indentSql(posted),
      `) AS pp ON pp.doc_entry = ${p('doc_entry')} AND pp.card_code = ${p('card_code')}`,
    ].join('\n'),
    notes: join.notes,
  };
}
