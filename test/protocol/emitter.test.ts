import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { MessageEmitter } from '../../src/protocol/emitter.js';
import { logMessage, recordMessage } from '../../src/protocol/messages.js';
import { redactor } from '../../src/logging.js';

test('each message is one whole line, and a slow reader holds the writer back instead of filling memory', async () => {
  const chunks: string[] = [];
  let release: (() => void) | undefined;
  const slow = new Writable({
    highWaterMark: 256,
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      release = done;
    },
  });
  const emitter = new MessageEmitter(slow);
  const big = recordMessage('invoices', { comments: 'x'.repeat(1000) }, 1);
  let second = false;
  const first = emitter
    .emit(big)
    .then(() => emitter.emit(big))
    .then(() => (second = true));
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(second, false, 'the second write waits for the first to drain');
  while (!second) {
    release?.();
    await new Promise((resolve) => setImmediate(resolve));
  }
  await first;
  for (const chunk of chunks) assert.ok(chunk.endsWith('\n') && JSON.parse(chunk));
});

test('a reader that goes away stops the emitter without an unhandled error', async () => {
  const broken = new Writable({
    write(_chunk, _encoding, done) {
      done(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    },
  });
  broken.on('error', () => {});
  const emitter = new MessageEmitter(broken);
  await emitter.emit(recordMessage('invoices', { a: 1 }, 1));
  await emitter.emit(recordMessage('invoices', { a: 2 }, 1));
  emitter.logger().info('still fine');
  await new Promise((resolve) => setImmediate(resolve));
});

test('log messages are redacted before they are written', async () => {
  redactor.register('Top-Secret-Password-1');
  assert.equal(logMessage('INFO', 'login with Top-Secret-Password-1 failed').log?.message, 'login with ********** failed');
});
