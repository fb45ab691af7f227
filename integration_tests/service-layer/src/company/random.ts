/**
 * Stateless pseudo-randomness: every draw is a hash of (seed, stream, index, slot), so any record can be
 * generated on its own, in any order, and always comes out the same.
 */

function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

export function hash4(a: number, b: number, c: number, d: number): number {
  let h = mix(a ^ 0x9e3779b9);
  h = mix(h ^ (b | 0) ^ Math.floor(b / 4294967296));
  h = mix(h ^ (c | 0) ^ Math.floor(c / 4294967296));
  h = mix(h ^ (d | 0) ^ Math.floor(d / 4294967296));
  return h;
}

/** A named source of draws for one kind of record. */
export class Rng {
  private readonly base: number;

  constructor(seed: number, stream: string) {
    let h = mix(seed >>> 0);
    for (let i = 0; i < stream.length; i++) h = mix(h ^ stream.charCodeAt(i));
    this.base = h;
  }

  /** Uniform in [0, 1). */
  unit(index: number, slot = 0, sub = 0): number {
    return hash4(this.base, index, slot, sub) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(index: number, slot: number, min: number, max: number, sub = 0): number {
    return min + Math.floor(this.unit(index, slot, sub) * (max - min + 1));
  }

  pick<T>(list: readonly T[], index: number, slot: number, sub = 0): T {
    return list[Math.floor(this.unit(index, slot, sub) * list.length)]!;
  }

  /** Index into weights, chosen with probability proportional to each weight. */
  weighted(weights: readonly number[], index: number, slot: number, sub = 0): number {
    const total = weights.reduce((a, b) => a + b, 0);
    let r = this.unit(index, slot, sub) * total;
    for (let i = 0; i < weights.length; i++) {
      r -= weights[i]!;
      if (r < 0) return i;
    }
    return weights.length - 1;
  }
}
