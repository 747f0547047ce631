import { describe, expect, it } from 'vitest';
import { HammingIndex } from '../../../src/engine/hash/hamming-index.ts';
import type { HammingFilter } from '../../../src/engine/hash/hamming-index.ts';
import { wordCount } from '../../../src/engine/hash/bits.ts';
import { bitsOf, referenceHamming } from '../../helpers/code-bits.ts';
import type { CodeWords, Hit } from '../../../src/engine/types.ts';
import { createRng } from '../../../src/engine/onnx/random.ts';

/** Seeded uniform [0, 1) numbers (the project's generator) so failures reproduce. */
function rng(seed: number): () => number {
  const g = createRng(seed);
  return () => g.next();
}

function randomCode(r: () => number, bits: number): bigint[] {
  const words: bigint[] = [];
  for (let w = 0; w < wordCount(bits); w++) {
    const n = Math.min(64, bits - 64 * w);
    let v = 0n;
    for (let b = 0; b < n; b++) if (r() < 0.5) v |= 1n << BigInt(b);
    words.push(BigInt.asIntN(64, v));
  }
  return words;
}

/** Straightforward reference: bit-by-bit distance + explicit ±1 inner product + full sort. */
function reference(
  codes: Map<number, CodeWords>,
  bits: number,
  q: CodeWords,
  k: number,
  continuous?: ArrayLike<number>,
  allow?: HammingFilter,
): Hit[] {
  const hits: Hit[] = [];
  for (const [itemId, code] of codes) {
    if (allow && !(typeof allow === 'function' ? allow(itemId) : allow.has(itemId))) continue;
    const distance = referenceHamming(q, code, bits);
    let score = bits - 2 * distance;
    if (continuous) {
      const b = bitsOf(code, bits);
      score = 0;
      for (let i = 0; i < bits; i++) score += (continuous[i] as number) * (b[i] ? 1 : -1);
    }
    hits.push({ itemId, distance, score });
  }
  hits.sort((a, b) => a.distance - b.distance || b.score - a.score || a.itemId - b.itemId);
  return hits.slice(0, Math.max(0, k));
}

function expectSame(got: Hit[], want: Hit[]): void {
  expect(got.map((h) => [h.itemId, h.distance])).toEqual(want.map((h) => [h.itemId, h.distance]));
  got.forEach((h, i) => expect(h.score).toBeCloseTo((want[i] as Hit).score, 6));
}

const KERNELS = ['wasm', 'js'] as const;

