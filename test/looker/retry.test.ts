import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelayMs, defaultRetryPolicy, isRetryableStatus, parseRetryAfterMs } from '../../src/looker/retry.js';

test('Retry-After in seconds', () => {
  assert.equal(parseRetryAfterMs('7', null, 0), 7000);
  assert.equal(parseRetryAfterMs(' 0 ', null, 0), 0);
});

test('Retry-After as an HTTP-date counts from the server Date header, else from our clock', () => {
  const server = 'Wed, 15 Jan 2025 12:00:00 GMT';
  assert.equal(parseRetryAfterMs('Wed, 15 Jan 2025 12:00:30 GMT', server, Date.UTC(2025, 0, 15, 11, 0, 0)), 30_000);
  assert.equal(parseRetryAfterMs('Wed, 15 Jan 2025 12:00:30 GMT', null, Date.UTC(2025, 0, 15, 12, 0, 10)), 20_000);
  assert.equal(parseRetryAfterMs('Wed, 15 Jan 2025 11:59:00 GMT', server, 0), 0, 'a date in the past means now');
});

test('a missing or unreadable Retry-After is ignored', () => {
  assert.equal(parseRetryAfterMs(null, null, 0), undefined);
  assert.equal(parseRetryAfterMs('soon', null, 0), undefined);
  assert.equal(parseRetryAfterMs('-5', null, 0), undefined);
});

test('which answers are repeated', () => {
  for (const status of [429, 503]) {
    assert.equal(isRetryableStatus(status, true), true);
    assert.equal(isRetryableStatus(status, false), true, `${status} means the work was not done`);
  }
  for (const status of [500, 502, 504]) {
    assert.equal(isRetryableStatus(status, true), true);
    assert.equal(isRetryableStatus(status, false), false, `${status} may come after the work was done`);
  }
  for (const status of [400, 401, 403, 404, 409, 422]) assert.equal(isRetryableStatus(status, true), false);
});

test('backoff doubles and is capped', () => {
  const delays = [1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelayMs(defaultRetryPolicy, n));
  assert.deepEqual(delays, [1000, 2000, 4000, 8000, 16000, 30000, 30000]);
});
