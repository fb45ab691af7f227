/**
 * Reads and parses the company's $metadata once per command. It is a few megabytes and a few
 * seconds on a real server; a failure of that document alone is not fatal (the shipped schemas
 * still work), so it is reported as a warning that says why, and the caller goes on without it.
 * A failure that ends the run (a refused sign-in, an unreachable server) is thrown instead: it is
 * the message, and the shipped schemas would only hide it.
 */
import type { Logger, SecretRedactor } from '../logging.js';
import { asConnectorError, endsRun } from '../errors.js';
import { ServiceLayerClient } from '../service-layer/client.js';
import type { ConnectionConfig } from '../service-layer/settings.js';
import { parseEdmx, type EdmModel } from './edmx.js';

export async function fetchMetadata(client: ServiceLayerClient, logger: Logger, signal?: AbortSignal): Promise<EdmModel | undefined> {
  const started = performance.now();
  try {
    const xml = await client.getText('$metadata', { accept: 'application/xml', ...(signal ? { signal } : {}) });
    const downloaded = performance.now();
    const model = parseEdmx(xml);
    const parsed = performance.now();
    logger.info(
      `Read the Service Layer's $metadata (${(xml.length / 1024 / 1024).toFixed(1)} MB, ${model.entitySets.size} entity sets): download ${Math.round(downloaded - started)} ms, parse ${Math.round(parsed - downloaded)} ms.`,
    );
    return model;
  } catch (error) {
    if (signal?.aborted || endsRun(error)) throw error;
    logger.warn(
      `Could not read the Service Layer's $metadata, so user-defined fields and tables are not added and the shipped schemas are used: ${asConnectorError(error).message}`,
    );
    return undefined;
  }
}

/** For commands that need only the metadata: signs in, reads it, signs out. */
export async function readCompanyMetadata(config: ConnectionConfig, logger: Logger, secrets: SecretRedactor): Promise<EdmModel | undefined> {
  const client = new ServiceLayerClient({ config, logger, secrets });
  try {
    return await fetchMetadata(client, logger);
  } finally {
    await client.close();
  }
}
