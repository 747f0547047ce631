/**
 * Changing the code length on a real library (tiny stand-in CLIP, shared photos and notes, real SQLite and ONNX
 * Runtime): a default head of the new length is fitted and every item re-hashed from its cached embedding,
 * with progress; search then ranks by 16-bit codes; the user's trained head of a length is preferred and kept
 * as it was; no head is ever deleted.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { headForBits } from '../../../src/engine/hash/code-length.ts';
import { codeToWords } from '../../../src/engine/hash/bits.ts';
import { writeDefaultHead } from '../../../src/engine/hash/head-default.ts';
import { loadHead } from '../../../src/engine/hash/head.ts';
import { getCode, openStore, putHead, readEmbeddings, type Store } from '../../../src/engine/store/index.ts';
import { HAS_SHARED_DATA } from '../../helpers/shared-data.ts';
import { openHostFixture, type HostFixture } from '../host/host-fixture.ts';

describe.runIf(HAS_SHARED_DATA)('switching the code length (real engine, tiny stand-in CLIP)', () => {
  let fx: HostFixture;
  let store: Store;
  beforeAll(async () => {
    fx = await openHostFixture(6);
    // A second connection reads what the engine wrote (WAL), as `glint heads list` would.
    store = openStore(fx.engine.paths.db, { readonly: true });
  }, 120_000);
  afterAll(async () => {
    store?.close();
    await fx?.cleanup();
  });

  const ids = (): string[] => fx.engine.heads.list().map((h) => h.id);

  it('fits a 16-bit default head, re-hashes every item with progress, and search ranks by 16-bit codes', async () => {
    const before = fx.engine.heads.active;
    expect(before.bits).toBe(64);
    const progress: Array<[number, number]> = [];
    const change = await fx.engine.heads.useCodeLength(16, (done, total) => progress.push([done, total]));
    const images = readEmbeddings(store, fx.engine.modelId, 'image');
    const texts = readEmbeddings(store, fx.engine.modelId, 'text');
    const items = images.itemIds.length + texts.itemIds.length;
    expect(change).toMatchObject({ source: 'new', rehashed: items, head: { kind: 'default', bits: 16 } });
    expect(progress.at(-1)).toEqual([items, items]);
    expect(fx.engine.heads.active).toEqual(change.head);
    expect(fx.engine.status().head.bits).toBe(16);
    const active = fx.engine.heads.list().filter((h) => h.active);
    expect(active).toMatchObject([{ id: change.head.id, bits: 16 }]);
    // The 64-bit head stays, to switch back to.
    expect(ids()).toContain(before.id);

    // Every item's stored code is the new head's code of its cached embedding.
    const head = await loadHead(change.head.dir);
    for (const [modality, batch] of [
      ['image', images],
      ['text', texts],
    ] as const) {
      const codes = await head.encode(modality, batch.vectors, batch.itemIds.length);
      batch.itemIds.forEach((id, i) =>
        expect(getCode(store, change.head.id, id)).toEqual(codeToWords(codes, 16, i)),
      );
    }
    await head.release();

    const found = await fx.engine.search.query({ terms: [{ text: 'a dog' }], photos: 6, reach: 'all' });
    expect(found.photos).toHaveLength(6);
    expect(found.photos.every((p) => p.distance >= 0 && p.distance <= 16)).toBe(true);
  });

  it('switching back reuses the default head of that length; nothing is deleted', async () => {
    const known = ids();
    const change = await fx.engine.heads.useCodeLength(64);
    expect(change.source).toBe('default');
    expect(fx.engine.heads.active.bits).toBe(64);
    expect(ids()).toEqual(expect.arrayContaining(known));
    expect(await fx.engine.heads.useCodeLength(64)).toMatchObject({ source: 'unchanged', rehashed: 0 });
  });

  it("prefers the user's trained head of the chosen length and leaves it exactly as it was", async () => {
    // A trained head as the library keeps one: its own ONNX files and record (kind 'dghdgh').
    const dir = join(fx.engine.paths.heads, 'dghdgh-32-mine');
    await writeDefaultHead(dir, { bits: 32, modelId: fx.engine.modelId, seed: 99, id: 'dghdgh-32-mine' });
    const writer = openStore(fx.engine.paths.db);
    putHead(writer, { id: 'dghdgh-32-mine', kind: 'dghdgh', bits: 32, modelId: fx.engine.modelId, dir });
    writer.close();
    const files = readdirSync(dir);
    expect(files.filter((f) => f.endsWith('.onnx'))).toHaveLength(2);
    const bytes = files.map((f) => readFileSync(join(dir, f)));
    expect(headForBits(store, fx.engine.modelId, 32)?.id).toBe('dghdgh-32-mine');

    const known = ids();
    const change = await fx.engine.heads.useCodeLength(32);
    expect(change).toMatchObject({ source: 'trained', head: { id: 'dghdgh-32-mine', bits: 32 } });
    expect(fx.engine.heads.active.id).toBe('dghdgh-32-mine');
    files.forEach((f, i) => expect(readFileSync(join(dir, f)).equals(bytes[i]!)).toBe(true));
    expect(readdirSync(dir)).toEqual(files);
    expect(ids().sort()).toEqual(known.sort());
  });
});
