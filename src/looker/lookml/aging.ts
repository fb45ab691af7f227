/**
 * Receivables and payables aging as of a date the user picks.
 *
 * The derived table holds the movements of open items, not a snapshot: each document that
 * creates a receivable (invoice +DocTotal, credit note -DocTotal; for payables the purchase
 * invoice), its cancellation on its CancelDate when it was cancelled (CancelStatus csYes; the
 * cancellation document itself is not an item), each settlement by a payment (PaymentInvoices, on
 * the payment's date), what a payment cleared beyond the documents it settled (on account, see
 * payment-totals.ts), and the reconciliation of a credit note with the invoice it was based on.
 * SAP reconciles a credit memo based on an open invoice with that invoice when it is posted (the
 * invoice's PaidToDate includes it, the credit memo is closed); one based on an invoice already
 * paid stays open, a credit for the customer. The Service Layer does not expose internal
 * reconciliations, but the credit note's PaidToDate less what payments applied to it is what was
 * reconciled, and its lines' BaseEntry (BaseType 13) name the invoice: so that amount moves from
 * the credit note to the invoice on the credit note's date (split by line totals when it was based
 * on several invoices). Every movement carries its open item's business partner, posting and due
 * dates. As of a date D, an item's open amount is the sum of its movements up to D, and its bucket
 * is D minus its due date: so the bucket is a dimension and the open amount a measure, D comes
 * from the templated filter as_of_date (today when unset), and the table itself does not depend
 * on D and can be persisted.
 *
 * The sum over a business partner is its balance on the control account at D when every posting
 * to it is a document or a payment (manual journal entries to a business partner and documents
 * of kinds that are not synced, such as down payments, are not open items here). Amounts are in
 * local currency (DocTotal, SumApplied), also for documents in a foreign currency. Cancelled
 * payments are left out entirely: the stream carries no cancellation date.
 */
import { columnSql, emptyContribution, hasColumns, tableSql, type GeneratorContext, type SubjectContribution } from './context.js';
import { cancelledOriginalSql, childRelation, currentChildRowsFrom, notCancellationSql, notCancelledSql } from './current-rows.js';
import { concatKey } from './dialect.js';
import { addDerivedExploreJoining, bucketDimensions, derivedColumnSql, derivedField, indentSql, rowKeyDimension, type Bucket } from './derived.js';
import { amountOptions, dimension, fieldSet, measure, templatedFilter } from './fields.js';
import { fieldList, type LookmlNode } from './lookml-text.js';
import { masterDataJoins } from './master-joins.js';
import { paymentTotalsSql, type PaymentFlow } from './payment-totals.js';

interface OpenItemDocument {
  kind: string;
  header: string;
  /** +1 when the document creates a receivable (or payable), -1 when it reduces it. */
  sign: 1 | -1;
  /** PaymentInvoices.InvoiceType of this kind. */
  invoiceType: string;
  /** The kind of document this one is reconciled with when it is based on it (a credit note with its invoice), and that document's BaseType. */
  reconciles?: { kind: string; baseType: number };
}

interface AgingSide {
  explore: string;
  view: string;
  label: string;
  partner: { name: string; label: string; noun: string };
  documents: OpenItemDocument[];
  payments: PaymentFlow;
}

const SIDES: AgingSide[] = [
  {
    explore: 'receivables_aging',
    view: 'receivable_movements',
    label: 'Receivables aging',
    partner: { name: 'customer', label: 'Customer', noun: 'customer' },
    documents: [
      { kind: 'invoice', header: 'invoices', sign: 1, invoiceType: 'it_Invoice' },
      { kind: 'credit_note', header: 'credit_notes', sign: -1, invoiceType: 'it_CredItnote', reconciles: { kind: 'invoice', baseType: 13 } },
    ],
    payments: { payments: 'incoming_payments', origin: 'ttReceipt', partnerCreditSign: 1 },
  },
  {
    explore: 'payables_aging',
    view: 'payable_movements',
    label: 'Payables aging',
    partner: { name: 'vendor', label: 'Vendor', noun: 'vendor' },
    documents: [{ kind: 'purchase_invoice', header: 'purchase_invoices', sign: 1, invoiceType: 'it_PurchaseInvoice' }],
    payments: { payments: 'outgoing_payments', origin: 'ttVendorPayment', partnerCreditSign: -1 },
  },
];

