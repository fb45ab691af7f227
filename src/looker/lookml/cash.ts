/**
 * Cash: incoming payments (customers) and outgoing payments (vendors), each with the invoices
 * and credit notes it settled (current rows of the payment only), the settled documents and the
 * business partner. Cancelled payments are excluded: SAP cancels a payment in place (Cancelled
 * = tYES) and posts a reversing journal entry, no cancellation document.
 */
import { emptyContribution, hasColumns, hasTable, type GeneratorContext, type SubjectContribution } from './context.js';
import { parentChildJoinLookml } from './current-rows.js';
import { AMOUNT_FORMAT, measure } from './fields.js';
import { buildJoins, type JoinSpec } from './joins.js';
import { bare, block, quoted, sqlParam, type LookmlNode } from './lookml-text.js';
import { masterDataJoins } from './master-joins.js';
import { concatKey } from './dialect.js';

interface CashFlow {
  explore: string;
  label: string;
  payments: string;
  settlements: string;
  partner: { name: string; label: string };
  /** Documents a settlement row can point to: InvoiceType value and the stream of that document. */
  documents: { join: string; label: string; table: string; invoiceType: string }[];
}

const FLOWS: CashFlow[] = [
  {
    explore: 'incoming_cash',
    label: 'Incoming payments',
    payments: 'incoming_payments',
    settlements: 'incoming_payment_invoices',
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
    settlements: 'outgoing_payment_invoices',
    partner: { name: 'vendor', label: 'Vendor' },
    documents: [{ join: 'purchase_invoice', label: 'Settled purchase invoice', table: 'purchase_invoices', invoiceType: 'it_PurchaseInvoice' }],
  },
];

export function cash(ctx: GeneratorContext): SubjectContribution {
  const contribution = emptyContribution();
  for (const flow of FLOWS) addFlow(ctx, flow, contribution);
  return contribution;
}

function addFlow(ctx: GeneratorContext, flow: CashFlow, contribution: SubjectContribution): void {
  if (!hasTable(ctx, flow.payments)) {
    contribution.notes.push(`explore ${flow.explore} is left out: the catalog lacks the ${flow.payments} stream.`);
    return;
  }
  const column = (c: string) => `\${TABLE}.${ctx.dialect.column(c)}`;
  const settlementJoin = parentChildJoinLookml(
    ctx,
    { parent: flow.payments, child: flow.settlements, parentKey: 'doc_entry', childParentKey: 'doc_entry' },
    flow.payments,
    'settlement',
  );
  const specs: JoinSpec[] = [
    {
      name: 'settlement',
      from: flow.settlements,
      viewLabel: 'Settled document line',
      relationship: 'one_to_many',
      sqlOn: settlementJoin.sql,
      requires: [
        { table: flow.payments, columns: ['doc_entry'] },
        { table: flow.settlements, columns: ['doc_entry'] },
      ],
    },
    ...flow.documents.map(
      (d): JoinSpec => ({
        name: d.join,
        from: d.table,
        viewLabel: d.label,
        relationship: 'many_to_one',
        sqlOn: `\${settlement.invoice_type} = '${d.invoiceType}' AND \${${d.join}.doc_entry} = \${settlement.invoice_doc_entry}`,
        requires: [
          { table: d.table, columns: ['doc_entry'] },
          { table: flow.settlements, columns: ['invoice_type', 'invoice_doc_entry'] },
        ],
        through: ['settlement'],
      }),
    ),
    ...masterDataJoins({ baseView: flow.payments, baseTable: flow.payments, partner: { ...flow.partner, column: 'card_code' } }),
  ];
  const joins = buildJoins(ctx, flow.explore, specs);
  contribution.notes.push(...joins.notes);
  if (joins.kept.has('settlement')) contribution.notes.push(...settlementJoin.notes);

  const paymentFields: LookmlNode[] = [];
  const parts = ['cash_sum', 'transfer_sum'].filter((c) => hasColumns(ctx, flow.payments, [c]));
  if (parts.length) {
    paymentFields.push(
      measure('total_paid', {
        type: 'sum',
        sql: parts.map((p) => `COALESCE(${column(p)}, 0)`).join(' + '),
        valueFormatName: AMOUNT_FORMAT,
        description: `${parts.join(' + ')}, local currency (check and credit-card parts are not in the stream).`,
      }),
    );
  }
  contribution.viewFields.push({ view: flow.payments, fields: paymentFields });
  if (hasTable(ctx, flow.settlements)) {
    const settlementFields: LookmlNode[] = [];
    if (hasColumns(ctx, flow.settlements, ['sum_applied'])) {
      settlementFields.push(measure('total_applied', { type: 'sum', sql: column('sum_applied'), valueFormatName: AMOUNT_FORMAT, description: 'Amount applied to the settled documents, local currency.' }));
    }
    if (hasColumns(ctx, flow.settlements, ['invoice_type', 'invoice_doc_entry'])) {
      settlementFields.push(
        measure('settled_document_count', { type: 'count_distinct', sql: concatKey(ctx.dialect, [column('invoice_type'), column('invoice_doc_entry')]) }),
      );
    }
    contribution.viewFields.push({ view: flow.settlements, fields: settlementFields });
  }

  const body: LookmlNode[] = [bare('view_name', flow.payments), quoted('label', flow.label), quoted('description', `${flow.label} and the documents they settled.`)];
  if (hasColumns(ctx, flow.payments, ['cancelled'])) body.push(sqlParam('sql_always_where', `NOT COALESCE(\${${flow.payments}.cancelled}, FALSE)`));
  else contribution.notes.push(`explore ${flow.explore}: the catalog lacks ${flow.payments}.cancelled, so cancelled payments are counted.`);
  contribution.explores.push(block('explore', flow.explore, [...body, ...joins.nodes]));
}
