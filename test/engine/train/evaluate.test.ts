import { describe, expect, it } from 'vitest';
import { validationMap, type CodeEncoder, type PairedSet } from '../../../src/engine/train/evaluate.ts';

/** The "model" returns its inputs as continuous codes, so the codes below are exactly what is ranked. */
const identity: CodeEncoder = (_m, x) => Promise.resolve(x);

const set = (image: number[][], text: number[][], classes: number[]): PairedSet => ({
  n: classes.length,
  image: Float32Array.from(image.flat()),
  text: Float32Array.from(text.flat()),
  labels: classes.flatMap((c) => (c === 0 ? [1, 0] : [0, 1])),
});

describe('validationMap', () => {
  // Validation rows (queries): A, B. Training rows (database): A, B, A. 3-bit codes.
  const validation = set(
    [
      [1, 1, -1],
      [1, -1, 1],
    ],
    [
      [1, 1, 1],
      [-1, -1, -1],
    ],
    [0, 1],
  );
  const train = set(
    [
      [1, 1, 1],
      [-1, -1, -1],
      [-1, -1, 1],
    ],
    [
      [1, 1, 1],
      [-1, -1, -1],
      [1, -1, -1],
    ],
    [0, 1, 0],
  );

  it('ranks validation queries against the training rows when given them (hand-computed)', async () => {
    // I→T: image [1,1,-1] (A) → texts at distances 1 (A), 2 (B), 1 (A): both relevant first, AP 1.
    //      image [1,-1,1] (B) → distances 1 (A), 2 (B), 1 (A): its one relevant item last, AP 1/3.
    // T→I: text [1,1,1] (A) → images at 0 (A), 3 (B), 2 (A): AP 1; text [-1,-1,-1] (B) → 3, 0 (B), 1: AP 1.
    const v = await validationMap(identity, validation, 2, 3, train);
    expect(v.it).toBeCloseTo(2 / 3, 12);
    expect(v.ti).toBeCloseTo(1, 12);
    expect(v.map).toBeCloseTo(5 / 6, 12);
  });

  it('without a database, the validation rows are their own database', async () => {
    const own = await validationMap(identity, validation, 2, 3);
    const { radius, ...maps } = own;
    expect(maps).toEqual(await validationMap(identity, validation, 2, 3, validation));
    // Its own rows also give the radius search keeps to (validation-radius.ts), within the code length.
    expect(radius?.['text-image']).toBeGreaterThanOrEqual(-1);
    expect(radius?.['text-image']).toBeLessThanOrEqual(3);
    // image [1,-1,1] (B) against texts [1,1,1] (A, distance 1) and [-1,-1,-1] (B, distance 2): AP 1/2.
    expect(own.it).toBeCloseTo((1 + 1 / 2) / 2, 12);
  });

  it('refuses a database whose labels do not match the class count', async () => {
    const bad = { ...train, labels: [1, 0, 1] };
    await expect(validationMap(identity, validation, 2, 3, bad)).rejects.toMatchObject({
      code: 'metrics-bad-input',
    });
  });
});
