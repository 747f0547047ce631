import { describe, expect, it } from 'vitest';
import { codeToWords } from '../../../src/engine/hash/bits.ts';
import { referenceHamming } from '../../helpers/code-bits.ts';
import { hamming, hammingRow, packCodes, packCodeWords } from '../../../src/engine/train/metrics-codes.ts';
import { createRng, randomInt, shuffleInPlace } from '../../../src/engine/train/metrics-random.ts';
import { GlintError } from '../../../src/engine/errors.ts';

describe('packed codes', () => {
  it('packs ±1 values like hash/bits.ts and measures the same distances', () => {
    const rng = createRng(1);
    for (const bits of [16, 32, 64, 128, 70, 5]) {
      const n = 20;
      const v = Float32Array.from({ length: n * bits }, () => rng.next() * 2 - 1);
      const packed = packCodes(v, n, bits);
      expect(packed.stride).toBe(Math.ceil(bits / 32));
      const words = Array.from({ length: n }, (_, i) => codeToWords(v, bits, i));
      const fromWords = packCodeWords(words, bits);
      expect(fromWords.words).toEqual(packed.words);
      const row = new Uint16Array(n);
      for (let i = 0; i < n; i++) {
        hammingRow(packed, i, packed, row);
        for (let j = 0; j < n; j++) {
          const want = referenceHamming(words[i] as bigint[], words[j] as bigint[], bits);
          expect(hamming(packed, i, packed, j)).toBe(want);
          expect(row[j]).toBe(want);
        }
      }
    }
  });

  it('treats 0 as a 0 bit and clears stray high bits of stored words', () => {
    expect(packCodes(Int8Array.from([0, 1, -1]), 1, 3).words[0]).toBe(0b010);
    expect(packCodeWords([[-1n]], 16).words[0]).toBe(0xffff);
  });

  it('rejects a size mismatch', () => {
    expect(() => packCodes(new Int8Array(10), 2, 4)).toThrow(GlintError);
    expect(() => packCodes(new Int8Array(0), 0, 0)).toThrow(/code length/);
  });
});

describe('metrics sampling helpers', () => {
  it('draws reproducible integers covering [0, n)', () => {
    const a = createRng(123);
    const b = createRng(123);
    const xs = Array.from({ length: 10000 }, () => randomInt(a, 7));
    expect(xs.slice(0, 20)).toEqual(Array.from({ length: 20 }, () => randomInt(b, 7)));
    expect(new Set(xs)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6]));
    for (let k = 0; k < 7; k++) {
      expect(Math.abs(xs.filter((x) => x === k).length / 10000 - 1 / 7)).toBeLessThan(0.02);
    }
  });

  it('shuffles to a permutation, reproducibly per seed', () => {
    const id = (): Uint32Array => Uint32Array.from({ length: 100 }, (_, i) => i);
    const p = shuffleInPlace(id(), createRng(5));
    expect([...p].sort((x, y) => x - y)).toEqual([...id()]);
    expect(p).not.toEqual(id());
    expect(shuffleInPlace(id(), createRng(5))).toEqual(p);
  });
});
