/**
 * Reads a connector's stdout as Airbyte messages and validates each against the official protocol
 * schema (../shared/reference/airbyte/airbyte_protocol.json, not our vendored copy: the point is
 * to catch drift between the two).
 */
import { existsSync, readFileSync } from 'node:fs';
import type { ValidateFunction } from 'ajv';
import { createAjv } from '../../src/config/ajv.js';
import { repoPath } from './repo-files.js';

export const officialProtocolSchemaPath = repoPath('..', 'shared', 'reference', 'airbyte', 'airbyte_protocol.json');

export interface AirbyteMessageLike {
  type: string;
  [key: string]: unknown;
}

let validateMessage: ValidateFunction | undefined;

function messageValidator(): ValidateFunction {
  if (validateMessage) return validateMessage;
  if (!existsSync(officialProtocolSchemaPath)) {
    throw new Error(
      `The official Airbyte protocol schema is missing at ${officialProtocolSchemaPath}; ` +
        'the image tests validate every message against it.',
    );
  }
  const protocol = JSON.parse(readFileSync(officialProtocolSchemaPath, 'utf8')) as Record<string, unknown>;
  const ajv = createAjv();
  ajv.addSchema({ ...protocol, $id: 'airbyte-protocol' });
  validateMessage = ajv.compile({ $ref: 'airbyte-protocol#/definitions/AirbyteMessage' });
  return validateMessage;
}

/**
 * Splits stdout into messages. Every line must be a whole JSON object that validates: a partial
 * line (e.g. cut by a kill) or anything else on stdout fails with the line number and text.
 */
export function parseMessages(stdout: string): AirbyteMessageLike[] {
  const validate = messageValidator();
  const lines = stdout.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line, index) => {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      throw new Error(`stdout line ${index + 1} is not JSON: ${line.slice(0, 300)}`);
    }
    // Validation must not fill in defaults: it checks what the connector printed.
    const copy = structuredClone(message);
    if (!validate(copy)) {
      const errors = JSON.stringify(validate.errors?.slice(0, 3));
      throw new Error(`stdout line ${index + 1} is not a valid AirbyteMessage: ${errors}\n${line.slice(0, 300)}`);
    }
    return message as AirbyteMessageLike;
  });
}

export function messagesOfType<T = Record<string, unknown>>(messages: AirbyteMessageLike[], type: string, field: string): T[] {
  return messages.filter((m) => m.type === type).map((m) => m[field] as T);
}

/** Record counts per stream, the figure the image and the host entrypoint must agree on. */
export function recordCountsByStream(messages: AirbyteMessageLike[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const record of messagesOfType<{ stream: string }>(messages, 'RECORD', 'record')) {
    counts[record.stream] = (counts[record.stream] ?? 0) + 1;
  }
  return counts;
}
