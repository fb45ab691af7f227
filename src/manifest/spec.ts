/**
 * The manifest's connection form: the settings of schemas/spec.json that the manifest uses, with
 * the same names, so that one config file serves the image and the manifest. The Service Layer
 * URL must be https: Airbyte Cloud refuses plain http and private addresses.
 */
import { connectionSpecification } from '../config/spec-schema.js';
import { readSchema } from '../schemas.js';
import type { Component } from './components.js';

/** The spec settings the manifest reads; the rest (TLS, retries, replay, Looker) have no manifest counterpart. */
export const MANIFEST_SETTINGS = ['service_layer_url', 'credentials', 'start_date', 'page_size', 'lookback_days', 'reread_window_days'] as const;

export type ManifestSetting = (typeof MANIFEST_SETTINGS)[number];

type SpecProperty = { default?: unknown; pattern?: string; description?: string; [key: string]: unknown };

function specProperties(): Record<string, SpecProperty> {
  return connectionSpecification().properties as Record<string, SpecProperty>;
}

/** The spec's default for a setting, so that the manifest and the image fall back to the same value. */
export function specDefault(name: ManifestSetting): number {
  const value = specProperties()[name]?.default;
  if (typeof value !== 'number') throw new Error(`schemas/spec.json has no numeric default for ${name}`);
  return value;
}

export function manifestSpec(): Component {
  const documentationUrl = readSchema<{ documentationUrl: string }>('spec.json').documentationUrl;
  const all = specProperties();
  const properties: Record<string, SpecProperty> = {};
  for (const name of MANIFEST_SETTINGS) properties[name] = structuredClone(all[name]!);
  const url = properties['service_layer_url']!;
  url.pattern = String(url.pattern).replace('^https?://', '^https://');
  url.description = `${url.description} Airbyte Cloud reaches only https URLs on public addresses with a publicly trusted certificate.`;
  const required = (connectionSpecification().required as string[]).filter((name) => (MANIFEST_SETTINGS as readonly string[]).includes(name));
  return {
    type: 'Spec',
    documentation_url: documentationUrl,
    connection_specification: {
      $schema: 'http://json-schema.org/draft-07/schema#',
      title: 'SAP Business One Source Spec (declarative manifest)',
      type: 'object',
      required,
      // The image's other settings may stay in a shared config file; the manifest ignores them.
      additionalProperties: true,
      properties,
    },
  };
}