/** Upper bounds (days past due) of the aging buckets; later items fall in the last, open bucket. */
export const AGING_BUCKET_LIMITS = [30, 60, 90, 120] as const;
const AS_OF = 'as_of_date';
const DOCUMENT_COLUMNS = ['doc_entry', 'doc_num', 'card_code', 'doc_date', 'doc_due_date', 'doc_total'];

export function aging(ctx: GeneratorContext): SubjectContribution {
  const contribution = emptyContribution();
  for (const side of SIDES) addSide(ctx, side, contribution);
  return contribution;
}

function addSide(ctx: GeneratorContext, side: AgingSide, contribution: SubjectContribution): void {
  const documents = side.documents.filter((d) => hasColumns(ctx, d.header, DOCUMENT_COLUMNS));
  if (documents.length === 0) {
    contribution.notes.push(`explore ${side.explore} is left out: it needs ${side.documents.map((d) => d.header).join(' or ')} with ${DOCUMENT_COLUMNS.join(', ')}.`);
    return;
  }
  for (const d of side.documents.filter((d) => !documents.includes(d))) contribution.notes.push(`explore ${side.explore}: ${d.header} are not open items (the catalog lacks them or ${DOCUMENT_COLUMNS.join(', ')}).`);
  const branches = documents.flatMap((d) => documentMovements(ctx, d));
  const payments = paymentMovements(ctx, side, documents);
  const reconciliations = documents.map((d) => reconciliationMovements(ctx, side, d, documents));
  contribution.notes.push(...reconciliations.flatMap((r) => r.notes));
  branches.push(...reconciliations.flatMap((r) => r.branches));
  contribution.notes.push(...payments.notes);
  branches.push(...payments.branches);

  addDerivedExploreJoining(
    contribution,
    ctx,
    {
      name: side.explore,
      view: side.view,
      label: side.label,
      description: `Open ${side.partner.noun} items (documents less payments) by due-date bucket as of the date picked in "As of date" (today when empty), per ${side.partner.noun}.`,
      viewDescription: `Movements of open items: documents, their cancellations, settlements by payments, payments on account and credit notes reconciled with their invoices, each with its item's ${side.partner.noun}, posting and due dates. Amounts in local currency.`,
      sql: branches.join('\nUNION ALL\n'),
      fields: fields(ctx, side),
      parameters: [],
    },
    masterDataJoins({ baseView: side.view, partner: { name: side.partner.name, label: side.partner.label, column: 'card_code' } }),
  );
}

const select = (columns: Record<string, string>) =>
  Object.entries(columns)
    .map(([alias, sql]) => `  ${sql} AS ${alias}`)
    .join(',\n');

/** The item columns of a document (alias h) in a movement row. */
function itemColumns(ctx: GeneratorContext, d: OpenItemDocument, alias: string): Record<string, string> {
  const h = (column: string) => columnSql(ctx, alias, column);
  return { item_kind: `'${d.kind}'`, item_entry: h('doc_entry'), item_number: h('doc_num'), card_code: h('card_code'), item_date: h('doc_date'), due_date: h('doc_due_date') };
}

