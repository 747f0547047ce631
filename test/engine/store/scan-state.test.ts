import { describe, expect, it } from 'vitest';
import * as S from '../../../src/engine/store/index.ts';
import {
  deleteFileById,
  fileHasEmbeddings,
  fileIdsUnder,
  folderIdFor,
  knownFilesUnder,
  markRead,
  needsReread,
  setFileDevs,
} from '../../../src/engine/store/scan-state.ts';
import { count, library, seed } from './helpers.ts';

describe('store/scan-state', () => {
  it('knows the files at or below a root, not those of a sibling sharing its prefix', () => {
    const s = library();
    const { photo, note } = seed(s);
    const sib = S.upsertFile(s, { path: '/lib2/x.jpg', kind: 'photo' });
    const dash = S.upsertFile(s, { path: '/lib-old/y.jpg', kind: 'photo' });
    const deep = S.upsertFile(s, { path: '/lib/a/b/c.jpg', kind: 'photo', size: 1, mtimeMs: 2, dev: 3 });
    expect([...knownFilesUnder(s, '/lib', 'clip').keys()].sort()).toEqual([
      '/lib/a.jpg',
      '/lib/a/b/c.jpg',
      '/lib/n.md',
    ]);
    expect(fileIdsUnder(s, '/lib').sort((a, b) => a - b)).toEqual([photo, note, deep]);
    expect(fileIdsUnder(s, '/lib/a.jpg')).toEqual([photo]);
    expect(fileIdsUnder(s, '/lib2')).toEqual([sib]);
    expect(fileIdsUnder(s, '/lib-old')).toEqual([dash]);
    expect(fileIdsUnder(s, '/li')).toEqual([]);
    expect(knownFilesUnder(s, '/lib/a', 'clip').get('/lib/a/b/c.jpg')).toEqual({
      id: deep,
      size: 1,
      mtimeMs: 2,
      indexedAt: expect.any(Number),
      complete: true, // no items: nothing is missing
      dev: 3,
      reread: false,
    });
  });

  it('a file marked as read by an older reader is known as such until it is read again', () => {
    const s = library();
    const { photo, note } = seed(s);
    expect(needsReread(s, photo)).toBe(false);
    // What migration REREAD does to a library's files.
    s.db.prepare('UPDATE files SET reread = 1 WHERE id = ?').run(photo);
    expect(needsReread(s, photo)).toBe(true);
    expect(knownFilesUnder(s, '/lib', 'clip').get('/lib/a.jpg')?.reread).toBe(true);
    expect(knownFilesUnder(s, '/lib', 'clip').get('/lib/n.md')?.reread).toBe(false);
    // Moving or touching a file (upsertFile without a read) leaves the mark; markRead clears it.
    S.upsertFile(s, { path: '/lib/a.jpg', kind: 'photo', size: 9 });
    expect(needsReread(s, photo)).toBe(true);
    markRead(s, photo);
    expect(needsReread(s, photo)).toBe(false);
    expect(needsReread(s, note)).toBe(false);
  });

  it('a file is complete only when every item has an embedding for that model', () => {
    const s = library();
    const { photo, note, n2 } = seed(s);
    expect(fileHasEmbeddings(s, photo, 'clip')).toBe(true);
    expect(fileHasEmbeddings(s, photo, 'other')).toBe(false);
    s.db.prepare("DELETE FROM embeddings WHERE item_id = ? AND model_id = 'clip'").run(n2);
    expect(fileHasEmbeddings(s, note, 'clip')).toBe(false);
    const known = knownFilesUnder(s, '/lib', 'clip');
    expect(known.get('/lib/a.jpg')?.complete).toBe(true);
    expect(known.get('/lib/n.md')?.complete).toBe(false);
    expect(knownFilesUnder(s, '/lib', 'other').get('/lib/a.jpg')?.complete).toBe(false);
  });

  it('finds the deepest library folder that contains a path', () => {
    const s = library();
    const outer = S.addFolder(s, '/photos');
    const inner = S.addFolder(s, '/photos/2024');
    S.addFolder(s, '/photos/2024-old');
    expect(folderIdFor(s, '/photos/2024/a.jpg')).toBe(inner.id);
    expect(folderIdFor(s, '/photos/2024')).toBe(inner.id);
    expect(folderIdFor(s, '/photos/2023/a.jpg')).toBe(outer.id);
    expect(folderIdFor(s, '/photos')).toBe(outer.id);
    expect(folderIdFor(s, '/photosx/a.jpg')).toBeNull();
    expect(folderIdFor(s, '/elsewhere')).toBeNull();
  });

  it('records new devices and deletes a record by id with everything below it', () => {
    const s = library();
    const { photo, note, pItem } = seed(s);
    setFileDevs(s, [
      { id: photo, dev: 11 },
      { id: note, dev: 12 },
    ]);
    setFileDevs(s, []);
    expect(S.getFile(s, photo)?.dev).toBe(11);
    expect(S.getFile(s, note)?.dev).toBe(12);
    deleteFileById(s, photo);
    expect(S.getFile(s, photo)).toBeUndefined();
    expect(S.getItem(s, pItem)).toBeUndefined();
    expect(count(s, 'items')).toBe(2);
    expect(count(s, 'codes')).toBe(2);
    expect(count(s, 'item_tags')).toBe(1);
    deleteFileById(s, photo); // unknown now: harmless
    expect(count(s, 'files')).toBe(1);
  });
});
