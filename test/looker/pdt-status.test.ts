import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readPdtBuildState } from '../../src/looker/pdt-status.js';

const text = (status: string, message?: string) => JSON.stringify({ status, runtime: null, message, task_slug: 'abc' });

test('queued and running builds are in progress', () => {
  for (const status of ['added', 'pending', 'running', 'RUNNING']) {
    assert.deepEqual(readPdtBuildState(text(status)), { phase: 'in_progress', status: status.toLowerCase() });
  }
  assert.deepEqual(readPdtBuildState(null), { phase: 'in_progress', status: 'added' });
  assert.deepEqual(readPdtBuildState(''), { phase: 'in_progress', status: 'added' });
});

test('complete', () => {
  assert.deepEqual(readPdtBuildState(text('complete', 'Materialize x, ')), { phase: 'complete' });
});

test('error, killed and unknown states are failures with the reason', () => {
  assert.deepEqual(readPdtBuildState(text('error', 'relation "oinv" does not exist')), { phase: 'failed', reason: 'the build failed: relation "oinv" does not exist' });
  assert.deepEqual(readPdtBuildState(text('killed')), { phase: 'failed', reason: 'the build was stopped in Looker' });
  assert.deepEqual(readPdtBuildState(text('unknown')), { phase: 'failed', reason: 'Looker reports build status "unknown"' });
  assert.deepEqual(readPdtBuildState('{"runtime":1}'), { phase: 'failed', reason: 'Looker reports build status "missing"' });
  const garbled = readPdtBuildState('<html>oops</html>');
  assert.equal(garbled.phase, 'failed');
  assert.match((garbled as { reason: string }).reason, /unreadable build status: <html>oops<\/html>/);
});
