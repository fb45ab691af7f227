/**
 * The connector's configuration form, schemas/spec.json, as the config loader reads it: the JSON
 * Schema keywords it uses, and Airbyte's way of expressing alternatives (oneOf branches told apart
 * by a const discriminator such as auth_type or mode).
 */
import type { JsonSchemaFragment } from '../json-schema.js';
import { readSchema } from '../schemas.js';

/** A node of the config form: JSON Schema like the stream schemas, in the one type for both. */
export type SpecSchema = JsonSchemaFragment;

export function connectionSpecification(): SpecSchema {
  return readSchema<{ connectionSpecification: SpecSchema }>('spec.json').connectionSpecification;
}

/** The property whose const tells the branches of a oneOf apart (auth_type, mode). */
export function discriminatorOf(branches: SpecSchema[]): string | undefined {
  const first = branches[0]?.properties ?? {};
  return Object.keys(first).find((key) => branches.every((b) => b.properties?.[key]?.const !== undefined));
}

/** The branch of a oneOf property that a value chose through its discriminator, if any. */
export function chosenBranch(property: SpecSchema, value: Record<string, unknown>): SpecSchema | undefined {
  const branches = property.oneOf ?? [];
  const discriminator = discriminatorOf(branches);
  return discriminator === undefined ? undefined : branches.find((b) => b.properties?.[discriminator]?.const === value[discriminator]);
}
