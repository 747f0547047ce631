import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/engine/onnx/random.ts';
import {
  calibrateHeadRadii,
  radiiStale,
  readHeadRadii,
  saveHeadRadii,
} from '../../../src/engine/search/head-radii.ts';
import * as S from '../../../src/engine/store/index.ts';
import { library } from '../store/helpers.ts';

const HEAD = { id: 'h64', kind: 'default', bits: 64, dir: '/heads/h64' };

/** A library of `random` unrelated photo codes, `planted` codes a few bits from `query`, and text codes. */
function planted(store: S.Store, query: bigint, planted: number, random: number, texts: number): number[] {
  const rng = createRng(3, 'planted');
  const word = (): bigint =>
    BigInt.asIntN(
      64,
      (BigInt(Math.floor(rng.next() * 2 ** 32)) << 32n) | BigInt(Math.floor(rng.next() * 2 ** 32)),
    );
  S.putHead(store, { ...HEAD, modelId: 'm' });
  const folder = S.addFolder(store, '/p');
  const add = (i: number, modality: 'image' | 'text', w: bigint): number => {
    const fileId = S.upsertFile(store, { path: `/p/${modality}${i}`, folderId: folder.id, kind: 'photo' });
    const [id] = S.replaceFileItems(store, fileId, [
      {
        kind: modality === 'image' ? 'photo' : 'caption',
        modality,
        text: modality === 'text' ? `t${i}` : null,
      },
    ]);
    S.putCodes(store, HEAD.id, [{ itemId: id!, words: [w] }]);
    return id!;
  };
  const ids: number[] = [];
  for (let i = 0; i < planted; i++) {
    // Up to 5 of the 64 bits flipped: near the query, as a photo of what it asks for would be.
    let w = query;
    for (let f = 0; f < 1 + (i % 5); f++) w ^= 1n << BigInt(Math.floor(rng.next() * 64));
    ids.push(add(i, 'image', BigInt.asIntN(64, w)));
  }
  for (let i = 0; i < random; i++) add(planted + i, 'image', word());
  for (let i = 0; i < texts; i++) add(i, 'text', word());
  return ids;
}

const distance = (a: bigint, b: bigint): number => {
  let x = BigInt.asUintN(64, a ^ b);
  let n = 0;
  for (; x; x >>= 1n) n += Number(x & 1n);
  return n;
};

describe('head radii (calibration on a library where the answer is known)', () => {
  it('keeps the photos planted near a query and drops all but about 1 % of the rest', () => {
    const store = library();
    const query = 0x0123_4567_89ab_cdefn;
    planted(store, query, 20, 2000, 300);
    const radii = calibrateHeadRadii(store, { ...HEAD });
    const r = radii.radius['text-image'];
    // Random 64-bit codes are Binomial(64, ½) apart: the 1 % quantile is about 22–23 bits.
    expect(r).toBeGreaterThanOrEqual(20);
    expect(r).toBeLessThanOrEqual(24);
    const codes = S.readCodes(store, HEAD.id, 'image', 1);
    const d = [...codes.words].map((w) => distance(w, query));
    const kept = d.filter((x) => x <= r);
    const plantedKept = d.slice(0, 20).filter((x) => x <= r).length;
    expect(plantedKept).toBe(20);
    const randomKept = kept.length - plantedKept;
    expect(randomKept / 2000).toBeLessThan(0.03);
    expect(radii.codes).toBe(2320);
    store.close();
  });

  it('stores the radii with the head (keeping its other metrics), prefers a trained head’s validation radii, and knows when they are stale', () => {
    const store = library();
    planted(store, 0n, 5, 100, 50);
    S.setHeadMetrics(store, HEAD.id, {
      stage: 'dghdgh',
      validation: { trained: { radius: { 'text-image': 9, 'image-text': 11 } } },
    });
    const radii = calibrateHeadRadii(store, { ...HEAD });
    expect(radii.radius['text-image']).toBe(9);
    expect(radii.radius['image-text']).toBe(11);
    saveHeadRadii(store, HEAD.id, radii);
    expect(readHeadRadii(store, HEAD.id)).toEqual(radii);
    expect((S.getHead(store, HEAD.id)?.metrics as { stage: string }).stage).toBe('dghdgh');
    expect(radiiStale(1000, 1200)).toBe(false);
    expect(radiiStale(1000, 1300)).toBe(true);
    expect(radiiStale(10, 25)).toBe(false);
    store.close();
  });

  it('falls back to the fair-coin radius where a modality has too few codes', () => {
    const store = library();
    planted(store, 0n, 0, 50, 0);
    const radii = calibrateHeadRadii(store, { ...HEAD });
    expect(radii.radius['text-image']).toBe(radii.radius['text-text']);
    expect(radii.radius['text-image']).toBeGreaterThan(15);
    store.close();
  });
});
