import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/engine/onnx/random.ts';
import { binomialRadius, nullDistances, quantileRadius } from '../../../src/engine/search/radius.ts';

describe('quantileRadius', () => {
  it('is the largest distance that lets through at most alpha of the pairs', () => {
    // 10 distances: 0 once, 1 twice, 2 three times, 3 four times.
    const d = [0, 1, 1, 2, 2, 2, 3, 3, 3, 3];
    expect(quantileRadius(d, 4, 0.1)).toBe(0); // 1 of 10 at ≤ 0
    expect(quantileRadius(d, 4, 0.29)).toBe(0); // ≤ 1 would be 3 of 10
    expect(quantileRadius(d, 4, 0.3)).toBe(1);
    expect(quantileRadius(d, 4, 0.6)).toBe(2);
    expect(quantileRadius(d, 4, 1)).toBe(4);
  });

  it('is −1 when the codes collapse (even distance 0 is too common)', () => {
    expect(quantileRadius([0, 0, 0, 5], 8, 0.25)).toBe(-1);
  });
});

describe('binomialRadius (fair-coin bits, for modalities with no codes to measure)', () => {
  it('matches the binomial cumulative sums by hand', () => {
    // 4 bits: P(0) = 1/16 = 0.0625, P(≤1) = 5/16 = 0.3125, P(≤2) = 11/16.
    expect(binomialRadius(4, 0.01)).toBe(-1);
    expect(binomialRadius(4, 0.07)).toBe(0);
    expect(binomialRadius(4, 0.32)).toBe(1);
    expect(binomialRadius(4, 0.7)).toBe(2);
    // 64 bits at 1 %: the radius sits well below 32 and above 20.
    const r = binomialRadius(64, 0.01);
    expect(r).toBeGreaterThan(20);
    expect(r).toBeLessThan(32);
  });
});

describe('nullDistances', () => {
  const pack = (codes: bigint[]) => ({
    words: BigInt64Array.from(codes),
    wordsPerCode: 1,
    count: codes.length,
  });

  it('measures exact distances between random pairs and never pairs a code with itself', () => {
    const same = pack([0b0000n, 0b1111n]);
    const d = nullDistances(same, same, 4, 200, createRng(1));
    // Only the pair (0000, 1111) in either order: always 4.
    expect([...new Set(d)]).toEqual([4]);
    const q = pack([0b0000n]);
    const t = pack([0b0001n, 0b0011n, -1n]);
    const cross = nullDistances(q, t, 64, 300, createRng(2));
    expect(new Set(cross)).toEqual(new Set([1, 2, 64]));
  });
});
