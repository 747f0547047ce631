/** The one epochs rule: what the Retrain view, the API schema, `glint train` and training itself refuse. */
import { describe, expect, it } from 'vitest';
import { epochsProblem } from '../../src/contract/epochs.ts';
import { MAX_EPOCHS, MIN_EPOCHS } from '../../src/contract/limits.ts';

describe('epochsProblem', () => {
  it('accepts whole numbers from 1 to 500, as numbers or as typed text', () => {
    for (const ok of [MIN_EPOCHS, 2, 30, MAX_EPOCHS, '7', ' 12 ']) expect(epochsProblem(ok)).toBeUndefined();
  });

  it('refuses zero, negatives, fractions, absurd counts, empty and non-numbers, naming what was given', () => {
    const cases: Array<[unknown, string]> = [
      [0, '0'],
      [-5, '-5'],
      [2.5, '2.5'],
      [501, '501'],
      [1e9, '1000000000'],
      [Number.NaN, 'NaN'],
      [Number.POSITIVE_INFINITY, 'Infinity'],
      ['', 'nothing'],
      [undefined, 'nothing'],
      [null, 'nothing'],
      ['ten', '"ten"'],
      ['3.5', '"3.5"'],
      [true, 'true'],
    ];
    for (const [value, shown] of cases) {
      expect(epochsProblem(value)).toBe(
        `must be a whole number from 1 to 500 (each epoch is one pass over your tagged photos); you gave ${shown}`,
      );
    }
  });
});
