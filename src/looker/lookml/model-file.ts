/**
 * The files of the project the user owns once they exist (manifest.lkml with the connection and
 * schema constants, and the model file with the datagroups), and the generated explore files.
 *
 * Two datagroups, because Looker fires a datagroup both when its sql_trigger value changes and
 * when the API marks it triggered: one datagroup used both ways fires twice per sync.
 * - sap_b1_sync: sql_trigger on the newest _airbyte_extracted_at across the synced tables. A sync
 *   writes rows with its own extraction time only when the destination commits them, so the value
 *   changes exactly when new data is visible; needs no Looker credentials.
 * - sap_b1_looker_refresh: no trigger of its own; only looker-refresh (after the sync) marks it
 *   triggered through the API, seconds after the data landed.
 * Both keep max_cache_age as the fail-safe.
 */
import { storedTableSql, type GeneratorContext } from './context.js';
import { EXTRACTED_AT } from './tables.js';
import { bare, block, comment, quoted, sqlParam, type LookmlNode } from './lookml-text.js';

export const SYNC_DATAGROUP = 'sap_b1_sync';
export const REFRESH_DATAGROUP = 'sap_b1_looker_refresh';
export const CONNECTION_CONSTANT = 'SAP_B1_CONNECTION';
export const SCHEMA_CONSTANT = 'SAP_B1_SCHEMA';

/** SQL whose value changes whenever a sync lands: the newest extraction time across the tables. */
export function syncTriggerSql(ctx: GeneratorContext): string {
  const column = ctx.dialect.column(EXTRACTED_AT);
  const perTable = [...ctx.tables.keys()].sort().map((t) => `  SELECT MAX(${column}) AS synced_at FROM ${storedTableSql(ctx, t)}`);
  return ['SELECT MAX(synced_at) AS synced_at FROM (', perTable.join('\n  UNION ALL\n'), ') AS sync_marks'].join('\n');
}

export function syncDatagroup(ctx: GeneratorContext, maxCacheAge: string): LookmlNode {
  return block('datagroup', SYNC_DATAGROUP, [
    quoted('label', 'SAP Business One sync (SQL trigger)'),
    quoted('description', 'Triggers when an Airbyte sync of the SAP Business One source has committed new rows (newest _airbyte_extracted_at). For users without the looker-refresh hook.'),
    sqlParam('sql_trigger', syncTriggerSql(ctx)),
    quoted('max_cache_age', maxCacheAge),
  ]);
}

export function refreshDatagroup(maxCacheAge: string): LookmlNode {
  return block('datagroup', REFRESH_DATAGROUP, [
    quoted('label', 'SAP Business One sync (looker-refresh)'),
    quoted('description', 'Triggered only through the Looker API by the looker-refresh command after each successful sync; no SQL trigger, so it fires once per sync.'),
    quoted('max_cache_age', maxCacheAge),
  ]);
}

export function manifestFile(ctx: GeneratorContext, input: { connection: string; schema: string }): LookmlNode[] {
  return [
    comment(
      [
        'Constants of the SAP Business One model. generate-lookml wrote this file because the project had none;',
        'it is yours now and is never overwritten. SAP_B1_SCHEMA is the schema as your warehouse SQL spells it',
        `before .table (${ctx.dialect.name}: ${ctx.dialect.schemaSql(input.schema)}).`,
      ].join('\n'),
    ),
    constant(CONNECTION_CONSTANT, input.connection),
    constant(SCHEMA_CONSTANT, ctx.dialect.schemaSql(input.schema)),
  ];
}

function constant(name: string, value: string): LookmlNode {
  return block('constant', name, [quoted('value', value)]);
}

/** The constants a manifest must define, as text to paste into one that lacks them. */
export function missingConstants(ctx: GeneratorContext, manifest: string, input: { connection: string; schema: string }): LookmlNode[] {
  const wanted: [string, string][] = [
    [CONNECTION_CONSTANT, input.connection],
    [SCHEMA_CONSTANT, ctx.dialect.schemaSql(input.schema)],
  ];
  return wanted.filter(([name]) => !new RegExp(`constant:\\s*${name}\\b`).test(manifest)).map(([name, value]) => constant(name, value));
}

export interface ModelFileInput {
  generatedDir: string;
  maxCacheAge: string;
  persistWith: string;
}

/** The user's model file, written once: connection, includes of the generated folder, datagroups. */
export function userModelFile(ctx: GeneratorContext, input: ModelFileInput): LookmlNode[] {
  return [
    comment(
      [
        'Your SAP Business One model. generate-lookml wrote this file once and never overwrites it: edit it freely.',
        `The generated views and explores live in /${input.generatedDir}/ and are replaced on every run; change them`,
        'with refinements here or in your own files, e.g. explore: +sales_margin { ... } or view: +invoices { dimension: doc_total { hidden: no } }.',
        `Caching: persist_with ${SYNC_DATAGROUP} when nothing tells Looker about syncs; ${REFRESH_DATAGROUP} when looker-refresh runs after each sync.`,
      ].join('\n'),
    ),
    quoted('connection', `@{${CONNECTION_CONSTANT}}`),
    quoted('include', `/${input.generatedDir}/views/*.view.lkml`),
    quoted('include', `/${input.generatedDir}/explores/*.explore.lkml`),
    syncDatagroup(ctx, input.maxCacheAge),
    refreshDatagroup(input.maxCacheAge),
    bare('persist_with', input.persistWith),
  ];
}

/** An explore file: the explore and the notes of what was left out of it. */
export function exploreFile(header: string, notes: readonly string[], explore: LookmlNode): LookmlNode[] {
  return [comment(header), ...(notes.length ? [comment(['Left out or reduced for this catalog:', ...notes.map((n) => `- ${n}`)].join('\n'))] : []), explore];
}
