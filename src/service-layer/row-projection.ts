/**
 * Which properties of the rows of some collections a reader keeps. The Service Layer sends every
 * property of every document line (some 240), whatever $select asks of the document, and the
 * streams read about a quarter of them: parsing the rest is most of the work of a read. The
 * collection scanner uses this to mark, while it cuts an answer, the runs of a row's properties to
 * keep, so that only those are parsed (see ScannedCollection.kept).
 */
export class RowProjection {
  private readonly collections: { name: Buffer; keys: KeySet }[];

  /** `keep`: for each collection, the names of the properties kept of its rows. */
  constructor(keep: ReadonlyMap<string, readonly string[]>) {
    this.collections = [...keep].map(([name, keys]) => ({ name: Buffer.from(JSON.stringify(name)), keys: new KeySet(keys) }));
  }

  /** The keys kept of the rows of the collection whose name is the JSON string bytes[start, end), if it is one of them. */
  keysOf(bytes: Buffer, start: number, end: number): KeySet | undefined {
    for (const { name, keys } of this.collections) if (name.equals(bytes.subarray(start, end))) return keys;
    return undefined;
  }
}

/** A set of property names matched against the bytes of a key, without making a string of it. */
export class KeySet {
  readonly size: number;
  private readonly names: Buffer[];
  /**
   * The names by their BUCKET (length and last byte), so that most keys of a row, those of
   * properties not kept, are told apart by one look-up, and the others compared with about one
   * name: the first name of each bucket (-1: none), and after each name the next of its bucket.
   */
  private readonly firstOfBucket = new Int32Array(BUCKETS).fill(-1);
  private readonly nextInBucket: Int32Array;

  constructor(names: readonly string[]) {
    this.names = [...new Set(names)].filter((name) => name !== '').map((name) => Buffer.from(name));
    this.size = this.names.length;
    this.nextInBucket = new Int32Array(this.size);
    this.names.forEach((name, index) => {
      const slot = bucket(name, 0, name.length);
      this.nextInBucket[index] = this.firstOfBucket[slot]!;
      this.firstOfBucket[slot] = index;
    });
  }

  /**
   * The index of the name whose bytes are bytes[start, end), or -1. A key written with escapes in
   * its JSON does not match its name, so a set's names can only be missed, never mistaken: the
   * scanner keeps the rows in which one of them was not found whole.
   */
  indexOf(bytes: Buffer, start: number, end: number): number {
    if (end <= start) return -1;
    const length = end - start;
    for (let index = this.firstOfBucket[bucket(bytes, start, end)]!; index >= 0; index = this.nextInBucket[index]!) {
      const name = this.names[index]!;
      if (name.length !== length) continue;
      let at = 0;
      while (at < length && name[at] === bytes[start + at]) at++;
      if (at === length) return index;
    }
    return -1;
  }
}

const BUCKETS = 64 * 256;

/** The bucket of a non-empty name: its length (names of 64 bytes or more share one) with its last byte. */
function bucket(bytes: Buffer, start: number, end: number): number {
  return (Math.min(end - start, 63) << 8) | bytes[end - 1]!;
}
