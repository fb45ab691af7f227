/**
 * Cuts the body of an OData collection answer ({"@odata.context": ..., "value": [ {...}, ... ],
 * "@odata.nextLink": ...}) into its records while the bytes arrive, so that a page of hundreds of
 * full documents (many megabytes of JSON) never has to be held, or parsed, as a whole: each record
 * leaves as where its bytes lie in the body, for the caller, who keeps the bytes (streams/byte-queue.ts), to
 * JSON.parse and hash them as the server sent them; the rest of the body (the envelope, with an
 * empty "value") is parsed once at the end.
 *
 * It tracks only what it needs: whether it is inside a string (a quote preceded by an even number
 * of backslashes ends one) and how deeply objects and arrays are nested. Depth 1 is the answer's
 * object, 2 the "value" array, 3 a record, 4 a record's array property, 5 a row of it, 6 a row's
 * array property, 7 a row of that. The bytes of
 * structure ({ } [ ] ") are ASCII, which never occurs inside a multi-byte UTF-8 sequence, so a
 * record's bytes are cut exactly and decode alone. Validating the JSON is left to JSON.parse of the
 * records and of the envelope; what this checks is the shape a collection must have.
 *
 * A record also says where the rows of its collections (array properties whose elements are
 * objects, such as DocumentLines, and those of their rows, such as a line's BatchNumbers) lie in
 * its bytes, so that each row's hash is taken from the
 * bytes the server sent, once (see EntityHashes in streams/records.ts); and, for the collections
 * of a RowProjection, which runs of each row's properties the reader keeps.
 */
import { BACKSLASH, CLOSE_ARRAY, CLOSE_OBJECT, COLON, COMMA, OPEN_ARRAY, OPEN_OBJECT, QUOTE, isWhitespace, skipWhitespace } from './json-bytes.js';
import type { KeySet, RowProjection } from './row-projection.js';

/** Where one record of a collection lies in the body. */
export interface ScannedRecord {
  /** Body offsets of the record's JSON, from its opening brace to just after its closing one. */
  start: number;
  end: number;
  /**
   * Its array properties whose elements are objects, in the order they come in the record, each
   * with its name's and elements' [start, end) in the record.
   */
  collections: ScannedCollection[];
}

export interface ScannedCollection {
  /** Where the name lies, as a JSON string (quotes included). */
  name: [start: number, end: number];
  rows: [start: number, end: number][];
  /** For each row, the collections inside it (a document line's BatchNumbers), when it has any. */
  nested?: (ScannedCollection[] | undefined)[];
  /**
   * For a collection of the scanner's RowProjection, for each row, the runs of its properties to
   * keep, as [start, end) pairs one after another in the record; undefined for a row to keep whole
   * (one that had nothing to leave out, or in which a kept name was not found). A run starts at a
   * kept property's key and ends at the key of the next property left out, or at the row's closing
   * brace: what separates the run from that (a comma, white space) is the reader's to leave out.
   */
  kept?: (number[] | undefined)[];
}

/** A body that is not a collection answer; the message says what was found instead. */
export class CollectionShapeError extends Error {
  /**
   * `incomplete`: what a body cut short, or replaced on the way (a proxy's page, an empty body),
   * looks like, which another attempt may not; otherwise the answer is whole and is no collection.
   */
  constructor(
    message: string,
    readonly incomplete = false,
  ) {
    super(message);
    this.name = 'CollectionShapeError';
  }
}

const BOM = [0xef, 0xbb, 0xbf];
/** 1 for the bytes that open or close a string, an object or an array. */
const STRUCTURE = new Uint8Array(256);
for (const byte of [QUOTE, OPEN_OBJECT, CLOSE_OBJECT, OPEN_ARRAY, CLOSE_ARRAY]) STRUCTURE[byte] = 1;

const ANSWER = 1;
const VALUE_ARRAY = 2;
const RECORD = 3;
const RECORD_PROPERTY = 4;
const ROW = 5;
const ROW_PROPERTY = 6;

/** A key no name of a KeySet is (KeySet.indexOf), and one that cannot be told: it began in an earlier chunk. */
const NOT_KEPT = -1;
const UNKNOWN_KEY = -2;

