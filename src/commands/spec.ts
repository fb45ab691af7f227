import type { ConnectorSpecification } from '../protocol/generated/airbyte-protocol.js';
import type { MessageEmitter } from '../protocol/emitter.js';
import { specMessage } from '../protocol/messages.js';
import { readSchema } from '../schemas.js';

export async function specCommand(emitter: MessageEmitter): Promise<number> {
  await emitter.emit(specMessage(readSchema<ConnectorSpecification>('spec.json')));
  return 0;
}
