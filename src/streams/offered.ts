/**
 * Where every stream a config offers is assembled: the shipped stream table, then the configured
 * entity sets, each turned into Airbyte streams fitted to the company's $metadata. discover
 * publishes them; read, generate-lookml and generate-manifest start from them.
 */
import type { ResolvedConfig } from '../config/load.js';
import type { Logger } from '../logging.js';
import type { EdmModel } from '../metadata/edmx.js';
import { catalogEntries, type CatalogEntry } from './catalog.js';
import { fitToCompanyMetadata } from './company-metadata.js';
import { customStreamDefinitions } from './custom-entity-sets.js';
import { shippedStreams, type StreamDefinition } from './definitions.js';

/** Every stream definition this config offers: the shipped table, then the configured entity sets. */
export function streamDefinitions(config: Pick<ResolvedConfig, 'custom_entity_sets'>): StreamDefinition[] {
  return [...shippedStreams, ...customStreamDefinitions(config)];
}

/** The streams a config offers, by name, fitted to the company's $metadata when it is known. */
export function offeredStreams(config: ResolvedConfig, model: EdmModel | undefined, logger: Logger): Map<string, CatalogEntry> {
  const entries = new Map<string, CatalogEntry>();
  for (const definition of streamDefinitions(config)) {
    for (const entry of catalogEntries(definition, fitToCompanyMetadata(definition, model, logger))) entries.set(entry.stream.name, entry);
  }
  return entries;
}
