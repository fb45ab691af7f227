/**
 * A derived table of document lines from several document streams (invoices and credit notes;
 * purchase orders, goods receipts and purchase invoices) stacked with UNION ALL: only current
 * lines of documents that count, each tagged with its document kind and signed as the kind
 * requires (credit notes subtract). Columns a stream lacks come through as typed NULLs so that
 * every branch of the union has the same shape.
 */
import { columnSql, hasTable, missingColumns, tableSql, type GeneratorContext } from './context.js';
import { notCancelledSql, parentChildJoinSql } from './current-rows.js';
import type { SqlKind } from './dialect.js';

export interface DocumentLineSource {
  /** Value of the document_kind column, e.g. 'invoice'. */
  kind: string;
  header: string;
  lines: string;
  /** Key column of the header, and its copy on the lines. */
  headerKey: string;
  lineParentKey: string;
  lineKey: string;
  /** 1 for documents that add, -1 for documents that reverse (credit notes). */
  sign: 1 | -1;
}

type ColumnRef = (side: 'header' | 'line', column: string) => string | undefined;

export interface UnionColumn {
  alias: string;
  kind: SqlKind;
  /** The value from one source's line (l) and header (h); undefined when the source lacks the columns. */
  value: (ref: ColumnRef) => string | undefined;
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

/**
 * Builds the union from the sources the catalog has. A source is left out (with a note) when a
 * required header or line column is missing; the union is undefined when no source is left.
 */
export function documentLineUnion(
  ctx: GeneratorContext,
  sources: readonly DocumentLineSource[],
  columns: readonly UnionColumn[],
  required: { header: readonly string[]; line: readonly string[] },
): LineUnion | undefined {
  const notes: string[] = [];
  const branches: string[] = [];
  const kinds: string[] = [];
  for (const source of sources) {
    if (!hasTable(ctx, source.header) || !hasTable(ctx, source.lines)) {
      notes.push(`${source.kind} lines are left out: the catalog lacks ${[source.header, source.lines].filter((t) => !hasTable(ctx, t)).join(' and ')}.`);
      continue;
    }
    const lacking = [
      ...missingColumns(ctx, source.header, [source.headerKey, ...required.header]).map((c) => `${source.header}.${c}`),
      ...missingColumns(ctx, source.lines, [source.lineParentKey, source.lineKey, ...required.line]).map((c) => `${source.lines}.${c}`),
    ];
    if (lacking.length) {
      notes.push(`${source.kind} lines are left out: the catalog lacks ${lacking.join(', ')}.`);
      continue;
    }
    const ref: ColumnRef = (side, column) => {
      const table = side === 'line' ? source.lines : source.header;
      return missingColumns(ctx, table, [column]).length ? undefined : columnSql(ctx, side === 'line' ? 'l' : 'h', column);
    };
    const select = [`'${source.kind}' AS document_kind`, `${source.sign} AS line_sign`];
    for (const column of columns) {
      const value = column.value(ref);
      const sql = value === undefined ? `CAST(NULL AS ${ctx.dialect.type(column.kind)})` : column.signed && source.sign < 0 ? `-(${value})` : value;
      select.push(`${sql} AS ${column.alias}`);
    }
    const join = parentChildJoinSql(
      ctx,
      { parent: source.header, child: source.lines, parentKey: source.headerKey, childParentKey: source.lineParentKey },
      'h',
      'l',
    );
    const notCancelled = notCancelledSql(ctx, source.header, 'h');
    notes.push(...join.notes, ...notCancelled.notes);
    branches.push(
      [
        'SELECT',
        select.map((s) => `  ${s}`).join(',\n'),
        `FROM ${tableSql(ctx, source.lines)} AS l`,
        `INNER JOIN ${tableSql(ctx, source.header)} AS h ON ${join.sql}`,
        ...(notCancelled.sql ? [`WHERE ${notCancelled.sql}`] : []),
      ].join('\n'),
    );
    kinds.push(source.kind);
  }
  if (branches.length === 0) return undefined;
  return { sql: branches.join('\nUNION ALL\n'), kinds, notes };
}
