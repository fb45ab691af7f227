/**
 * The bytes of a session's answers between their arrival and the parsing of their records, in one
 * buffer that is reused for the whole read. The pieces a socket delivers are copied in as they
 * arrive and dropped at once, and a record is read from here when the engine gets to it. Holding
 * the pieces themselves instead would keep every one alive for as long as any record cut from it
 * waits, long enough for the garbage collector to move them to the old generation, where they
 * pile up between full collections: tens of megabytes per session.
 *
 * Positions are counted from the first byte ever appended, so that what refers to them stays
 * right when the buffer is compacted or grown.
 */
export class ByteQueue {
  /** Room left for what arrives next, at most: a buffer grown for a record of many megabytes is not twice its size. */
  private static readonly MAX_HEADROOM_BYTES = 4 * 1024 * 1024;

  private buffer: Buffer;
  /** The position of buffer[0]. */
  private base = 0;
  /** Bytes of the buffer in use, from buffer[0]. */
  private used = 0;
  /** Bytes before this position are no longer needed. */
  private released = 0;

  constructor(private readonly initialBytes = 1024 * 1024) {
    this.buffer = Buffer.allocUnsafeSlow(initialBytes);
  }

  /** The position after the last byte appended. */
  get end(): number {
    return this.base + this.used;
  }

  append(piece: Buffer): void {
    if (this.used + piece.length > this.buffer.length) this.makeRoom(piece.length);
    piece.copy(this.buffer, this.used);
    this.used += piece.length;
  }

  /** The bytes between two positions; valid until they are released and more is appended. */
  bytes(start: number, end: number): Buffer {
    if (start < this.released || end > this.end || start > end) {
      throw new RangeError(`Bytes ${start}-${end} are not held (held: ${this.released}-${this.end}).`);
    }
    return this.buffer.subarray(start - this.base, end - this.base);
  }

  /** Everything before `position` is no longer needed. */
  release(position: number): void {
    this.released = Math.min(Math.max(this.released, position), this.end);
  }

  /**
   * Moves what is still needed to the front, into a new buffer when that one would be too small or
   * far too large: a buffer about twice the most that is held at once (so that bytes are moved about
   * once for every byte that passes through), but with no more than MAX_HEADROOM_BYTES to spare
   * while one record of many megabytes (a year-end closing entry) is held, and that shrinks back
   * after it has passed. Each buffer it replaces is garbage until the next full collection.
   */
  private makeRoom(incoming: number): void {
    const keepFrom = this.released - this.base;
    const kept = this.used - keepFrom;
    const needed = kept + incoming;
    const fitting = Math.max(this.initialBytes, needed + Math.min(needed, ByteQueue.MAX_HEADROOM_BYTES));
    if (fitting > this.buffer.length || fitting * 4 < this.buffer.length) {
      const resized = Buffer.allocUnsafeSlow(fitting);
      this.buffer.copy(resized, 0, keepFrom, this.used);
      this.buffer = resized;
    } else {
      this.buffer.copyWithin(0, keepFrom, this.used);
    }
    this.base = this.released;
    this.used = kept;
  }

  /** The size of the buffer, for tests. */
  get capacity(): number {
    return this.buffer.length;
  }
}
