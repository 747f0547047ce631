import { describe, expect, it } from 'vitest';
import {
  MIN_CALIBRATION_PHOTOS,
  SCORE_FLOOR,
  calibrateThreshold,
  qualitySentence,
  scoreTags,
  selectCodes,
  suggestTags,
  type PackedPhotoCodes,
  type TaggedReference,
} from '../../../src/engine/suggest/tag-suggester.ts';

/** A seeded generator (mulberry32). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** 64-bit codes as two 32-bit words each. */
function codes(rows: Array<[number, number]>): PackedPhotoCodes {
  const words = new Uint32Array(rows.length * 2);
  rows.forEach(([a, b], r) => {
    words[2 * r] = a >>> 0;
    words[2 * r + 1] = b >>> 0;
  });
  return { itemIds: rows.map((_, r) => r + 1), words, wordsPerCode: 2, bits: 64 };
}

/** `per` photos around each of `groups` random centres, `flips` random bits away from it. */
function planted(groups: number, per: number, flips: number, seed: number) {
  const r = rng(seed);
  const rows: Array<[number, number]> = [];
  const group: number[] = [];
  for (let g = 0; g < groups; g++) {
    const centre: [number, number] = [(r() * 2 ** 32) >>> 0, (r() * 2 ** 32) >>> 0];
    for (let m = 0; m < per; m++) {
      const c: [number, number] = [centre[0], centre[1]];
      for (let f = 0; f < flips; f++) {
        const bit = Math.floor(r() * 64);
        c[bit >> 5] = ((c[bit >> 5] as number) ^ (1 << (bit & 31))) >>> 0;
      }
      rows.push(c);
      group.push(g);
    }
  }
  return { all: codes(rows), group };
}

describe('tag suggester (nearest tagged photos in Hamming distance)', () => {
  it('suggests each held-out photo its own group’s tag on planted structure, and nothing else', () => {
    // 4 groups of 12 photos, each within 4 bits of its centre; 9 per group are tagged, 3 held out.
    const { all, group } = planted(4, 12, 4, 7);
    const taggedRows = group.flatMap((_, r) => (r % 12 < 9 ? [r] : []));
    const heldRows = group.flatMap((_, r) => (r % 12 >= 9 ? [r] : []));
    const ref: TaggedReference = {
      codes: selectCodes(all, taggedRows),
      tags: taggedRows.map((r) => [100 + group[r]!]),
    };
    const cal = calibrateThreshold(ref);
    expect(cal.basis).toBe('held-out');
    expect(cal.heldOutPrecision).toBe(1);
    expect(cal.heldOutRecall).toBe(1);
    const held = selectCodes(all, heldRows);
    const got = suggestTags(ref, held, cal.threshold);
    expect(got.map((s) => [s.row, s.tagId])).toEqual(heldRows.map((r, q) => [q, 100 + group[r]!]));
  });

  it('calibrates where the answer is known: the lowest threshold that keeps 8 in 10 right', () => {
    // Tag 1 photos sit at one code, tag 2 photos at its complement, and two "tag 2" photos sit among the tag 1
    // ones (rows 8 and 9).
    const a: [number, number] = [0, 0];
    const b: [number, number] = [0xffffffff, 0xffffffff];
    const rows: Array<[number, number]> = [...Array(10).fill(a), ...Array(10).fill(b)];
    const tags: number[][] = [...Array(8).fill([1]), [2], [2], ...Array(10).fill([2])];
    const ref: TaggedReference = { codes: codes(rows), tags };
    // Held out, a tag-1 photo's 7 nearest are the 9 other photos at code a (ties by row): rows of tag 1 first,
    // so its scores are tag 1 = 7/7; the two misplaced photos see 7 tag-1 neighbours: tag 1 = 1, wrong.
    // Every photo at b sees 7 tag-2 neighbours: tag 2 = 1, right. So all suggestions score 1 and 18 of 20 are
    // right: precision 0.9 ≥ 0.8 at threshold 1.
    const cal = calibrateThreshold(ref, { k: 7, targetPrecision: 0.8 });
    expect(cal.threshold).toBe(1);
    expect(cal.suggested).toBe(20);
    expect(cal.correct).toBe(18);
    expect(cal.heldOutPrecision).toBeCloseTo(0.9, 12);
    expect(cal.heldOutRecall).toBeCloseTo(18 / 20, 12);
    // Asking for 95 % cannot be met: the best-precision threshold is kept and the measured 9 in 10 reported.
    const strict = calibrateThreshold(ref, { k: 7, targetPrecision: 0.95 });
    expect(strict.heldOutPrecision).toBeCloseTo(0.9, 12);
    expect(qualitySentence(cal)).toBe(
      'Suggestions were right 9 times in 10 on photos you had already tagged (18 of 20), and found 9 in 10 of their tags.',
    );
  });

  it('lowers the threshold only as far as precision holds', () => {
    // Group photos carry tag 1; each also has a far, odd neighbour pattern: scores spread below 1.
    const { all, group } = planted(3, 10, 3, 11);
    const tags = group.map((g, r) => (r % 10 === 0 ? [1, 2, 3][g]! : 1 + g)).map((t) => [t]);
    const ref: TaggedReference = { codes: all, tags };
    const cal = calibrateThreshold(ref, { targetPrecision: 0.8 });
    expect(cal.threshold).toBeGreaterThanOrEqual(SCORE_FLOOR);
    expect(cal.heldOutPrecision).toBeGreaterThanOrEqual(0.8);
    const lower = calibrateThreshold(ref, { targetPrecision: 0.5 });
    expect(lower.threshold).toBeLessThanOrEqual(cal.threshold);
  });

  it('uses the floor and says so for a library with too few tagged photos', () => {
    const { all, group } = planted(2, 3, 2, 3);
    const ref: TaggedReference = { codes: all, tags: group.map((g) => [g]) };
    const cal = calibrateThreshold(ref);
    expect(all.itemIds.length).toBeLessThan(MIN_CALIBRATION_PHOTOS);
    expect(cal).toMatchObject({ basis: 'floor', threshold: SCORE_FLOOR });
    expect(qualitySentence(cal)).toMatch(/Tag at least 8 photos/);
  });

  it('weights nearer neighbours more: one photo 0 bits away outvotes far ones', () => {
    const near: [number, number] = [0, 0];
    const far: [number, number] = [0xff, 0xff]; // 16 bits away
    const ref: TaggedReference = { codes: codes([near, far, far, far]), tags: [[1], [2], [2], [2]] };
    const scores = scoreTags(ref, codes([near]), 0, 4);
    expect(scores[0]!.tagId).toBe(1);
    expect(scores[0]!.score).toBeCloseTo(1 / (1 + 3 * Math.exp(-2)), 12);
  });
});

describe('quality in words', () => {
  it('says a small recall as a percentage rather than "0 in 10"', () => {
    const c = {
      threshold: 0.7,
      basis: 'held-out' as const,
      targetPrecision: 0.8,
      heldOut: 51,
      suggested: 5,
      correct: 4,
      positives: 219,
      heldOutPrecision: 0.8,
      heldOutRecall: 4 / 219,
    };
    expect(qualitySentence(c)).toBe(
      'Suggestions were right 8 times in 10 on photos you had already tagged (4 of 5), and found 2 % of their tags.',
    );
  });
});
