import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchQuery } from '../../../src/engine/engine.ts';
import { openStore } from '../../../src/engine/store/index.ts';
import { setItemPlace } from '../../../src/engine/store/places.ts';
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
      // Literal matches come first; the rest are in Hamming order.
      const d = list.filter((h) => !h.literal).map((h) => h.distance);
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

  it('puts exact literal matches first: a file name finds its photo and its note, labelled literal', async () => {
    const stem = fx.manifest[2]!.file.replace('.jpg', '');
    const found = await fx.engine.search.query({
      terms: [{ text: stem }],
      photos: 6,
      notes: 6,
      reach: 'matches',
    });
    expect(found.photos[0]).toMatchObject({ literal: true, path: join(fx.photos, `${stem}.jpg`) });
    expect(found.photos.filter((p) => p.literal)).toHaveLength(1);
    expect(found.notes[0]).toMatchObject({ literal: true, path: join(fx.notes, `${stem}.txt`) });
    expect(found.nearestOnly.photos).toBe(false);
    // The literal hit still carries its Hamming distance to the query.
    const all = await fx.engine.search.query({ terms: [{ text: stem }], photos: 50, reach: 'all' });
    const same = all.photos.find((p) => p.id === found.photos[0]!.id)!;
    expect(found.photos[0]!.distance).toBe(same.distance);
    // Caption words as written: a phrase from one note is found in that note first.
    const words = fx.manifest[3]!.captions[0]!.split(/\s+/).slice(0, 5).join(' ');
    const byWords = await fx.engine.search.query({ terms: [{ text: words }], notes: 3 });
    expect(byWords.notes[0]).toMatchObject({
      literal: true,
      path: join(fx.notes, fx.manifest[3]!.file.replace('.jpg', '.txt')),
    });
  });

  it('finds the photos taken at a place the words name, first and labelled exact', async () => {
    const photo = fx.engine.search.photoIdAt(join(fx.photos, fx.manifest[4]!.file));
    // A second connection to the library, as another writer of place names would be.
    const store = openStore(fx.engine.paths.db);
    setItemPlace(store, photo, { city: 'Lisbon', region: 'Lisbon', country: 'Portugal', countryCode: 'PT' });
    store.close();
    const found = await fx.engine.search.query({
      terms: [{ text: 'a tram in lisbon' }],
      photos: 6,
      reach: 'matches',
    });
    expect(found.photos[0]).toMatchObject({ id: photo, literal: true });
    const filtered = await fx.engine.search.query({
      terms: [{ text: 'lisbon' }],
      photos: 6,
      filters: { folderId: fx.engine.folders.list().find((f) => f.path === fx.notes)!.id },
    });
    expect(filtered.photos).toEqual([]);
  });

  it('says how many undated photos a date filter left out', async () => {
    const photo = fx.engine.search.photoIdAt(join(fx.photos, fx.manifest[5]!.file));
    const store = openStore(fx.engine.paths.db);
    store.db.prepare('UPDATE items SET taken_at = NULL, taken_source = NULL WHERE id = ?').run(photo);
    store.close();
    const dated = await fx.engine.search.query({
      terms: [{ text: 'a dog' }],
      photos: 50,
      filters: { from: 0 },
    });
    expect(dated.undated).toBe(1);
    expect(dated.photos.some((p) => p.id === photo)).toBe(false);
    const any = await fx.engine.search.query({ terms: [{ text: 'a dog' }], photos: 50 });
    expect(any.undated).toBe(0);
    expect(any.photos.some((p) => p.id === photo)).toBe(true);
  });

  it('refuses an empty query in words', async () => {
    await expect(fx.engine.search.query({ terms: [] })).rejects.toMatchObject({ code: 'usage' });
    await expect(fx.engine.search.query({ terms: [{ text: '   ' }] })).rejects.toMatchObject({
      code: 'usage',
      message: expect.stringMatching(/empty/),
    });
  });
});

