/**
 * The protocol schema the build generates types from (schemas/protocol) is the official one in
 * ../shared/reference, byte for byte: tests on a clone without the reference folder validate
 * output against the vendored copy, so it must not drift.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { reference, referencePath, repoRoot } from '../helpers/paths.js';

test('schemas/protocol/airbyte_protocol.json is the reference protocol schema', { skip: reference.skip }, () => {
  const vendored = readFileSync(join(repoRoot, 'schemas', 'protocol', 'airbyte_protocol.json'));
  assert.ok(vendored.equals(readFileSync(referencePath('airbyte', 'airbyte_protocol.json'))));
});
