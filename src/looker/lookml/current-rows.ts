/**
 * Which destination rows describe the source as it is now. The destination deduplicates each
 * stream by primary key, so a header row is current; but a line that was removed from its
 * document (or a warehouse row removed from its item) stays in the line table forever, carrying
 * the parent's hash (and stamp) from the last time it was read. Lines whose parent hash equals
 * the parent's current hash are exactly the current lines. Cancelled documents, and the
 * cancellation documents SAP posts against them, are not business activity.
 *
 * Which stream is whose child, and by which key, comes from the connector's stream table
 * (src/streams/definitions.ts), never from a second declaration here.
 */
import type { StreamRelation } from '../../streams/relations.js';
import { columnSql, hasColumns, tableSql, type GeneratorContext } from './context.js';

export const RECORD_HASH = '_b1_record_hash';
export const PARENT_RECORD_HASH = '_b1_parent_record_hash';
const UPDATED_AT = 'updated_at';
const PARENT_UPDATED_AT = 'parent_updated_at';

/** The relation that makes `child` a child stream, if the stream table has one. */
export function relationOfChild(ctx: GeneratorContext, child: string): StreamRelation | undefined {
  return ctx.relations.find((r) => r.child === child);
}

/** A relation whose child rows are numbered lines, or rows that belong to one (batch allocations). */
export type LineRelation = StreamRelation & { childLineKeyColumn: string };

export const isLineRelation = (r: StreamRelation): r is LineRelation => r.childLineKeyColumn !== undefined;

/** The child stream of lines made of a parent's collection (e.g. the DocumentLines of invoices). */
export function childRelation(ctx: GeneratorContext, parent: string, collection: string): LineRelation | undefined {
  return ctx.relations.filter(isLineRelation).find((r) => r.parent === parent && r.collection === collection);
}

/** The parent column and child column that must be equal for a child row to be current, if the catalog has them. */
export function currentVersionColumns(ctx: GeneratorContext, r: StreamRelation): { parent: string; child: string } | undefined {
  if (hasColumns(ctx, r.parent, [RECORD_HASH]) && hasColumns(ctx, r.child, [PARENT_RECORD_HASH])) return { parent: RECORD_HASH, child: PARENT_RECORD_HASH };
  if (hasColumns(ctx, r.parent, [UPDATED_AT]) && hasColumns(ctx, r.child, [PARENT_UPDATED_AT])) return { parent: UPDATED_AT, child: PARENT_UPDATED_AT };
  return undefined;
}

export function staleRowsNote(r: StreamRelation): string {
  return `${r.child}: the catalog lacks ${PARENT_RECORD_HASH} (and parent_updated_at), so rows removed from their ${r.parent} record in SAP are still counted.`;
}

/**
 * SQL join condition between a parent (alias p) and child (alias c) in a derived table: same key
 * and, when the catalog allows, the child belongs to the parent's current version.
 */
export function parentChildJoinSql(ctx: GeneratorContext, r: StreamRelation, p: string, c: string): { sql: string; notes: string[] } {
  const conditions = [`${columnSql(ctx, p, r.parentKeyColumn)} = ${columnSql(ctx, c, r.childParentKeyColumn)}`];
  const version = currentVersionColumns(ctx, r);
  if (version) conditions.push(`${columnSql(ctx, p, version.parent)} = ${columnSql(ctx, c, version.child)}`);
  return { sql: conditions.join(' AND '), notes: version ? [] : [staleRowsNote(r)] };
}

/** The same condition between two views of an explore, in LookML field references. */
export function parentChildJoinLookml(ctx: GeneratorContext, r: StreamRelation, parentView: string, childView: string): { sql: string; notes: string[] } {
  const conditions = [`\${${parentView}.${r.parentKeyColumn}} = \${${childView}.${r.childParentKeyColumn}}`];
  const version = currentVersionColumns(ctx, r);
  if (version) conditions.push(`\${${parentView}.${version.parent}} = \${${childView}.${version.child}}`);
  return { sql: conditions.join(' AND '), notes: version ? [] : [staleRowsNote(r)] };
}

/**
 * The current rows of a child stream, joined to their parent: `FROM child AS c INNER JOIN parent
 * AS p ON ...`. Undefined when the stream table has no such relation or a table is missing.
 */
export function currentChildRowsFrom(ctx: GeneratorContext, child: string, p: string, c: string): { from: string; relation: StreamRelation; notes: string[] } | undefined {
  const relation = relationOfChild(ctx, child);
  if (!relation || !ctx.tables.has(relation.parent) || !ctx.tables.has(child)) return undefined;
  if (!hasColumns(ctx, relation.parent, [relation.parentKeyColumn]) || !hasColumns(ctx, child, [relation.childParentKeyColumn])) return undefined;
  const join = parentChildJoinSql(ctx, relation, p, c);
  return {
    from: `${tableSql(ctx, child)} AS ${c}\nINNER JOIN ${tableSql(ctx, relation.parent)} AS ${p} ON ${join.sql}`,
    relation,
    notes: join.notes,
  };
}

/**
 * SQL condition that keeps documents that count: neither a cancelled original nor the
 * cancellation document SAP posts against it (with the same positive amounts, and the exact reverse
 * of its journal entry). CancelStatus tells both apart (csYes on the original, csCancellation on
 * the cancellation document); Cancelled is only read when the catalog lacks CancelStatus, because
 * how the Service Layer shows a cancellation document's Cancelled (the database's 'C') could not be
 * confirmed.
 */
export function notCancelledSql(ctx: GeneratorContext, headerTable: string, alias: string): { sql: string | undefined; notes: string[] } {
  if (hasColumns(ctx, headerTable, ['cancel_status'])) return { sql: `COALESCE(${columnSql(ctx, alias, 'cancel_status')}, '') NOT IN ('${CANCELLED}', '${CANCELLATION}')`, notes: [] };
  if (hasColumns(ctx, headerTable, ['cancelled'])) {
    return { sql: `NOT COALESCE(${columnSql(ctx, alias, 'cancelled')}, FALSE)`, notes: [`${headerTable}: the catalog lacks cancel_status, so cancellation documents are counted.`] };
  }
  return { sql: undefined, notes: [`${headerTable}: the catalog lacks cancel_status and cancelled, so cancelled documents and their cancellations are counted.`] };
}

/** CancelStatus of a cancelled original, and of the cancellation document posted against it. */
export const CANCELLED = 'csYes';
export const CANCELLATION = 'csCancellation';

/** SQL condition: the document is a cancelled original (undefined when the catalog cannot tell). */
export function cancelledOriginalSql(ctx: GeneratorContext, headerTable: string, alias: string): string | undefined {
  if (hasColumns(ctx, headerTable, ['cancel_status'])) return `${columnSql(ctx, alias, 'cancel_status')} = '${CANCELLED}'`;
  if (hasColumns(ctx, headerTable, ['cancelled'])) return `COALESCE(${columnSql(ctx, alias, 'cancelled')}, FALSE)`;
  return undefined;
}

/** SQL condition: the document is not a cancellation document. */
export function notCancellationSql(ctx: GeneratorContext, headerTable: string, alias: string): string {
  return hasColumns(ctx, headerTable, ['cancel_status']) ? `COALESCE(${columnSql(ctx, alias, 'cancel_status')}, '') <> '${CANCELLATION}'` : '1 = 1';
}
