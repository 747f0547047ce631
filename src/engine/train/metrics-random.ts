/**
 * Seeded sampling helpers for the metrics and data splits, on top of the engine's shared PRNG
 * (`onnx/random.ts`, mulberry32): uniform integers and an in-place Fisher–Yates shuffle.
 */
import type { Rng } from '../onnx/random.ts';

export { createRng, type Rng } from '../onnx/random.ts';

/**
 * A uniform integer in [0, n) (1 ≤ n ≤ 2^32) from `rng`.
 * NOTE: floor(u·n) has a bias of at most n / 2^32, negligible for the sizes sampled here (≤ 10^8).
 */
export function randomInt(rng: Rng, n: number): number {
  return Math.floor(rng.next() * n);
}

/** In-place Fisher–Yates shuffle of `items` driven by `rng`; returns `items`. */
export function shuffleInPlace<T extends { length: number; [i: number]: number }>(items: T, rng: Rng): T {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomInt(rng, i + 1);
    const tmp = items[i] as number;
    items[i] = items[j] as number;
    items[j] = tmp;
  }
  return items;
}
