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
  /** Room left in a buffer grown in place, which grows again at no cost but moving what it holds to the front. */
  private static readonly IN_PLACE_HEADROOM_BYTES = 1024 * 1024;
  /** The most a buffer grown in place can hold: address space reserved, not memory. */
  private static readonly MAX_IN_PLACE_BYTES = 2 * 1024 * 1024 * 1024;

  private buffer: Buffer;
  /** The memory `buffer` views while it is grown in place (see makeRoom). */
  private resizable: ArrayBuffer | undefined;
  /** From this size on, the buffer grows in place. */
  private readonly inPlaceFromBytes: number;
  /** The position of buffer[0]. */
  private base = 0;
  /** Bytes of the buffer in use, from buffer[0]. */
  private used = 0;
  /** Bytes before this position are no longer needed. */
  private released = 0;

  /**
   * `usualBytes`: the most the queue holds at a time, but for a record larger than that (its
   * session's read-ahead).
   */
  constructor(
    private readonly initialBytes = 1024 * 1024,
    usualBytes = Infinity,
  ) {
    this.buffer = Buffer.allocUnsafeSlow(initialBytes);
    this.inPlaceFromBytes = usualBytes + 2 * ByteQueue.MAX_HEADROOM_BYTES;
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
   * far too large: a buffer about one and a half times the most that is held at once (so that bytes
   * are moved about twice for every byte that passes through), but with no more than
   * MAX_HEADROOM_BYTES to spare while one record of many megabytes (a year-end closing entry) is
   * held, and that shrinks back after it has passed.
   *
   * A record larger than the queue usually holds grows its buffer in place, in memory that can be
   * resized. Grown by copying, the last copy of a 20 MB record holds it twice for a moment (48 MB
   * of buffers instead of 26 MB at the peak of a read of two million records), and every buffer it
   * outgrew waits for a full collection. Memory that can be resized is slower to read from
   * JavaScript, so it is used only while such a record is held.
   */
  private makeRoom(incoming: number): void {
    const keepFrom = this.released - this.base;
    const kept = this.used - keepFrom;
    const needed = kept + incoming;
    const fitting = Math.max(this.initialBytes, needed + Math.min(Math.ceil(needed / 2), ByteQueue.MAX_HEADROOM_BYTES));
    if (fitting > this.inPlaceFromBytes && this.growInPlace(keepFrom, needed + ByteQueue.IN_PLACE_HEADROOM_BYTES)) {
      // Moved within the resized memory.
    } else if (this.resizable !== undefined || fitting > this.buffer.length || fitting * 4 < this.buffer.length) {
      const resized = Buffer.allocUnsafeSlow(fitting);
      this.buffer.copy(resized, 0, keepFrom, this.used);
      this.buffer = resized;
      // Freed now: a collection may be long in coming, since V8 does not count this memory as its own.
      this.resizable?.resize(0);
      this.resizable = undefined;
    } else {
      this.buffer.copyWithin(0, keepFrom, this.used);
    }
    this.base = this.released;
    this.used = kept;
  }

  /** Moves what is kept to the front of memory that grows in place to `fitting` bytes; false when there is no such memory to have. */
  private growInPlace(keepFrom: number, fitting: number): boolean {
    if (this.resizable === undefined) {
      let memory: ArrayBuffer;
      try {
        memory = new ArrayBuffer(fitting, { maxByteLength: Math.max(fitting, ByteQueue.MAX_IN_PLACE_BYTES) });
      } catch {
        return false; // No address space to reserve: grown by copying.
      }
      this.buffer.copy(Buffer.from(memory), 0, keepFrom, this.used);
      this.resizable = memory;
    } else {
      if (fitting > this.resizable.maxByteLength) return false;
      if (keepFrom > 0) this.buffer.copyWithin(0, keepFrom, this.used);
      if (fitting > this.resizable.byteLength) this.resizable.resize(fitting);
    }
    this.buffer = Buffer.from(this.resizable, 0, this.resizable.byteLength);
    return true;
  }

  /** The size of the buffer, for tests. */
  get capacity(): number {
    return this.buffer.length;
  }

  /** Whether the buffer grows in place, for tests. */
  get growsInPlace(): boolean {
    return this.resizable !== undefined;
  }
}
