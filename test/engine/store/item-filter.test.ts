import { describe, expect, it } from 'vitest';
import * as S from '../../../src/engine/store/index.ts';
import {
  countUndated,
  filterItemIds,
  hasDateBound,
  isEmptyFilter,
} from '../../../src/engine/store/item-filter.ts';
import { library } from './helpers.ts';

/** Two folders: /a holds photos taken at t=100 and t=200 and a note chunk; /b a photo without a date. */
function filtered() {
  const s = library();
  const a = S.addFolder(s, '/a');
  const b = S.addFolder(s, '/b');
  const item = (path: string, folderId: number, kind: 'photo' | 'note_chunk', takenAt?: number): number => {
    const file = S.upsertFile(s, { path, kind: kind === 'photo' ? 'photo' : 'note', folderId });
    return S.replaceFileItems(s, file, [
      { kind, modality: kind === 'photo' ? 'image' : 'text', takenAt: takenAt ?? null, charStart: 0 },
    ])[0] as number;
  };
  const p100 = item('/a/1.jpg', a.id, 'photo', 100);
  const p200 = item('/a/2.jpg', a.id, 'photo', 200);
  const chunk = item('/a/n.md', a.id, 'note_chunk', 150);
  const undated = item('/b/3.jpg', b.id, 'photo');
  S.addItemTag(s, p100, 'Dog', 'user');
  S.addItemTag(s, p100, 'Beach', 'xmp');
  S.addItemTag(s, p200, 'dog', 'iptc');
  S.addItemTag(s, undated, 'Beach', 'user');
  S.addItemTag(s, chunk, 'Dog', 'user');
  return { s, a, b, p100, p200, chunk, undated };
}

describe('store/item-filter', () => {
  it('knows an empty filter', () => {
    expect(isEmptyFilter({})).toBe(true);
    expect(isEmptyFilter({ tags: [] })).toBe(true);
    expect(isEmptyFilter({ from: 0 })).toBe(false);
    expect(isEmptyFilter({ to: 0 })).toBe(false);
    expect(isEmptyFilter({ tags: ['x'] })).toBe(false);
    expect(isEmptyFilter({ folderId: 0 })).toBe(false);
  });

  it('allows every item of the asked kinds for an empty filter', () => {
    const { s, p100, p200, chunk, undated } = filtered();
    expect(filterItemIds(s, {}, ['photo'])).toEqual([p100, p200, undated]);
    expect(filterItemIds(s, {}, ['photo', 'note_chunk'])).toEqual([p100, p200, chunk, undated]);
    expect(filterItemIds(s, {}, [])).toEqual([]);
  });

  it('bounds the capture time inclusively; undated items never match a bound', () => {
    const { s, p100, p200, chunk } = filtered();
    expect(filterItemIds(s, { from: 100, to: 200 }, ['photo'])).toEqual([p100, p200]);
    expect(filterItemIds(s, { from: 101 }, ['photo'])).toEqual([p200]);
    expect(filterItemIds(s, { to: 199 }, ['photo', 'note_chunk'])).toEqual([p100, chunk]);
    expect(filterItemIds(s, { from: 201 }, ['photo'])).toEqual([]);
    expect(filterItemIds(s, { from: 0 }, ['photo'])).toEqual([p100, p200]);
  });

  it('needs every tag (any source, any case, normalised), counting a tag once over sources', () => {
    const { s, p100, p200, undated } = filtered();
    expect(filterItemIds(s, { tags: ['DOG'] }, ['photo'])).toEqual([p100, p200]);
    expect(filterItemIds(s, { tags: ['dog', ' beach '] }, ['photo'])).toEqual([p100]);
    // The same tag twice (in two spellings) is one condition, not two.
    expect(filterItemIds(s, { tags: ['Dog', 'dog'] }, ['photo'])).toEqual([p100, p200]);
    expect(filterItemIds(s, { tags: ['beach'] }, ['photo'])).toEqual([p100, undated]);
    expect(filterItemIds(s, { tags: ['beach', 'nope'] }, ['photo'])).toEqual([]);
    // Blank names restrict nothing.
    expect(filterItemIds(s, { tags: ['  '] }, ['photo'])).toEqual([p100, p200, undated]);
  });

  it('restricts to a folder and combines every condition', () => {
    const { s, a, b, p100, p200, chunk, undated } = filtered();
    expect(filterItemIds(s, { folderId: a.id }, ['photo', 'note_chunk'])).toEqual([p100, p200, chunk]);
    expect(filterItemIds(s, { folderId: b.id }, ['photo'])).toEqual([undated]);
    expect(filterItemIds(s, { folderId: a.id, tags: ['dog'], from: 150 }, ['photo', 'note_chunk'])).toEqual([
      p200,
      chunk,
    ]);
    expect(filterItemIds(s, { folderId: b.id, tags: ['dog'] }, ['photo'])).toEqual([]);
  });
});

describe('countUndated', () => {
  function undatedLibrary() {
    const s = library();
    const a = S.addFolder(s, '/a');
    const b = S.addFolder(s, '/b');
    const photo = (path: string, folderId: number, takenAt: number | null): number => {
      const f = S.upsertFile(s, { path, folderId, kind: 'photo' });
      return (
        S.replaceFileItems(s, f, [{ kind: 'photo', modality: 'image', takenAt, takenSource: 'mtime' }]) as [
          number,
        ]
      )[0];
    };
    const dated = photo('/a/1.jpg', a.id, 1000);
    const undated = photo('/a/2.jpg', a.id, null);
    const otherFolder = photo('/b/3.jpg', b.id, null);
    const note = S.upsertFile(s, { path: '/a/n.md', folderId: a.id, kind: 'note' });
    S.replaceFileItems(s, note, [
      { kind: 'note_chunk', modality: 'text', text: 'x', charStart: 0, charEnd: 1 },
    ]);
    S.addItemTag(s, undated, 'dog', 'user');
    return { s, a, b, dated, undated, otherFolder };
  }

  it('a date range keeps dated items only', () => {
    const { s, dated } = undatedLibrary();
    expect(filterItemIds(s, { from: 0, to: 5000 }, ['photo'])).toEqual([dated]);
  });

  it('counts what a date range leaves out for having no date, within the other filters', () => {
    const { s, a } = undatedLibrary();
    expect(countUndated(s, { from: 0 }, ['photo'])).toBe(2);
    expect(countUndated(s, { to: 5000, folderId: a.id }, ['photo'])).toBe(1);
    expect(countUndated(s, { from: 0, tags: ['Dog'] }, ['photo'])).toBe(1);
    expect(countUndated(s, { from: 0 }, ['note_chunk', 'caption'])).toBe(1);
    expect(countUndated(s, { from: 0 }, ['photo', 'note_chunk'])).toBe(3);
    // Without a date bound nothing is left out for its date.
    expect(countUndated(s, { folderId: a.id }, ['photo'])).toBe(0);
    expect(hasDateBound({ tags: ['x'] })).toBe(false);
    expect(hasDateBound({ to: 0 })).toBe(true);
  });
});
