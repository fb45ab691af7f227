/**
 * discover publishes one Airbyte stream per row of the stream table (and per configured entity
 * set), with the shipped column schemas merged with what the customer's $metadata adds.
 */
import type { AirbyteStream } from '../protocol/generated/airbyte-protocol.js';
import type { MessageEmitter } from '../protocol/emitter.js';
import { catalogMessage } from '../protocol/messages.js';
import { loadConfig, type ResolvedConfig } from '../config/load.js';
import type { Logger, SecretRedactor } from '../logging.js';
import type { EdmModel } from '../metadata/edmx.js';
import { readCompanyMetadata } from '../metadata/fetch.js';
import { catalogEntries, type CatalogEntry } from '../streams/catalog.js';
import { streamDefinitions } from '../streams/custom.js';
import { customerSchemas } from '../streams/customer-schemas.js';

/** The streams a config offers, by name, fitted to the company's $metadata when it is known. */
export function offeredStreams(config: ResolvedConfig, model: EdmModel | undefined, logger: Logger): Map<string, CatalogEntry> {
  const entries = new Map<string, CatalogEntry>();
  for (const definition of streamDefinitions(config)) {
    for (const entry of catalogEntries(definition, customerSchemas(definition, model, logger))) entries.set(entry.stream.name, entry);
  }
  return entries;
}

export async function discoverCommand(configPath: string, emitter: MessageEmitter, secrets: SecretRedactor): Promise<number> {
  const logger: Logger = emitter.logger();
  const config = await loadConfig(configPath, secrets, logger);
  const model = await readCompanyMetadata(config, logger, secrets);
  const streams: AirbyteStream[] = [...offeredStreams(config, model, logger).values()].map((entry) => entry.stream);
  await emitter.emit(catalogMessage({ streams }));
  return 0;
}
