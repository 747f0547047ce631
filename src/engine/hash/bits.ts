import type { CodeBits, CodeWords } from '../types.ts';

/** How many signed 64-bit words (SQLite INTEGER columns) a code of `bits` bits takes. */
export function wordCount(bits: CodeBits | number): number {
  return Math.ceil(bits / 64);
}

/**
 * Packs the signs of a continuous code (row `row` of an n×bits matrix) into signed 64-bit words:
 * bit i is set where code[i] > 0 (so 0 maps to bit 0, like sign(0) → −1 in the method).
 */
export function codeToWords(continuous: ArrayLike<number>, bits: number, row = 0): bigint[] {
  const words: bigint[] = [];
  const base = row * bits;
  for (let w = 0; w < wordCount(bits); w++) {
    let word = 0n;
    const end = Math.min(64, bits - w * 64);
    for (let b = 0; b < end; b++) {
      if ((continuous[base + w * 64 + b] as number) > 0) word |= 1n << BigInt(b);
    }
    words.push(BigInt.asIntN(64, word));
  }
  return words;
}

/** Unpacks words back to one 0/1 byte per bit (bit i of the code at index i). */
export function wordsToBits(words: CodeWords, bits: number): Uint8Array {
  const out = new Uint8Array(bits);
  for (let i = 0; i < bits; i++) {
    const word = BigInt.asUintN(64, words[i >> 6] ?? 0n);
    out[i] = Number((word >> BigInt(i & 63)) & 1n);
  }
  return out;
}

/** Hamming distance between two codes given as words (reference implementation, not the fast path). */
export function hammingWords(a: CodeWords, b: CodeWords): number {
  let d = 0;
  for (let w = 0; w < Math.max(a.length, b.length); w++) {
    let x = BigInt.asUintN(64, (a[w] ?? 0n) ^ (b[w] ?? 0n));
    while (x) {
      x &= x - 1n;
      d++;
    }
  }
  return d;
}
