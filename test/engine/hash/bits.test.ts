import { describe, expect, it } from 'vitest';
import { codeToWords, hammingDistance, wordCount } from '../../../src/engine/hash/bits.ts';
import { createRng } from '../../../src/engine/onnx/random.ts';
import { referenceHamming } from '../../helpers/code-bits.ts';

/** Splits signed 64-bit words into the 32-bit halves (low first) that `hammingDistance` reads. */
function halves(words: readonly bigint[]): Uint32Array {
  return Uint32Array.from(
    words.flatMap((w) => [Number(BigInt.asUintN(32, w)), Number(BigInt.asUintN(32, w >> 32n))]),
  );
}

describe('wordCount', () => {
  it('takes one 64-bit word per started 64 bits', () => {
    expect([16, 32, 64, 65, 128, 129].map(wordCount)).toEqual([1, 1, 1, 2, 2, 3]);
  });
});

describe('codeToWords', () => {
  it('sets bit i where value i is > 0 (0 is a 0 bit)', () => {
    // bits 0, 2 and 3 set: 0b1101 = 13
    expect(codeToWords([0.5, -1, 2, 1e-9, 0, -0.1], 6)).toEqual([13n]);
  });

  it('reads row `row` of an n×bits matrix', () => {
    const m = [1, -1, -1, -1, /* row 1 */ -1, -1, 1, 1];
    expect(codeToWords(m, 4, 0)).toEqual([1n]);
    expect(codeToWords(m, 4, 1)).toEqual([12n]);
  });

  it('stores bit 63 as the sign of a signed word and spills bit 64 into the next word', () => {
    const v = new Array<number>(128).fill(-1);
    v[63] = 1;
    v[64] = 1;
    v[127] = 1;
    expect(codeToWords(v, 128)).toEqual([-(2n ** 63n), 1n - 2n ** 63n]);
  });

  it('packs an all-positive 64-bit code as -1', () => {
    expect(codeToWords(new Array<number>(64).fill(1), 64)).toEqual([-1n]);
  });
});

describe('hammingDistance', () => {
  it('counts differing bits of single words (hand-computed)', () => {
    const d = (a: number, b: number): number =>
      hammingDistance(Uint32Array.of(a), 0, Uint32Array.of(b), 0, 1);
    expect(d(0, 0)).toBe(0);
    expect(d(0xffffffff, 0)).toBe(32);
    expect(d(0x80000001, 0)).toBe(2);
    expect(d(0b1011_0110, 0)).toBe(5);
    expect(d(0b1011_0110, 0b0011_0111)).toBe(2);
    expect(d(0xdeadbeef, 0xdeadbeef)).toBe(0);
  });

  it('reads `words` words from the given offsets and nothing beyond', () => {
    const a = Uint32Array.of(0xffffffff, 0b111, 0b1, 0xffffffff);
    const b = Uint32Array.of(0, 0b001, 0b0, 0);
    // words 1..2 of a against words 1..2 of b: 2 + 1
    expect(hammingDistance(a, 1, b, 1, 2)).toBe(3);
    // word 0 of b against words 1 of a: popcount(0b111) = 3
    expect(hammingDistance(a, 1, b, 0, 1)).toBe(3);
    expect(hammingDistance(a, 0, b, 0, 0)).toBe(0);
    expect(hammingDistance(a, 0, b, 0, 4)).toBe(32 + 2 + 1 + 32);
  });

  it('agrees with a bit-by-bit count on random codes of every supported length', () => {
    const rng = createRng(7);
    for (const bits of [16, 32, 64, 128]) {
      for (let t = 0; t < 50; t++) {
        const x = Array.from({ length: bits }, () => rng.next() - 0.5);
        const y = Array.from({ length: bits }, () => rng.next() - 0.5);
        const wx = codeToWords(x, bits);
        const wy = codeToWords(y, bits);
        let want = 0;
        for (let i = 0; i < bits; i++) if (x[i]! > 0 !== y[i]! > 0) want++;
        expect(referenceHamming(wx, wy, bits)).toBe(want);
        expect(hammingDistance(halves(wx), 0, halves(wy), 0, halves(wx).length)).toBe(want);
      }
    }
  });
});
