/**
 * Which destination rows describe the source as it is now. The destination deduplicates each
 * stream by primary key, so a header row is current; but a line that was removed from its
 * document (or a warehouse row removed from its item) stays in the line table forever, carrying
 * the parent's hash (and stamp) from the last time it was read. Lines whose parent hash equals
 * the parent's current hash are exactly the current lines. Cancelled documents, and the
 * cancellation documents SAP posts against them, are not business activity.
 */
import { columnSql, hasColumns, type GeneratorContext } from './context.js';

export const RECORD_HASH = '_b1_record_hash';
export const PARENT_RECORD_HASH = '_b1_parent_record_hash';
const UPDATED_AT = 'updated_at';
const PARENT_UPDATED_AT = 'parent_updated_at';

/** A header stream and the stream of its rows (document lines, payment invoices, stock per warehouse). */
export interface ParentChild {
  parent: string;
  child: string;
  /** Key column of the parent, and the column that carries it in the child. */
  parentKey: string;
  childParentKey: string;
}

/** The parent column and child column that must be equal for a child row to be current, if the catalog has them. */
export function currentVersionColumns(ctx: GeneratorContext, pc: ParentChild): { parent: string; child: string } | undefined {
  if (hasColumns(ctx, pc.parent, [RECORD_HASH]) && hasColumns(ctx, pc.child, [PARENT_RECORD_HASH])) return { parent: RECORD_HASH, child: PARENT_RECORD_HASH };
  if (hasColumns(ctx, pc.parent, [UPDATED_AT]) && hasColumns(ctx, pc.child, [PARENT_UPDATED_AT])) return { parent: UPDATED_AT, child: PARENT_UPDATED_AT };
  return undefined;
}

export function staleRowsNote(pc: ParentChild): string {
  return `${pc.child}: the catalog lacks ${PARENT_RECORD_HASH} (and parent_updated_at), so rows removed from their ${pc.parent} record in SAP are still counted.`;
}

/**
 * SQL join condition between a parent (alias p) and child (alias c) in a derived table: same key
 * and, when the catalog allows, the child belongs to the parent's current version.
 */
export function parentChildJoinSql(ctx: GeneratorContext, pc: ParentChild, p: string, c: string): { sql: string; notes: string[] } {
  const conditions = [`${columnSql(ctx, p, pc.parentKey)} = ${columnSql(ctx, c, pc.childParentKey)}`];
  const version = currentVersionColumns(ctx, pc);
  if (version) conditions.push(`${columnSql(ctx, p, version.parent)} = ${columnSql(ctx, c, version.child)}`);
  return { sql: conditions.join(' AND '), notes: version ? [] : [staleRowsNote(pc)] };
}

/** The same condition between two views of an explore, in LookML field references. */
export function parentChildJoinLookml(ctx: GeneratorContext, pc: ParentChild, parentView: string, childView: string): { sql: string; notes: string[] } {
  const conditions = [`\${${parentView}.${pc.parentKey}} = \${${childView}.${pc.childParentKey}}`];
  const version = currentVersionColumns(ctx, pc);
  if (version) conditions.push(`\${${parentView}.${version.parent}} = \${${childView}.${version.child}}`);
  return { sql: conditions.join(' AND '), notes: version ? [] : [staleRowsNote(pc)] };
}

/**
 * SQL condition that keeps documents that count: not cancelled (Cancelled = tYES marks the
 * original) and not a cancellation document (CancelStatus csCancellation, which SAP posts with
 * the same positive amounts as the document it cancels).
 */
export function notCancelledSql(ctx: GeneratorContext, headerTable: string, alias: string): { sql: string | undefined; notes: string[] } {
  const conditions: string[] = [];
  const notes: string[] = [];
  if (hasColumns(ctx, headerTable, ['cancelled'])) conditions.push(`NOT COALESCE(${columnSql(ctx, alias, 'cancelled')}, FALSE)`);
  else notes.push(`${headerTable}: the catalog lacks the cancelled column, so cancelled documents are counted.`);
  if (hasColumns(ctx, headerTable, ['cancel_status'])) conditions.push(`COALESCE(${columnSql(ctx, alias, 'cancel_status')}, '') <> 'csCancellation'`);
  else notes.push(`${headerTable}: the catalog lacks cancel_status, so cancellation documents are counted.`);
  return { sql: conditions.length ? conditions.join(' AND ') : undefined, notes };
}
