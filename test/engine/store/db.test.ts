import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GlintError } from '../../../src/engine/errors.ts';
import {
  SCHEMA_VERSION,
  addFolder,
  checkIntegrity,
  listFolders,
  openStore,
} from '../../../src/engine/store/index.ts';
import { open, tempDir } from './helpers.ts';

function glintError(fn: () => unknown): GlintError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(GlintError);
    return err as GlintError;
  }
  throw new Error('expected a GlintError');
}

describe('openStore', () => {
  it('migrates an empty file to the current schema with the expected pragmas and tables', () => {
    const file = join(tempDir(), 'nested', 'library.db');
    const s = open(file);
    expect(s.file).toBe(file);
    expect(s.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(s.db.pragma('synchronous', { simple: true })).toBe(1); // NORMAL
    const tables = s.db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .pluck()
      .all() as string[];
    expect(tables).toEqual(
      [
        'codes',
        'embeddings',
        'errors',
        'files',
        'folders',
        'heads',
        'item_tags',
        'items',
        // The literal index (FTS5) and its shadow tables.
        'items_fts',
        'items_fts_config',
        'items_fts_content',
        'items_fts_data',
        'items_fts_docsize',
        'items_fts_idx',
        'jobs',
        'kept_tags',
        'places',
        'settings',
        'sidecar_state',
        'tag_suggestions',
        'tag_undo',
        'tags',
      ].sort(),
    );
    expect(checkIntegrity(s)).toEqual([]);
  });

  it('keeps data across reopen and does not re-run migrations', () => {
    const file = join(tempDir(), 'library.db');
    const a = openStore(file);
    addFolder(a, '/photos');
    a.close();
    const b = open(file);
    expect(listFolders(b).map((f) => f.path)).toEqual(['/photos']);
    expect(b.db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  });

  it('refuses a library from a newer Glint without touching it', () => {
    const file = join(tempDir(), 'library.db');
    const a = openStore(file);
    a.db.pragma(`user_version = ${SCHEMA_VERSION + 5}`);
    a.close();
    const err = glintError(() => openStore(file));
    expect(err.code).toBe('db-newer');
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/newer version of Glint/);
  });

  it('reports a non-SQLite file as db-corrupt, names it, says how to recover, deletes nothing', () => {
    const file = join(tempDir(), 'library.db');
    const junk = Buffer.from('this is not a database '.repeat(400));
    writeFileSync(file, junk);
    const err = glintError(() => openStore(file));
    expect(err.code).toBe('db-corrupt');
    expect(err.message).toContain(file);
    expect(err.message).toMatch(/move the file .* aside/);
    expect(err.message).toMatch(/re-index/);
    expect(readFileSync(file)).toEqual(junk);
  });

  it('reports a damaged SQLite file as db-corrupt', () => {
    const file = join(tempDir(), 'library.db');
    const a = openStore(file);
    a.db.exec(
      'CREATE TABLE filler(x); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200) INSERT INTO filler SELECT randomblob(500) FROM n',
    );
    a.db.pragma('wal_checkpoint(TRUNCATE)');
    a.close();
    const bytes = readFileSync(file);
    // Keep the valid header, scribble over every page after the first.
    for (let i = 4096; i < bytes.length; i++) bytes[i] = (i * 7) & 0xff;
    writeFileSync(file, bytes);
    const err = glintError(() => {
      const s = openStore(file);
      try {
        s.guard(() => s.db.prepare('SELECT count(*) FROM filler').get());
        expect(checkIntegrity(s)).not.toEqual([]);
        throw new GlintError('db-corrupt', 'integrity check found problems');
      } finally {
        s.close();
      }
    });
    expect(err.code).toBe('db-corrupt');
    // The SQLite error itself was translated (not the test's fallback throw).
    expect(err.cause).toBeDefined();
    expect(err.message).toContain(file);
    expect(existsSync(file)).toBe(true);
  });

  it('reports a library held by another writer as db-locked after the busy timeout', () => {
    const file = join(tempDir(), 'library.db');
    const holder = open(file);
    const other = open(file, { busyTimeoutMs: 50 });
    holder.db.exec('BEGIN IMMEDIATE');
    try {
      const t0 = Date.now();
      const err = glintError(() => addFolder(other, '/x'));
      expect(err.code).toBe('db-locked');
      expect(err.message).toMatch(/another Glint process is using the library/i);
      expect(err.message).toContain(file);
      expect(err.message).toMatch(/close it/);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(40);
    } finally {
      holder.db.exec('ROLLBACK');
    }
    addFolder(other, '/x');
    expect(listFolders(holder)).toHaveLength(1);
  });

  it('reports an unopenable path as db-open', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'file'), 'x');
    const err = glintError(() => openStore(join(dir, 'file', 'library.db')));
    expect(err.code).toBe('db-open');
    expect(err.message).toContain(join(dir, 'file', 'library.db'));
  });

  it('reports a read-only open of a library whose folder does not exist as db-open, creating nothing', () => {
    const dir = join(tempDir(), 'missing', 'deeper');
    const file = join(dir, 'library.db');
    const err = glintError(() => openStore(file, { readonly: true }));
    expect(err.code).toBe('db-open');
    expect(err.message).toBe(`Could not open the library ${file}: its folder ${dir} does not exist.`);
    expect(existsSync(dir)).toBe(false);
  });

  it('reports a read-only open of a missing database file as db-open, creating nothing', () => {
    const file = join(tempDir(), 'library.db');
    expect(glintError(() => openStore(file, { readonly: true })).code).toBe('db-open');
    expect(existsSync(file)).toBe(false);
  });
});