/** A document's own movement, and its reversal on the cancellation date when it was cancelled. */
function documentMovements(ctx: GeneratorContext, d: OpenItemDocument): string[] {
  const h = (column: string) => columnSql(ctx, 'h', column);
  const item = (kind: 'document' | 'cancellation', date: string) =>
    select({
      ...itemColumns(ctx, d, 'h'),
      movement_kind: `'${kind}'`,
      movement_entry: h('doc_entry'),
      movement_line: '0',
      movement_date: date,
      amount: `${d.sign * (kind === 'document' ? 1 : -1)} * ${h('doc_total')}`,
    });
  const notCancellation = notCancellationSql(ctx, d.header, 'h');
  const branches = [`SELECT\n${item('document', h('doc_date'))}\nFROM ${tableSql(ctx, d.header)} AS h\nWHERE ${notCancellation}`];
  const cancelled = cancelledOriginalSql(ctx, d.header, 'h');
  if (cancelled) {
    const cancelledOn = hasColumns(ctx, d.header, ['cancel_date']) ? `COALESCE(${h('cancel_date')}, ${h('doc_date')})` : h('doc_date');
    branches.push(`SELECT\n${item('cancellation', cancelledOn)}\nFROM ${tableSql(ctx, d.header)} AS h\nWHERE ${cancelled} AND ${notCancellation}`);
  }
  return branches;
}

/**
 * A credit note reconciled with the invoice it is based on: what it reconciled (PaidToDate less
 * what payments applied to it) leaves the credit note and settles the invoice, on the credit
 * note's date, split over its base invoices by line totals.
 */
function reconciliationMovements(ctx: GeneratorContext, side: AgingSide, d: OpenItemDocument, documents: OpenItemDocument[]): { branches: string[]; notes: string[] } {
  const none = { branches: [], notes: [] };
  const target = d.reconciles ? documents.find((other) => other.kind === d.reconciles!.kind) : undefined;
  if (!d.reconciles || !target) return none;
  const lines = childRelation(ctx, d.header, 'DocumentLines');
  const lineColumns = ['base_type', 'base_entry', 'line_total'];
  if (!lines || !hasColumns(ctx, d.header, ['paid_to_date']) || !hasColumns(ctx, lines.child, [lines.childParentKeyColumn, ...lineColumns])) {
    return { branches: [], notes: [`explore ${side.explore}: the catalog lacks ${d.header}.paid_to_date or the base_type, base_entry and line_total of their lines, so a ${d.kind.replace(/_/g, ' ')} based on an open ${target.kind} does not settle it.`] };
  }
  const current = currentChildRowsFrom(ctx, lines.child, 'h', 'l');
  if (!current) return none;
  const l = (column: string) => columnSql(ctx, 'l', column);
  const h = (column: string) => columnSql(ctx, 'h', column);
  const notCancelled = notCancelledSql(ctx, d.header, 'h');
  const applied = paymentsAppliedSql(ctx, side, d);
  const bases = [
    `SELECT ${h('doc_entry')} AS doc_entry, ${l('base_entry')} AS base_entry,`,
    `  SUM(${l('line_total')}) AS based_total`,
    `FROM ${current.from}`,
    `WHERE ${[`${l('base_type')} = ${d.reconciles.baseType}`, ...(notCancelled.sql ? [notCancelled.sql] : [])].join(' AND ')}`,
    `GROUP BY ${h('doc_entry')}, ${l('base_entry')}`,
  ].join('\n');
  const all = [
    `SELECT ${h('doc_entry')} AS doc_entry, SUM(${l('line_total')}) AS lines_total`,
    `FROM ${current.from}`,
    `GROUP BY ${h('doc_entry')}`,
  ].join('\n');
  const c = (column: string) => columnSql(ctx, 'c', column);
  const amount = `(COALESCE(${c('paid_to_date')}, 0)${applied ? ' - COALESCE(pa.applied, 0)' : ''}) * b.based_total / NULLIF(t.lines_total, 0)`;
  const i = (column: string) => columnSql(ctx, 'i', column);
  const from = [
    `FROM ${tableSql(ctx, d.header)} AS c`,
    'INNER JOIN (',
    indentSql(bases),
    `) AS b ON b.doc_entry = ${c('doc_entry')}`,
    'INNER JOIN (',
    indentSql(all),
    `) AS t ON t.doc_entry = ${c('doc_entry')}`,
    `INNER JOIN ${tableSql(ctx, target.header)} AS i ON ${i('doc_entry')} = b.base_entry`,
    ...(applied ? ['LEFT JOIN (', indentSql(applied), `) AS pa ON pa.doc_entry = ${c('doc_entry')}`] : []),
    `WHERE ${notCancellationSql(ctx, target.header, 'i')}`,
  ].join('\n');
  const movement = (item: OpenItemDocument, alias: string, other: string, sign: number) =>
    `SELECT\n${select({
      ...itemColumns(ctx, item, alias),
      movement_kind: `'reconciliation'`,
      movement_entry: columnSql(ctx, other, 'doc_entry'),
      movement_line: '0',
      movement_date: c('doc_date'),
      amount: `${sign} * ${amount}`,
    })}\n${from}`;
  return {
    // The credit note's open amount goes back up by what it reconciled; the invoice's goes down by as much.
    branches: [movement(d, 'c', 'i', -d.sign), movement(target, 'i', 'c', -target.sign)],
    notes: [...current.notes, ...notCancelled.notes],
  };
}

