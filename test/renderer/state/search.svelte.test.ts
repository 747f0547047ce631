/**
 * SearchState against a fake host: one search call per query (photos and notes together), the image
 * chip's search with the filters, out-of-order answers, filters as the contract wants them, show more.
 */
import { describe, expect, it } from 'vitest';
import type { ResultView } from '../../../src/contract/api.ts';
import { DATE_PAGE } from '../../../src/renderer/src/state/photo-pages.svelte.ts';
import { PHOTO_PAGE, SearchState } from '../../../src/renderer/src/state/search.svelte.ts';
import { Toasts } from '../../../src/renderer/src/state/toasts.svelte.ts';
import { fail, fakeApi, flush, ok } from './fake-api.ts';

const photo = (id: number): ResultView => ({ id, kind: 'photo', distance: id, name: `p${id}.jpg` });
const note = (id: number): ResultView => ({
  id,
  kind: 'note_chunk',
  distance: id,
  name: `n${id}.txt`,
  text: 'x',
});

const reach = {
  radius: { photos: 20, notes: 22 },
  nearestOnly: { photos: false, notes: false },
  bits: 64,
  undated: 0,
};

function setup() {
  const host = fakeApi({
    search: () => ok({ photos: [photo(1), photo(2)], notes: [note(9)], ...reach, tookMs: 4 }),
  });
  const toasts = new Toasts();
  return { host, toasts, s: new SearchState(host.api, toasts) };
}

describe('SearchState', () => {
  it('asks once per query and shows the photos and the notes of that one answer', async () => {
    const { s, host } = setup();
    s.text = ' a dog ';
    await s.run();
    expect(host.calls.map((c) => c.method)).toEqual(['search']);
    expect(host.calls[0]?.request).toEqual({ text: 'a dog', limit: PHOTO_PAGE, noteLimit: 50, filters: {} });
    expect(s.photos.map((p) => p.id)).toEqual([1, 2]);
    expect(s.notes.map((n) => n.id)).toEqual([9]);
    expect(s.tookMs).toBe(4);
    expect(s.cursor).toBe(0);
    expect(s.searched).toBe(true);
  });

  it('sends the filters as the contract wants them, to text and image queries alike', async () => {
    const { s, host } = setup();
    s.filter.fromDay = '2020-01-02';
    s.filter.tags = ['Max'];
    s.filter.folderId = 3;
    s.text = 'beach';
    await s.run();
    const filters = (host.calls[0]?.request as { filters: Record<string, unknown> }).filters;
    expect(filters).toEqual({ from: new Date(2020, 0, 2).getTime(), tags: ['Max'], folderId: 3 });
    await s.runImage({ name: 'x.jpg', preview: '', query: { itemId: 7 } });
    expect(host.calls[1]?.request).toEqual({
      images: [{ itemId: 7, weight: 1 }],
      limit: PHOTO_PAGE,
      noteLimit: 50,
      filters,
    });
    expect(s.chips.map((c) => c.name)).toEqual(['x.jpg']);
    expect(s.text).toBe('');
  });

  it('shows only the latest answer when answers arrive out of order', async () => {
    const { s, host } = setup();
    let release: () => void = () => undefined;
    host.answers.search = (req) =>
      req.text === 'slow'
        ? new Promise(
            (done) => (release = () => done(ok({ photos: [photo(5)], notes: [], ...reach, tookMs: 9 }))),
          )
        : ok({ photos: [photo(6)], notes: [], ...reach, tookMs: 1 });
    s.text = 'slow';
    const first = s.run();
    s.text = 'fast';
    await s.run();
    release();
    await first;
    expect(s.photos.map((p) => p.id)).toEqual([6]);
  });

  it('keeps the last results on screen after a failed search and says why', async () => {
    const { s, host, toasts } = setup();
    s.text = 'dog';
    await s.run();
    host.answers.search = () => fail('usage', 'The search phrase is empty: type some words to look for.');
    s.text = 'x';
    await s.run();
    expect(s.photos.map((p) => p.id)).toEqual([1, 2]);
    expect(s.busy).toBe(false);
    expect(toasts.list.at(-1)?.message).toMatch(/empty/);
    // The host going away is for the app's banner, not a toast per call.
    let lost = '';
    toasts.onConnection = (code) => (lost = code);
    host.answers.search = () => fail('offline', 'Glint is not reachable.');
    await s.run();
    expect(lost).toBe('offline');
    expect(toasts.list.at(-1)?.message).toMatch(/empty/);
    expect(s.photos.map((p) => p.id)).toEqual([1, 2]);
  });

  it('asks for five times as many photos on show more, and resets to an empty search', async () => {
    const { s, host } = setup();
    s.text = 'dog';
    await s.showMore();
    expect((host.calls.at(-1)?.request as { limit: number }).limit).toBe(PHOTO_PAGE * 5);
    s.reset();
    expect(s.photos).toEqual([]);
    expect(s.searched).toBe(false);
    expect(s.limit).toBe(PHOTO_PAGE);
  });
});

