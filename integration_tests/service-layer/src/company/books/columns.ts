/**
 * Growable typed-array columns: the books keep one number per document, line or batch in these, so millions of
 * records cost a few bytes each instead of an object each.
 */

abstract class Column<A extends Int32Array | Float32Array | Float64Array> {
  protected data: A;
  length = 0;

  constructor(initial: number) {
    this.data = this.allocate(Math.max(16, initial));
  }

  protected abstract allocate(size: number): A;

  get(i: number): number {
    return this.data[i]!;
  }

  set(i: number, value: number): void {
    this.data[i] = value;
  }

  add(i: number, delta: number): void {
    this.data[i] = this.data[i]! + delta;
  }

  /** Drops the spare capacity (after the history is generated; later pushes grow it again). */
  trim(): void {
    const exact = this.allocate(Math.max(16, this.length));
    exact.set(this.data.subarray(0, this.length));
    this.data = exact;
  }

  push(value: number): number {
    if (this.length === this.data.length) {
      const grown = this.allocate(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.length] = value;
    return this.length++;
  }
}

export class IntColumn extends Column<Int32Array> {
  protected allocate(size: number): Int32Array {
    return new Int32Array(size);
  }
}

/** For small fractions (percentages with a decimal or two). */
export class SmallFloatColumn extends Column<Float32Array> {
  protected allocate(size: number): Float32Array {
    return new Float32Array(size);
  }
}

export class FloatColumn extends Column<Float64Array> {
  protected allocate(size: number): Float64Array {
    return new Float64Array(size);
  }
}
