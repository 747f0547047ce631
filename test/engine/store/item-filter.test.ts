import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as S from '../../../src/engine/store/index.ts';
import { countUndated, filterItemIds, hasDateBound } from '../../../src/engine/store/item-filter.ts';
import { open, tempDir } from './helpers.ts';

describe('item filters', () => {
  function library() {
    const s = open(join(tempDir(), 'library.db'));
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
    const { s, dated } = library();
    expect(filterItemIds(s, { from: 0, to: 5000 }, ['photo'])).toEqual([dated]);
  });

  it('counts what a date range leaves out for having no date, within the other filters', () => {
    const { s, a } = library();
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
