/**
 * generate-manifest writes manifest.yaml, the declarative (Connector Builder) form of this
 * connector for Airbyte Cloud, which runs no custom images. The streams are those discover offers
 * for this config, fitted to the company's $metadata (user-defined fields included), or those of a
 * configured catalog with its column selection, so the tables synced from Cloud have the names and
 * columns the image gives them and the generated LookML works on them.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConfiguredAirbyteCatalog } from '../protocol/generated/airbyte-protocol.js';
import { loadConfig, type ResolvedConfig } from '../config/load.js';
import { readJsonFile } from '../config/json-file.js';
import { configError } from '../errors.js';
import type { Logger, SecretRedactor } from '../logging.js';
import { readCompanyMetadata } from '../metadata/fetch.js';
import { generateManifest } from '../manifest/document.js';
import { MANIFEST_SETTINGS } from '../manifest/spec.js';
import { manifestYaml } from '../manifest/yaml.js';
import type { CatalogEntry } from '../streams/catalog.js';
import { offeredStreams } from '../streams/offered.js';

export interface GenerateManifestOptions {
  configPath: string;
  catalogPath: string | undefined;
  outDir: string;
}

/** The offered streams the configured catalog names, each with the columns the catalog selects (keys always). */
export function configuredEntries(offered: ReadonlyMap<string, CatalogEntry>, catalog: ConfiguredAirbyteCatalog, logger: Logger): CatalogEntry[] {
  const entries: CatalogEntry[] = [];
  for (const configured of catalog.streams) {
    const entry = offered.get(configured.stream.name);
    if (!entry) {
      logger.warn(`The catalog's stream ${configured.stream.name} is not offered by this config; it is left out of the manifest.`);
      continue;
    }
    const offeredSchema = entry.stream.json_schema as { properties: Record<string, unknown> };
    const selected = (configured.stream.json_schema as { properties?: Record<string, unknown> }).properties ?? offeredSchema.properties;
    const keys = new Set((entry.stream.source_defined_primary_key ?? []).map((path) => path[0]!));
    const properties = Object.fromEntries(Object.entries(offeredSchema.properties).filter(([column]) => column in selected || keys.has(column)));
    entries.push({ ...entry, stream: { ...entry.stream, json_schema: { ...offeredSchema, properties } } });
  }
  if (entries.length === 0) throw configError('None of the streams of --catalog is offered by this config; the manifest would be empty.');
  return entries;
}

/** What in this config the manifest cannot carry to Airbyte Cloud, said once each. */
function warnAboutConfig(config: ResolvedConfig, logger: Logger): void {
  if (!config.service_layer_url.trim().toLowerCase().startsWith('https://')) {
    logger.warn('service_layer_url is not https: Airbyte Cloud reaches only https URLs on public addresses.');
  }
  if (config.tls.mode !== 'verify') {
    logger.warn(`tls.mode ${config.tls.mode} has no manifest counterpart: Airbyte Cloud accepts only certificates from a public authority.`);
  }
  const ignored = Object.keys(config).filter((name) => !(MANIFEST_SETTINGS as readonly string[]).includes(name) && name !== 'custom_entity_sets' && name !== 'tls');
  if (ignored.length > 0) logger.info(`The manifest does not read these settings (see the README's Airbyte Cloud section): ${ignored.join(', ')}.`);
}

export async function generateManifestCommand(options: GenerateManifestOptions, logger: Logger, secrets: SecretRedactor): Promise<number> {
  const config = await loadConfig(options.configPath, secrets, logger);
  let catalog: ConfiguredAirbyteCatalog | undefined;
  if (options.catalogPath) {
    catalog = (await readJsonFile(options.catalogPath, '--catalog')) as ConfiguredAirbyteCatalog;
    if (!Array.isArray((catalog as { streams?: unknown }).streams)) throw configError('The --catalog file must have a "streams" array.');
  }
  warnAboutConfig(config, logger);
  const model = await readCompanyMetadata(config, logger, secrets);
  const offered = offeredStreams(config, model, logger);
  const entries = catalog ? configuredEntries(offered, catalog, logger) : [...offered.values()];
  const manifest = generateManifest(entries);
  for (const note of manifest.notes) logger.warn(note);
  await mkdir(options.outDir, { recursive: true });
  const path = join(options.outDir, 'manifest.yaml');
  await writeFile(path, manifestYaml(manifest.document));
  logger.info(`Wrote ${path}: ${entries.length} streams for the declarative engine ${String(manifest.document['version'])} or later.`);
  return 0;
}
