/**
 * generate-lookml: a LookML project for the tables an Airbyte destination makes of this source's
 * streams, in the dialect of the warehouse. Pure: catalog in, file contents out; writing them is
 * project-files.ts's job.
 *
 * Layout (the user owns the model):
 * - manifest.lkml: constants SAP_B1_CONNECTION and SAP_B1_SCHEMA (user's; written when absent);
 * - <model>.model.lkml: connection, includes of the generated folder, the two datagroups,
 *   persist_with (user's; written when absent);
 * - <model>/views/*.view.lkml and <model>/explores/*.explore.lkml: generated, replaced each run,
 *   in a folder of their own so that the model's includes cannot pick up the user's other views.
 */
import type { AirbyteCatalog, ConfiguredAirbyteCatalog } from '../../protocol/generated/airbyte-protocol.js';
import { configError } from '../../errors.js';
import { streamRelations, type StreamRelation } from '../../streams/relations.js';
import { accountHierarchy } from './account-hierarchy.js';
import { aging } from './aging.js';
import { cash } from './cash.js';
import type { GeneratorContext, SubjectContribution } from './context.js';
import { sqlDialect, type DialectName } from './dialect.js';
import { batchExpiry } from './batch-expiry.js';
import { amountFormat } from './fields.js';
import { generalLedger } from './general-ledger.js';
import { inventory } from './inventory.js';
import { block, comment, printLookml, type LookmlNode } from './lookml-text.js';
import { exploreFile, manifestFile, missingConstants, REFRESH_DATAGROUP, SCHEMA_CONSTANT, SYNC_DATAGROUP, syncDatagroup, userModelFile } from './model-file.js';
import { profitAndLoss } from './profit-and-loss.js';
import { GENERATED_MARKER, type LookmlProject, type UserFileCheck } from './project.js';
import { purchasing } from './purchasing.js';
import { salesMargin } from './sales-margin.js';
import { stockHistory } from './stock-history.js';
import { streamView } from './stream-views.js';
import { destinationTables } from './tables.js';

export { REFRESH_DATAGROUP, SYNC_DATAGROUP } from './model-file.js';
export { DIALECTS, type DialectName } from './dialect.js';
export { writeLookmlProject, type WriteOutcome } from './project-files.js';
export { allProjectFiles, GENERATED_MARKER, type LookmlProject } from './project.js';

export type RefreshMode = 'sql_trigger' | 'looker_refresh';

export interface LookmlOptions {
  /** Streams to model: discover's catalog or the configured catalog of the connection. */
  catalog: AirbyteCatalog | ConfiguredAirbyteCatalog;
  dialect: DialectName;
  /** Name of the Looker connection to the warehouse (the value of SAP_B1_CONNECTION). */
  connection: string;
  /** Schema (BigQuery dataset) the destination writes the final tables to (the value of SAP_B1_SCHEMA). */
  schema: string;
  /** Default 'sap_business_one'. */
  modelName?: string;
  /** The datagroups' fail-safe. Default '24 hours'. */
  maxCacheAge?: string;
  /** ISO 4217 code of the company's local currency, for amount formats. Default USD. */
  currency?: string;
  /** Persist derived tables (PDTs) with the caching datagroup; needs a scratch schema on the connection. Default false. */
  persistDerivedTables?: boolean;
  /** What tells Looker about syncs, which picks the caching datagroup: the SQL trigger (default) or looker-refresh. */
  refresh?: RefreshMode;
  /** Parent/child relations of the streams; the connector's stream table unless given. */
  relations?: readonly StreamRelation[];
}

export const DEFAULT_MODEL_NAME = 'sap_business_one';

const SUBJECTS: ((ctx: GeneratorContext) => SubjectContribution)[] = [salesMargin, profitAndLoss, aging, purchasing, generalLedger, cash, inventory, stockHistory, batchExpiry, accountHierarchy];

