/**
 * Cash: incoming payments (customers) and outgoing payments (vendors), each with its total paid
 * by every means (payment-totals.ts), the invoices and credit notes it settled (current rows of
 * the payment only), the settled documents and the business partner. Cancelled payments are
 * excluded: SAP cancels a payment in place (Cancelled = tYES) and posts a reversing journal entry,
 * no cancellation document.
 */
import { emptyContribution, hasColumns, hasTable, tableColumn, type GeneratorContext, type SubjectContribution } from './context.js';
import { childRelation, parentChildJoinLookml } from './current-rows.js';
import { concatKey } from './dialect.js';
import { derivedTableView } from './derived.js';
import { amountOptions, dimension, measure } from './fields.js';
import { buildJoins, type JoinSpec } from './joins.js';
import { bare, block, quoted, sqlParam, type LookmlNode } from './lookml-text.js';
import { masterDataJoins } from './master-joins.js';
import { HEADER_MEANS, paymentLocalAmountSql, paymentTotalsSql, type PaymentFlow } from './payment-totals.js';
import { DETAIL_SET } from './stream-views.js';

interface CashFlow extends PaymentFlow {
  explore: string;
  label: string;
  totalsView: string;
  partner: { name: string; label: string };
  /** Documents a settlement row can point to: InvoiceType value and the stream of that document. */
  documents: { join: string; label: string; table: string; invoiceType: string }[];
}

export const CASH_FLOWS: readonly CashFlow[] = [
  {
    explore: 'incoming_cash',
    label: 'Incoming payments',
    payments: 'incoming_payments',
    totalsView: 'incoming_payment_totals',
    origin: 'ttReceipt',
    partnerCreditSign: 1,
    partner: { name: 'customer', label: 'Customer' },
    documents: [
      { join: 'invoice', label: 'Settled invoice', table: 'invoices', invoiceType: 'it_Invoice' },
      { join: 'credit_note', label: 'Settled credit note', table: 'credit_notes', invoiceType: 'it_CredItnote' },
    ],
  },
  {
    explore: 'outgoing_cash',
    label: 'Outgoing payments',
    payments: 'outgoing_payments',
    totalsView: 'outgoing_payment_totals',
    origin: 'ttVendorPayment',
    partnerCreditSign: -1,
    partner: { name: 'vendor', label: 'Vendor' },
    documents: [{ join: 'purchase_invoice', label: 'Settled purchase invoice', table: 'purchase_invoices', invoiceType: 'it_PurchaseInvoice' }],
  },
];

export function cash(ctx: GeneratorContext): SubjectContribution {
  const contribution = emptyContribution();
  for (const flow of CASH_FLOWS) addFlow(ctx, flow, contribution);
  return contribution;
}

