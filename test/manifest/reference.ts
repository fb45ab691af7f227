/**
 * The official declarative manifest schema from ../shared/reference, for the tests that validate
 * generated manifests. Absent folder: the tests skip and say why, unless REQUIRE_REFERENCE=1 (CI),
 * which makes them fail instead.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv, type ValidateFunction } from 'ajv';
import yaml from 'js-yaml';
import { referenceDir } from '../helpers/paths.js';

const SCHEMA = join(referenceDir, 'airbyte', 'declarative_component_schema.yaml');

/** The `skip` option of a test that needs the schema. */
export function skipWithoutSchema(): string | false {
  if (existsSync(SCHEMA) || process.env['REQUIRE_REFERENCE'] === '1') return false;
  return `${referenceDir} is absent (public reference material beside the repository), so the official manifest schema cannot be read`;
}

let validator: ValidateFunction | undefined;
let schemaDocument: Record<string, unknown> | undefined;

export function manifestSchema(): Record<string, unknown> {
  schemaDocument ??= yaml.load(readFileSync(SCHEMA, 'utf8')) as Record<string, unknown>;
  return schemaDocument;
}

export function manifestValidator(): ValidateFunction {
  if (validator) return validator;
  const schema = manifestSchema();
  // The schema annotates properties with keywords of its own (interpolation_context, linkable...).
  const ajv = new Ajv({ allErrors: true, strict: false });
  validator = ajv.compile(schema);
  return validator;
}
