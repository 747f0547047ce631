/**
 * Binary codes packed for fast Hamming scans in the evaluation metrics.
 *
 * Representation: `n` codes of `bits` bits, row-major in a `Uint32Array`, `stride = ceil(bits / 32)` words
 * per code; bit i of a code is bit (i % 32) of word floor(i / 32), set where the continuous value is > 0.
 * That is the same bit order as `hash/bits.ts` (whose 64-bit word w is 32-bit words 2w, 2w+1 here), so
 * `packCodeWords(codeToWords(…))` and `packCodes(…)` agree. Unused high bits of the last word are 0.
 * NOTE: 32-bit words keep all arithmetic in V8's int32 fast paths (no BigInt); a distance costs `stride`
 * XORs and SWAR popcounts (`hammingDistance` of `hash/bits.ts`, the product's one distance).
 */
import { GlintError } from '../errors.ts';
import { hammingDistance } from '../hash/bits.ts';
import type { CodeWords } from '../types.ts';

/** `n` binary codes of `bits` bits packed into 32-bit words (see the module comment for the layout). */
export interface PackedCodes {
  readonly n: number;
  readonly bits: number;
  /** Words per code: ceil(bits / 32). */
  readonly stride: number;
  readonly words: Uint32Array;
}

function checkShape(n: number, bits: number): number {
  if (!Number.isInteger(n) || n < 0)
    throw new GlintError('metrics-bad-input', `code count must be an integer ≥ 0, got ${n}`);
  if (!Number.isInteger(bits) || bits < 1 || bits > 65535) {
    throw new GlintError('metrics-bad-input', `code length must be an integer in 1..65535 bits, got ${bits}`);
  }
  return Math.ceil(bits / 32);
}

/**
 * Packs the signs of an n×bits row-major matrix (±1 codes as Int8Array/Float32Array, or relaxed tanh
 * outputs): bit = 1 where the value is > 0 (so 0 → bit 0, like sign(0) → −1 in `hash/bits.ts`).
 */
export function packCodes(values: ArrayLike<number>, n: number, bits: number): PackedCodes {
  const stride = checkShape(n, bits);
  if (values.length !== n * bits) {
    throw new GlintError(
      'metrics-bad-input',
      `expected ${n}×${bits} = ${n * bits} values, got ${values.length}`,
    );
  }
  const words = new Uint32Array(n * stride);
  for (let i = 0; i < n; i++) {
    const base = i * bits;
    for (let b = 0; b < bits; b++) {
      if ((values[base + b] as number) > 0) {
        const w = i * stride + (b >>> 5);
        words[w] = ((words[w] as number) | (1 << (b & 31))) >>> 0;
      }
    }
  }
  return { n, bits, stride, words };
}

/** Packs codes given as signed 64-bit words (the `hash/bits.ts` / store format). */
export function packCodeWords(codes: readonly CodeWords[], bits: number): PackedCodes {
  const n = codes.length;
  const stride = checkShape(n, bits);
  const words = new Uint32Array(n * stride);
  for (let i = 0; i < n; i++) {
    const code = codes[i] as CodeWords;
    for (let w = 0; w < stride; w++) {
      const word64 = BigInt.asUintN(64, code[w >> 1] ?? 0n);
      words[i * stride + w] = Number((w & 1 ? word64 >> 32n : word64) & 0xffffffffn);
    }
    // NOTE: bits beyond `bits` are cleared so stray high bits in a stored word never count as distance.
    const rem = bits & 31;
    if (rem)
      words[i * stride + stride - 1] = ((words[i * stride + stride - 1] as number) & ((1 << rem) - 1)) >>> 0;
  }
  return { n, bits, stride, words };
}

/** Throws unless query and database codes have the same length. */
export function checkCompatible(query: PackedCodes, db: PackedCodes): void {
  if (query.bits !== db.bits || query.stride !== db.stride) {
    throw new GlintError(
      'metrics-bad-input',
      `query codes have ${query.bits} bits but database codes ${db.bits}`,
    );
  }
}

/** Hamming distance between query code `qi` and database code `di`. */
export function hamming(query: PackedCodes, qi: number, db: PackedCodes, di: number): number {
  const s = query.stride;
  return hammingDistance(query.words, qi * s, db.words, di * s, s);
}

/** Fills `out[di]` with the Hamming distance from query code `qi` to every database code. */
export function hammingRow(query: PackedCodes, qi: number, db: PackedCodes, out: Uint16Array): void {
  const s = db.stride;
  const qw = query.words;
  const dw = db.words;
  const q = qi * s;
  for (let i = 0, o = 0; i < db.n; i++, o += s) out[i] = hammingDistance(qw, q, dw, o, s);
}
