/**
 * Catalogs to generate LookML from: the catalog discover publishes for a company whose
 * $metadata is the Service Layer simulator's (the food distributor, with user-defined fields
 * such as U_Region on business partners), and reduced catalogs a user might configure.
 */
import { serviceLayerMetadata } from '@sap-b1-airbyte/service-layer-simulator';
import type { AirbyteCatalog, AirbyteStream, ConfiguredAirbyteCatalog } from '../../src/protocol/generated/airbyte-protocol.js';
import { offeredStreams } from '../../src/streams/offered.js';
import { parseConfig } from '../../src/config/load.js';
import { SecretRedactor } from '../../src/logging.js';
import { silentLogger } from '../../src/logging.js';
import { parseEdmx } from '../../src/metadata/edmx.js';
import { configureStreams } from '../helpers/catalog.js';

const config = parseConfig({
  service_layer_url: 'https://127.0.0.1:50000/b1s/v2/',
  credentials: { auth_type: 'session_login', company_db: 'SBO_FOODCO', username: 'manager', password: 'not-used' },
}, new SecretRedactor());

let cached: AirbyteCatalog | undefined;

/** What discover answers for the simulator's company (its v2 $metadata, as served). */
export function discoverCatalog(): AirbyteCatalog {
  if (!cached) {
    const model = parseEdmx(serviceLayerMetadata('v2'));
    cached = { streams: [...offeredStreams(config, model, silentLogger).values()].map((entry) => entry.stream) };
  }
  return structuredClone(cached);
}

export function streamOf(catalog: AirbyteCatalog, name: string): AirbyteStream {
  const stream = catalog.streams.find((s) => s.name === name);
  if (!stream) throw new Error(`The catalog has no stream ${name}`);
  return stream;
}

/** A configured catalog of the given streams (all when omitted), as the Airbyte UI would save it. */
export function configuredCatalog(catalog: AirbyteCatalog, names?: readonly string[]): ConfiguredAirbyteCatalog {
  const streams = names ? names.map((n) => streamOf(catalog, n)) : catalog.streams;
  return configureStreams(streams) as ConfiguredAirbyteCatalog;
}

/** The catalog without some columns of a stream, as when the user deselects fields. */
export function withoutColumns(catalog: AirbyteCatalog, stream: string, columns: readonly string[]): AirbyteCatalog {
  const copy = structuredClone(catalog);
  const properties = (streamOf(copy, stream).json_schema as { properties: Record<string, unknown> }).properties;
  for (const column of columns) delete properties[column];
  return copy;
}
