/**
 * A head's calibrated Hamming radius: how close a code must be to count as a match. Derived from the
 * head's own code statistics: the distances between random pairs of stored codes are, in a library of
 * any size, almost all between unrelated items, so their low quantile is the distance that unrelated
 * items reach only rarely. Matches are the results within it.
 */
import { hammingDistance, wordCount } from '../hash/bits.ts';
import type { Rng } from '../onnx/random.ts';
import type { Modality } from '../types.ts';

/** Share of unrelated pairs a radius lets through (1 in 100). */
export const NULL_ALPHA = 0.01;
/** How many random pairs a calibration measures. */
export const NULL_PAIRS = 20_000;

/** Packed codes of one modality (as `readCodes` gives them). */
export interface PackedCodes {
  /** Signed 64-bit words, `wordsPerCode` per code. */
  words: BigInt64Array;
  wordsPerCode: number;
  count: number;
}

/** A head's radius per query modality and target modality, and the library size it was measured on. */
export interface HeadRadii {
  /** `${query}-${target}` → radius in bits. */
  radius: Record<`${Modality}-${Modality}`, number>;
  /** Codes in the library when measured (a library that grew a lot is measured again). */
  codes: number;
  alpha: number;
}

/**
 * The largest distance r such that at most `alpha` of the distances are ≤ r; −1 when even distance 0
 * covers more (codes that collapse onto each other).
 */
export function quantileRadius(distances: ArrayLike<number>, bits: number, alpha: number): number {
  const histogram = new Array<number>(bits + 1).fill(0);
  for (let i = 0; i < distances.length; i++) histogram[distances[i] as number]! += 1;
  const allowed = alpha * distances.length;
  let below = 0;
  let r = -1;
  for (let d = 0; d <= bits; d++) {
    below += histogram[d] as number;
    if (below > allowed) break;
    r = d;
  }
  return r;
}

/** The distances between `pairs` random (query, target) pairs; the same code is never paired with itself. */
export function nullDistances(
  queries: PackedCodes,
  targets: PackedCodes,
  bits: number,
  pairs: number,
  rng: Rng,
): Uint8Array {
  const u32 = wordCount(bits) * 2;
  const q = new Uint32Array(
    queries.words.buffer,
    queries.words.byteOffset,
    queries.count * queries.wordsPerCode * 2,
  );
  const t = new Uint32Array(
    targets.words.buffer,
    targets.words.byteOffset,
    targets.count * targets.wordsPerCode * 2,
  );
  const same = queries.words === targets.words;
  const out = new Uint8Array(pairs);
  for (let p = 0; p < pairs; p++) {
    const i = Math.floor(rng.next() * queries.count);
    let j = Math.floor(rng.next() * targets.count);
    if (same && j === i) j = (j + 1) % targets.count;
    out[p] = hammingDistance(q, i * queries.wordsPerCode * 2, t, j * targets.wordsPerCode * 2, u32);
  }
  return out;
}

/**
 * The radius for codes that would be unrelated if every bit were a fair coin (Binomial(bits, ½)), for a
 * pair of modalities the library has no codes to measure (a library of photos only has no text codes).
 */
export function binomialRadius(bits: number, alpha: number): number {
  let cumulative = 0;
  let r = -1;
  let term = 2 ** -bits; // C(bits, 0) / 2^bits
  for (let d = 0; d <= bits; d++) {
    cumulative += term;
    if (cumulative > alpha) break;
    r = d;
    term = (term * (bits - d)) / (d + 1);
  }
  return r;
}
