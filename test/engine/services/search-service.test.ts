import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchQuery } from '../../../src/engine/engine.ts';
import { HAS_SHARED_DATA } from '../../helpers/shared-data.ts';
import { openHostFixture, type HostFixture } from '../host/host-fixture.ts';

describe.runIf(HAS_SHARED_DATA)('SearchService.query (one search for every client)', () => {
  let fx: HostFixture;
  beforeAll(async () => {
    fx = await openHostFixture(6);
  }, 120_000);
  afterAll(async () => {
    await fx?.cleanup();
  });

  const ids = async (query: SearchQuery): Promise<number[]> =>
    (await fx.engine.search.query(query)).photos.map((p) => p.id);

  it('answers photos and notes together, each best first', async () => {
    const found = await fx.engine.search.query({ terms: [{ text: 'a dog' }], photos: 6, notes: 4 });
    expect(found.photos).toHaveLength(6);
    expect(found.notes).toHaveLength(4);
    expect(found.photos.every((p) => p.kind === 'photo')).toBe(true);
    expect(found.notes.every((n) => n.kind !== 'photo')).toBe(true);
    for (const list of [found.photos, found.notes]) {
      const d = list.map((h) => h.distance);
      expect(d).toEqual([...d].sort((a, b) => a - b));
    }
  });

  it('combines terms by the documented rule: a repeated term changes nothing, a negated one reverses the order', async () => {
    const once = await ids({ terms: [{ text: 'a dog on grass' }], photos: 6 });
    expect(await ids({ terms: [{ text: 'a dog on grass' }, { text: 'a dog on grass' }], photos: 6 })).toEqual(
      once,
    );
    const away = await fx.engine.search.query({ terms: [{ text: 'a dog on grass', weight: -1 }], photos: 6 });
    const toward = await fx.engine.search.query({ terms: [{ text: 'a dog on grass' }], photos: 6 });
    const bits = fx.engine.heads.active.bits;
    // The negated code is the complement of the code: every distance d becomes bits - d.
    const byId = new Map(toward.photos.map((p) => [p.id, p.distance]));
    for (const p of away.photos) expect(p.distance).toBe(bits - byId.get(p.id)!);
  });

  it('mixes text and an image in one query, leaving the query photo out and honouring filters', async () => {
    const photo = join(fx.photos, fx.manifest[0]!.file);
    const own = fx.engine.search.photoIdAt(photo);
    const mixed = await fx.engine.search.query({ terms: [{ text: 'a dog' }, { image: photo }], photos: 50 });
    expect(mixed.photos.length).toBe(fx.manifest.length - 1);
    expect(mixed.photos.some((p) => p.id === own)).toBe(false);
    const notesFolder = fx.engine.folders.list().find((f) => f.path === fx.notes)!;
    const filtered = await fx.engine.search.query({
      terms: [{ image: photo }],
      filters: { folderId: notesFolder.id },
    });
    expect(filtered.photos).toEqual([]);
    expect(filtered.notes.length).toBeGreaterThan(0);
  });

  it('refuses an empty query in words', async () => {
    await expect(fx.engine.search.query({ terms: [] })).rejects.toMatchObject({ code: 'usage' });
    await expect(fx.engine.search.query({ terms: [{ text: '   ' }] })).rejects.toMatchObject({
      code: 'usage',
      message: expect.stringMatching(/empty/),
    });
  });
});
