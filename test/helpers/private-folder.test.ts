import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { privateFolder } from './private-folder.js';

test('files with secrets are readable by this user only, and gone after remove()', () => {
  const folder = privateFolder('sap-b1-private-test-');
  const file = folder.writeJson('config.json', { password: 'not-for-others' });
  assert.equal(statSync(folder.path).mode & 0o777, 0o700);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.deepEqual(JSON.parse(readFileSync(file, 'utf8')), { password: 'not-for-others' });
  folder.remove();
  assert.ok(!existsSync(folder.path));
});
