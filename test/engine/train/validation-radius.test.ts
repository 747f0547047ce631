import { describe, expect, it } from 'vitest';
import { packCodes } from '../../../src/engine/train/metrics-codes.ts';
import { validationRadius } from '../../../src/engine/train/validation-radius.ts';

describe('validationRadius (a trained head’s radius from its validation pairs)', () => {
  it('picks the distance that best separates pairs sharing a tag, by F1, on hand-made codes', () => {
    // 4 rows, 4 bits; rows 0 and 1 share tag A, rows 2 and 3 share tag B.
    const image = packCodes([1, 1, 1, 1, 1, 1, 1, -1, -1, -1, -1, -1, -1, -1, 1, -1], 4, 4);
    const text = packCodes([1, 1, 1, 1, 1, 1, -1, 1, -1, -1, -1, -1, -1, -1, -1, 1], 4, 4);
    const labels = [1, 0, 1, 0, 0, 1, 0, 1];
    // Codes (bit set where > 0): image 1111, 1110, 0000, 0010; text 1111, 1101, 0000, 0001. Every
    // same-tag text→image pair is at distance 1, every other pair at 3 or 4: the smallest radius that
    // keeps all of the first and none of the rest is 1 (F1 = 1; 2 ties it and the smaller one wins).
    expect(validationRadius(text, image, labels, 2)).toBe(1);
    expect(validationRadius(image, text, labels, 2)).toBe(1);
    // Labels that disagree with the codes (rows 0 and 2 share a tag, at distance 4): the best F1 radius
    // has to take in that far pair too.
    expect(validationRadius(text, image, [1, 0, 0, 1, 1, 0, 0, 1], 2)).toBe(4);
  });

  it('is −1 when no pair shares a tag', () => {
    const codes = packCodes([1, -1, -1, 1], 2, 2);
    expect(validationRadius(codes, codes, [1, 0, 0, 1], 2)).toBe(-1);
  });
});