describe.each(KERNELS)('HammingIndex (%s kernel)', (kernel) => {
  it('uses the requested kernel', () => {
    expect(new HammingIndex(64, { kernel }).kernel).toBe(kernel);
  });

  for (const bits of [8, 16, 20, 32, 64, 96, 128]) {
    it(`agrees with brute force at ${bits} bits (sizes, k, ties, continuous codes)`, () => {
      const r = rng(bits * 7919 + (kernel === 'js' ? 1 : 0));
      for (const n of [0, 1, 7, 300, 2500]) {
        // A small pool of distinct codes forces many exact ties (same code, same distance).
        const pool = Array.from({ length: Math.max(1, Math.floor(n / 4)) }, () => randomCode(r, bits));
        const codes = new Map<number, CodeWords>();
        const index = new HammingIndex(bits, { kernel });
        const sampled = new HammingIndex(bits, { kernel, sampleAbove: 0, sampleSize: 64 });
        for (let i = 0; i < n; i++) {
          const id = 1 + Math.floor(r() * 10 * n);
          const code = r() < 0.5 ? (pool[Math.floor(r() * pool.length)] as bigint[]) : randomCode(r, bits);
          codes.set(id, code);
          index.upsert(id, code);
          sampled.upsert(id, code);
        }
        expect(index.size).toBe(codes.size);
        for (let t = 0; t < 6; t++) {
          const q = randomCode(r, bits);
          const k = [1, 3, 10, 50, n + 5][t % 5] as number;
          // Integer continuous codes give exact score ties too; float ones exercise real refinement.
          const cont =
            t % 3 === 0
              ? undefined
              : Float32Array.from({ length: bits }, () =>
                  t % 3 === 1 ? Math.round(r() * 6 - 3) : r() * 2 - 1,
                );
          const want = reference(codes, bits, q, k, cont);
          expectSame(index.search({ words: q, continuous: cont }, k), want);
          expectSame(sampled.search({ words: q, continuous: cont }, k), want);
        }
      }
    });
  }

  it('the sampled-cut fused path agrees with brute force, including when the sample misleads', () => {
    const r = rng(31337);
    for (const bits of [16, 64, 128]) {
      for (const sampleSize of [1, 16, 4096]) {
        const index = new HammingIndex(bits, { kernel, sampleAbove: 0, sampleSize });
        const codes = new Map<number, CodeWords>();
        const q = randomCode(r, bits);
        const far = q.map((w, i) =>
          BigInt.asIntN(64, ~w & (i === 0 && bits < 64 ? (1n << BigInt(bits)) - 1n : -1n)),
        );
        const n = 2000;
        const stride = Math.floor(n / Math.min(sampleSize, n));
        for (let i = 0; i < n; i++) {
          // Adversarial: every sampled slot holds the query itself, the rest are far or random;
          // the sample then says "distance 0 is plenty" and the kernel must fall back.
          const c = i % stride === 0 ? q : r() < 0.7 ? far : randomCode(r, bits);
          codes.set(i + 1, c);
          index.upsert(i + 1, c);
        }
        for (const k of [1, 10, 100, 200]) {
          expectSame(index.search({ words: q }, k), reference(codes, bits, q, k));
          const q2 = randomCode(r, bits);
          expectSame(index.search({ words: q2 }, k), reference(codes, bits, q2, k));
        }
      }
    }
  });

  it('applies predicate and set filters (small and large sets)', () => {
    const r = rng(42);
    for (const bits of [16, 64, 128]) {
      const index = new HammingIndex(bits, { kernel });
      const codes = new Map<number, CodeWords>();
      for (let id = 1; id <= 3000; id++) {
        const c = randomCode(r, bits);
        codes.set(id, c);
        index.upsert(id, c);
      }
      const small = new Set(Array.from({ length: 40 }, () => 1 + Math.floor(r() * 3000)));
      small.add(999_999); // unknown ids are ignored
      const large = new Set([...codes.keys()].filter(() => r() < 0.6));
      const filters: HammingFilter[] = [
        (id) => id % 7 === 3,
        (id) => id % 97 === 0,
        small,
        large,
        () => false,
        new Set<number>(),
      ];
      for (const allow of filters) {
        for (const k of [1, 10, 100]) {
          const q = randomCode(r, bits);
          const cont = Float32Array.from({ length: bits }, () => r() - 0.5);
          expectSame(
            index.search({ words: q, continuous: cont }, k, { allow }),
            reference(codes, bits, q, k, cont, allow),
          );
        }
      }
    }
  });

  it('lists every item within a radius, filtered, as brute force does', () => {
    const r = rng(17);
    for (const bits of [16, 64, 128]) {
      const index = new HammingIndex(bits, { kernel });
      const codes = new Map<number, CodeWords>();
      for (let id = 1; id <= 2000; id++) {
        const c = randomCode(r, bits);
        codes.set(id, c);
        index.upsert(id, c);
      }
      index.remove(5);
      codes.delete(5);
      const q = randomCode(r, bits);
      const all = reference(codes, bits, q, codes.size);
      for (const radius of [0, Math.round(bits * 0.4), Math.round(bits * 0.5), bits]) {
        for (const allow of [undefined, (id: number) => id % 3 === 0, new Set([1, 2, 3, 4, 6, 1500])]) {
          const keep = (id: number) =>
            allow === undefined || (typeof allow === 'function' ? allow(id) : allow.has(id));
          const want = all.filter((h) => h.distance <= radius && keep(h.itemId)).map((h) => h.itemId);
          const got = [...index.within({ words: q }, radius, allow ? { allow } : {})];
          expect(got.sort((a, b) => a - b)).toEqual(want.sort((a, b) => a - b));
        }
      }
      expect(index.within({ words: q }, bits)).toHaveLength(codes.size);
      expect(index.within({ words: q }, -1)).toHaveLength(0);
    }
  });

  it('stays exact through upserts, replacements, removals and growth', () => {
    const r = rng(7);
    const bits = 128;
    const index = new HammingIndex(bits, { kernel, capacity: 4 });
    const codes = new Map<number, CodeWords>();
    for (let step = 0; step < 6000; step++) {
      const id = 1 + Math.floor(r() * 1500);
      if (r() < 0.3) {
        expect(index.remove(id)).toBe(codes.delete(id));
      } else {
        const c = randomCode(r, bits);
        codes.set(id, c);
        index.upsert(id, c);
      }
      if (step % 500 === 0) {
        const q = randomCode(r, bits);
        expectSame(index.search({ words: q }, 25), reference(codes, bits, q, 25));
      }
    }
    expect(index.size).toBe(codes.size);
    for (const [id, c] of codes) expect(index.get(id)).toEqual([...c]);
    expect(index.has(1_000_000)).toBe(false);
  });

  it('bulk-loads flat and per-item codes, with duplicate and huge ids', () => {
    const r = rng(99);
    for (const bits of [32, 64, 128]) {
      const W = wordCount(bits);
      const ids = [5, 9, 5, 2 ** 40, 3, 1e6];
      const list = ids.map(() => randomCode(r, bits));
      const flat = BigInt64Array.from(list.flat());
      const want = new Map<number, CodeWords>();
      ids.forEach((id, i) => want.set(id, list[i] as bigint[]));
      for (const words of [flat, list]) {
        const index = new HammingIndex(bits, { kernel });
        index.load(ids, words);
        expect(index.size).toBe(want.size);
        const q = randomCode(r, bits);
        expectSame(index.search({ words: q }, 10), reference(want, bits, q, 10));
        // Loading into a non-empty index replaces and appends.
        index.load([3, 77], BigInt64Array.from([...(list[0] as bigint[]), ...(list[1] as bigint[])]));
        const want2 = new Map(want).set(3, list[0] as bigint[]).set(77, list[1] as bigint[]);
        expectSame(index.search({ words: q }, 10), reference(want2, bits, q, 10));
      }
      expect(() => new HammingIndex(bits).load([1, 2], new BigInt64Array(W))).toThrow(RangeError);
    }
  });

  it('masks bits beyond the code length and handles edge cases', () => {
    const index = new HammingIndex(16, { kernel });
    index.upsert(1, [0xffffn]);
    index.upsert(2, [-1n]); // stray high bits are ignored: same code as item 1
    expect(index.search({ words: [0n] }, 5)).toEqual([
      { itemId: 1, distance: 16, score: -16 },
      { itemId: 2, distance: 16, score: -16 },
    ]);
    expect(index.search({ words: [0n] }, 0)).toEqual([]);
    expect(index.search({ words: [-1n] }, 1)).toEqual([{ itemId: 1, distance: 0, score: 16 }]);
    index.clear();
    expect(index.size).toBe(0);
    expect(index.search({ words: [0n] }, 3)).toEqual([]);
    expect(() => new HammingIndex(0)).toThrow(RangeError);
    expect(() => new HammingIndex(129)).toThrow(RangeError);
  });
});