/** What non-cancelled payments applied to each document of this kind (doc_entry, applied), if the catalog has the settlements. */
function paymentsAppliedSql(ctx: GeneratorContext, side: AgingSide, d: OpenItemDocument): string | undefined {
  const relation = childRelation(ctx, side.payments.payments, 'PaymentInvoices');
  const settlements = relation ? currentChildRowsFrom(ctx, relation.child, 'p', 's') : undefined;
  if (!relation || !settlements || !hasColumns(ctx, relation.child, ['invoice_type', 'invoice_doc_entry', 'sum_applied'])) return undefined;
  const s = (column: string) => columnSql(ctx, 's', column);
  return [
    `SELECT ${s('invoice_doc_entry')} AS doc_entry, SUM(ABS(${s('sum_applied')})) AS applied`,
    `FROM ${settlements.from}`,
    `WHERE ${s('invoice_type')} = '${d.invoiceType}' AND ${paymentNotCancelledSql(ctx, side.payments.payments, 'p')}`,
    `GROUP BY ${s('invoice_doc_entry')}`,
  ].join('\n');
}

/** Payments are cancelled in place (Cancelled = tYES, a reversing journal entry, no cancellation document). */
function paymentNotCancelledSql(ctx: GeneratorContext, payments: string, alias: string): string {
  return hasColumns(ctx, payments, ['cancelled']) ? `NOT COALESCE(${columnSql(ctx, alias, 'cancelled')}, FALSE)` : '1 = 1';
}

