import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  defaultAppDataDir,
  defaultLibraryDir,
  insideLibrary,
  libraryPaths,
  removeLibraryFolder,
  thumbnailPath,
} from '../../src/engine/library-paths.ts';

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'glint-library-paths-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('library paths', () => {
  it('puts the app data in a per-user Glint folder and the library inside it unless $GLINT_LIBRARY says', () => {
    const data = defaultAppDataDir();
    expect(isAbsolute(data)).toBe(true);
    expect(data).toMatch(/Glint$/);
    expect(defaultLibraryDir({})).toBe(join(data, 'library'));
    expect(defaultLibraryDir({ GLINT_LIBRARY: '/libs/mine' })).toBe('/libs/mine');
    expect(defaultLibraryDir({ GLINT_LIBRARY: '' })).toBe(join(data, 'library'));
  });

  it('lays out a library folder: database, thumbnails and heads inside it, absolute', () => {
    expect(libraryPaths('/l')).toEqual({
      root: '/l',
      db: join('/l', 'glint.db'),
      thumbs: join('/l', 'thumbs'),
      heads: join('/l', 'heads'),
    });
    expect(libraryPaths('rel/lib/').root).toBe(resolve('rel/lib'));
  });

  it('shards thumbnails by the first two hex digits of the content hash', () => {
    const hash = 'ab12' + '0'.repeat(60);
    expect(thumbnailPath(libraryPaths('/l'), hash)).toBe(join('/l', 'thumbs', 'ab', `${hash}.webp`));
  });

  it('knows what lies strictly inside the library', () => {
    const p = libraryPaths('/l/lib');
    expect(insideLibrary(p, '/l/lib/heads/h1')).toBe(true);
    expect(insideLibrary(p, '/l/lib/x/../heads')).toBe(true);
    expect(insideLibrary(p, '/l/lib')).toBe(false);
    expect(insideLibrary(p, '/l/lib/')).toBe(false);
    expect(insideLibrary(p, '/l/lib2/heads')).toBe(false);
    expect(insideLibrary(p, '/l/lib/../other')).toBe(false);
    expect(insideLibrary(p, '/elsewhere')).toBe(false);
  });

  it('deletes a folder of its own and leaves anything outside alone', async () => {
    const lib = libraryPaths(join(root, 'lib'));
    const head = join(lib.heads, 'h1');
    mkdirSync(head, { recursive: true });
    writeFileSync(join(head, 'head.json'), '{}');
    const outside = join(root, 'precious');
    mkdirSync(outside);
    writeFileSync(join(outside, 'photo.jpg'), 'x');
    expect(await removeLibraryFolder(lib, head)).toBe(true);
    expect(existsSync(head)).toBe(false);
    expect(await removeLibraryFolder(lib, outside)).toBe(false);
    expect(await removeLibraryFolder(lib, join(lib.root, '..', 'precious'))).toBe(false);
    expect(await removeLibraryFolder(lib, lib.root)).toBe(false);
    expect(existsSync(join(outside, 'photo.jpg'))).toBe(true);
    expect(existsSync(lib.root)).toBe(true);
    // A folder of its own that is already gone is fine.
    expect(await removeLibraryFolder(lib, join(lib.heads, 'never'))).toBe(true);
  });
});
