/**
 * generate-lookml writes a LookML project for the tables an Airbyte destination creates from our
 * streams. The streams come from the configured catalog when one is given (what is really synced,
 * with its column selection), otherwise from what discover would offer for this config, including
 * the company's user-defined fields.
 */
import type { AirbyteCatalog, ConfiguredAirbyteCatalog } from '../protocol/generated/airbyte-protocol.js';
import { loadConfig, type ResolvedConfig } from '../config/load.js';
import { readJsonFile } from '../config/json-file.js';
import { configError, endsRun } from '../errors.js';
import type { Logger, SecretRedactor } from '../logging.js';
import type { EdmModel } from '../metadata/edmx.js';
import { readCompanyMetadata } from '../metadata/fetch.js';
import { withInteractiveRetries } from '../service-layer/settings.js';
import { DIALECTS, generateLookmlProject, writeLookmlProject, type DialectName, type RefreshMode } from '../looker/lookml/index.js';
import { offeredStreams, streamDefinitions } from '../streams/offered.js';
import { streamRelations } from '../streams/relations.js';

export const REFRESH_MODES: readonly RefreshMode[] = ['sql_trigger', 'looker_refresh'];

export interface GenerateLookmlOptions {
  configPath: string;
  catalogPath: string | undefined;
  outDir: string;
  dialect: string;
  connection: string;
  schema: string;
  model: string | undefined;
  /** ISO 4217 code of the company's local currency; USD (with a warning) when not given. */
  currency: string | undefined;
  persist: boolean;
  refresh: string | undefined;
}

export async function generateLookmlCommand(options: GenerateLookmlOptions, logger: Logger, secrets: SecretRedactor): Promise<number> {
  if (!(DIALECTS as readonly string[]).includes(options.dialect)) {
    throw configError(`--dialect must be one of ${DIALECTS.join(', ')}, got "${options.dialect}".`);
  }
  if (options.refresh !== undefined && !(REFRESH_MODES as readonly string[]).includes(options.refresh)) {
    throw configError(`--refresh must be one of ${REFRESH_MODES.join(', ')}, got "${options.refresh}".`);
  }
  const config = await loadConfig(options.configPath, secrets, logger);
  let catalog: AirbyteCatalog | ConfiguredAirbyteCatalog;
  if (options.catalogPath) {
    catalog = (await readJsonFile(options.catalogPath, '--catalog')) as ConfiguredAirbyteCatalog;
    if (!Array.isArray((catalog as { streams?: unknown }).streams)) throw configError('The --catalog file must have a "streams" array.');
  } else {
    catalog = { streams: [...offeredStreams(config, await optionalCompanyMetadata(config, logger, secrets), logger).values()].map((entry) => entry.stream) };
  }
  if (options.currency === undefined) {
    logger.warn("Amounts are formatted as USD; pass --currency with your company's local currency (e.g. --currency EUR) if it is another.");
  }
  const project = generateLookmlProject({
    catalog,
    dialect: options.dialect as DialectName,
    connection: options.connection,
    schema: options.schema,
    ...(options.model ? { modelName: options.model } : {}),
    ...(options.currency ? { currency: options.currency } : {}),
    persistDerivedTables: options.persist,
    // The stream table and the config's custom_entity_sets (e.g. DeliveryNotes with its lines).
    relations: streamRelations(streamDefinitions(config)),
    ...(options.refresh ? { refresh: options.refresh as RefreshMode } : {}),
  });
  for (const note of project.notes) logger.warn(note);
  const outcome = await writeLookmlProject(project, options.outDir);
  for (const warning of outcome.warnings) logger.warn(warning);
  logger.info(
    `Wrote ${outcome.written.length} LookML files to ${options.outDir} (${options.dialect}); generated views and explores are in ${project.generatedDir}/.` +
      (outcome.kept.length ? ` Kept your ${outcome.kept.join(' and ')}.` : '') +
      (outcome.removed.length ? ` Removed ${outcome.removed.length} generated files this catalog no longer produces.` : ''),
  );
  return 0;
}

/**
 * The company's $metadata only adds its user-defined fields to the LookML, so a Service Layer that
 * cannot be reached (or refuses the sign-in) is a warning after a few seconds, not minutes of retries.
 */
async function optionalCompanyMetadata(config: ResolvedConfig, logger: Logger, secrets: SecretRedactor): Promise<EdmModel | undefined> {
  try {
    return await readCompanyMetadata(withInteractiveRetries(config), logger, secrets);
  } catch (error) {
    if (!endsRun(error)) throw error;
    logger.warn(`The LookML is generated from the shipped schemas, without the company's user-defined fields: ${error.message}`);
    return undefined;
  }
}