/** More than this outside "value" is not an OData collection envelope. */
const ENVELOPE_LIMIT_BYTES = 1024 * 1024;

/** How many backslashes come right before `at`, looking back no further than `from`. */
function backslashesBefore(chunk: Buffer, at: number, from: number): number {
  let count = 0;
  for (let k = at - 1; k >= from && chunk[k] === BACKSLASH; k--) count++;
  return count;
}

function inProgress(nameStart: number, nameEnd: number, keys?: KeySet): CollectionInProgress {
  return { nameStart, nameEnd, rows: [], rowStart: -1, objects: true, nested: [], keys, kept: [], found: keys && new Int32Array(keys.size) };
}

interface CollectionInProgress {
  /** Where the name's string lies, in body offsets. */
  nameStart: number;
  nameEnd: number;
  rows: [number, number][];
  /** Body offset of the row being read. */
  rowStart: number;
  /** Whether every element so far is an object. */
  objects: boolean;
  /** For each row, the collections inside it. */
  nested: (CollectionInProgress[] | undefined)[];
  /** The keys kept of its rows, when it is a collection of the projection. */
  keys: KeySet | undefined;
  /** For each row, its runs of kept properties (ScannedCollection.kept), in body offsets. */
  kept: (number[] | undefined)[];
  /** For each name of `keys`, the number of the last row it was found in (rows count from 1). */
  found: Int32Array | undefined;
}

export class CollectionScanner {
  /** Body offset of the current chunk's first byte. */
  private offset = 0;
  private depth = 0;
  private inString = false;
  /** The chunk ended inside a string on an odd run of backslashes: the next byte is escaped. */
  private escapeNext = false;
  private stringStart = 0;
  /** The last string that closed at the answer's and at a record's level: the key of what follows. */
  private answerKeyStart = 0;
  private answerKeyEnd = 0;
  private recordKeyStart = 0;
  private recordKeyEnd = 0;
  private rowKeyStart = 0;
  private rowKeyEnd = 0;

  private inValue = false;
  private valueSeen = false;
  private ended = false;
  private readonly envelope: Buffer[] = [];
  private envelopeBytes = 0;
  /** Body offset of the envelope's first byte (after a byte order mark). */
  private envelopeStart = 0;
  /** Outside the records: bytes are copied to the envelope, from this body offset on. */
  private copying = true;
  private copyFrom = 0;

  private recordStart = -1;
  private collections: CollectionInProgress[] = [];
  private collection: CollectionInProgress | undefined;
  /** The collections of the row being read, and the one of them being read. */
  private rowCollections: CollectionInProgress[] = [];
  private rowCollection: CollectionInProgress | undefined;

  /** The row being read, when its collection is one of the projection's: its runs of kept properties so far. */
  private rowKeys: KeySet | undefined;
  private rowRuns: number[] = [];
  /** Body offset of the key that starts the run being read, or -1 outside one. */
  private runStart = -1;
  private rowNumber = 0;
  /** How many of the kept names the row has had, and whether it has a property to leave out. */
  private rowFound = 0;
  private rowLeavesOut = false;
  /** A string of the row that ended with its chunk: a key if the next chunk goes on with a colon. */
  private pendingString: { start: number; keyIndex: number } | undefined;

  /** `projection`: the collections whose rows' kept properties each record says (ScannedCollection.kept). */
  constructor(private readonly projection?: RowProjection) {}

