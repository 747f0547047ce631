/**
 * Tags suggested in the user's own vocabulary from the active head's codes: a photo is scored for each tag
 * by its k nearest tagged photos in Hamming distance (weighted by how near each one is). Nearest neighbours
 * rather than one prototype code per tag, because a user's tag often covers several looks (a dog indoors and
 * on the beach, a friend in summer and in winter): a per-tag majority code averages those into a code near
 * none of them, while the nearest tagged photos of one look still carry the tag.
 *
 * The threshold is calibrated on the library itself: every tagged photo is held out in turn (leave-one-out)
 * and scored from the others, so each threshold has a measured precision on photos whose tags are known;
 * the lowest threshold whose suggestions are right at least `targetPrecision` of the time is kept, never
 * below a floor (more than half the neighbours' weight must carry the tag).
 */
import { hammingDistance } from '../hash/bits.ts';

/** Photos' codes packed as 32-bit words: photo r's code is words[r*wordsPerCode ...]. */
export interface PackedPhotoCodes {
  itemIds: number[];
  words: Uint32Array;
  /** 32-bit words per code. */
  wordsPerCode: number;
  bits: number;
}

/** The tagged reference photos: rows of `codes` and each row's tag ids. */
export interface TaggedReference {
  codes: PackedPhotoCodes;
  tags: ReadonlyArray<readonly number[]>;
}

/** How the suggester scores and where it draws the line. */
export interface SuggesterOptions {
  /** Neighbours consulted (default 7). */
  k?: number;
  /** The precision the threshold aims for on held-out tagged photos (default 0.8). */
  targetPrecision?: number;
}

/** A tag's score for one photo, in [0, 1]: the share of its nearest tagged photos' weight that carry the tag. */
export interface TagScore {
  tagId: number;
  score: number;
}

/** The calibrated threshold and what it achieved on held-out tagged photos. */
export interface SuggestionCalibration {
  threshold: number;
  /** 'held-out' when measured by leaving tagged photos out; 'floor' when the library has too few for that. */
  basis: 'held-out' | 'floor';
  targetPrecision: number;
  /** Tagged photos held out. */
  heldOut: number;
  /** Suggestions made on held-out photos at the threshold, and how many named a tag the photo has. */
  suggested: number;
  correct: number;
  /** Tags those photos carry, and how many of them were suggested. */
  positives: number;
  /** correct / suggested (0 when nothing was suggested). */
  heldOutPrecision: number;
  /** correct / positives. */
  heldOutRecall: number;
}

// NOTE: defaults chosen on planted-structure tests and the shared photos; k over 7 blurs small tags.
const DEFAULT_K = 7;
const DEFAULT_TARGET = 0.8;
/** Never suggest a tag that carries at most half the neighbours' weight. */
export const SCORE_FLOOR = 0.5;
/** Fewer tagged photos than this cannot measure a threshold: the floor-based one is used and said so. */
export const MIN_CALIBRATION_PHOTOS = 8;
// NOTE: a threshold needs a few held-out suggestions behind it, or one lucky hit would set it.
const MIN_SUPPORT = 3;

/** Packs 64-bit code words (as the store reads them) into 32-bit words for the distance kernel. */
export function packPhotoCodes(
  itemIds: number[],
  words64: BigInt64Array,
  wordsPer64: number,
  bits: number,
): PackedPhotoCodes {
  const words = new Uint32Array(words64.buffer, words64.byteOffset, words64.length * 2).slice();
  return { itemIds, words, wordsPerCode: wordsPer64 * 2, bits };
}

/** Rows `rows` of packed codes, as a new set. */
export function selectCodes(codes: PackedPhotoCodes, rows: readonly number[]): PackedPhotoCodes {
  const W = codes.wordsPerCode;
  const words = new Uint32Array(rows.length * W);
  rows.forEach((r, k) => words.set(codes.words.subarray(r * W, (r + 1) * W), k * W));
  return { itemIds: rows.map((r) => codes.itemIds[r] as number), words, wordsPerCode: W, bits: codes.bits };
}

/**
 * Tag scores of the code at row `qi` of `query` from the reference's nearest photos (`skip`: a reference row
 * to leave out, the photo itself when holding it out). Sorted by score, best first; tags no neighbour has are
 * absent.
 */
export function scoreTags(
  ref: TaggedReference,
  query: PackedPhotoCodes,
  qi: number,
  k = DEFAULT_K,
  skip = -1,
): TagScore[] {
  const W = ref.codes.wordsPerCode;
  const n = ref.codes.itemIds.length;
  const kk = Math.min(k, n - (skip >= 0 ? 1 : 0));
  if (kk <= 0) return [];
  // Keep the k nearest by insertion into a small sorted list: k is tiny, so this beats a heap.
  const nd: number[] = [];
  const nr: number[] = [];
  for (let r = 0; r < n; r++) {
    if (r === skip) continue;
    const d = hammingDistance(query.words, qi * W, ref.codes.words, r * W, W);
    if (nd.length === kk && d >= (nd[kk - 1] as number)) continue;
    let at = nd.length;
    while (at > 0 && (nd[at - 1] as number) > d) at--;
    nd.splice(at, 0, d);
    nr.splice(at, 0, r);
    if (nd.length > kk) {
      nd.pop();
      nr.pop();
    }
  }
  // NOTE: weights fall by e for every bits/8 bits farther than the nearest neighbour, so a clearly nearer
  // photo counts more than several far ones, while neighbours at similar distances vote about equally.
  const scale = Math.max(1, ref.codes.bits / 8);
  const d0 = nd[0] as number;
  let total = 0;
  const byTag = new Map<number, number>();
  nd.forEach((d, i) => {
    const w = Math.exp(-(d - d0) / scale);
    total += w;
    for (const t of ref.tags[nr[i] as number] ?? []) byTag.set(t, (byTag.get(t) ?? 0) + w);
  });
  return [...byTag]
    .map(([tagId, w]) => ({ tagId, score: w / total }))
    .sort((a, b) => b.score - a.score || a.tagId - b.tagId);
}