describe('SearchState radius', () => {
  it('shows close matches by default, widens on "show weaker matches", shows all, and a new phrase starts over', async () => {
    const { s, host } = setup();
    host.answers.search = (req) =>
      ok({
        photos: [photo(1)],
        notes: [],
        radius: { photos: typeof req.radius === 'number' ? req.radius : 20, notes: 22 },
        nearestOnly: { photos: req.radius === undefined, notes: false },
        bits: 64,
        undated: 0,
        tookMs: 1,
      });
    s.text = 'dog';
    await s.run();
    expect(host.calls.at(-1)?.request).not.toHaveProperty('radius');
    expect(s.radius).toBe(20);
    expect(s.nearestOnly).toBe(true);
    expect(s.canWiden).toBe(true);
    await s.showWeaker();
    expect((host.calls.at(-1)?.request as { radius: number }).radius).toBe(24);
    expect(s.radius).toBe(24);
    expect(s.nearestOnly).toBe(false);
    await s.showAll();
    expect((host.calls.at(-1)?.request as { radius: string }).radius).toBe('all');
    expect(s.canWiden).toBe(false);
    s.text = 'cat';
    s.schedule();
    expect(s.reach).toBeUndefined();
    s.reset();
  });
});

describe('SearchState composite queries', () => {
  it('keeps the image chips while typing, adds more, weighs and removes them', async () => {
    const { s, host } = setup();
    await s.addImage({ name: 'a.jpg', preview: '', query: { itemId: 1 } });
    s.text = 'beach -dog';
    await s.run();
    expect(s.avoided).toEqual(['dog']);
    expect(host.calls.at(-1)?.request).toMatchObject({
      text: 'beach -dog',
      images: [{ itemId: 1, weight: 1 }],
    });
    await s.addImage({ name: 'b.jpg', preview: '', query: { bytes: new Uint8Array([1]), name: 'b.jpg' } });
    expect(s.chips.map((c) => c.name)).toEqual(['a.jpg', 'b.jpg']);
    await s.setWeight(1, -1);
    const images = (host.calls.at(-1)?.request as { images: Array<{ weight: number }> }).images;
    expect(images.map((i) => i.weight)).toEqual([1, -1]);
    await s.removeChip(0);
    expect(s.chips.map((c) => c.name)).toEqual(['b.jpg']);
    expect((host.calls.at(-1)?.request as { images: unknown[] }).images).toHaveLength(1);
    s.text = '';
    await s.removeChip(0);
    expect(s.searched).toBe(false);
    expect(s.photos).toEqual([]);
  });

  it('keeps at most eight images (the contract’s limit), dropping the oldest', async () => {
    const { s } = setup();
    for (let i = 0; i < 10; i++)
      await s.addImage({ name: `${i}.jpg`, preview: '', query: { itemId: i + 1 } });
    expect(s.chips.map((c) => c.name)).toEqual([
      '2.jpg',
      '3.jpg',
      '4.jpg',
      '5.jpg',
      '6.jpg',
      '7.jpg',
      '8.jpg',
      '9.jpg',
    ]);
  });

  it('in date order pages through every match: the first page with the months, later pages as they come into view', async () => {
    const total = 1200;
    const months = [
      { year: 2021, month: 5, count: 700 },
      { year: 2020, month: 1, count: 500 },
    ];
    const host = fakeApi({
      search: (req) =>
        ok({
          photos: Array.from({ length: Math.min(req.limit ?? 0, total - (req.offset ?? 0)) }, (_, i) =>
            photo((req.offset ?? 0) + i + 1),
          ),
          notes: req.noteLimit ? [note(9)] : [],
          ...reach,
          total,
          months,
          tookMs: 3,
        }),
    });
    const s = new SearchState(host.api, new Toasts());
    s.text = 'beach';
    s.order = 'newest';
    await s.run();
    expect(host.calls[0]?.request).toEqual({
      text: 'beach',
      filters: {},
      order: 'newest',
      limit: DATE_PAGE,
      noteLimit: 50,
    });
    expect(s.matchCount).toBe(total);
    expect(s.canShowMore).toBe(false);
    expect(s.dated.months).toEqual(months);
    expect(s.dated.photos).toHaveLength(total);
    expect(s.dated.photos[DATE_PAGE]).toBeUndefined();
    s.dated.ensure(DATE_PAGE + 10, 2 * DATE_PAGE + 5);
    await flush();
    expect(host.calls.slice(1).map((c) => c.request)).toEqual([
      { text: 'beach', filters: {}, order: 'newest', offset: DATE_PAGE, limit: DATE_PAGE, noteLimit: 0 },
      { text: 'beach', filters: {}, order: 'newest', offset: 2 * DATE_PAGE, limit: DATE_PAGE, noteLimit: 0 },
    ]);
    expect(s.dated.photos[total - 1]?.id).toBe(total);
    expect(s.notes.map((n) => n.id)).toEqual([9]);
    // Back to relevance: the nearest `limit`, no pages.
    s.order = 'relevance';
    await s.run();
    expect(s.dated.total).toBe(0);
    expect((host.calls.at(-1)?.request as { limit: number }).limit).toBe(PHOTO_PAGE);
  });
});
