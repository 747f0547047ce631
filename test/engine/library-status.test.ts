import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { GlintError } from '../../src/engine/errors.ts';
import { libraryStatus, readLibraryStatus } from '../../src/engine/library-status.ts';
import { libraryPaths } from '../../src/engine/library-paths.ts';
import * as S from '../../src/engine/store/index.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A library folder with a folder, one tagged photo, an error, an active head and a kept tag. */
function library(): string {
  const dir = mkdtempSync(join(tmpdir(), 'glint-library-status-'));
  dirs.push(dir);
  let t = 1_000;
  const s = S.openStore(libraryPaths(dir).db, { now: () => t++ });
  const folder = S.addFolder(s, '/photos');
  const file = S.upsertFile(s, { path: '/photos/a.jpg', kind: 'photo', folderId: folder.id, hash: 'ha' });
  const [item] = S.replaceFileItems(s, file, [{ kind: 'photo', modality: 'image' }]) as [number];
  S.addItemTag(s, item, 'Max', 'user');
  S.keepUserTags(s, [file]);
  for (let i = 0; i < 3; i++)
    S.recordError(s, { path: `/photos/bad${i}.jpg`, stage: 'decode', message: `m${i}` });
  S.putHead(s, { id: 'h1', kind: 'default', bits: 64, modelId: 'clip', dir: join(dir, 'heads', 'h1') });
  S.putHead(s, { id: 'h2', kind: 'dghdgh', bits: 32, modelId: 'clip', dir: join(dir, 'heads', 'h2') });
  S.activateHead(s, 'h2');
  s.close();
  return dir;
}

describe('library status', () => {
  it('reads counts, kept tags, folders, the latest errors and the active head, without writing', () => {
    const dir = library();
    const before = readFileSync(libraryPaths(dir).db);
    const status = readLibraryStatus(dir, 2);
    expect(status).toMatchObject({
      library: dir,
      folders: 1,
      files: 1,
      photos: 1,
      errors: 3,
      embeddings: {},
      keptTags: { tags: 1, photos: 1, days: 180 },
      head: { id: 'h2', kind: 'dghdgh', bits: 32, dir: join(dir, 'heads', 'h2') },
    });
    expect(status.folderList.map((f) => f.path)).toEqual(['/photos']);
    expect(status.recentErrors.map((e) => e.message)).toEqual(['m2', 'm1']);
    // Read-only: the database file is not changed.
    expect(readFileSync(libraryPaths(dir).db)).toEqual(before);
  });

  it('uses the retention the user set, and reports no head when none is active', () => {
    const dir = library();
    const s = S.openStore(libraryPaths(dir).db);
    S.setJsonSetting(s, 'keepTagsDays', 30);
    S.deleteHead(s, 'h2');
    s.close();
    const status = readLibraryStatus(dir, 10);
    expect(status.keptTags.days).toBe(30);
    expect(status.head).toBeNull();
    expect(status.recentErrors).toHaveLength(3);
  });

  it('says there is no library yet, with the command that starts one (folder missing, or empty)', () => {
    const parent = mkdtempSync(join(tmpdir(), 'glint-no-library-'));
    dirs.push(parent);
    const empty = join(parent, 'empty');
    mkdirSync(empty);
    for (const dir of [join(parent, 'missing'), empty]) {
      let err: unknown;
      try {
        readLibraryStatus(dir, 5);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(GlintError);
      expect((err as GlintError).code).toBe('not-found');
      expect((err as GlintError).message).toBe(
        `There is no library at ${dir} yet: run \`glint index FOLDER\` to start one.`,
      );
    }
    expect(existsSync(join(parent, 'missing'))).toBe(false);
    expect(existsSync(join(empty, 'glint.db'))).toBe(false);
  });

  it('libraryStatus works on an open store', () => {
    const dir = library();
    const s = S.openStore(libraryPaths(dir).db);
    try {
      expect(libraryStatus(s, 1)).toMatchObject({ photos: 1, recentErrors: [{ message: 'm2' }] });
    } finally {
      s.close();
    }
  });
});
