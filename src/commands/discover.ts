/**
 * discover publishes one Airbyte stream per row of the stream table (and per configured entity
 * set), with the shipped column schemas merged with what the company's $metadata adds (streams/offered.ts).
 */
import type { AirbyteStream } from '../protocol/generated/airbyte-protocol.js';
import type { MessageEmitter } from '../protocol/emitter.js';
import { catalogMessage } from '../protocol/messages.js';
import { loadConfig } from '../config/load.js';
import type { Logger, SecretRedactor } from '../logging.js';
import { readCompanyMetadata } from '../metadata/fetch.js';
import { offeredStreams } from '../streams/offered.js';

export async function discoverCommand(configPath: string, emitter: MessageEmitter, secrets: SecretRedactor): Promise<number> {
  const logger: Logger = emitter.logger();
  const config = await loadConfig(configPath, secrets, logger);
  const model = await readCompanyMetadata(config, logger, secrets);
  const streams: AirbyteStream[] = [...offeredStreams(config, model, logger).values()].map((entry) => entry.stream);
  await emitter.emit(catalogMessage({ streams }));
  return 0;
}
