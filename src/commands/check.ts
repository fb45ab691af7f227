/**
 * check answers one question with exactly one CONNECTION_STATUS: can this config read the
 * company's books? It signs in, then reads one key from every entity set the connector would
 * read, so that a missing permission shows up now rather than in the middle of a sync.
 */
import { asConnectorError } from '../errors.js';
import type { MessageEmitter } from '../protocol/emitter.js';
import { connectionStatusMessage } from '../protocol/messages.js';
import { loadConfig } from '../config/load.js';
import { ServiceLayerClient } from '../service-layer/client.js';
import { buildQuery } from '../service-layer/odata.js';
import { streamDefinitions } from '../streams/custom.js';

export async function checkCommand(configPath: string, emitter: MessageEmitter): Promise<number> {
  const logger = emitter.logger();
  let client: ServiceLayerClient | undefined;
  try {
    const config = await loadConfig(configPath, logger);
    // check answers a person waiting at a form: a host that does not answer should say so within
    // seconds, not after the long retry budget a scheduled sync deserves.
    client = new ServiceLayerClient({
      config: { ...config, max_retries: Math.min(config.max_retries, 2), max_retry_seconds: Math.min(config.max_retry_seconds, 20) },
      logger,
    });
    await client.connect();
    const unreadable: string[] = [];
    for (const definition of streamDefinitions(config)) {
      const query = buildQuery({ select: [definition.key], top: 1 }, client.dialect);
      try {
        await client.getJson(`${definition.entitySet}?${query}`);
      } catch (error) {
        unreadable.push(`${definition.entitySet} (${asConnectorError(error).message})`);
      }
    }
    if (unreadable.length > 0) {
      await emitter.emit(
        connectionStatusMessage(
          'FAILED',
          `Signed in, but these entity sets cannot be read; grant the user read access to them (or remove them from custom_entity_sets): ${unreadable.join('; ')}`,
        ),
      );
    } else {
      await emitter.emit(connectionStatusMessage('SUCCEEDED'));
    }
  } catch (error) {
    await emitter.emit(connectionStatusMessage('FAILED', asConnectorError(error).message));
  } finally {
    await client?.close();
  }
  return 0;
}
