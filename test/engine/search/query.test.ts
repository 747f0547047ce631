import { describe, expect, it } from 'vitest';
import { combineCodes } from '../../../src/engine/search/query.ts';

describe('combineCodes (the rule for composite queries)', () => {
  it('leaves one positive term as it is', () => {
    const codes = new Float32Array([0.5, -2, 3, 0]);
    expect([...combineCodes(codes, [1], 4)]).toEqual([0.5, -2, 3, 0]);
    expect([...combineCodes(codes, [2.5], 4)]).toEqual([0.5, -2, 3, 0]);
  });

  it('sums the terms as unit vectors times their weights', () => {
    // |(3,4)| = 5 and |(0,-2)| = 2: (0.6, 0.8) + 2 * (0, -1) = (0.6, -1.2)
    const out = combineCodes(new Float32Array([3, 4, 0, -2]), [1, 2], 2);
    expect(out[0]).toBeCloseTo(0.6, 6);
    expect(out[1]).toBeCloseTo(-1.2, 6);
  });

  it('pulls away from a negative term, and one negative term is its own code negated', () => {
    const out = combineCodes(new Float32Array([1, 0, 1, 1]), [1, -1], 2);
    expect(out[0]).toBeCloseTo(1 - Math.SQRT1_2, 6);
    expect(out[1]).toBeCloseTo(-Math.SQRT1_2, 6);
    const negated = combineCodes(new Float32Array([3, -4]), [-1], 2);
    expect(negated[0]).toBeCloseTo(-0.6, 6);
    expect(negated[1]).toBeCloseTo(0.8, 6);
  });

  it('gives an all-zero term no say (no division by zero)', () => {
    const out = combineCodes(new Float32Array([0, 0, 1, -1]), [1, 1], 2);
    expect(out[0]).toBeCloseTo(Math.SQRT1_2, 6);
    expect(out[1]).toBeCloseTo(-Math.SQRT1_2, 6);
  });
});
