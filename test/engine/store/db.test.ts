import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { GlintError } from '../../../src/engine/errors.ts';
import { hammingWords } from '../../../src/engine/hash/bits.ts';
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
        'jobs',
        'kept_tags',
        'settings',
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
});

describe('hamming() SQL function', () => {
  it('matches hammingWords on random 64- and 128-bit codes, NULL counting as 0', () => {
    const s = open(join(tempDir(), 'library.db'));
    let seed = 12345;
    const rand64 = (): bigint => {
      let v = 0n;
      for (let i = 0; i < 4; i++) {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        v = (v << 16n) | BigInt(seed >>> 16);
      }
      return BigInt.asIntN(64, v);
    };
    const two = s.db.prepare('SELECT hamming(?, ?)').pluck();
    const four = s.db.prepare('SELECT hamming(?, ?, ?, ?)').pluck();
    const edge = [0n, -1n, 1n, -(2n ** 63n), 2n ** 63n - 1n];
    for (let i = 0; i < 300; i++) {
      const [a0, a1, b0, b1] =
        i < 25
          ? [edge[i % 5], edge[(i / 5) | 0], edge[(i + 2) % 5], edge[(i + 3) % 5]]
          : [rand64(), rand64(), rand64(), rand64()];
      expect(two.get(a0, b0)).toBe(hammingWords([a0 as bigint], [b0 as bigint]));
      expect(four.get(a0, a1, b0, b1)).toBe(
        hammingWords([a0 as bigint, a1 as bigint], [b0 as bigint, b1 as bigint]),
      );
    }
    expect(four.get(-1n, null, 0n, null)).toBe(64);
    expect(two.get(null, null)).toBe(0);
    expect(two.get(null, -1n)).toBe(64);
    // Usable for ad-hoc queries over the code columns.
    s.db.exec('CREATE TEMP TABLE t(w0 INTEGER, w1 INTEGER); INSERT INTO t VALUES (-1, 0), (0, 0), (7, NULL)');
    expect(s.db.prepare('SELECT hamming(w0, w1, 0, 0) FROM t ORDER BY rowid').pluck().all()).toEqual([
      64, 0, 3,
    ]);
  });
});