/**
 * Holds out each tagged photo in turn, scores it from the others and picks the threshold (see the module
 * comment). A library with fewer than MIN_CALIBRATION_PHOTOS tagged photos gets the floor, basis 'floor'.
 */
export function calibrateThreshold(ref: TaggedReference, opts: SuggesterOptions = {}): SuggestionCalibration {
  const k = opts.k ?? DEFAULT_K;
  const target = opts.targetPrecision ?? DEFAULT_TARGET;
  const n = ref.codes.itemIds.length;
  const positives = ref.tags.reduce((s, t) => s + t.length, 0);
  const held: Array<{ score: number; correct: boolean }> = [];
  for (let i = 0; i < n && n >= 2; i++) {
    const own = new Set(ref.tags[i]);
    for (const s of scoreTags(ref, ref.codes, i, k, i))
      held.push({ score: s.score, correct: own.has(s.tagId) });
  }
  held.sort((a, b) => b.score - a.score);
  const at = (threshold: number) => {
    let suggested = 0;
    let correct = 0;
    for (const h of held) {
      if (h.score < threshold) break;
      suggested++;
      if (h.correct) correct++;
    }
    return { suggested, correct };
  };
  let threshold = SCORE_FLOOR;
  const basis = n >= MIN_CALIBRATION_PHOTOS ? 'held-out' : 'floor';
  if (basis === 'held-out') {
    // The lowest score (≥ the floor) whose prefix reaches the target; else the prefix of best precision.
    let best = { threshold: Number.POSITIVE_INFINITY, precision: -1 };
    let found = false;
    let suggested = 0;
    let correct = 0;
    for (let j = 0; j < held.length; j++) {
      const h = held[j]!;
      suggested++;
      if (h.correct) correct++;
      const next = held[j + 1];
      if ((next && next.score === h.score) || h.score < SCORE_FLOOR) continue;
      const precision = correct / suggested;
      if (suggested >= MIN_SUPPORT && precision >= target) {
        threshold = h.score;
        found = true;
      }
      if (suggested >= MIN_SUPPORT && precision > best.precision) best = { threshold: h.score, precision };
    }
    if (!found && Number.isFinite(best.threshold)) threshold = best.threshold;
  }
  const r = at(threshold);
  return {
    threshold,
    basis,
    targetPrecision: target,
    heldOut: n,
    suggested: r.suggested,
    correct: r.correct,
    positives,
    heldOutPrecision: r.suggested ? r.correct / r.suggested : 0,
    heldOutRecall: positives ? r.correct / positives : 0,
  };
}

/** Suggestions for the photos of `query` at `threshold`: (row, tag, score), each photo's tags best first. */
export function suggestTags(
  ref: TaggedReference,
  query: PackedPhotoCodes,
  threshold: number,
  k = DEFAULT_K,
): Array<{ row: number; tagId: number; score: number }> {
  const out: Array<{ row: number; tagId: number; score: number }> = [];
  for (let q = 0; q < query.itemIds.length; q++) {
    for (const s of scoreTags(ref, query, q, k)) if (s.score >= threshold) out.push({ row: q, ...s });
  }
  return out;
}

/**
 * The calibration in a photographer's words, e.g. "Suggestions were right 8 times in 10 on photos you had
 * already tagged (41 of 51), and found 6 in 10 of their tags."
 */
export function qualitySentence(c: SuggestionCalibration): string {
  if (c.basis === 'floor') {
    return (
      `Tag at least ${MIN_CALIBRATION_PHOTOS} photos for Glint to measure how often its suggestions are right ` +
      `(${c.heldOut} tagged so far); until then it only suggests a tag most of the nearest tagged photos share.`
    );
  }
  if (c.suggested === 0) {
    return `On the ${c.heldOut} photos you had already tagged, Glint was not sure enough to suggest any tag; tag more photos and it will learn your tags.`;
  }
  const tenths = (x: number): number => Math.round(x * 10);
  // NOTE: a recall under one in 20 reads as "0 in 10", which says less than the percentage.
  const found =
    c.heldOutRecall >= 0.05
      ? `${tenths(c.heldOutRecall)} in 10 of their tags`
      : `${Math.round(c.heldOutRecall * 100)} % of their tags`;
  return (
    `Suggestions were right ${tenths(c.heldOutPrecision)} times in 10 on photos you had already tagged ` +
    `(${c.correct} of ${c.suggested}), and found ${found}.`
  );
}
