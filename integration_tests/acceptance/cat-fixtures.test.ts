/**
 * The committed files for Airbyte's acceptance suite (configured catalog, states, expected records,
 * acceptance-test-config.yml) are what the connector makes today from the documented simulator
 * company: regenerate them with integration_tests/refresh-fixtures.ts when this fails.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load as loadYaml } from 'js-yaml';
import { repoRoot } from '../../test/helpers/paths.js';
import { makeCatFixtures, type CatFixtures } from '../cat-fixtures.js';

const committed = (name: string): string => readFileSync(join(repoRoot, 'integration_tests', name), 'utf8');

test('the acceptance-suite fixtures are in step with the connector (integration_tests/refresh-fixtures.ts)', async () => {
  // Any free port: the expected records name the documented one, as the fixtures do.
  const fresh = await makeCatFixtures(0);
  for (const name of Object.keys(fresh) as (keyof CatFixtures)[]) {
    assert.equal(committed(name), fresh[name], `integration_tests/${name} is stale; run integration_tests/refresh-fixtures.ts`);
  }
});

test('acceptance-test-config.yml asks for high strictness with expected records, and needs no field excused', () => {
  const config = loadYaml(committed('acceptance-test-config.yml')) as {
    test_strictness_level: string;
    acceptance_tests: Record<string, { tests: Record<string, unknown>[] }>;
  };
  assert.equal(config.test_strictness_level, 'high');
  assert.deepEqual(Object.keys(config.acceptance_tests).sort(), ['basic_read', 'connection', 'discovery', 'full_refresh', 'incremental', 'spec']);
  const basicRead = config.acceptance_tests.basic_read!.tests[0]!;
  assert.equal((basicRead.expect_records as { path: string }).path, 'integration_tests/expected_records.jsonl');
  assert.equal(basicRead.configured_catalog_path, undefined, 'high strictness reads the discovered catalog');
  assert.equal(config.acceptance_tests.full_refresh!.tests[0]!.ignored_fields, undefined);
  const lines = committed('expected_records.jsonl').trim().split('\n').map((line) => JSON.parse(line) as { stream: string; data: object; emitted_at: number });
  assert.ok(lines.every((line) => typeof line.stream === 'string' && typeof line.data === 'object' && Number.isInteger(line.emitted_at)));
  const future = JSON.parse(committed('abnormal_state.json')) as { stream: { stream_descriptor: { name: string } } }[];
  const catalog = JSON.parse(committed('configured_catalog.json')) as { streams: { stream: { name: string; supported_sync_modes: string[] } }[] };
  assert.deepEqual(
    future.map((state) => state.stream.stream_descriptor.name).sort(),
    catalog.streams.filter((s) => s.stream.supported_sync_modes.includes('incremental')).map((s) => s.stream.name).sort(),
    'high strictness wants a future state for every incremental stream',
  );
});
