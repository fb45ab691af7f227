import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { MessageEmitter } from '../../src/protocol/emitter.js';
import { connectionStatusMessage, errorTraceMessage, logMessage, recordMessage } from '../../src/protocol/messages.js';
import { SecretRedactor } from '../../src/logging.js';
import { configError } from '../../src/errors.js';

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

/** An emitter with its own redactor, and the lines it wrote. */
function collectingEmitter(secrets: SecretRedactor): { emitter: MessageEmitter; lines: string[] } {
  const lines: string[] = [];
  const out = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { emitter: new MessageEmitter(out, secrets), lines };
}

test('log messages are redacted before they are written', async () => {
  const secrets = new SecretRedactor();
  secrets.register('Top-Secret-Password-1');
  const { emitter, lines } = collectingEmitter(secrets);
  await emitter.emit(logMessage('INFO', 'login with Top-Secret-Password-1 failed'));
  emitter.logger().warn('again Top-Secret-Password-1');
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(
    lines.map((line) => (JSON.parse(line) as { log: { message: string } }).log.message),
    ['login with ********** failed', 'again **********'],
  );
});

test('error traces and check answers are redacted; records are the company data and are written as they are', async () => {
  const secrets = new SecretRedactor();
  secrets.register('s3cr3t');
  const { emitter, lines } = collectingEmitter(secrets);
  const failure = configError('refused s3cr3t', { internalMessage: 'detail s3cr3t' });
  await emitter.emit(errorTraceMessage(failure));
  await emitter.emit(connectionStatusMessage('FAILED', 'no s3cr3t here'));
  await emitter.emit(recordMessage('business_partners', { CardName: 's3cr3t' }, 1));
  assert.ok(!lines[0]!.includes('s3cr3t'), lines[0]);
  assert.ok(!lines[1]!.includes('s3cr3t'), lines[1]);
  assert.match(lines[2]!, /"CardName":"s3cr3t"/);
});

test('each run has its own redactor: what one run learnt does not reach another run in the same process', async () => {
  const first = new SecretRedactor();
  first.register('first-run-password');
  const second = collectingEmitter(new SecretRedactor());
  await second.emitter.emit(logMessage('INFO', 'first-run-password is a word here'));
  assert.equal((JSON.parse(second.lines[0]!) as { log: { message: string } }).log.message, 'first-run-password is a word here');
  assert.equal(first.redact('first-run-password'), '**********');
});
