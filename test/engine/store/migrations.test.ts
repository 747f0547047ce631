import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import * as S from '../../../src/engine/store/index.ts';
import { MIGRATIONS } from '../../../src/engine/store/migrations.ts';
import { open, tempDir } from './helpers.ts';

/** A library file at schema v1 (as the first Glint wrote it), with a folder, a photo, a tag and a head. */
function v1Library(): string {
  const file = join(tempDir(), 'library.db');
  const db = new Database(file);
  db.exec(MIGRATIONS[0] as string);
  db.pragma('user_version = 1');
  db.exec(`
    INSERT INTO folders(id, path, added_at) VALUES (1, '/photos', 10);
    INSERT INTO files(id, path, folder_id, kind, hash) VALUES (1, '/photos/a.jpg', 1, 'photo', 'ha');
    INSERT INTO items(id, file_id, kind, modality, char_start) VALUES (1, 1, 'photo', 'image', 0);
    INSERT INTO tags(id, name) VALUES (1, 'Max');
    INSERT INTO item_tags(item_id, tag_id, source) VALUES (1, 1, 'user');
    INSERT INTO heads(id, kind, bits, model_id, dir, created_at, active)
      VALUES ('h1', 'default', 64, 'clip', '/old/absolute/place/h1', 5, 1);
    INSERT INTO codes(head_id, item_id, w0) VALUES ('h1', 1, -7);
  `);
  db.close();
  return file;
}

describe('store/migrations', () => {
  it('is the schema version: one migration per version', () => {
    expect(S.SCHEMA_VERSION).toBe(MIGRATIONS.length);
    expect(MIGRATIONS.length).toBeGreaterThanOrEqual(2);
  });

  it('takes a v1 library to the current schema keeping its data; head folders move under the library', () => {
    const file = v1Library();
    const s = open(file);
    expect(s.db.pragma('user_version', { simple: true })).toBe(S.SCHEMA_VERSION);
    expect(S.getFolder(s, '/photos')).toEqual({
      id: 1,
      path: '/photos',
      addedAt: 10,
      state: 'ok',
      stateReason: null,
      stateSince: null,
      removedAt: null,
    });
    expect(S.getFileByPath(s, '/photos/a.jpg')).toMatchObject({ id: 1, hash: 'ha', dev: null });
    expect(S.listItemTags(s, 1)).toEqual([{ name: 'Max', source: 'user' }]);
    expect(s.db.prepare("SELECT dir FROM heads WHERE id = 'h1'").pluck().get()).toBe('heads/h1');
    expect(S.getActiveHead(s, 'clip')).toMatchObject({ id: 'h1', dir: join(dirname(file), 'heads', 'h1') });
    expect(S.readCodes(s, 'h1', 'image', 1)).toEqual({
      itemIds: [1],
      words: BigInt64Array.of(-7n),
      wordsPerCode: 1,
    });
    // The tables v2 adds work.
    S.keepUserTags(s, [1]);
    expect(S.takeKeptTags(s, 'ha')).toEqual(['Max']);
    S.setFolderState(s, 1, 'offline', 'unplugged');
    expect(S.getFolder(s, '/photos')?.state).toBe('offline');
  });

  it('marks the files of an older library for one re-read; files indexed after it are not marked', () => {
    const s = open(v1Library());
    const old = S.getFileByPath(s, '/photos/a.jpg');
    const reread = (id: number): unknown =>
      s.db.prepare('SELECT reread FROM files WHERE id = ?').pluck().get(id);
    expect(reread(old!.id)).toBe(1);
    const fresh = S.upsertFile(s, { path: '/photos/b.jpg', kind: 'photo', hash: 'hb' });
    expect(reread(fresh)).toBe(0);
    // Nothing else about the old file changed: its items and user tags stay.
    expect(S.listItemTags(s, 1)).toEqual([{ name: 'Max', source: 'user' }]);
  });

  it('v2 checks folder states', () => {
    const s = open(v1Library());
    expect(() => s.db.prepare("UPDATE folders SET state = 'gone' WHERE id = 1").run()).toThrow(/CHECK/);
  });

  it('a fresh library gets every migration and the same tables as a migrated one', () => {
    const tables = (s: S.Store): unknown[] =>
      s.db.prepare("SELECT name, type FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name").all();
    const fresh = open(join(tempDir(), 'fresh.db'));
    const migrated = open(v1Library());
    expect(tables(migrated)).toEqual(tables(fresh));
    const cols = (s: S.Store, t: string): unknown[] =>
      (s.db.pragma(`table_info(${t})`) as Array<{ name: string }>).map((c) => c.name);
    for (const t of ['folders', 'files', 'heads', 'kept_tags'])
      expect(cols(migrated, t)).toEqual(cols(fresh, t));
  });
});