/** Settlements of documents by payments, and payments on account. */
function paymentMovements(ctx: GeneratorContext, side: AgingSide, documents: OpenItemDocument[]): { branches: string[]; notes: string[] } {
  const paymentsTable = side.payments.payments;
  if (!hasColumns(ctx, paymentsTable, ['doc_entry', 'doc_num', 'card_code', 'doc_date'])) {
    return { branches: [], notes: [`explore ${side.explore}: the catalog lacks ${paymentsTable} (doc_entry, doc_num, card_code, doc_date), so no document is ever paid.`] };
  }
  const notes: string[] = [];
  const branches: string[] = [];
  const p = (column: string) => columnSql(ctx, 'p', column);
  const notCancelled = paymentNotCancelledSql(ctx, paymentsTable, 'p');
  const settlementRelation = childRelation(ctx, paymentsTable, 'PaymentInvoices');
  const settlements = settlementRelation ? currentChildRowsFrom(ctx, settlementRelation.child, 'p', 's') : undefined;
  const settledColumns = ['invoice_type', 'invoice_doc_entry', 'sum_applied'];
  const canSettle = settlements && settlementRelation && hasColumns(ctx, settlementRelation.child, settledColumns);
  if (canSettle) {
    notes.push(...settlements.notes);
    const s = (column: string) => columnSql(ctx, 's', column);
    for (const d of documents) {
      const h = (column: string) => columnSql(ctx, 'h', column);
      branches.push(
        [
          'SELECT',
          select({
            ...itemColumns(ctx, d, 'h'),
            movement_kind: `'settlement'`,
            movement_entry: p('doc_entry'),
            movement_line: settlementRelation ? s(settlementRelation.childLineKeyColumn) : '0',
            movement_date: p('doc_date'),
            amount: `${-d.sign} * ABS(${s('sum_applied')})`,
          }),
          `FROM ${settlements.from}`,
          `INNER JOIN ${tableSql(ctx, d.header)} AS h ON ${s('invoice_type')} = '${d.invoiceType}' AND ${h('doc_entry')} = ${s('invoice_doc_entry')}`,
          `WHERE ${notCancelled}`,
        ].join('\n'),
      );
    }
  } else {
    notes.push(`explore ${side.explore}: the catalog lacks the settled documents of ${paymentsTable} (${settledColumns.join(', ')}), so payments count on account only.`);
  }
  const totals = paymentTotalsSql(ctx, side.payments);
  if (!totals.sql) return { branches, notes };
  const applied = canSettle
    ? [
        `SELECT ${columnSql(ctx, 's', settlementRelation.childParentKeyColumn)} AS doc_entry,`,
        `  SUM(CASE ${documents.map((d) => `WHEN ${columnSql(ctx, 's', 'invoice_type')} = '${d.invoiceType}' THEN ${d.sign} * ABS(${columnSql(ctx, 's', 'sum_applied')})`).join(' ')} ELSE 0 END) AS applied`,
        `FROM ${settlements.from}`,
        `GROUP BY ${columnSql(ctx, 's', settlementRelation.childParentKeyColumn)}`,
      ].join('\n')
    : undefined;
  branches.push(
    [
      'SELECT',
      select({
        item_kind: `'payment_on_account'`,
        item_entry: p('doc_entry'),
        item_number: p('doc_num'),
        card_code: p('card_code'),
        item_date: p('doc_date'),
        due_date: p('doc_date'),
        movement_kind: `'payment'`,
        movement_entry: p('doc_entry'),
        movement_line: '0',
        movement_date: p('doc_date'),
        amount: `-(t.cleared_amount - ${applied ? 'COALESCE(a.applied, 0)' : '0'})`,
      }),
      `FROM ${tableSql(ctx, paymentsTable)} AS p`,
      'INNER JOIN (',
      indentSql(totals.sql),
      `) AS t ON t.doc_entry = ${p('doc_entry')}`,
      ...(applied ? ['LEFT JOIN (', indentSql(applied), `) AS a ON a.doc_entry = ${p('doc_entry')}`] : []),
      `WHERE ${notCancelled}`,
    ].join('\n'),
  );
  notes.push(...totals.notes);
  return { branches, notes };
}

