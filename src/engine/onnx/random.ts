/** Seeded pseudo-random numbers for reproducible weights (stand-in models, hash heads, training init). */

/** A seeded generator: `next()` is uniform in [0, 1), `normal()` standard normal. */
export interface Rng {
  /** Uniform in [0, 1) with 32 bits of resolution. */
  next(): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** Fills `out` with normal(mean, std) values and returns it. */
  fillNormal<T extends Float32Array | Float64Array>(out: T, std?: number, mean?: number): T;
}

/** 32-bit FNV-1a hash of a string, for deriving independent streams from one seed. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * mulberry32 generator with a Box–Muller normal sampler. `stream` (e.g. a tensor name) selects an
 * independent sequence for the same seed, so the order in which tensors are filled does not matter.
 */
export function createRng(seed: number, stream?: string): Rng {
  // NOTE: mix the stream hash into the seed through one multiplicative round so nearby seeds
  // and streams give unrelated sequences.
  let state =
    (Math.imul((seed >>> 0) ^ (stream === undefined ? 0 : hashString(stream)), 0x9e3779b1) + 0x6d2b79f5) >>>
    0;
  let spare: number | null = null;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    if (spare !== null) {
      const s = spare;
      spare = null;
      return s;
    }
    // NOTE: 1 − u keeps the logarithm's argument in (0, 1], so no −Infinity.
    const r = Math.sqrt(-2 * Math.log(1 - next()));
    const theta = 2 * Math.PI * next();
    spare = r * Math.sin(theta);
    return r * Math.cos(theta);
  };
  return {
    next,
    normal,
    fillNormal(out, std = 1, mean = 0) {
      for (let i = 0; i < out.length; i++) out[i] = mean + std * normal();
      return out;
    },
  };
}
