/**
 * The JSON text of a record as the engine parses it, written from the bytes the Service Layer sent
 * for it: its rows without the properties no stream reads (ScannedCollection.kept), and without
 * the rows of the collections a large record has parsed apart. Everything is cut at bytes of
 * structure (json-bytes.ts), so the text decodes as sent.
 */
import type { ScannedCollection } from '../service-layer/collection-scanner.js';
import { CLOSE_ARRAY, CLOSE_OBJECT, COMMA, OPEN_ARRAY, OPEN_OBJECT, isWhitespace } from '../service-layer/json-bytes.js';

/** The record's text: with its rows' properties to keep, and the rows of the `apart` collections left out (their arrays empty). */
export function recordText(bytes: Buffer, collections: readonly ScannedCollection[], apart: ReadonlySet<ScannedCollection>): string {
  let most = bytes.length;
  for (const { rows } of apart) most -= rows.at(-1)![1] - rows[0]![0];
  const out = new TextBuilder(most);
  let from = 0;
  // The scanner gives the collections in the order they come in the record.
  for (const collection of collections) {
    const { rows, kept } = collection;
    if (apart.has(collection)) {
      out.copy(bytes, from, rows[0]![0]);
      from = rows.at(-1)![1];
    } else if (kept) {
      rows.forEach(([start, end], index) => {
        const runs = kept[index];
        if (runs === undefined) return;
        out.copy(bytes, from, start);
        out.row(bytes, runs);
        from = end;
      });
    }
  }
  out.copy(bytes, from, bytes.length);
  return out.text();
}

/** Whether a record's text differs from its bytes: some of its rows leave properties out. */
export function leavesOut(collections: readonly ScannedCollection[]): boolean {
  return collections.some((collection) => collection.kept !== undefined);
}

/** A JSON array of the collection's rows [from, to), each with its properties to keep. */
export function rowsText(bytes: Buffer, collection: ScannedCollection, from: number, to: number): string {
  const { rows, kept } = collection;
  const out = new TextBuilder(rows[to - 1]![1] - rows[from]![0] + 2);
  out.byte(OPEN_ARRAY);
  for (let index = from; index < to; index++) {
    if (index > from) out.byte(COMMA);
    const runs = kept?.[index];
    if (runs === undefined) out.copy(bytes, rows[index]![0], rows[index]![1]);
    else out.row(bytes, runs);
  }
  out.byte(CLOSE_ARRAY);
  return out.text();
}

/** Below this many bytes a loop copies faster than Buffer.copy, a call into native code. */
const NATIVE_COPY_BYTES = 64;

/** What the texts of a read are written in: reused while it is small, so that most records allocate nothing but their text. */
const REUSED_BYTES = 1024 * 1024;
let reused = Buffer.allocUnsafe(64 * 1024);

class TextBuilder {
  private readonly buffer: Buffer;
  private length = 0;

  /** `most`: as many bytes as the text can have. */
  constructor(most: number) {
    if (most > reused.length && most <= REUSED_BYTES) reused = Buffer.allocUnsafe(Math.min(REUSED_BYTES, Math.max(most, reused.length * 2)));
    this.buffer = most <= reused.length ? reused : Buffer.allocUnsafe(most);
  }

  byte(value: number): void {
    this.buffer[this.length++] = value;
  }

  copy(bytes: Buffer, from: number, to: number): void {
    const buffer = this.buffer;
    if (to - from >= NATIVE_COPY_BYTES) {
      this.length += bytes.copy(buffer, this.length, from, to);
      return;
    }
    let length = this.length;
    for (let at = from; at < to; at++) buffer[length++] = bytes[at]!;
    this.length = length;
  }

  /** A row as an object of its runs of properties, each without what separates it from the property left out after it. */
  row(bytes: Buffer, runs: readonly number[]): void {
    this.byte(OPEN_OBJECT);
    for (let run = 0; run < runs.length; run += 2) {
      if (run > 0) this.byte(COMMA);
      this.copy(bytes, runs[run]!, valueEnd(bytes, runs[run + 1]!));
    }
    this.byte(CLOSE_OBJECT);
  }

  text(): string {
    return this.buffer.toString('utf8', 0, this.length);
  }
}

/** Where the last value before `at` (a key, or a row's closing brace) ends: before the comma and white space that separate them. */
function valueEnd(bytes: Buffer, at: number): number {
  let end = at;
  while (isWhitespace(bytes[end - 1]!)) end--;
  if (bytes[end - 1] === COMMA) end--;
  while (isWhitespace(bytes[end - 1]!)) end--;
  return end;
}
