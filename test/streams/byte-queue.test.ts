/**
 * The byte queue against a plain copy of everything appended: whatever is released, compacted or
 * grown, the bytes still held read back as they were appended, at the positions they were given.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ByteQueue } from '../../src/streams/byte-queue.js';

test('held bytes read back at their positions through compaction and growth', () => {
  const queue = new ByteQueue(64);
  const all: number[] = [];
  let released = 0;
  let seed = 7;
  const random = (below: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % below;
  };
  for (let round = 0; round < 2000; round++) {
    const piece = Buffer.from(Array.from({ length: 1 + random(90) }, () => random(256)));
    queue.append(piece);
    all.push(...piece);
    assert.equal(queue.end, all.length);
    // Sometimes keep much more than the buffer started with, so that it has to grow.
    if (random(3) > 0 || all.length - released > 2000) released += random(all.length - released + 1);
    queue.release(released);
    const start = released + random(all.length - released + 1);
    const end = start + random(all.length - start + 1);
    assert.deepEqual([...queue.bytes(start, end)], all.slice(start, end), `round ${round}: ${start}-${end}`);
  }
});

test('released bytes and bytes not yet appended are refused, not read stale', () => {
  const queue = new ByteQueue(8);
  queue.append(Buffer.from('abcdefgh'));
  queue.release(4);
  assert.equal(queue.bytes(4, 8).toString(), 'efgh');
  assert.throws(() => queue.bytes(2, 6), RangeError);
  assert.throws(() => queue.bytes(6, 9), RangeError);
  queue.append(Buffer.from('ijkl'));
  assert.equal(queue.bytes(4, 12).toString(), 'efghijkl');
});

test('the buffer grows for a record of many megabytes and shrinks back once it has passed', () => {
  const queue = new ByteQueue(1024);
  const huge = Buffer.alloc(64 * 1024, 0x61);
  queue.append(huge);
  assert.ok(queue.capacity >= huge.length, `capacity ${queue.capacity}`);
  const grown = queue.capacity;
  queue.release(queue.end);
  // Ordinary pieces, each released soon after: the buffer is used up once, then made small again.
  for (let piece = 0; piece < 200; piece++) {
    queue.append(Buffer.alloc(512, 0x62));
    queue.release(queue.end - 256);
  }
  assert.ok(queue.capacity < grown / 4, `capacity ${queue.capacity} after growing to ${grown}`);
  assert.equal(queue.bytes(queue.end - 256, queue.end).toString(), 'b'.repeat(256));
});

test('a record larger than the queue usually holds grows the buffer in place, which is given back once it has passed', () => {
  const queue = new ByteQueue(1024, 64 * 1024);
  const piece = (index: number, bytes: number): Buffer => Buffer.alloc(bytes, index % 251);
  // What came before is released; a record of 12 MB arrives in pieces of 64 KiB, its first pieces released on the way.
  queue.append(piece(0, 1000));
  queue.release(1000);
  const start = queue.end;
  const pieces = 192;
  for (let index = 0; index < pieces; index++) {
    queue.append(piece(index, 64 * 1024));
    if (index === 160) queue.release(start + 16 * 64 * 1024);
  }
  assert.ok(queue.growsInPlace);
  for (let index = 16; index < pieces; index += 7) {
    assert.deepEqual(queue.bytes(start + index * 64 * 1024, start + (index + 1) * 64 * 1024), piece(index, 64 * 1024), `piece ${index}`);
  }
  // Once it has passed, ordinary pieces: the buffer is an ordinary one again, small.
  queue.release(queue.end);
  const from = queue.end;
  for (let index = 0; index < 400; index++) {
    queue.append(piece(index, 32 * 1024));
    queue.release(queue.end - 32 * 1024);
  }
  assert.ok(!queue.growsInPlace);
  assert.ok(queue.capacity < 4 * 1024 * 1024, `capacity ${queue.capacity}`);
  assert.deepEqual(queue.bytes(queue.end - 32 * 1024, queue.end), piece(399, 32 * 1024));
  assert.ok(queue.end - from === 400 * 32 * 1024);
});
