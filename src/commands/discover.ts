/**
 * discover publishes one Airbyte stream per row of the stream table (and per configured entity
 * set), with the shipped column schemas merged with what the customer's $metadata adds.
 */
import type { AirbyteStream } from '../protocol/generated/airbyte-protocol.js';
import type { MessageEmitter } from '../protocol/emitter.js';
import { catalogMessage } from '../protocol/messages.js';
import { loadConfig, type ResolvedConfig } from '../config/load.js';
import type { Logger } from '../logging.js';
import { catalogEntries, type CatalogEntry } from '../streams/catalog.js';
import { streamDefinitions } from '../streams/custom.js';

/** The streams a config offers, by name, with their shipped schemas. */
export function offeredStreams(config: ResolvedConfig): Map<string, CatalogEntry> {
  const entries = new Map<string, CatalogEntry>();
  for (const definition of streamDefinitions(config)) {
    for (const entry of catalogEntries(definition)) entries.set(entry.stream.name, entry);
  }
  return entries;
}

export async function discoverCommand(configPath: string, emitter: MessageEmitter): Promise<number> {
  const logger: Logger = emitter.logger();
  const config = await loadConfig(configPath, logger);
  const streams: AirbyteStream[] = [...offeredStreams(config).values()].map((entry) => entry.stream);
  await emitter.emit(catalogMessage({ streams }));
  return 0;
}
