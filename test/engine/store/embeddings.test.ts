import { describe, expect, it } from 'vitest';
import * as S from '../../../src/engine/store/index.ts';
import { library, seed, vec } from './helpers.ts';

describe('store/embeddings', () => {
  it('Float32Array ↔ BLOB round trip and batch read per model and modality', () => {
    const s = library();
    const { pItem, cItem, n1, n2 } = seed(s);
    expect(S.getEmbedding(s, pItem, 'clip')).toEqual(vec(pItem));
    expect(S.getEmbedding(s, pItem, 'other')).toBeUndefined();
    const text = S.readEmbeddings(s, 'clip', 'text');
    expect(text.dim).toBe(4);
    expect(text.itemIds).toEqual([cItem, n1, n2]);
    expect(text.vectors).toEqual(Float32Array.from([...vec(cItem), ...vec(n1), ...vec(n2)]));
    const none = S.readEmbeddings(s, 'nope', 'image');
    expect(none).toEqual({ itemIds: [], vectors: new Float32Array(0), dim: 0 });
    // A view into a larger buffer is stored as just its own values.
    const big = new Float32Array(10).map((_, i) => i);
    S.putEmbeddings(s, 'clip', [{ itemId: pItem, vector: big.subarray(3, 7) }]);
    expect(S.getEmbedding(s, pItem, 'clip')).toEqual(Float32Array.from([3, 4, 5, 6]));
    expect(S.countEmbeddingsByModel(s)).toEqual({ clip: 4 });
  });

  it('stores float32 little-endian bytes exactly (including -0, NaN and denormals)', () => {
    const s = library();
    const { pItem } = seed(s);
    const v = Float32Array.of(-0, Number.NaN, 1e-45, 3.4028234663852886e38);
    S.putEmbeddings(s, 'clip', [{ itemId: pItem, vector: v }]);
    const blob = s.db
      .prepare("SELECT vector FROM embeddings WHERE item_id = ? AND model_id = 'clip'")
      .pluck()
      .get(pItem) as Buffer;
    // -0 = 0x80000000, NaN = 0x7fc00000, smallest denormal = 1, FLT_MAX = 0x7f7fffff (little-endian)
    expect([...blob]).toEqual([0, 0, 0, 0x80, 0, 0, 0xc0, 0x7f, 1, 0, 0, 0, 0xff, 0xff, 0x7f, 0x7f]);
    const back = S.getEmbedding(s, pItem, 'clip')!;
    expect(Object.is(back[0], -0)).toBe(true);
    expect(back[1]).toBeNaN();
    expect(back[2]).toBe(v[2]);
    expect(back[3]).toBe(v[3]);
  });

  it('counts per model and modality; a second model is kept apart', () => {
    const s = library();
    const { pItem, n1 } = seed(s);
    S.putEmbeddings(s, 'other', [
      { itemId: pItem, vector: Float32Array.of(1, 2) },
      { itemId: n1, vector: Float32Array.of(3, 4) },
    ]);
    expect(S.countEmbeddings(s, 'clip', 'text')).toBe(3);
    expect(S.countEmbeddings(s, 'clip', 'image')).toBe(1);
    expect(S.countEmbeddings(s, 'other', 'text')).toBe(1);
    expect(S.countEmbeddingsByModel(s)).toEqual({ clip: 4, other: 2 });
    expect(S.readEmbeddings(s, 'other', 'image')).toEqual({
      itemIds: [pItem],
      vectors: Float32Array.of(1, 2),
      dim: 2,
    });
  });

  it('refuses a batch whose rows differ in length, naming the item', () => {
    const s = library();
    const { cItem, n1 } = seed(s);
    S.putEmbeddings(s, 'clip', [{ itemId: n1, vector: Float32Array.of(1, 2, 3) }]);
    expect(cItem).toBeLessThan(n1);
    expect(() => S.readEmbeddings(s, 'clip', 'text')).toThrow(
      new RegExp(`item ${n1} for clip has 3 values, expected 4`),
    );
  });
});
