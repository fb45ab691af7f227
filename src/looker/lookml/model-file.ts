/**
 * The model file: connection, includes, the sync datagroup every explore persists with, what
 * was left out and why, and the explores.
 *
 * The datagroup's trigger is the latest _airbyte_extracted_at over all synced tables. A sync
 * writes rows with its own extraction time only once the destination commits them, so the value
 * changes exactly when new data is visible to Looker; max_cache_age bounds staleness if the
 * trigger cannot run.
 */
import { tableSql, type GeneratorContext } from './context.js';
import { EXTRACTED_AT } from './tables.js';
import { bare, block, comment, quoted, sqlParam, type LookmlNode } from './lookml-text.js';

export const SYNC_DATAGROUP = 'sap_b1_sync';

/** SQL whose value changes whenever a sync lands: the newest extraction time across the tables. */
export function syncTriggerSql(ctx: GeneratorContext): string {
  const column = ctx.dialect.column(EXTRACTED_AT);
  const perTable = [...ctx.tables.keys()].sort().map((t) => `  SELECT MAX(${column}) AS synced_at FROM ${tableSql(ctx, t)}`);
  return ['SELECT MAX(synced_at) AS synced_at FROM (', perTable.join('\n  UNION ALL\n'), ') AS sync_marks'].join('\n');
}

export interface ModelFileInput {
  header: string;
  connection: string;
  maxCacheAge: string;
  notes: readonly string[];
  explores: readonly LookmlNode[];
}

export function modelFile(ctx: GeneratorContext, input: ModelFileInput): LookmlNode[] {
  return [
    comment(input.header),
    quoted('connection', input.connection),
    quoted('include', '/views/*.view.lkml'),
    block('datagroup', SYNC_DATAGROUP, [
      quoted('label', 'SAP Business One sync'),
      quoted('description', 'Triggers when an Airbyte sync of the SAP Business One source has committed new rows (newest _airbyte_extracted_at).'),
      sqlParam('sql_trigger', syncTriggerSql(ctx)),
      quoted('max_cache_age', input.maxCacheAge),
    ]),
    bare('persist_with', SYNC_DATAGROUP),
    ...(input.notes.length ? [comment(['Left out or reduced for this catalog:', ...input.notes.map((n) => `- ${n}`)].join('\n'))] : []),
    ...input.explores,
  ];
}
