import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as S from '../../../src/engine/store/index.ts';
import { purgeRemovedFolders, removalPreview } from '../../../src/engine/store/folder-removal.ts';
import { count, open, tempDir } from './helpers.ts';

/** A library with one folder holding a tagged photo (two user tags, one xmp) and a note. */
function seeded(now: { t: number }) {
  const s = open(join(tempDir(), 'glint.db'), { now: () => now.t });
  const folder = S.addFolder(s, '/photos');
  const photoFile = S.upsertFile(s, {
    path: '/photos/a.jpg',
    kind: 'photo',
    hash: 'h-a',
    folderId: folder.id,
  });
  const noteFile = S.upsertFile(s, { path: '/photos/n.txt', kind: 'note', hash: 'h-n', folderId: folder.id });
  const [photo] = S.replaceFileItems(s, photoFile, [{ kind: 'photo', modality: 'image' }]);
  S.replaceFileItems(s, noteFile, [{ kind: 'note_chunk', modality: 'text', text: 'hi', charStart: 0 }]);
  S.addItemTag(s, photo as number, 'Max', 'user');
  S.addItemTag(s, photo as number, 'Dog', 'user');
  S.addItemTag(s, photo as number, 'beach', 'xmp');
  return { s, folder, photo: photo as number };
}

describe('store/folder-removal', () => {
  it('says what a removal takes, and purges it once its undo time is over, keeping user tags', () => {
    const now = { t: 1_000 };
    const { s, folder } = seeded(now);
    expect(removalPreview(s, folder.id)).toEqual({ files: 2, photos: 1, notes: 1, userTags: 2 });
    S.markFolderRemoved(s, folder.id);
    expect(purgeRemovedFolders(s, 999)).toBe(0);
    expect(S.getFolder(s, '/photos')).toBeDefined();
    expect(purgeRemovedFolders(s, 1_000)).toBe(1);
    expect(S.getFolder(s, '/photos')).toBeUndefined();
    expect(count(s, 'items')).toBe(0);
    expect(count(s, 'files')).toBe(0);
    expect(S.keptTagCounts(s)).toEqual({ tags: 2, photos: 1, oldest: 1_000 });
    expect(S.takeKeptTags(s, 'h-a').sort()).toEqual(['Dog', 'Max']);
    expect(S.takeKeptTags(s, 'h-a')).toEqual([]);
  });

  it('previews an empty or unknown folder as nothing, and counts each photo of a multi-item file once', () => {
    const { s, folder } = seeded({ t: 0 });
    const empty = S.addFolder(s, '/empty');
    expect(removalPreview(s, empty.id)).toEqual({ files: 0, photos: 0, notes: 0, userTags: 0 });
    expect(removalPreview(s, 12345)).toEqual({ files: 0, photos: 0, notes: 0, userTags: 0 });
    // A caption beside the photo is not a second photo, and its user tag counts.
    const file = S.getFileByPath(s, '/photos/a.jpg')!;
    const items = S.listFileItems(s, file.id);
    const [, caption] = S.replaceFileItems(s, file.id, [
      { kind: 'photo', modality: 'image' },
      { kind: 'caption', modality: 'text', text: 'c' },
    ]) as [number, number];
    expect(items).toHaveLength(1);
    S.addItemTag(s, caption, 'Cap', 'user');
    expect(removalPreview(s, folder.id)).toEqual({ files: 2, photos: 1, notes: 1, userTags: 1 });
  });

  it('never purges a folder that is not removed, and purges only those removed in time', () => {
    const now = { t: 10 };
    const { s, folder } = seeded(now);
    const other = S.addFolder(s, '/other');
    expect(purgeRemovedFolders(s, Number.MAX_SAFE_INTEGER)).toBe(0);
    S.markFolderRemoved(s, folder.id);
    now.t = 20;
    S.markFolderRemoved(s, other.id);
    expect(purgeRemovedFolders(s, 15)).toBe(1);
    expect(S.listRemovedFolders(s).map((f) => f.path)).toEqual(['/other']);
    expect(S.getFileByPath(s, '/photos/a.jpg')).toBeUndefined();
  });
});
