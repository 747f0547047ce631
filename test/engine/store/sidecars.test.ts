/**
 * The store side of XMP write-back on a real SQLite library: sidecar states as Glint last saw them, the
 * photos (and only photos) behind item ids and shared sidecar names, their user tags (never metadata ones),
 * and a photo's index kept current across Glint's own sidecar write.
 */
import { describe, expect, it } from 'vitest';
import * as S from '../../../src/engine/store/index.ts';
import {
  getSidecarState,
  markSidecarIndexed,
  photoItemIdOf,
  photoPathsOf,
  photoPathsWithPrefix,
  photoPathsWithUserTags,
  setSidecarState,
  userTagsOfPaths,
} from '../../../src/engine/store/sidecars.ts';
import { library, seed } from './helpers.ts';

describe('sidecar state', () => {
  it('is unknown until recorded, then read back as written and replaced by the next record', () => {
    const s = library();
    expect(getSidecarState(s, '/lib/a.jpg.xmp')).toBeUndefined();
    const owned = { subjects: ['max', 'Paris'], hierarchical: ['Places|France|Paris'] };
    setSidecarState(s, '/lib/a.jpg.xmp', { size: 120, mtimeMs: 1_700_000_000_123.6, hash: 'h1', owned });
    // mtime is kept to the millisecond (the file system's fraction is not meaningful to compare).
    expect(getSidecarState(s, '/lib/a.jpg.xmp')).toEqual({
      size: 120,
      mtimeMs: 1_700_000_000_124,
      hash: 'h1',
      owned,
    });
    const none = { subjects: [], hierarchical: [] };
    setSidecarState(s, '/lib/a.jpg.xmp', { size: 80, mtimeMs: 5, hash: 'h2', owned: none });
    expect(getSidecarState(s, '/lib/a.jpg.xmp')).toEqual({ size: 80, mtimeMs: 5, hash: 'h2', owned: none });
    expect(getSidecarState(s, '/lib/b.jpg.xmp')).toBeUndefined();
  });

  it('a damaged record of owned terms reads as none, so Glint never takes away terms it cannot name', () => {
    const s = library();
    s.db
      .prepare('INSERT INTO sidecar_state(path, size, mtime_ms, hash, owned) VALUES (?, 1, 1, ?, ?)')
      .run('/lib/a.jpg.xmp', 'h', '{not json');
    s.db
      .prepare('INSERT INTO sidecar_state(path, size, mtime_ms, hash, owned) VALUES (?, 1, 1, ?, ?)')
      .run('/lib/b.jpg.xmp', 'h', JSON.stringify({ subjects: ['ok', 7, null], hierarchical: 'x' }));
    expect(getSidecarState(s, '/lib/a.jpg.xmp')?.owned).toEqual({ subjects: [], hierarchical: [] });
    expect(getSidecarState(s, '/lib/b.jpg.xmp')?.owned).toEqual({ subjects: ['ok'], hierarchical: [] });
  });
});

describe('photos and their user tags', () => {
  it('item ids name photo files only, each once; captions, notes and unknown ids are left out', () => {
    const s = library();
    const { pItem, cItem, n1, n2 } = seed(s);
    expect(photoPathsOf(s, [pItem, cItem, n1, n2, pItem, 9999])).toEqual(['/lib/a.jpg']);
    expect(photoPathsOf(s, [])).toEqual([]);
    expect(photoItemIdOf(s, '/lib/a.jpg')).toBe(pItem);
    expect(photoItemIdOf(s, '/lib/n.md')).toBeUndefined();
    expect(photoItemIdOf(s, '/lib/nope.jpg')).toBeUndefined();
  });

  it('a shared Lightroom name finds the RAW and the JPEG of one shot, not a longer name or a note', () => {
    const s = library();
    const { folder } = seed(s);
    for (const path of ['/lib/a.cr2', '/lib/ab.jpg', '/other/a.jpg'])
      S.upsertFile(s, { path, folderId: folder.id, kind: 'photo', size: 1, mtimeMs: 1, hash: path });
    S.upsertFile(s, { path: '/lib/a.md', folderId: folder.id, kind: 'note', size: 1, mtimeMs: 1, hash: 'n' });
    expect(photoPathsWithPrefix(s, '/lib/a.')).toEqual(['/lib/a.cr2', '/lib/a.jpg']);
    // LIKE wildcards in a folder name are plain characters here.
    expect(photoPathsWithPrefix(s, '/l_b/a.')).toEqual([]);
  });

  it("user tags only: the photo's metadata tags are the sidecar's own and never written back", () => {
    const s = library();
    const { pItem } = seed(s);
    S.addItemTag(s, pItem, 'Places/France/Paris', 'user');
    S.addItemTag(s, pItem, 'Sunset', 'iptc');
    // The user's 'dog' is the library's one tag Dog (names are one tag in any case); Sunset is IPTC's alone.
    expect(userTagsOfPaths(s, ['/lib/a.jpg'])).toEqual(['Dog', 'Places/France/Paris']);
    expect(userTagsOfPaths(s, ['/lib/n.md', '/lib/none.jpg'])).toEqual([]);
  });

  it('the photos writing every sidecar covers: those with a user tag, not a note chunk with one', () => {
    const s = library();
    const { folder, pItem } = seed(s);
    const other = S.upsertFile(s, {
      path: '/lib/b.jpg',
      folderId: folder.id,
      kind: 'photo',
      size: 1,
      hash: 'b',
    });
    const [bItem] = S.replaceFileItems(s, other, [{ kind: 'photo', modality: 'image' }]) as [number];
    S.addItemTag(s, bItem, 'Sunset', 'xmp');
    expect(photoPathsWithUserTags(s)).toEqual(['/lib/a.jpg']);
    S.removeItemTag(s, pItem, 'dog', 'user');
    expect(photoPathsWithUserTags(s)).toEqual([]);
  });
});

describe('markSidecarIndexed', () => {
  const indexedAt = (s: ReturnType<typeof library>, path: string): number | null =>
    S.getFileByPath(s, path)?.indexedAt ?? null;

  it("moves a current photo's index past Glint's own sidecar write, so that write is not indexed again", () => {
    const s = library();
    const { folder } = seed(s);
    S.upsertFile(s, { path: '/lib/c.jpg', folderId: folder.id, kind: 'photo', indexedAt: 1000 });
    markSidecarIndexed(s, '/lib/c.jpg', 900, 2000.4);
    expect(indexedAt(s, '/lib/c.jpg')).toBe(2001);
  });

  it('leaves a photo alone that was not current before the write (it still has to be indexed)', () => {
    const s = library();
    const { folder } = seed(s);
    S.upsertFile(s, { path: '/lib/c.jpg', folderId: folder.id, kind: 'photo', indexedAt: 800 });
    markSidecarIndexed(s, '/lib/c.jpg', 900, 2000);
    expect(indexedAt(s, '/lib/c.jpg')).toBe(800);
    // Nor is an index newer than the write moved back.
    S.upsertFile(s, { path: '/lib/d.jpg', folderId: folder.id, kind: 'photo', indexedAt: 3000 });
    markSidecarIndexed(s, '/lib/d.jpg', 900, 2000);
    expect(indexedAt(s, '/lib/d.jpg')).toBe(3000);
  });
});