function fields(ctx: GeneratorContext, side: AgingSide): LookmlNode[] {
  const t = derivedColumnSql;
  const amount = amountOptions(ctx.amount);
  const asOf = `COALESCE(CAST({% date_start ${AS_OF} %} AS DATE), ${ctx.dialect.currentDate})`;
  const daysPastDue = ctx.dialect.daysBetween(t('due_date'), asOf);
  const buckets: Bucket[] = [
    { label: 'Not yet due', when: `${daysPastDue} <= 0` },
    ...AGING_BUCKET_LIMITS.map((limit, i) => ({ label: `${i === 0 ? 1 : AGING_BUCKET_LIMITS[i - 1]! + 1}-${limit} days`, when: `${daysPastDue} <= ${limit}` })),
  ];
  const last = `Over ${AGING_BUCKET_LIMITS[AGING_BUCKET_LIMITS.length - 1]} days`;
  const counted = `${t('movement_date')} <= ${asOf} AND ${t('item_date')} <= ${asOf}`;
  const drill = ['open_item_detail*'];
  const noun = side.partner.noun;
  return [
    templatedFilter(AS_OF, {
      type: 'date',
      label: 'As of date',
      description: `The date the open items are aged at: documents and payments posted up to and including it. Today when empty.`,
    }),
    rowKeyDimension(ctx, 'Item, movement kind and the document (and line) that moved it, as one value.', [t('item_kind'), t('item_entry'), t('movement_kind'), t('movement_entry'), t('movement_line')]),
    dimension('item_key', { type: 'string', hidden: true, label: 'Item key', description: 'Open item kind and entry as one value.', sql: concatKey(ctx.dialect, [t('item_kind'), t('item_entry')]) }),
    derivedField(ctx, 'item_kind', 'string', { label: 'Item type', groupLabel: 'Open item', description: `invoice, credit_note, purchase_invoice, or payment_on_account (what a payment paid beyond the documents it settled).` }),
    derivedField(ctx, 'item_entry', 'integer', { hidden: true, label: 'Item entry', description: 'Internal key of the document or payment (DocEntry).' }),
    derivedField(ctx, 'item_number', 'integer', { label: 'Document number', groupLabel: 'Open item', description: 'Number of the document or payment (DocNum).' }),
    derivedField(ctx, 'card_code', 'string', { label: `${side.partner.label} code`, groupLabel: 'Open item', description: `The ${noun} of the item (CardCode).` }),
    derivedField(ctx, 'item_date', 'date', { groupName: 'item_posting', label: 'Item posting', description: 'Posting date of the document or payment.' }),
    derivedField(ctx, 'due_date', 'date', { groupName: 'due', label: 'Due', description: 'Due date of the document (DocDueDate); the posting date of a payment on account.' }),
    derivedField(ctx, 'movement_kind', 'string', { label: 'Movement', groupLabel: 'Movement', description: 'document, cancellation, settlement (by a payment) or payment (on account).' }),
    derivedField(ctx, 'movement_entry', 'integer', { label: 'Movement document entry', groupLabel: 'Movement', description: 'Internal key (DocEntry) of the document or payment that moved the item.' }),
    derivedField(ctx, 'movement_line', 'integer', { hidden: true, label: 'Movement line', description: 'Settlement line within the payment (LineNum); 0 otherwise.' }),
    derivedField(ctx, 'movement_date', 'date', { groupName: 'movement', label: 'Movement', description: 'When the movement was posted.' }),
    dimension('amount', { type: 'number', hidden: true, label: 'Movement amount', description: `Signed movement: positive raises what is owed, local currency.`, ...amount, sql: t('amount') }),
    dimension('days_past_due', {
      type: 'number',
      label: 'Days past due',
      groupLabel: 'Aging',
      description: 'Days from the due date to the as-of date; zero or less when not yet due.',
      sql: daysPastDue,
    }),
    ...bucketDimensions('aging_bucket', { label: 'Aging bucket', groupLabel: 'Aging', description: `Days past due at the as-of date: Not yet due, 1-30, 31-60, 61-90, 91-120, ${last}.`, buckets, otherwise: last }),
    fieldSet('open_item_detail', ['item_kind', 'item_number', 'card_code', 'item_posting_date', 'due_date', 'days_past_due', 'aging_bucket', 'open_amount']),
    fieldList('drill_fields', drill),
    measure('open_amount', {
      type: 'sum',
      label: 'Open amount',
      description: `What is open at the as-of date: documents posted up to then less what was settled or cancelled up to then, local currency. Per ${noun}, the balance of their account.`,
      sql: `CASE WHEN ${counted} THEN \${amount} END`,
      ...amount,
      drillFields: drill,
    }),
    measure('overdue_amount', {
      type: 'sum',
      label: 'Overdue amount',
      description: 'Open amount past its due date at the as-of date, local currency.',
      sql: `CASE WHEN ${counted} AND ${daysPastDue} > 0 THEN \${amount} END`,
      ...amount,
      drillFields: drill,
    }),
    measure('weighted_days_past_due', { type: 'sum', hidden: true, label: 'Amount-weighted days past due', description: 'Open amount times days past due.', sql: `CASE WHEN ${counted} THEN \${amount} * ${daysPastDue} END` }),
    measure('average_days_past_due', {
      type: 'number',
      label: 'Average days past due',
      description: 'Days past due weighted by open amount.',
      valueFormatName: 'decimal_1',
      sql: '${weighted_days_past_due} / NULLIF(${open_amount}, 0)',
    }),
  ];
}
