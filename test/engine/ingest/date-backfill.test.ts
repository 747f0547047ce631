/** The date backfill on a library indexed before V3 (built at V2 with the V1 and V2 migrations, then opened). */
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { backfillDates, refreshFallbackDates } from '../../../src/engine/ingest/date-backfill.ts';
import { MIGRATIONS } from '../../../src/engine/store/migrations.ts';
import * as S from '../../../src/engine/store/index.ts';
import { open, tempDir } from '../store/helpers.ts';

const MTIME = Date.UTC(2023, 2, 4, 5, 6, 7);
const EXIF = Date.UTC(2015, 0, 2);

/** A V2 library: an EXIF-dated photo, one with a date in its name, one with neither, and a note. */
function v2Library(file: string): void {
  const db = new Database(file);
  for (const sql of MIGRATIONS.slice(0, 2)) db.exec(sql);
  db.pragma('user_version = 2');
  db.prepare("INSERT INTO folders(id, path, added_at) VALUES (1, '/lib', 0)").run();
  const file_ = db.prepare('INSERT INTO files(id, path, folder_id, kind, mtime_ms) VALUES (?, ?, 1, ?, ?)');
  file_.run(1, '/lib/exif.jpg', 'photo', MTIME);
  file_.run(2, '/lib/IMG_20190714_153012.jpg', 'photo', MTIME);
  file_.run(3, '/lib/000000062554.jpg', 'photo', MTIME);
  file_.run(4, '/lib/notes.md', 'note', MTIME);
  const item = db.prepare(
    'INSERT INTO items(id, file_id, kind, modality, taken_at, char_start) VALUES (?, ?, ?, ?, ?, 0)',
  );
  item.run(1, 1, 'photo', 'image', EXIF);
  item.run(2, 2, 'photo', 'image', null);
  item.run(3, 3, 'photo', 'image', null);
  item.run(4, 4, 'note_chunk', 'text', null);
  db.close();
}

describe('backfillDates', () => {
  it('dates every photo of a V2 library from what the store holds, once', () => {
    const file = join(tempDir(), 'library.db');
    v2Library(file);
    const s = open(file);
    expect(s.db.pragma('user_version', { simple: true })).toBe(S.SCHEMA_VERSION);
    // The migration marks existing dates as metadata dates; the rest wait for the backfill.
    expect(S.getItem(s, 1)).toMatchObject({ takenAt: EXIF, takenSource: 'exif' });
    expect(S.getItem(s, 2)).toMatchObject({ takenAt: null, takenSource: null });

    expect(backfillDates(s)).toBe(2);
    expect(S.getItem(s, 1)).toMatchObject({ takenAt: EXIF, takenSource: 'exif' });
    expect(S.getItem(s, 2)).toMatchObject({
      takenAt: new Date(2019, 6, 14, 15, 30, 12).getTime(),
      takenSource: 'filename',
    });
    expect(S.getItem(s, 3)).toMatchObject({ takenAt: MTIME, takenSource: 'mtime' });
    expect(S.getItem(s, 4)).toMatchObject({ takenAt: null, takenSource: null });
    // Nothing is left to do the next time a writer opens the library.
    expect(backfillDates(s)).toBe(0);
  });

  it('uses the date index to find the undated photos', () => {
    const s = open(join(tempDir(), 'library.db'));
    const plan = s.db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT i.id, f.path, f.mtime_ms FROM items i JOIN files f ON f.id = i.file_id
         WHERE i.kind = 'photo' AND i.taken_at IS NULL`,
      )
      .all() as Array<{ detail: string }>;
    expect(plan.map((p) => p.detail).join('\n')).toContain('items_kind_taken');
  });

  it('re-dates a photo whose date came from its name or mtime, never one from its metadata', () => {
    const file = join(tempDir(), 'library.db');
    v2Library(file);
    const s = open(file);
    backfillDates(s);
    S.renameFile(s, '/lib/IMG_20190714_153012.jpg', '/lib/2001-02-03 renamed.jpg');
    expect(refreshFallbackDates(s, 2)).toHaveLength(1);
    expect(S.getItem(s, 2)).toMatchObject({
      takenAt: new Date(2001, 1, 3).getTime(),
      takenSource: 'filename',
    });
    S.renameFile(s, '/lib/exif.jpg', '/lib/2001-02-03 exif.jpg');
    expect(refreshFallbackDates(s, 1)).toEqual([]);
    expect(S.getItem(s, 1)).toMatchObject({ takenAt: EXIF, takenSource: 'exif' });
  });
});
