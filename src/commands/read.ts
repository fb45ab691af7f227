/**
 * read runs every configured stream through the engine, on `concurrency` Service Layer sessions
 * (one by default): the first also reads $metadata, the others sign in when they get work. It
 * writes the engine's batches of messages, each once stdout has taken the one before. A stream
 * that fails is reported INCOMPLETE and the others still run; the process then exits non-zero so
 * that Airbyte retries the attempt from the checkpoints already emitted. A failure that ends the
 * run (a refused sign-in, an unreachable server, an untrusted certificate) stops the read at once:
 * one ERROR trace, and every stream not yet finished INCOMPLETE.
 */
import type { ConfiguredAirbyteCatalog } from '../protocol/generated/airbyte-protocol.js';
import { errorTraceMessage, streamStatusMessage } from '../protocol/messages.js';
import type { MessageEmitter } from '../protocol/emitter.js';
import type { SecretRedactor } from '../logging.js';
import { configError, endsRun } from '../errors.js';
import { loadConfig, type ResolvedConfig } from '../config/load.js';
import { fetchMetadata } from '../metadata/fetch.js';
import { runLookerRefresh } from '../looker/refresh.js';
import { metadataColumnResolver } from '../streams/company-metadata.js';
import { readJsonFile } from '../config/json-file.js';
import { ServiceLayerClient } from '../service-layer/client.js';
import { parseStateInput, type SavedState } from '../streams/state.js';
import { selectStreams } from '../streams/selection.js';
import { NulledValues, readGroups, runFailureMessages, type EngineContext } from '../streams/engine.js';
import { offeredStreams } from '../streams/offered.js';
import { serviceLayerPages } from '../streams/service-layer-pages.js';

export interface ReadOptions {
  configPath: string;
  catalogPath: string;
  statePath: string | undefined;
  signal: AbortSignal;
}

export async function readCommand(options: ReadOptions, emitter: MessageEmitter, secrets: SecretRedactor): Promise<number> {
  const logger = emitter.logger();
  const config = await loadConfig(options.configPath, secrets, logger);
  const catalog = parseConfiguredCatalog(await readJsonFile(options.catalogPath, '--catalog'));
  const states: Map<string, SavedState> = options.statePath ? parseStateInput(await readJsonFile(options.statePath, '--state')) : new Map();

  const client = new ServiceLayerClient({ config, logger, secrets });
  // Streams configured and not yet finished: a failure that ends the run leaves them INCOMPLETE.
  const unfinished = new Set(catalog.streams.map((configured) => configured.stream.name));
  try {
    return await readStreams(config, catalog, states, client, emitter, secrets, options.signal, unfinished);
  } catch (error) {
    if (options.signal.aborted || !endsRun(error)) throw error;
    await emitter.emitAll([...runFailureMessages(unfinished, error)]);
    return 1;
  } finally {
    await client.close();
  }
}

async function readStreams(
  config: ResolvedConfig,
  catalog: ConfiguredAirbyteCatalog,
  states: Map<string, SavedState>,
  client: ServiceLayerClient,
  emitter: MessageEmitter,
  secrets: SecretRedactor,
  signal: AbortSignal,
  unfinished: Set<string>,
): Promise<number> {
  const logger = emitter.logger();
  const model = await fetchMetadata(client, logger, signal);
  const selection = selectStreams(catalog, offeredStreams(config, model, logger), states, logger, model ? metadataColumnResolver(model) : undefined);
  for (const { stream, column } of selection.unresolvedColumns) {
    logger.warn(
      `Stream ${stream}: column ${column} is not known to this connector${model ? " or the Service Layer's $metadata" : ''}; it is left out.`,
    );
  }
  for (const { stream, column, property } of selection.missingColumns) {
    logger.warn(`Stream ${stream}: this Service Layer has no property ${property}, so column ${column} is left out.`);
  }
  let failed = false;
  for (const stream of selection.unknownStreams) {
    failed = true;
    unfinished.delete(stream);
    const unknown = configError(
      `Stream "${stream}" is not offered by the connector with the current config (it may come from a removed custom_entity_sets entry or another connector); run discover again to refresh the catalog, or remove the stream from the connection.`,
    );
    await emitter.emitAll([errorTraceMessage(unknown, stream), streamStatusMessage(stream, 'INCOMPLETE')]);
  }

  // Sessions sign in when they first get work: those that get none cost nothing.
  const sessions = config.concurrency;
  logger.info(
    `Reading ${selection.groups.length} entity sets for ${catalog.streams.length} configured streams` +
      (sessions > 1 ? `, up to ${sessions} at once on as many Service Layer sessions (concurrency).` : '.'),
  );
  const engine: EngineContext = {
    sources: [client, ...Array.from({ length: sessions - 1 }, () => client.newSession())].map((session) => serviceLayerPages(session, sessions)),
    logger,
    settings: {
      pageSize: config.page_size,
      companyDb: config.credentials.auth_type === 'session_login' ? config.credentials.company_db : null,
      startDate: config.start_date,
      replaySince: config.replay_since,
      lookbackDays: config.lookback_days,
      rereadWindowDays: config.reread_window_days,
    },
    nulledValues: new NulledValues(logger),
    signal,
  };
  for await (const batch of readGroups(selection.groups, engine)) {
    await emitter.emitAll(batch);
    for (const message of batch) {
      const status = message.trace?.stream_status;
      if (status?.status !== 'COMPLETE' && status?.status !== 'INCOMPLETE') continue;
      unfinished.delete(status.stream_descriptor.name);
      if (status.status === 'INCOMPLETE') failed = true;
    }
  }
  const { requests, signIns, retries } = client.stats;
  logger.info(`Read finished: ${requests} HTTP requests, ${signIns} of them sign-ins (Service Layer logins or access-token requests), and ${retries} retries.`);
  if (config.looker?.refresh_after_read) {
    if (failed) {
      logger.warn('Looker is not refreshed: some streams failed, so the data is incomplete.');
    } else {
      // The destination may still be committing; the README explains why a post-sync hook or the
      // datagroup trigger is the dependable way. A refresh failure never fails the sync.
      logger.info('Refreshing Looker (looker.refresh_after_read).');
      await runLookerRefresh(config.looker, logger, secrets);
    }
  }
  return failed ? 1 : 0;
}

function parseConfiguredCatalog(raw: unknown): ConfiguredAirbyteCatalog {
  const streams = (raw as { streams?: unknown } | null)?.streams;
  if (!Array.isArray(streams)) throw configError('The --catalog file must be a configured catalog: an object with a "streams" array.');
  streams.forEach((entry, index) => {
    const stream = (entry as { stream?: { name?: unknown } } | null)?.stream;
    if (typeof stream?.name !== 'string') throw configError(`The --catalog file's streams[${index}].stream.name is missing.`);
    const mode = (entry as { sync_mode?: unknown }).sync_mode;
    if (mode !== 'full_refresh' && mode !== 'incremental') {
      throw configError(
        `The --catalog file's streams[${index}] (${stream.name}) has sync_mode ${JSON.stringify(mode)}; expected full_refresh or incremental.`,
      );
    }
  });
  return raw as ConfiguredAirbyteCatalog;
}
