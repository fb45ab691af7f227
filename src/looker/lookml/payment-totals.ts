/**
 * What a payment paid in total, by every means (cash, bank transfer, checks, credit cards), in
 * local currency, and what it cleared from the business partner's account.
 *
 * The Service Layer's Payment entity has CashSum and TransferSum on the header, but checks and
 * credit cards only in its PaymentChecks and PaymentCreditCards collections, and no document
 * total. The payment's own journal entry has the total: SAP posts it with OriginalJournal
 * ttReceipt (incoming) or ttVendorPayment (outgoing) and Original = the payment's DocEntry, and
 * credits the customer (debits the vendor) with the whole amount on the business partner's line
 * (ShortName = CardCode).
 *
 * Payments in a foreign currency (LocalCurrency tNO, DocCurrency and DocRate the payment's
 * currency and rate) carry their means of payment in that currency. Their business partner line
 * clears the documents at the documents' own rate (local amount) and shows the payment's
 * foreign amount (FCCredit/FCDebit); the difference is an exchange rate gain or loss posted on
 * other lines. So:
 * - cleared_amount: the business partner line in local currency, which is what the receivables
 *   and payables control accounts (and the aging explores) move by;
 * - total_paid: what was paid, in local currency at the payment's rate: the cleared amount for a
 *   payment in local currency, the line's foreign amount times DocRate (rounded to the cent, as SAP
 *   converts) for a payment in a foreign currency.
 * A payment without such a posting in the synced ledger (a payment to G/L accounts only, or
 * journal entries not synced) falls back to cash plus bank transfer (converted the same way), and
 * says so in total_source.
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
/** Header columns of the means of payment kept on the payment itself. */
export const HEADER_MEANS = ['cash_sum', 'transfer_sum'] as const;

/**
 * An amount in a payment's own currency, in local currency: times DocRate, rounded to the cent,
 * when the payment is not in local currency (LocalCurrency false). Undefined when the catalog lacks
 * local_currency or doc_rate. `localSql` is the amount to take for a payment in local currency.
 */
export function paymentLocalAmountSql(ctx: GeneratorContext, payments: string, alias: string, foreignSql: string, localSql = foreignSql): string | undefined {
  if (!hasColumns(ctx, payments, ['local_currency', 'doc_rate'])) return undefined;
  const p = (column: string) => columnSql(ctx, alias, column);
  return `CASE WHEN ${p('local_currency')} = FALSE AND ${p('doc_rate')} > 0 THEN ROUND(${foreignSql} * ${p('doc_rate')}, 2) ELSE ${localSql} END`;
}

/** One row per payment: doc_entry, total_paid, cleared_amount, total_source. Undefined without doc_entry. */
export function paymentTotalsSql(ctx: GeneratorContext, flow: PaymentFlow): { sql: string | undefined; notes: string[] } {
  const p = (column: string) => columnSql(ctx, 'p', column);
  if (!hasColumns(ctx, flow.payments, ['doc_entry'])) return { sql: undefined, notes: [] };
  const notes: string[] = [];
  const headerParts = HEADER_MEANS.filter((c) => hasColumns(ctx, flow.payments, [c])).map((c) => `COALESCE(${p(c)}, 0)`);
  const headerSum = headerParts.length ? `(${headerParts.join(' + ')})` : `CAST(NULL AS ${ctx.dialect.type('number')})`;
  const local = (amount: string, localAmount?: string) => paymentLocalAmountSql(ctx, flow.payments, 'p', amount, localAmount);
  if (!local('0')) notes.push(`${flow.payments}: the catalog lacks local_currency or doc_rate, so payments in a foreign currency are not converted to local currency.`);
  const headerTotal = local(headerSum) ?? headerSum;
  const relation = relationOfChild(ctx, JOURNAL_LINES);
  const canPost =
    relation !== undefined &&
    hasColumns(ctx, relation.parent, ['jdt_num', 'original_journal', 'original']) &&
    hasColumns(ctx, JOURNAL_LINES, ['short_name', 'debit', 'credit']) &&
    hasColumns(ctx, flow.payments, ['card_code']);
  if (!canPost || !relation) {
    return {
      sql: [`SELECT ${p('doc_entry')} AS doc_entry, ${headerTotal} AS total_paid, ${headerTotal} AS cleared_amount, 'cash and transfer only' AS total_source`, `FROM ${tableSql(ctx, flow.payments)} AS p`].join('\n'),
      notes: [
        ...notes,
        `${flow.payments}: the catalog lacks the journal entries (original_journal, original) or their lines (short_name, debit, credit), so the total paid counts cash and bank transfers only, not checks or credit cards.`,
      ],
    };
  }
  const join = parentChildJoinSql(ctx, relation, 'je', 'jl');
  const jl = (column: string) => columnSql(ctx, 'jl', column);
  const je = (column: string) => columnSql(ctx, 'je', column);
  const signed = (credit: string, debit: string) => `${flow.partnerCreditSign === 1 ? '' : '-'}(COALESCE(${jl(credit)}, 0) - COALESCE(${jl(debit)}, 0))`;
  const hasForeign = hasColumns(ctx, JOURNAL_LINES, ['fc_credit', 'fc_debit']);
  const posted = [
    `SELECT ${je('original')} AS doc_entry, ${jl('short_name')} AS card_code, SUM(${signed('credit', 'debit')}) AS posted,`,
    `  ${hasForeign ? `SUM(${signed('fc_credit', 'fc_debit')})` : `CAST(NULL AS ${ctx.dialect.type('number')})`} AS posted_fc`,
    `FROM ${tableSql(ctx, JOURNAL_LINES)} AS jl`,
    `INNER JOIN ${tableSql(ctx, relation.parent)} AS je ON ${join.sql}`,
    `WHERE ${je('original_journal')} = '${flow.origin}'`,
    `GROUP BY ${je('original')}, ${jl('short_name')}`,
  ].join('\n');
  if (!hasForeign) notes.push(`${JOURNAL_LINES}: the catalog lacks fc_credit and fc_debit, so a payment in a foreign currency counts as paid what it cleared (exchange differences included).`);
  const paid = (hasForeign ? local('pp.posted_fc', 'pp.posted') : undefined) ?? 'pp.posted';
  return {
    sql: [
      `SELECT ${p('doc_entry')} AS doc_entry,`,
      `  CASE WHEN pp.posted IS NULL THEN ${headerTotal} ELSE ${paid} END AS total_paid,`,
      `  COALESCE(pp.posted, ${headerTotal}) AS cleared_amount,`,
      `  CASE WHEN pp.posted IS NULL THEN 'cash and transfer only' ELSE 'journal entry' END AS total_source`,
      `FROM ${tableSql(ctx, flow.payments)} AS p`,
      'LEFT JOIN (',
      indentSql(posted),
      `) AS pp ON pp.doc_entry = ${p('doc_entry')} AND pp.card_code = ${p('card_code')}`,
    ].join('\n'),
    notes: [...notes, ...join.notes],
  };
}
