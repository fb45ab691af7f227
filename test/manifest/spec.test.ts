/** The manifest's connection form: the image's settings, https only. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Ajv } from 'ajv';
import { connectionSpecification } from '../../src/config/spec-schema.js';
import { MANIFEST_SETTINGS, manifestSpec } from '../../src/manifest/spec.js';

const spec = manifestSpec() as unknown as { connection_specification: { properties: Record<string, unknown>; required: string[] } };
const validate = new Ajv({ strict: false }).compile(spec.connection_specification);
const credentials = { auth_type: 'session_login', company_db: 'SBODEMOUS', username: 'manager', password: 'x' };

test("the manifest's settings are the image's, with the image's defaults", () => {
  const image = connectionSpecification().properties as Record<string, { default?: unknown }>;
  assert.deepEqual(Object.keys(spec.connection_specification.properties), [...MANIFEST_SETTINGS]);
  for (const name of ['page_size', 'lookback_days', 'reread_window_days']) {
    assert.equal((spec.connection_specification.properties[name] as { default?: unknown }).default, image[name]!.default);
  }
  assert.deepEqual(spec.connection_specification.required, ['service_layer_url', 'credentials']);
});

test('the Service Layer URL must be https, as Airbyte Cloud requires', () => {
  assert.ok(validate({ service_layer_url: 'https://b1.example.com:50000/b1s/v2/', credentials }));
  assert.ok(validate({ service_layer_url: 'https://b1.example.com/b1s/v1', credentials }));
  assert.ok(!validate({ service_layer_url: 'http://b1.example.com:50000/b1s/v2/', credentials }));
});

test("the image's config file serves the manifest too", () => {
  assert.ok(validate({ service_layer_url: 'https://b1.example.com/b1s/v2/', credentials, tls: { mode: 'verify' }, max_retries: 3 }));
});
