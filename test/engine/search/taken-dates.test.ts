/** Capture dates in memory, on real SQLite, kept in step with the writes that touch them. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TakenDates } from '../../../src/engine/search/taken-dates.ts';
import * as S from '../../../src/engine/store/index.ts';
import { open, tempDir } from '../store/helpers.ts';

describe('TakenDates', () => {
  it('reads photos’ dates once, re-reads written ones, forgets removed ones', () => {
    const s = open(join(tempDir(), 'library.db'));
    const a = S.addFolder(s, '/a');
    const photo = (name: string, takenAt: number | null): number => {
      const fileId = S.upsertFile(s, { path: `/a/${name}`, folderId: a.id, kind: 'photo', mtimeMs: 1 });
      return S.replaceFileItems(s, fileId, [
        { kind: 'photo', modality: 'image', takenAt, takenSource: 'exif' },
      ])[0] as number;
    };
    const one = photo('1.jpg', 1000);
    const two = photo('2.jpg', null);
    const note = S.upsertFile(s, { path: '/a/n.md', folderId: a.id, kind: 'note' });
    const [chunk] = S.replaceFileItems(s, note, [
      { kind: 'note_chunk', modality: 'text', text: 'x', charStart: 0, charEnd: 1 },
    ]) as [number];
    const dates = new TakenDates(s);
    expect([...dates.of([one, two, chunk, 99_999])]).toEqual([1000, NaN, NaN, NaN]);
    // A photo added after the first read, far beyond the array: seen once its write is reported.
    s.db.prepare('UPDATE items SET id = 5000 WHERE id = ?').run(two);
    const three = photo('3.jpg', 3000);
    expect([...dates.of([three])]).toEqual([NaN]);
    dates.touch(three);
    dates.touch(5000);
    expect([...dates.of([one, three, 5000])]).toEqual([1000, 3000, NaN]);
    dates.remove([one]);
    expect([...dates.of([one])]).toEqual([NaN]);
    dates.reset();
    expect([...dates.of([one, three])]).toEqual([1000, 3000]);
    s.close();
  });
});