describe('HammingIndex kernels', () => {
  it('wasm and js kernels return identical results on the same data', () => {
    const r = rng(2024);
    for (const bits of [64, 128]) {
      const a = new HammingIndex(bits, { kernel: 'wasm' });
      const b = new HammingIndex(bits, { kernel: 'js' });
      for (let id = 0; id < 5000; id++) {
        const c = randomCode(r, bits);
        a.upsert(id, c);
        b.upsert(id, c);
      }
      for (let t = 0; t < 20; t++) {
        const q = randomCode(r, bits);
        const cont = Float32Array.from({ length: bits }, () => r() - 0.5);
        expect(a.search({ words: q, continuous: cont }, 20)).toEqual(
          b.search({ words: q, continuous: cont }, 20),
        );
      }
    }
  });
});

describe('HammingIndex.fromStore', () => {
  it('builds from the codes of one head and modality, exactly as stored', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const S = await import('../../../src/engine/store/index.ts');
    const dir = mkdtempSync(join(tmpdir(), 'glint-index-'));
    const store = S.openStore(join(dir, 'library.db'));
    try {
      const r = rng(5);
      const file = S.upsertFile(store, { path: '/n.md', kind: 'note' });
      const items = S.replaceFileItems(
        store,
        file,
        Array.from({ length: 300 }, (_, i) => ({
          kind: 'note_chunk' as const,
          modality: (i % 3 ? 'text' : 'image') as 'text' | 'image',
          charStart: i,
        })),
      );
      S.putHead(store, { id: 'h', kind: 'dghdgh', bits: 128, modelId: 'm', dir: '/h' });
      S.putHead(store, { id: 'other', kind: 'dghdgh', bits: 128, modelId: 'm', dir: '/o' });
      const codes = new Map<number, CodeWords>();
      const entries = items.map((itemId) => ({ itemId, words: randomCode(r, 128) }));
      S.putCodes(store, 'h', entries);
      S.putCodes(store, 'other', entries.slice(0, 10));
      items.forEach((id, i) => {
        if (i % 3) codes.set(id, (entries[i] as { words: bigint[] }).words);
      });
      const index = HammingIndex.fromStore(store, 'h', 'text', 128);
      expect(index.size).toBe(200);
      const q = randomCode(r, 128);
      expectSame(index.search({ words: q }, 15), reference(codes, 128, q, 15));
      expect(HammingIndex.fromStore(store, 'missing', 'text', 64).size).toBe(0);
    } finally {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
