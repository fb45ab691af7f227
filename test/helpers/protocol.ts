/**
 * Validation of connector output against the official Airbyte protocol schema in
 * ../shared/reference, and a scan for secrets. Every test that runs the connector passes its whole
 * output through here. On a clone without the reference folder the vendored copy stands in for it
 * (test/protocol/vendored-schema.test.ts keeps the two byte-identical where both exist).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import { addFormats } from '../../src/config/ajv.js';
import { reference, referencePath, repoRoot } from './paths.js';

let validator: ValidateFunction | undefined;

export function airbyteMessageValidator(): ValidateFunction {
  if (validator) return validator;
  const path = reference.skip === false ? referencePath('airbyte', 'airbyte_protocol.json') : join(repoRoot, 'schemas', 'protocol', 'airbyte_protocol.json');
  const schema = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addSchema({ ...schema, $id: 'airbyte_protocol.json' });
  validator = ajv.compile({ $ref: 'airbyte_protocol.json#/definitions/AirbyteMessage' });
  return validator;
}

export interface AirbyteMessageLike {
  type: string;
  [key: string]: unknown;
}

/** Parses stdout into messages; throws on any line that is not a valid Airbyte message. */
export function parseAirbyteOutput(stdout: string): AirbyteMessageLike[] {
  const validate = airbyteMessageValidator();
  const lines = stdout.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line, index) => {
    let message: unknown;
    try {
      message = JSON.parse(line);
    } catch {
      throw new Error(`stdout line ${index + 1} is not JSON: ${line.slice(0, 200)}`);
    }
    if (!validate(message)) {
      throw new Error(
        `stdout line ${index + 1} is not a valid Airbyte message: ${JSON.stringify(validate.errors?.slice(0, 3))}\n${line.slice(0, 300)}`,
      );
    }
    return message as AirbyteMessageLike;
  });
}

/** Throws when any secret appears anywhere in the given text. */
export function assertNoSecrets(text: string, secrets: (string | undefined)[], where: string): void {
  for (const secret of secrets) {
    if (secret && text.includes(secret)) throw new Error(`A secret appeared in ${where}.`);
  }
}