function addFlow(ctx: GeneratorContext, flow: CashFlow, contribution: SubjectContribution): void {
  if (!hasTable(ctx, flow.payments)) {
    contribution.notes.push(`explore ${flow.explore} is left out: the catalog lacks the ${flow.payments} stream.`);
    return;
  }
  const amount = amountOptions(ctx.amount);
  const settlements = childRelation(ctx, flow.payments, 'PaymentInvoices');
  const specs: JoinSpec[] = [];
  const totals = paymentTotalsSql(ctx, flow);
  contribution.notes.push(...totals.notes);
  if (totals.sql) {
    contribution.derivedViews.push(
      derivedTableView(ctx, flow.totalsView, `What each of the ${flow.payments} paid in total, from its journal entry (see the explore's description).`, totals.sql, totalFields(ctx, flow)),
    );
    specs.push({
      name: 'payment_total',
      from: flow.totalsView,
      viewLabel: flow.label,
      relationship: 'one_to_one',
      sqlOn: `\${payment_total.doc_entry} = \${${flow.payments}.doc_entry}`,
      requires: [],
      derived: true,
    });
  }
  const settlementJoin = settlements ? parentChildJoinLookml(ctx, settlements, flow.payments, 'settlement') : undefined;
  if (settlements && settlementJoin) {
    specs.push({
      name: 'settlement',
      from: settlements.child,
      viewLabel: 'Settled document line',
      relationship: 'one_to_many',
      sqlOn: settlementJoin.sql,
      requires: [
        { table: flow.payments, columns: [settlements.parentKeyColumn] },
        { table: settlements.child, columns: [settlements.childParentKeyColumn] },
      ],
    });
    specs.push(
      ...flow.documents.map(
        (d): JoinSpec => ({
          name: d.join,
          from: d.table,
          viewLabel: d.label,
          relationship: 'many_to_one',
          sqlOn: `\${settlement.invoice_type} = '${d.invoiceType}' AND \${${d.join}.doc_entry} = \${settlement.invoice_doc_entry}`,
          requires: [
            { table: d.table, columns: ['doc_entry'] },
            { table: settlements.child, columns: ['invoice_type', 'invoice_doc_entry'] },
          ],
          through: ['settlement'],
        }),
      ),
    );
  }
  specs.push(...masterDataJoins({ baseView: flow.payments, baseTable: flow.payments, partner: { ...flow.partner, column: 'card_code' } }));
  const joins = buildJoins(ctx, flow.explore, specs);
  contribution.notes.push(...joins.notes);
  if (joins.kept.has('settlement') && settlementJoin) contribution.notes.push(...settlementJoin.notes);

  const column = (c: string) => tableColumn(ctx, c);
  const paymentFields: LookmlNode[] = [];
  for (const [name, col, label, what] of [
    ['cash_paid', 'cash_sum', 'Paid in cash', 'Cash part of the payments (CashSum)'],
    ['transfer_paid', 'transfer_sum', 'Paid by bank transfer', 'Bank-transfer part of the payments (TransferSum)'],
  ] as const) {
    if (!hasColumns(ctx, flow.payments, [col])) continue;
    const local = paymentLocalAmountSql(ctx, flow.payments, '${TABLE}', column(col));
    paymentFields.push(
      measure(name, {
        type: 'sum',
        label,
        description: `${what}, local currency${local ? " (a payment in a foreign currency converted at the payment's rate)" : ''}.`,
        sql: local ?? column(col),
        ...amount,
        drillFields: [`${DETAIL_SET}*`],
      }),
    );
  }
  contribution.viewFields.push({ view: flow.payments, fields: paymentFields });
  if (settlements && hasTable(ctx, settlements.child)) {
    const settlementFields: LookmlNode[] = [];
    if (hasColumns(ctx, settlements.child, ['sum_applied'])) {
      settlementFields.push(measure('total_applied', { type: 'sum', label: 'Amount applied', description: 'Amount applied to the settled documents, local currency (SumApplied).', sql: column('sum_applied'), ...amount }));
    }
    if (hasColumns(ctx, settlements.child, ['invoice_type', 'invoice_doc_entry'])) {
      settlementFields.push(
        measure('settled_document_count', {
          type: 'count_distinct',
          label: 'Settled documents',
          description: 'Documents the payments settled.',
          sql: concatKey(ctx.dialect, [column('invoice_type'), column('invoice_doc_entry')]),
        }),
      );
    }
    contribution.viewFields.push({ view: settlements.child, fields: settlementFields });
  }

  const body: LookmlNode[] = [
    bare('view_name', flow.payments),
    quoted('label', flow.label),
    quoted('description', `${flow.label}: the total paid by every means (cash, transfer, checks, credit cards, from the payment's journal entry) and the documents they settled. Cancelled payments are left out.`),
  ];
  if (hasColumns(ctx, flow.payments, ['cancelled'])) body.push(sqlParam('sql_always_where', `NOT COALESCE(\${${flow.payments}.cancelled}, FALSE)`));
  else contribution.notes.push(`explore ${flow.explore}: the catalog lacks ${flow.payments}.cancelled, so cancelled payments are counted.`);
  contribution.explores.push({ name: flow.explore, node: block('explore', flow.explore, [...body, ...joins.nodes]) });
}

function totalFields(ctx: GeneratorContext, flow: CashFlow): LookmlNode[] {
  const amount = amountOptions(ctx.amount);
  const parts = HEADER_MEANS.filter((c) => hasColumns(ctx, flow.payments, [c]));
  return [
    dimension('doc_entry', { type: 'number', primaryKey: true, hidden: true, label: 'Payment entry', description: 'Internal key of the payment (DocEntry).', sql: '${TABLE}.doc_entry' }),
    dimension('total_source', {
      type: 'string',
      label: 'Total source',
      description: "'journal entry' when the total comes from the payment's posting to the business partner, else 'cash and transfer only'.",
      sql: '${TABLE}.total_source',
    }),
    dimension('total_paid_amount', { type: 'number', hidden: true, label: 'Total paid amount', description: 'Total of the payment, local currency.', ...amount, sql: '${TABLE}.total_paid' }),
    dimension('cleared_amount', {
      type: 'number',
      hidden: true,
      label: 'Cleared amount',
      description: "What the payment cleared from the business partner's account, local currency.",
      ...amount,
      sql: '${TABLE}.cleared_amount',
    }),
    measure('total_paid', {
      type: 'sum',
      label: 'Total paid',
      description:
        "Everything the payments paid (cash, bank transfer, checks, credit cards), local currency: a payment in a foreign currency at the payment's rate.",
      sql: '${total_paid_amount}',
      ...amount,
    }),
    measure('total_cleared', {
      type: 'sum',
      label: 'Cleared from the account',
      description:
        "What the payments cleared from the business partners' accounts, local currency: the documents they settled at the documents' own rate. It moves the receivables or payables control account.",
      sql: '${cleared_amount}',
      ...amount,
    }),
    measure('exchange_difference', {
      type: 'number',
      label: 'Exchange rate difference',
      description: "Cleared less paid: the exchange rate difference of payments in a foreign currency, local currency (SAP posts it as an exchange gain or loss).",
      sql: '${total_cleared} - ${total_paid}',
      ...amount,
    }),
    ...(parts.length
      ? [
          measure('paid_by_check_or_card', {
            type: 'number',
            label: 'Paid by check, credit card or other',
            description: 'Total paid less cash and bank transfer, local currency.',
            sql: `\${total_paid} - COALESCE(${parts.map((p) => `\${${flow.payments}.${p === 'cash_sum' ? 'cash_paid' : 'transfer_paid'}}`).join(', 0) - COALESCE(')}, 0)`,
            ...amount,
          }),
        ]
      : []),
  ];
}