  /** Feeds the next bytes of the body; returns the records they completed, in order. */
  write(chunk: Buffer): ScannedRecord[] {
    const records: ScannedRecord[] = [];
    let i = 0;
    // A byte order mark (some gateways add one) is no part of the JSON.
    while (i < chunk.length && this.offset + i < BOM.length && this.offset + i === this.envelopeStart && chunk[i] === BOM[this.offset + i]) {
      i++;
      this.envelopeStart = this.copyFrom = this.offset + i;
    }
    const length = chunk.length;
    if (this.pendingString !== undefined) i = this.resolvePendingString(chunk, i);
    // The hot loop: most bytes are inside strings or between tokens. The state it changes on every
    // byte lives in locals; the rare structural bytes go through methods, with the state written back.
    let inString = this.inString;
    while (i < length) {
      if (inString) {
        i = this.stringEnd(chunk, i);
        if (i < 0) break;
        inString = false;
        const depth = this.depth;
        if (depth === RECORD) {
          this.recordKeyStart = this.stringStart;
          this.recordKeyEnd = this.offset + i;
        } else if (depth === ROW) {
          this.rowKeyStart = this.stringStart;
          this.rowKeyEnd = this.offset + i;
          // A key is followed by a colon, after white space or not; a value mostly by a comma.
          if (this.rowKeys !== undefined && chunk[i] !== COMMA) this.rowString(chunk, i);
        } else if (depth === ANSWER) {
          this.answerKeyStart = this.stringStart;
          this.answerKeyEnd = this.offset + i;
        }
        continue;
      }
      // Between the strings of a record (whitespace, colons, commas, numbers, literals) only a
      // quote or a bracket means anything: skipped with one table look-up per byte.
      if (this.depth > VALUE_ARRAY) {
        while (i < length && STRUCTURE[chunk[i]!] === 0) i++;
        if (i >= length) break;
      }
      const byte = chunk[i]!;
      if (byte === QUOTE) {
        if (this.depth <= VALUE_ARRAY) this.unexpected(byte);
        inString = true;
        this.stringStart = this.offset + i;
      } else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) this.open(byte, chunk, i);
      else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) this.close(chunk, i, records);
      else if (this.depth <= VALUE_ARRAY && !isWhitespace(byte)) this.unexpected(byte);
      i++;
    }
    this.inString = inString;
    this.copyEnvelope(chunk, length);
    this.offset += length;
    return records;
  }

  /**
   * Inside a string, from `from`: the index just after its closing quote, or -1 when the string
   * goes on past the chunk. Most of a body is strings, so they are searched natively (indexOf is a
   * memchr) rather than byte by byte; a quote is escaped when an odd run of backslashes precedes it,
   * counted back no further than a position no backslash before it escapes (`fresh`).
   */
  private stringEnd(chunk: Buffer, from: number): number {
    let fresh = from;
    if (this.escapeNext) {
      this.escapeNext = false;
      fresh++;
    }
    for (;;) {
      const quote = fresh < chunk.length ? chunk.indexOf(QUOTE, fresh) : -1;
      if (quote < 0) {
        // A chunk that ends on an odd run of backslashes escapes the next chunk's first byte.
        this.escapeNext = (backslashesBefore(chunk, chunk.length, fresh) & 1) === 1;
        return -1;
      }
      if ((backslashesBefore(chunk, quote, fresh) & 1) === 0) return quote + 1;
      fresh = quote + 1;
    }
  }

  /** The body has ended: the envelope (everything but the records), parsed. Throws if the answer is incomplete or not a collection. */
  end(): Record<string, unknown> {
    if (!this.ended) {
      throw new CollectionShapeError(this.offset === 0 ? 'an empty body' : 'JSON that ends too early (cut short?)', true);
    }
    let envelope: unknown;
    try {
      envelope = JSON.parse(Buffer.concat(this.envelope).toString('utf8'));
    } catch {
      throw new CollectionShapeError('JSON that does not parse (cut short?)', true);
    }
    if (!this.valueSeen) throw new CollectionShapeError('The answer has no "value" array.');
    return envelope as Record<string, unknown>;
  }

  private open(byte: number, chunk: Buffer, i: number): void {
    const at = this.offset + i;
    if (this.depth === 0 && (this.ended || byte !== OPEN_OBJECT)) throw this.notAnObject(byte);
    if (this.depth === ANSWER && byte === OPEN_ARRAY && !this.valueSeen && this.answerKeyIs(chunk, 'value')) {
      this.inValue = true;
      this.valueSeen = true;
      // The envelope keeps the brackets of "value", empty.
      this.copyEnvelope(chunk, i + 1);
      this.copying = false;
    } else if (this.depth === VALUE_ARRAY && this.inValue) {
      if (byte !== OPEN_OBJECT) throw this.notRecords();
      this.recordStart = at;
      this.collections = [];
    } else if (this.depth === RECORD && this.recordStart >= 0 && byte === OPEN_ARRAY) {
      // A name that began in an earlier chunk is not looked up: its rows are kept whole.
      const keys = this.recordKeyStart >= this.offset ? this.projection?.keysOf(chunk, this.recordKeyStart - this.offset, this.recordKeyEnd - this.offset) : undefined;
      this.collection = inProgress(this.recordKeyStart, this.recordKeyEnd, keys);
    } else if (this.depth === RECORD_PROPERTY && this.collection) {
      if (byte === OPEN_OBJECT) {
        this.collection.rowStart = at;
        this.rowCollections = [];
        this.startRow(this.collection.keys);
      } else this.collection.objects = false;
    } else if (this.depth === ROW && this.collection && this.collection.rowStart >= 0 && byte === OPEN_ARRAY) {
      this.rowCollection = inProgress(this.rowKeyStart, this.rowKeyEnd);
    } else if (this.depth === ROW_PROPERTY && this.rowCollection) {
      if (byte === OPEN_OBJECT) this.rowCollection.rowStart = at;
      else this.rowCollection.objects = false;
    }
    this.depth++;
  }

  private close(chunk: Buffer, i: number, records: ScannedRecord[]): void {
    if (this.depth === 0) throw new CollectionShapeError('The answer closes more brackets than it opens.');
    this.depth--;
    const at = this.offset + i;
    if (this.depth === 0) {
      this.ended = true;
    } else if (this.depth === ANSWER && this.inValue) {
      this.inValue = false;
      // Everything from the closing bracket on is envelope again.
      this.copying = true;
      this.copyFrom = at;
    } else if (this.depth === VALUE_ARRAY && this.recordStart >= 0) {
      records.push(this.finishRecord(i));
    } else if (this.depth === RECORD && this.collection) {
      if (this.collection.objects && this.collection.rows.length > 0) this.collections.push(this.collection);
      this.collection = undefined;
    } else if (this.depth === RECORD_PROPERTY && this.collection && this.collection.rowStart >= 0) {
      this.collection.rows.push([this.collection.rowStart, at + 1]);
      this.collection.nested.push(this.rowCollections.length > 0 ? this.rowCollections : undefined);
      if (this.collection.keys) this.collection.kept.push(this.finishRow(this.collection, at));
      this.collection.rowStart = -1;
    } else if (this.depth === ROW && this.rowCollection) {
      if (this.rowCollection.objects && this.rowCollection.rows.length > 0) this.rowCollections.push(this.rowCollection);
      this.rowCollection = undefined;
    } else if (this.depth === ROW_PROPERTY && this.rowCollection && this.rowCollection.rowStart >= 0) {
      this.rowCollection.rows.push([this.rowCollection.rowStart, at + 1]);
      this.rowCollection.rowStart = -1;
    }
  }

  private finishRecord(i: number): ScannedRecord {
    const start = this.recordStart;
    this.recordStart = -1;
    const relative = (collection: CollectionInProgress): ScannedCollection => {
      const scanned: ScannedCollection = {
        name: [collection.nameStart - start, collection.nameEnd - start],
        rows: collection.rows.map(([rowStart, rowEnd]): [number, number] => [rowStart - start, rowEnd - start]),
      };
      if (collection.nested.some((row) => row !== undefined)) scanned.nested = collection.nested.map((row) => row?.map(relative));
      if (collection.kept.some((runs) => runs !== undefined)) scanned.kept = collection.kept.map((runs) => runs?.map((offset) => offset - start));
      return scanned;
    };
    return { start, end: this.offset + i + 1, collections: this.collections.map(relative) };
  }

  /** A row of a collection starts: of one of the projection's when `keys` are given. */
  private startRow(keys: KeySet | undefined): void {
    this.rowKeys = keys;
    if (keys === undefined) return;
    this.rowRuns = [];
    this.runStart = -1;
    this.rowNumber++;
    this.rowFound = 0;
    this.rowLeavesOut = false;
  }

  /**
   * A string of a row of the projection's ended just before `i`. It is a key when a colon follows
   * (after white space, which the Service Layer writes there), which the next chunk may have to say.
   */
  private rowString(chunk: Buffer, i: number): void {
    const next = skipWhitespace(chunk, i);
    if (next < chunk.length && chunk[next] !== COLON) return;
    const start = this.stringStart;
    const keyIndex = start >= this.offset ? this.rowKeys!.indexOf(chunk, start - this.offset + 1, i - 1) : UNKNOWN_KEY;
    if (next < chunk.length) this.rowKey(start, keyIndex);
    else this.pendingString = { start, keyIndex };
  }

  /** The first bytes of a chunk tell whether the string that ended the last one was a key; returns where to go on. */
  private resolvePendingString(chunk: Buffer, from: number): number {
    const next = skipWhitespace(chunk, from);
    if (next === chunk.length) return next;
    const { start, keyIndex } = this.pendingString!;
    this.pendingString = undefined;
    if (chunk[next] === COLON) this.rowKey(start, keyIndex);
    return next;
  }

  /** A key of the row at body offset `start`: its property starts a run to keep, goes on with one, or ends it. */
  private rowKey(start: number, keyIndex: number): void {
    if (keyIndex >= 0) {
      const found = this.collection!.found!;
      if (found[keyIndex] !== this.rowNumber) {
        found[keyIndex] = this.rowNumber;
        this.rowFound++;
      }
    }
    if (keyIndex !== NOT_KEPT) {
      if (this.runStart < 0) this.runStart = start;
    } else {
      this.rowLeavesOut = true;
      if (this.runStart >= 0) this.rowRuns.push(this.runStart, start);
      this.runStart = -1;
    }
  }

  /** The row whose closing brace is at body offset `at` has ended: its runs, or undefined to keep it whole. */
  private finishRow(collection: CollectionInProgress, at: number): number[] | undefined {
    this.rowKeys = undefined;
    if (this.runStart >= 0) this.rowRuns.push(this.runStart, at);
    // A kept name not found, perhaps written with escapes, may still be in the row: nothing of it is left out.
    return this.rowLeavesOut && this.rowFound === collection.keys!.size ? this.rowRuns : undefined;
  }

  /** Whether the last string at the answer's level, before "value" was seen, is `"name"`. */
  private answerKeyIs(chunk: Buffer, name: string): boolean {
    const start = this.answerKeyStart;
    const end = this.answerKeyEnd;
    if (end - start !== name.length + 2) return false;
    // Until "value" the envelope is contiguous from its first byte; the key may have begun in an earlier chunk.
    const kept = Buffer.concat([...this.envelope, chunk.subarray(this.copyFrom - this.offset, end - this.offset)]);
    return kept.toString('utf8', start - this.envelopeStart, end - this.envelopeStart) === `"${name}"`;
  }

  /** Copies the envelope bytes of the chunk from the last copied one up to `until` (exclusive). */
  private copyEnvelope(chunk: Buffer, until: number): void {
    if (!this.copying) return;
    const from = this.copyFrom - this.offset;
    if (until > from) {
      const piece = Buffer.from(chunk.subarray(from, until));
      this.envelope.push(piece);
      this.envelopeBytes += piece.length;
      if (this.envelopeBytes > ENVELOPE_LIMIT_BYTES) {
        throw new CollectionShapeError('The answer holds more than a megabyte outside its "value" array: it is not a collection of records.');
      }
    }
    this.copyFrom = this.offset + until;
  }

  /** A byte other than whitespace where only structure may be: before or after the answer, or between records. */
  private unexpected(byte: number): void {
    if (this.depth === 0) throw this.notAnObject(byte);
    if (this.depth === VALUE_ARRAY && this.inValue && byte !== COMMA && !isWhitespace(byte)) throw this.notRecords();
  }

  private notRecords(): CollectionShapeError {
    return new CollectionShapeError('The "value" array of the answer holds something other than records (objects).');
  }

  private notAnObject(byte: number): CollectionShapeError {
    if (this.ended) return new CollectionShapeError('The answer goes on after its JSON object.');
    if (byte === 0x3c) return new CollectionShapeError('markup instead of JSON', true);
    return new CollectionShapeError(`The answer is not a JSON object (it starts with ${JSON.stringify(String.fromCharCode(byte))}).`);
  }
}
