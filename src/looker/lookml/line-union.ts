/**
 * A derived table of document lines from several document streams (invoices and credit notes;
 * purchase orders, goods receipts and purchase invoices) stacked with UNION ALL: only current
 * lines of documents that count, each tagged with its document kind and signed as the kind
 * requires (credit notes subtract). Columns a stream lacks come through as typed NULLs so that
 * every branch of the union has the same shape. Which stream holds a header's lines comes from the
 * stream table (its DocumentLines child).
 */
import { columnSql, hasTable, missingColumns, tableSql, type GeneratorContext } from './context.js';
import { childRelation, notCancelledSql, parentChildJoinSql } from './current-rows.js';
import type { SqlKind } from './dialect.js';

export interface DocumentLineSource {
  /** Value of the document_kind column, e.g. 'invoice'. */
  kind: string;
  /** The header stream, e.g. invoices; its lines are the stream of its DocumentLines. */
  header: string;
  /** 1 for documents that add, -1 for documents that reverse (credit notes). */
  sign: 1 | -1;
  /** The header's collection that holds its lines; DocumentLines unless said otherwise. */
  collection?: string;
}

export type ColumnRef = (side: 'header' | 'line', column: string) => string | undefined;

export interface UnionColumn {
  alias: string;
  kind: SqlKind;
  /** The value from one source's line (l) and header (h); undefined when the source lacks the columns. */
  value: (ref: ColumnRef, source: DocumentLineSource) => string | undefined;
  /** Multiply by the source's sign (amounts and quantities). */
  signed?: boolean;
}

export interface LineUnion {
  sql: string;
  /** The sources that made it into the union. */
  kinds: string[];
  notes: string[];
}

/** A column of the line or header, or undefined when the catalog lacks it. */
export const lineColumn = (column: string) => (ref: ColumnRef) => ref('line', column);
export const headerColumn = (column: string) => (ref: ColumnRef) => ref('header', column);

/** Which line of which document a row is, its business partner, item and warehouse: the leading columns of the sales and purchasing unions. */
export const LINE_IDENTITY_COLUMNS: readonly UnionColumn[] = [
  { alias: 'doc_entry', kind: 'integer', value: lineColumn('doc_entry') },
  { alias: 'line_num', kind: 'integer', value: lineColumn('line_num') },
  { alias: 'doc_num', kind: 'integer', value: headerColumn('doc_num') },
  { alias: 'doc_date', kind: 'date', value: headerColumn('doc_date') },
  { alias: 'card_code', kind: 'string', value: headerColumn('card_code') },
  { alias: 'item_code', kind: 'string', value: lineColumn('item_code') },
  { alias: 'warehouse_code', kind: 'string', value: lineColumn('warehouse_code') },
];

/** The lines stream of a document header stream, per the stream table. */
export function documentLinesOf(ctx: GeneratorContext, header: string): string | undefined {
  return childRelation(ctx, header, 'DocumentLines')?.child;
}

/**
 * Builds the union from the sources the catalog has. A source is left out (with a note) when a
 * required header or line column is missing; the union is undefined when no source is left.
 * `extraWhere` adds a condition per source (on aliases h and l).
 */
export function documentLineUnion(
  ctx: GeneratorContext,
  sources: readonly DocumentLineSource[],
  columns: readonly UnionColumn[],
  required: { header: readonly string[]; line: readonly string[] },
  extraWhere?: (ref: ColumnRef, source: DocumentLineSource) => string | undefined,
): LineUnion | undefined {
  const notes: string[] = [];
  const branches: string[] = [];
  const kinds: string[] = [];
  for (const source of sources) {
    const relation = childRelation(ctx, source.header, source.collection ?? 'DocumentLines');
    const lines = relation?.child;
    if (!relation || !lines || !hasTable(ctx, source.header) || !hasTable(ctx, lines)) {
      const missing = [source.header, lines ?? `${source.header} lines`].filter((t) => !hasTable(ctx, t));
      notes.push(`${source.kind} lines are left out: the catalog lacks ${missing.join(' and ')}.`);
      continue;
    }
    const lacking = [
      ...missingColumns(ctx, source.header, [relation.parentKeyColumn, ...required.header]).map((c) => `${source.header}.${c}`),
      ...missingColumns(ctx, lines, [relation.childParentKeyColumn, relation.childLineKeyColumn, ...required.line]).map((c) => `${lines}.${c}`),
    ];
    if (lacking.length) {
      notes.push(`${source.kind} lines are left out: the catalog lacks ${lacking.join(', ')}.`);
      continue;
    }
    const ref: ColumnRef = (side, column) => {
      const table = side === 'line' ? lines : source.header;
      return missingColumns(ctx, table, [column]).length ? undefined : columnSql(ctx, side === 'line' ? 'l' : 'h', column);
    };
    const select = [`'${source.kind}' AS document_kind`, `${source.sign} AS line_sign`];
    for (const column of columns) {
      const value = column.value(ref, source);
      const sql = value === undefined ? `CAST(NULL AS ${ctx.dialect.type(column.kind)})` : column.signed && source.sign < 0 ? `-(${value})` : value;
      select.push(`${sql} AS ${column.alias}`);
    }
    const join = parentChildJoinSql(ctx, relation, 'h', 'l');
    const notCancelled = notCancelledSql(ctx, source.header, 'h');
    notes.push(...join.notes, ...notCancelled.notes);
    const where = [notCancelled.sql, extraWhere?.(ref, source)].filter((c): c is string => c !== undefined);
    branches.push(
      [
        'SELECT',
        select.map((s) => `  ${s}`).join(',\n'),
        `FROM ${tableSql(ctx, lines)} AS l`,
        `INNER JOIN ${tableSql(ctx, source.header)} AS h ON ${join.sql}`,
        ...(where.length ? [`WHERE ${where.join(' AND ')}`] : []),
      ].join('\n'),
    );
    kinds.push(source.kind);
  }
  if (branches.length === 0) return undefined;
  return { sql: branches.join('\nUNION ALL\n'), kinds, notes };
}
