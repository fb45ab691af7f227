/**
 * Validates records against the json_schema their stream declared, with Airbyte's reading of the
 * formats: a time or timestamp "without timezone" carries no offset, which the strict RFC 3339
 * formats of ajv-formats would reject.
 */
import { Ajv, type ValidateFunction } from 'ajv';
import { addFormats } from '../../src/config/ajv.js';

export function recordValidators(streams: { name: string; json_schema: object }[]): Map<string, ValidateFunction> {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  ajv.addFormat('time', /^([01]\d|2[0-3]):[0-5]\d:[0-5]\d(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/);
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/);
  ajv.addVocabulary(['airbyte_type', 'x-b1-property', 'airbyte_secret', 'order']);
  return new Map(streams.map((stream) => [stream.name, ajv.compile(stream.json_schema)]));
}
