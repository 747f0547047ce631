import { describe, expect, it } from 'vitest';
import { GlintError } from '../../../src/engine/errors.ts';
import { splitValidation } from '../../../src/engine/train/split-validation.ts';

describe('splitValidation', () => {
  it('splits into disjoint ascending parts covering 0..n−1, reproducibly per seed', () => {
    const a = splitValidation(2173, 0.1, 7);
    expect(a.validation.length).toBe(217);
    expect(a.train.length).toBe(2173 - 217);
    const all = [...a.train, ...a.validation].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 2173 }, (_, i) => i));
    for (const part of [a.train, a.validation]) {
      for (let i = 1; i < part.length; i++) expect(part[i] as number).toBeGreaterThan(part[i - 1] as number);
    }
    expect(splitValidation(2173, 0.1, 7)).toEqual(a);
    expect(splitValidation(2173, 0.1, 8).validation).not.toEqual(a.validation);
  });

  it('refuses fractions that leave a part empty', () => {
    expect(() => splitValidation(10, 0, 1)).toThrow(GlintError);
    expect(() => splitValidation(10, 1, 1)).toThrow(GlintError);
    expect(() => splitValidation(10, 0.01, 1)).toThrow(/two non-empty parts/);
    expect(() => splitValidation(10, 0.99, 1)).toThrow(/two non-empty parts/);
  });
});
