/**
 * A small seeded PRNG for metric sampling and data splits (mulberry32: 32-bit state, period 2^32).
 * NOTE: kept local to train/ because no shared engine PRNG existed when the metrics were written;
 * it is not cryptographic and only needs to be reproducible across platforms (pure 32-bit integer math).
 */

/** A seeded source of uniform numbers in [0, 1). */
export interface Rng {
  /** The next uniform number in [0, 1) with 32 bits of resolution. */
  next(): number;
  /** A uniform integer in [0, n) (n ≥ 1, n ≤ 2^32). */
  int(n: number): number;
}

/** A mulberry32 generator seeded with the low 32 bits of `seed`. */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  // NOTE: floor(u·n) has a bias of at most n / 2^32, negligible for the sizes sampled here (≤ 10^6).
  return { next, int: (n: number) => Math.floor(next() * n) };
}

/** In-place Fisher–Yates shuffle of `items` driven by `rng`; returns `items`. */
export function shuffleInPlace<T extends { length: number; [i: number]: number }>(items: T, rng: Rng): T {
  for (let i = items.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const tmp = items[i] as number;
    items[i] = items[j] as number;
    items[j] = tmp;
  }
  return items;
}

/** A standard normal sample (Box–Muller, one of the pair). */
export function normal(rng: Rng): number {
  // NOTE: 1 − u lies in (0, 1], so the log never sees 0.
  const u = 1 - rng.next();
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}
