/**
 * A trained head's radius from its validation pairs: the Hamming distance that best separates pairs that
 * share a tag from pairs that share none (highest F1 of "within the radius" as a guess of "shares a tag").
 * Search keeps results within a head's radius; a trained head's comes from here, a default head's from its
 * code statistics (search/head-radii.ts).
 */
import { hammingDistance } from '../hash/bits.ts';
import type { PackedCodes } from './metrics-codes.ts';

// NOTE: at most this many queries are measured (every database row each): enough for a stable radius.
const MAX_QUERIES = 1_000;

/** n×C 0/1 labels as one bitset of ceil(C/32) words per row. */
function labelBits(
  labels: ArrayLike<number>,
  n: number,
  classes: number,
): { words: Uint32Array; stride: number } {
  const stride = Math.max(1, Math.ceil(classes / 32));
  const words = new Uint32Array(n * stride);
  for (let i = 0; i < n; i++)
    for (let c = 0; c < classes; c++)
      if ((labels[i * classes + c] as number) !== 0) {
        const w = i * stride + (c >>> 5);
        words[w] = ((words[w] as number) | (1 << (c & 31))) >>> 0;
      }
  return { words, stride };
}

/**
 * The radius r (−1 … bits) maximising F1 of "distance ≤ r" against "the pair shares a label", over
 * query × database pairs of the same validation rows (a row's own pair is left out).
 */
export function validationRadius(
  query: PackedCodes,
  db: PackedCodes,
  labels: ArrayLike<number>,
  classes: number,
): number {
  const bits = query.bits;
  const rel = new Float64Array(bits + 1);
  const irr = new Float64Array(bits + 1);
  const lab = labelBits(labels, db.n, classes);
  const queries = Math.min(query.n, MAX_QUERIES);
  for (let i = 0; i < queries; i++) {
    for (let j = 0; j < db.n; j++) {
      if (i === j) continue;
      const d = hammingDistance(query.words, i * query.stride, db.words, j * db.stride, query.stride);
      let shares = false;
      for (let w = 0; w < lab.stride && !shares; w++)
        shares =
          ((lab.words[i * lab.stride + w] as number) & (lab.words[j * lab.stride + w] as number)) !== 0;
      if (shares) rel[d] = (rel[d] as number) + 1;
      else irr[d] = (irr[d] as number) + 1;
    }
  }
  const relevant = rel.reduce((a, b) => a + b, 0);
  let best = -1;
  let bestF1 = 0;
  let tp = 0;
  let fp = 0;
  for (let r = 0; r <= bits; r++) {
    tp += rel[r] as number;
    fp += irr[r] as number;
    const f1 = tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + (relevant - tp));
    if (f1 > bestF1) {
      bestF1 = f1;
      best = r;
    }
  }
  return best;
}
