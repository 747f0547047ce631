import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as S from '../../../src/engine/store/index.ts';
import { count, library, open, seed, tempDir } from './helpers.ts';

describe('store/files', () => {
  it('upsert keeps id and items, get/find by hash, delete cascades', () => {
    const s = library();
    const { photo, pItem } = seed(s);
    expect(
      S.upsertFile(s, { path: '/lib/a.jpg', kind: 'photo', folderId: 1, size: 11, mtimeMs: 9, hash: 'h9' }),
    ).toBe(photo);
    expect(S.getFileByPath(s, '/lib/a.jpg')).toMatchObject({
      id: photo,
      size: 11,
      mtimeMs: 9,
      hash: 'h9',
      kind: 'photo',
    });
    expect(S.getFile(s, photo)?.path).toBe('/lib/a.jpg');
    expect(S.getItem(s, pItem)?.fileId).toBe(photo);
    expect(S.findFilesByHash(s, 'h9').map((f) => f.id)).toEqual([photo]);
    expect(S.findFilesByHash(s, 'nope')).toEqual([]);
    expect(S.listFiles(s).map((f) => f.path)).toEqual(['/lib/a.jpg', '/lib/n.md']);
    expect(S.deleteFile(s, '/lib/a.jpg')).toBe(true);
    expect(S.getItem(s, pItem)).toBeUndefined();
    expect(count(s, 'items')).toBe(2);
    expect(count(s, 'embeddings')).toBe(2);
    expect(count(s, 'codes')).toBe(2);
    expect(S.listItemTags(s, pItem)).toEqual([]);
    expect(S.deleteFile(s, '/lib/a.jpg')).toBe(false);
  });

  it('stamps indexedAt with the store clock unless given, and keeps a known device when none is given', () => {
    const s = open(join(tempDir(), 'library.db'), { now: () => 42 });
    const id = S.upsertFile(s, { path: '/p/x.jpg', kind: 'photo', dev: 7 });
    expect(S.getFile(s, id)).toEqual({
      id,
      path: '/p/x.jpg',
      folderId: null,
      kind: 'photo',
      size: null,
      mtimeMs: null,
      hash: null,
      indexedAt: 42,
      dev: 7,
    });
    S.upsertFile(s, { path: '/p/x.jpg', kind: 'photo', indexedAt: null });
    expect(S.getFile(s, id)).toMatchObject({ indexedAt: null, dev: 7 });
    S.upsertFile(s, { path: '/p/x.jpg', kind: 'photo', indexedAt: 5, dev: 8 });
    expect(S.getFile(s, id)).toMatchObject({ indexedAt: 5, dev: 8 });
  });

  it('finds every copy of a content hash, by id, and lists one folder only when asked', () => {
    const s = library();
    const a = S.addFolder(s, '/a');
    const b = S.addFolder(s, '/b');
    const f2 = S.upsertFile(s, { path: '/b/copy.jpg', kind: 'photo', hash: 'same', folderId: b.id });
    const f1 = S.upsertFile(s, { path: '/a/orig.jpg', kind: 'photo', hash: 'same', folderId: a.id });
    S.upsertFile(s, { path: '/a/other.jpg', kind: 'photo', hash: 'diff', folderId: a.id });
    expect(S.findFilesByHash(s, 'same').map((f) => f.id)).toEqual([f2, f1]);
    expect(S.listFiles(s, a.id).map((f) => f.path)).toEqual(['/a/orig.jpg', '/a/other.jpg']);
    expect(S.listFiles(s, b.id).map((f) => f.id)).toEqual([f2]);
    expect(S.listFiles(s, 999)).toEqual([]);
  });

  it('rename keeps the file id, items, embeddings, codes and tags; replaces a record at the target', () => {
    const s = library();
    const { photo, pItem, note } = seed(s);
    expect(S.renameFile(s, '/lib/a.jpg', '/lib/sub/b.jpg')).toBe(true);
    expect(S.getFileByPath(s, '/lib/a.jpg')).toBeUndefined();
    expect(S.getFileByPath(s, '/lib/sub/b.jpg')?.id).toBe(photo);
    expect(S.getItem(s, pItem)?.path).toBe('/lib/sub/b.jpg');
    expect(S.getEmbedding(s, pItem, 'clip')).toBeDefined();
    expect(S.getCode(s, 'h64', pItem)).toEqual([BigInt(-pItem)]);
    expect(S.listItemTags(s, pItem).length).toBe(2);
    // Renaming onto an existing record replaces it.
    expect(S.renameFile(s, '/lib/sub/b.jpg', '/lib/n.md')).toBe(true);
    expect(S.getFile(s, note)).toBeUndefined();
    expect(S.getFileByPath(s, '/lib/n.md')?.id).toBe(photo);
    expect(S.renameFile(s, '/missing', '/x')).toBe(false);
  });

  it('rename moves a file into another folder when given one, and a rename onto itself changes nothing', () => {
    const s = library();
    const { photo } = seed(s);
    const other = S.addFolder(s, '/other');
    expect(S.renameFile(s, '/lib/a.jpg', '/other/a.jpg', other.id)).toBe(true);
    expect(S.getFile(s, photo)).toMatchObject({ path: '/other/a.jpg', folderId: other.id });
    expect(S.renameFile(s, '/other/a.jpg', '/other/a.jpg')).toBe(true);
    expect(S.getFile(s, photo)).toMatchObject({ path: '/other/a.jpg', folderId: other.id });
    expect(S.renameFile(s, '/nowhere', '/nowhere')).toBe(false);
    // Without a folder id the folder stays.
    expect(S.renameFile(s, '/other/a.jpg', '/other/b.jpg')).toBe(true);
    expect(S.getFile(s, photo)?.folderId).toBe(other.id);
  });

  it('rejects a kind the schema does not know', () => {
    const s = library();
    expect(() => S.upsertFile(s, { path: '/x', kind: 'video' as 'photo' })).toThrow(/CHECK/);
  });
});