describe.runIf(HAS_SHARED_DATA)('SearchService radius (matches, then more)', () => {
  let fx: HostFixture;
  beforeAll(async () => {
    fx = await openHostFixture(6);
  }, 120_000);
  afterAll(async () => {
    await fx?.cleanup();
  });

  it('keeps only results within the calibrated radius, or the nearest few when none are', async () => {
    const { search } = fx.engine;
    const all = await search.query({ terms: [{ text: 'a dog' }], photos: 6, notes: 6 });
    const matches = await search.query({ terms: [{ text: 'a dog' }], photos: 6, notes: 6, reach: 'matches' });
    expect(matches.radius).toEqual(all.radius);
    for (const kind of ['photos', 'notes'] as const) {
      const within = all[kind].filter((h) => h.distance <= all.radius[kind]);
      if (within.length) {
        expect(matches[kind].map((h) => h.id)).toEqual(within.map((h) => h.id));
        expect(matches.nearestOnly[kind]).toBe(false);
      } else {
        expect(matches[kind].map((h) => h.id)).toEqual(all[kind].map((h) => h.id));
        expect(matches.nearestOnly[kind]).toBe(true);
      }
    }
    // A named radius is used as given; the widest one keeps everything.
    const wide = await search.query({ terms: [{ text: 'a dog' }], photos: 6, reach: 64 });
    expect(wide.radius.photos).toBe(64);
    expect(wide.photos).toHaveLength(6);
    expect(wide.nearestOnly.photos).toBe(false);
  });

  it('in date order lists every match within the radius, a page at a time, with their months', async () => {
    const terms = [{ text: 'a dog on grass' }];
    const bits = fx.engine.heads.active.bits;
    const all = await fx.engine.search.query({ terms, photos: 100, reach: 'all' });
    // A radius that takes about half of the library, and pages smaller than what it takes.
    const radius = [...all.photos.map((p) => p.distance)].sort((a, b) => a - b)[all.photos.length >> 1]!;
    expect(all.photos.length).toBeGreaterThan(4);
    const within = all.photos.filter((p) => p.distance <= radius);
    const want = [...within]
      .sort((a, b) => (b.takenAt ?? 0) - (a.takenAt ?? 0) || b.id - a.id)
      .map((p) => [p.id, p.distance]);
    const pages: Array<[number, number]> = [];
    for (let offset = 0; offset < within.length; offset += 2) {
      const page = await fx.engine.search.query({ terms, photos: 2, offset, reach: radius, order: 'newest' });
      expect(page.total).toBe(within.length);
      expect(page.months!.reduce((n, m) => n + m.count, 0)).toBe(within.length);
      pages.push(...page.photos.map((p): [number, number] => [p.id, p.distance]));
    }
    // The same set as by relevance within the radius (not the nearest `photos` of it), newest first.
    expect(pages).toEqual(want);
    const oldest = await fx.engine.search.query({ terms, photos: 100, reach: radius, order: 'oldest' });
    expect(oldest.photos.map((p) => p.id)).toEqual([...want].reverse().map(([id]) => id));
    expect(oldest.months).toEqual(
      [
        ...(await fx.engine.search.query({ terms, photos: 1, reach: radius, order: 'newest' })).months!,
      ].reverse(),
    );
    // 'all' in date order is the whole library.
    const everything = await fx.engine.search.query({ terms, photos: 1, reach: 'all', order: 'newest' });
    expect(everything.total).toBe(all.photos.length);
    expect(bits).toBeGreaterThan(radius);
  });

  it('measures the radii once and stores them with the head', () => {
    const radii = fx.engine.search.radii();
    const head = fx.engine.heads.list().find((h) => h.active)!;
    expect((head.metrics as { radii: unknown }).radii).toEqual(radii);
    for (const r of Object.values(radii.radius)) {
      expect(r).toBeGreaterThanOrEqual(-1);
      expect(r).toBeLessThan(fx.engine.heads.active.bits);
    }
    expect(radii.codes).toBeGreaterThan(0);
  });
});
