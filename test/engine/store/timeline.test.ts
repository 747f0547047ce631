/** The timeline query on real SQLite: order, paging, month counts, filters, and a 100,000-photo library. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as S from '../../../src/engine/store/index.ts';
import type { Store } from '../../../src/engine/store/index.ts';
import { monthCounts, timelinePage } from '../../../src/engine/store/timeline.ts';
import { open, tempDir } from './helpers.ts';

const local = (y: number, m: number, d: number): number => new Date(y, m - 1, d, 12).getTime();

/** Photos at the given dates (null: undated) in folder /a, plus a note; the first one tagged "dog". */
function library(dates: Array<number | null>): { s: Store; ids: number[] } {
  const s = open(join(tempDir(), 'library.db'));
  const a = S.addFolder(s, '/a');
  const ids = dates.map((takenAt, i) => {
    const fileId = S.upsertFile(s, { path: `/a/${i}.jpg`, folderId: a.id, kind: 'photo', mtimeMs: 1 });
    const [id] = S.replaceFileItems(s, fileId, [
      { kind: 'photo', modality: 'image', takenAt, takenSource: 'exif' },
    ]) as [number];
    return id;
  });
  const note = S.upsertFile(s, { path: '/a/n.md', folderId: a.id, kind: 'note' });
  S.replaceFileItems(s, note, [
    { kind: 'note_chunk', modality: 'text', text: 'x', charStart: 0, charEnd: 1 },
  ]);
  if (ids[0] !== undefined) S.addItemTag(s, ids[0], 'dog', 'user');
  return { s, ids };
}

describe('timelinePage', () => {
  it('lists dated photos newest or oldest first, with month counts in the same order', () => {
    const dates = [local(2019, 7, 14), local(2019, 7, 20), local(2021, 1, 5), null, local(2018, 12, 31)];
    const { s, ids } = library(dates);
    const newest = timelinePage(s, { filter: {}, order: 'newest', offset: 0, limit: 10 });
    expect(newest.items.map((i) => i.id)).toEqual([ids[2], ids[1], ids[0], ids[4]]);
    expect(newest.months).toEqual([
      { year: 2021, month: 1, count: 1 },
      { year: 2019, month: 7, count: 2 },
      { year: 2018, month: 12, count: 1 },
    ]);
    expect(newest.total).toBe(4);
    expect(newest.undated).toBe(1);
    const oldest = timelinePage(s, { filter: {}, order: 'oldest', offset: 1, limit: 2 });
    expect(oldest.items.map((i) => i.id)).toEqual([ids[0], ids[1]]);
    expect(oldest.months.map((m) => m.year)).toEqual([2018, 2019, 2021]);
  });

  it('applies the search filters: dates, tags and folder', () => {
    const { s, ids } = library([local(2019, 7, 14), local(2020, 3, 1), null]);
    const range = { from: local(2019, 1, 1), to: local(2019, 12, 31) };
    const page = timelinePage(s, { filter: range, order: 'newest', offset: 0, limit: 10 });
    expect(page.items.map((i) => i.id)).toEqual([ids[0]]);
    expect(page.total).toBe(1);
    expect(page.undated).toBe(1);
    const dog = timelinePage(s, { filter: { tags: ['DOG'] }, order: 'newest', offset: 0, limit: 10 });
    expect(dog.items.map((i) => i.id)).toEqual([ids[0]]);
    expect(dog.undated).toBe(0);
    const other = S.addFolder(s, '/b');
    const none = timelinePage(s, { filter: { folderId: other.id }, order: 'newest', offset: 0, limit: 10 });
    expect(none).toEqual({ items: [], months: [], total: 0, undated: 0 });
    const a = timelinePage(s, { filter: { folderId: 1 }, order: 'oldest', offset: 0, limit: 10 });
    expect(a.items.map((i) => i.id)).toEqual([ids[0], ids[1]]);
  });

  it('reads the page off the date index', () => {
    const { s } = library([]);
    const plan = s.db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT i.id FROM items i WHERE i.kind = ? AND i.taken_at IS NOT NULL
         ORDER BY i.taken_at DESC, i.id DESC LIMIT 10 OFFSET 0`,
      )
      .all('photo') as Array<{ detail: string }>;
    const detail = plan.map((p) => p.detail).join('\n');
    expect(detail).toContain('items_kind_taken');
    expect(detail).not.toContain('TEMP B-TREE');
  });

  it('pages through 100,000 photos with the month counts adding up', () => {
    const s = open(join(tempDir(), 'library.db'));
    const folder = S.addFolder(s, '/big');
    const N = 100_000;
    const start = local(2010, 1, 1);
    // NOTE: one photo every ~47 minutes spans about 9 years, so the months are many and uneven at the ends.
    const step = 47 * 60_000;
    s.tx(() => {
      const file = s.db.prepare("INSERT INTO files(id, path, folder_id, kind) VALUES (?, ?, ?, 'photo')");
      const item = s.db.prepare(
        "INSERT INTO items(file_id, kind, modality, char_start, taken_at, taken_source) VALUES (?, 'photo', 'image', 0, ?, 'mtime')",
      );
      for (let i = 1; i <= N; i++) {
        file.run(i, `/big/${i}.jpg`, folder.id);
        item.run(i, start + ((i * 7919) % N) * step);
      }
    });
    const first = timelinePage(s, { filter: {}, order: 'newest', offset: 0, limit: 500 });
    expect(first.total).toBe(N);
    expect(first.months.reduce((n, m) => n + m.count, 0)).toBe(N);
    const times = first.items.map((i) => i.takenAt as number);
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(times[0]).toBe(start + (N - 1) * step);
    // The photo at a month's start index is that month's newest photo.
    const k = 40;
    const offset = first.months.slice(0, k).reduce((n, m) => n + m.count, 0);
    const month = first.months[k] as { year: number; month: number };
    const page = timelinePage(s, { filter: {}, order: 'newest', offset, limit: 3 });
    const d = new Date(page.items[0]?.takenAt as number);
    expect([d.getFullYear(), d.getMonth() + 1]).toEqual([month.year, month.month]);
    const before = timelinePage(s, { filter: {}, order: 'newest', offset: offset - 1, limit: 1 });
    const b = new Date(before.items[0]?.takenAt as number);
    expect(b.getFullYear() * 12 + b.getMonth()).toBeGreaterThan(d.getFullYear() * 12 + d.getMonth());
    const last = timelinePage(s, { filter: {}, order: 'newest', offset: N - 2, limit: 10 });
    expect(last.items.map((i) => i.takenAt)).toEqual([start + step, start]);
  }, 60_000);
});

describe('monthCounts', () => {
  it('cuts ascending dates at local month starts, across year ends and empty months', () => {
    const at = (y: number, m: number, d: number, h = 0): number => new Date(y, m - 1, d, h).getTime();
    const start = at(2019, 2, 1);
    expect(
      monthCounts([
        at(2018, 12, 31, 23),
        start - 1,
        start,
        at(2019, 2, 28, 23),
        at(2019, 5, 1),
        at(2020, 1, 1),
      ]),
    ).toEqual([
      { year: 2018, month: 12, count: 1 },
      { year: 2019, month: 1, count: 1 },
      { year: 2019, month: 2, count: 2 },
      { year: 2019, month: 5, count: 1 },
      { year: 2020, month: 1, count: 1 },
    ]);
    expect(monthCounts([])).toEqual([]);
  });
});
