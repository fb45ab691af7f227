/**
 * How long to wait and when to stop (src/http/retry.ts): backoff with full jitter under an injected
 * random, both forms of Retry-After, and the limits of a retry policy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffDelayMs, exhaustedLimit, parseRetryAfter, type RetryPolicy } from '../../src/http/retry.js';

test('without Retry-After, waits grow exponentially with full jitter', () => {
  assert.equal(backoffDelayMs(1, () => 0.5), 500);
  assert.equal(backoffDelayMs(2, () => 0.5), 1_000);
  assert.equal(backoffDelayMs(4, () => 0.5), 4_000);
  assert.equal(backoffDelayMs(20, () => 0.999), 59_940);
  assert.equal(backoffDelayMs(3, () => 0), 0);
});

test('the jitter keeps every wait within [0, ceiling), the ceiling doubling from 1 s and capped at 60 s', () => {
  const ceilings = [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000];
  ceilings.forEach((ceiling, index) => {
    const retry = index + 1;
    assert.equal(backoffDelayMs(retry, () => 0), 0, `retry ${retry}, lowest`);
    const highest = backoffDelayMs(retry, () => 1 - Number.EPSILON);
    assert.ok(highest < ceiling && highest >= ceiling - 1, `retry ${retry}: ${highest} against ${ceiling}`);
    for (const random of [0.1, 0.37, 0.5, 0.93]) assert.equal(backoffDelayMs(retry, () => random), Math.floor(random * ceiling));
  });
});

test('Retry-After in seconds', () => {
  assert.equal(parseRetryAfter('120', undefined, 0), 120_000);
  assert.equal(parseRetryAfter('7', undefined, 0), 7_000);
  assert.equal(parseRetryAfter(' 0 ', undefined, 0), 0);
});

test('Retry-After as an HTTP-date counts from the server’s Date header, else from our clock; a date in the past means now', () => {
  assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', undefined, Date.UTC(2015, 9, 21, 7, 27, 0)), 60_000);
  assert.equal(parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', undefined, Date.UTC(2016, 0, 1)), 0);
  const server = 'Wed, 15 Jan 2025 12:00:00 GMT';
  assert.equal(parseRetryAfter('Wed, 15 Jan 2025 12:00:30 GMT', server, Date.UTC(2025, 0, 15, 11, 0, 0)), 30_000);
  assert.equal(parseRetryAfter('Wed, 15 Jan 2025 12:00:30 GMT', undefined, Date.UTC(2025, 0, 15, 12, 0, 10)), 20_000);
  assert.equal(parseRetryAfter('Wed, 15 Jan 2025 11:59:00 GMT', server, 0), 0);
  // An unreadable Date header is no clock: ours counts.
  assert.equal(parseRetryAfter('Wed, 15 Jan 2025 12:00:30 GMT', 'yesterday', Date.UTC(2025, 0, 15, 12, 0, 0)), 30_000);
});

test('a missing or unreadable Retry-After is ignored', () => {
  for (const value of [undefined, 'soon', '1.5', '-3', '-5', '']) assert.equal(parseRetryAfter(value, undefined, 0), undefined, String(value));
});

test('a policy stops at its retry count, at its time limit, or before a Retry-After beyond that limit, and names the limit', () => {
  const configured: RetryPolicy = { maxRetries: 3, maxRetryMs: 100_000, settings: { maxRetries: 'max_retries', maxRetryTime: 'max_retry_seconds' } };
  assert.equal(exhaustedLimit(configured, 2, 10_000, 1_000, undefined), undefined);
  assert.equal(exhaustedLimit(configured, 3, 10_000, 1_000, undefined), 'max_retries is 3');
  assert.equal(exhaustedLimit(configured, 1, 99_500, 1_000, undefined), 'max_retry_seconds is 100');
  assert.equal(exhaustedLimit(configured, 1, 80_000, 40_000, 40_000), 'the server asks to wait 40 s, beyond what max_retry_seconds allows');
  // Exactly at the limit is still within it.
  assert.equal(exhaustedLimit(configured, 1, 60_000, 40_000, 40_000), undefined);

  const fixed: RetryPolicy = { maxRetries: 4, maxRetryMs: 300_000 };
  assert.equal(exhaustedLimit(fixed, 4, 0, 1_000, undefined), 'at most 4 retries');
  assert.equal(exhaustedLimit({ maxRetries: 1, maxRetryMs: 300_000 }, 1, 0, 1_000, undefined), 'at most 1 retry');
  assert.equal(exhaustedLimit(fixed, 0, 0, 3_600_000, 3_600_000), 'the server asks to wait 3600 s, beyond what the retry time limit allows');
  assert.equal(exhaustedLimit(fixed, 2, 299_000, 2_000, undefined), 'the retry time limit is 5 min');
});
