/**
 * The official declarative manifest schema from ../shared/reference, for the tests that validate
 * generated manifests. They follow the reference rule of test/helpers/paths.ts: skipped with the
 * reason without the folder, a failure under REQUIRE_REFERENCE=1 (CI).
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import yaml from 'js-yaml';
import { reference, referencePath } from '../helpers/paths.js';

/** The `skip` option of a test that needs the schema. */
export function skipWithoutSchema(): string | false {
  return reference.skip;
}

let validator: ValidateFunction | undefined;
let schemaDocument: Record<string, unknown> | undefined;

export function manifestSchema(): Record<string, unknown> {
  schemaDocument ??= yaml.load(readFileSync(referencePath('airbyte', 'declarative_component_schema.yaml'), 'utf8')) as Record<string, unknown>;
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
