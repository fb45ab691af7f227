/**
 * Record hashes come from the bytes the Service Layer sent, never from serialising the parsed JSON
 * again: checked against SHA-256 of the very substrings of a body in the Service Layer's layout.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { CollectionScanner } from '../../src/service-layer/collection-scanner.js';
import { EntityHashes } from '../../src/streams/records.js';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

test("a line's hash and its batch allocations' hashes are the SHA-256 of their bytes as sent", () => {
  const batch = '{ "BatchNumber" : "B1" , "Quantity" : 2.0 }';
  const line = `{ "LineNum" : 0, "BatchNumbers" : [ ${batch} ] }`;
  const body = Buffer.from(`{ "value" : [ { "DocEntry" : 1, "DocumentLines" : [ ${line}, { "LineNum" : 1 } ] } ] }`);
  const scanner = new CollectionScanner();
  const [record] = scanner.write(body);
  scanner.end();
  const hashes = new EntityHashes(body.subarray(record!.start, record!.end), record!.collections);

  assert.equal(hashes.row('DocumentLines', 0), sha256(line));
  assert.equal(hashes.row('DocumentLines', 1), sha256('{ "LineNum" : 1 }'));
  assert.equal(hashes.nestedRow('DocumentLines', 0, 'BatchNumbers', 0), sha256(batch));
  // Serialising the parsed allocation again would give another text, and another hash.
  assert.notEqual(hashes.nestedRow('DocumentLines', 0, 'BatchNumbers', 0), sha256(JSON.stringify(JSON.parse(batch))));
  assert.equal(hashes.nestedRow('DocumentLines', 1, 'BatchNumbers', 0), undefined);
});
