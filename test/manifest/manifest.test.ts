/**
 * The generated manifest as a whole, from the shipped stream table without a company's $metadata:
 * valid against Airbyte's official schema, every component typed, the same streams, keys, cursors
 * and columns as discover offers, the minimum engine version stated.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import yaml from 'js-yaml';
import { parseConfig } from '../../src/config/load.js';
import { SecretRedactor } from '../../src/logging.js';
import { offeredStreams } from '../../src/streams/offered.js';
import { configuredEntries } from '../../src/commands/generate-manifest.js';
import { generateManifest, MINIMUM_ENGINE_VERSION } from '../../src/manifest/document.js';
import { manifestYaml } from '../../src/manifest/yaml.js';
import type { Logger } from '../../src/logging.js';
import { interpolateOption } from '../helpers/declarative/interpolation.js';
import { resolveReferences } from '../helpers/declarative/references.js';
import { definitionsByType, unknownProperties, untypedComponents } from './components.js';
import { manifestSchema, manifestValidator, skipWithoutSchema } from './reference.js';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };
const config = parseConfig({
  service_layer_url: 'https://b1.example.com:50000/b1s/v2/',
  credentials: { auth_type: 'session_login', company_db: 'SBODEMOUS', username: 'manager', password: '1234' },
  custom_entity_sets: [{ entity_set: 'U_FD_PROMOS', primary_key: 'Code' }],
}, new SecretRedactor());
const offered = offeredStreams(config, undefined, quiet);
const entries = [...offered.values()];
const written = manifestYaml(generateManifest(entries).document);
const manifest = yaml.load(written) as Record<string, unknown>;
const resolved = resolveReferences(manifest);
type Stream = { name: string; primary_key: string | string[]; incremental_sync?: { cursor_field: string }; schema_loader: { schema: { properties: Record<string, unknown> } } };
const streams = resolved['streams'] as Stream[];

describe('the generated manifest', () => {
  test('validates against the official declarative component schema, $refs resolved', { skip: skipWithoutSchema() }, () => {
    const validate = manifestValidator();
    const valid = validate(resolved);
    assert.ok(valid, JSON.stringify(validate.errors?.slice(0, 5), null, 2));
  });

  test('uses only options the schema defines for each component', { skip: skipWithoutSchema() }, () => {
    const byType = definitionsByType(manifestSchema() as { definitions: Record<string, object> });
    assert.deepEqual(unknownProperties(resolved, byType), []);
  });

  test('the YAML round-trips to the same document', () => {
    assert.deepEqual(yaml.load(manifestYaml(manifest)), manifest);
  });

  test('every component names its type, as Connector Builder writes it', () => {
    assert.deepEqual(untypedComponents(manifest), []);
  });

  test('states the minimum engine version its features need', () => {
    assert.equal(manifest['version'], MINIMUM_ENGINE_VERSION);
    assert.match(MINIMUM_ENGINE_VERSION, /^\d+\.\d+\.\d+$/);
    const [major, minor] = MINIMUM_ENGINE_VERSION.split('.').map(Number);
    // SessionTokenAuthenticator's api_token template needs 7.7.0 at least.
    assert.ok(major! > 7 || (major === 7 && minor! >= 7));
  });

  test('has the streams discover offers, in the same order, with the same primary keys', () => {
    assert.deepEqual(
      streams.map((s) => s.name),
      entries.map((e) => e.stream.name),
    );
    for (const entry of entries) {
      const stream = streams.find((s) => s.name === entry.stream.name)!;
      // The engine reads a string as one key field and a list of strings as a composite key.
      const key = typeof stream.primary_key === 'string' ? [[stream.primary_key]] : stream.primary_key.map((field) => [field]);
      assert.deepEqual(key, entry.stream.source_defined_primary_key, entry.stream.name);
    }
  });

  test('declares the cursor discover declares, and no cursor where discover offers full refresh only', () => {
    for (const entry of entries) {
      const stream = streams.find((s) => s.name === entry.stream.name)!;
      if (entry.stream.supported_sync_modes.includes('incremental')) assert.deepEqual([stream.incremental_sync?.cursor_field], entry.stream.default_cursor_field, entry.stream.name);
      else assert.equal(stream.incremental_sync, undefined, entry.stream.name);
    }
  });

  test("has discover's columns, with discover's schemas", () => {
    for (const entry of entries) {
      const stream = streams.find((s) => s.name === entry.stream.name)!;
      assert.deepEqual(stream.schema_loader.schema, entry.stream.json_schema, entry.stream.name);
    }
  });

  test('maps each column explicitly, and never by a key-case rule', () => {
    assert.doesNotMatch(written, /KeysToSnakeCase|KeysToLower|FlattenFields:/);
    for (const stream of resolved['streams'] as Record<string, unknown>[]) {
      const [addFields] = stream['transformations'] as { fields: { path: string[] }[] }[];
      const mapped = addFields!.fields.map((field) => field.path[1]);
      const columns = Object.keys((stream as unknown as Stream).schema_loader.schema.properties);
      // Every column is written by its own field.
      assert.deepEqual(mapped.sort(), columns.sort(), String(stream['name']));
    }
  });

  test('a configured catalog keeps its streams and selected columns, and always the keys', () => {
    const invoices = offered.get('invoices')!.stream;
    const catalog = {
      streams: [
        {
          stream: { ...invoices, json_schema: { type: 'object', properties: { doc_total: {}, updated_at: {} } } },
          sync_mode: 'incremental' as const,
          destination_sync_mode: 'append_dedup' as const,
        },
      ],
    };
    const chosen = configuredEntries(offered, catalog as never, quiet);
    assert.deepEqual(
      chosen.map((e) => Object.keys((e.stream.json_schema as { properties: object }).properties)),
      [['doc_entry', 'doc_total', 'updated_at']],
    );
    const document = generateManifest(chosen).document as { streams: { retriever: { requester: { request_parameters: Record<string, string> } } }[] };
    const select = document.streams[0]!.retriever.requester.request_parameters['$select']!;
    assert.equal(interpolateOption(select, { config, next_page_token: null }), 'DocEntry,UpdateDate,UpdateTime,DocTotal');
  });
});