export function generateLookmlProject(options: LookmlOptions): LookmlProject {
  const modelName = options.modelName ?? DEFAULT_MODEL_NAME;
  if (!/^[a-z][a-z0-9_]*$/.test(modelName)) throw configError(`The model name ${JSON.stringify(modelName)} must be lower-case letters, digits and underscores, starting with a letter.`);
  if (!options.connection || /["\\\n]/.test(options.connection)) throw configError('The Looker connection name must be non-empty and contain no quotes, backslashes or line breaks.');
  const maxCacheAge = options.maxCacheAge ?? '24 hours';
  if (!/^\d+ (minute|hour|day)s?$/.test(maxCacheAge)) throw configError(`max cache age ${JSON.stringify(maxCacheAge)} must look like "24 hours", "30 minutes" or "2 days".`);
  const dialect = sqlDialect(options.dialect);
  dialect.schemaSql(options.schema); // validates the schema name up front
  const caching = options.refresh === 'looker_refresh' ? REFRESH_DATAGROUP : SYNC_DATAGROUP;
  const ctx: GeneratorContext = {
    dialect,
    schemaSql: `@{${SCHEMA_CONSTANT}}`,
    tables: destinationTables(options.catalog),
    relations: options.relations ?? streamRelations(),
    amount: amountFormat(options.currency ?? 'USD'),
    persistWith: options.persistDerivedTables ? caching : undefined,
  };
  if (ctx.tables.size === 0) throw configError('The catalog has no streams; select at least one stream.');

  const contributions = SUBJECTS.map((subject) => subject(ctx));
  const notes = [...new Set(contributions.flatMap((c) => c.notes))];
  const header = `${GENERATED_MARKER} (dialect ${ctx.dialect.name}, amounts in ${ctx.amount.currency}).\nReplaced on every run: change it with refinements in your own files (e.g. view: +invoices { ... }).`;
  const generatedDir = modelName;
  const files = new Map<string, string>();
  const viewFile = (name: string, nodes: LookmlNode[]) => files.set(`${generatedDir}/views/${name}.view.lkml`, printLookml([comment(header), ...nodes]));

  const extraFields = new Map<string, LookmlNode[]>();
  for (const c of contributions) for (const f of c.viewFields) extraFields.set(f.view, [...(extraFields.get(f.view) ?? []), ...f.fields]);
  for (const table of ctx.tables.values()) viewFile(table.name, streamView(ctx, table, extraFields.get(table.name) ?? []));
  for (const view of contributions.flatMap((c) => c.derivedViews)) {
    if (ctx.tables.has(view.name)) throw configError(`The catalog has a stream named ${view.name}, the name of a generated derived view; rename the stream.`);
    viewFile(view.name, [block('view', view.name, view.body)]);
  }
  for (const explore of contributions.flatMap((c) => c.explores)) {
    const own = notes.filter((n) => n.startsWith(`explore ${explore.name}`));
    files.set(`${generatedDir}/explores/${explore.name}.explore.lkml`, printLookml(exploreFile(header, own, explore.node)));
  }
  const constants = { connection: options.connection, schema: options.schema };
  const userFiles = new Map<string, string>([
    ['manifest.lkml', printLookml(manifestFile(ctx, constants))],
    [`${modelName}.model.lkml`, printLookml(userModelFile(ctx, { generatedDir, maxCacheAge, persistWith: caching }))],
  ]);
  const expectedTrigger = printLookml([syncDatagroup(ctx, maxCacheAge)]);
  const userFileChecks: UserFileCheck[] = [
    {
      path: 'manifest.lkml',
      check: (existing) => {
        const lacking = missingConstants(ctx, existing, constants);
        return lacking.length ? `manifest.lkml lacks constants the generated files use; add:\n${printLookml(lacking)}` : undefined;
      },
    },
    {
      path: `${modelName}.model.lkml`,
      check: (existing) => (triggerTables(existing) === triggerTables(expectedTrigger) ? undefined : `${modelName}.model.lkml: the ${SYNC_DATAGROUP} datagroup's sql_trigger does not read the tables of this catalog; replace it with:\n${expectedTrigger}`),
    },
  ];
  return { generatedDir, files, userFiles, userFileChecks, notes };
}

/** The tables a text's sync trigger reads (the FROM clauses inside the sap_b1_sync datagroup), normalized for comparison. */
function triggerTables(text: string): string {
  const start = text.indexOf(`datagroup: ${SYNC_DATAGROUP}`);
  if (start < 0) return '';
  const end = text.indexOf(';;', start);
  const trigger = text.slice(start, end < 0 ? undefined : end);
  return [...trigger.matchAll(/FROM\s+(\S+)/g)].map((m) => m[1]).filter((t) => t !== '(').sort().join(' ');
}
