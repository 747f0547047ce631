/** Bit-by-bit references for codes stored as signed 64-bit words (tests only; the product packs with SWAR). */
import type { CodeWords } from '../../src/engine/types.ts';

/** One 0/1 byte per bit: bit i of the code (bit i % 64 of word floor(i / 64)) at index i. */
export function bitsOf(words: CodeWords, bits: number): Uint8Array {
  const out = new Uint8Array(bits);
  for (let i = 0; i < bits; i++) {
    const word = BigInt.asUintN(64, words[i >> 6] ?? 0n);
    out[i] = Number((word >> BigInt(i & 63)) & 1n);
  }
  return out;
}

/** Hamming distance counted one bit position at a time over `bits` bits. */
export function referenceHamming(a: CodeWords, b: CodeWords, bits: number): number {
  const x = bitsOf(a, bits);
  const y = bitsOf(b, bits);
  let d = 0;
  for (let i = 0; i < bits; i++) if (x[i] !== y[i]) d++;
  return d;
}
