import { describe, expect, it } from 'vitest';
import * as S from '../../../src/engine/store/index.ts';
import { folderFileCounts, getItemDetail } from '../../../src/engine/store/item-detail.ts';
import { library, seed } from './helpers.ts';

describe('store/item-detail', () => {
  it('gives a photo with its folder, content hash, captions and tags', () => {
    const s = library();
    const { pItem, photo } = seed(s);
    expect(getItemDetail(s, pItem)).toEqual({
      ...S.getItem(s, pItem),
      fileId: photo,
      folder: '/lib',
      fileHash: 'h1',
      captions: ['a dog'],
      tags: [
        { name: 'Dog', source: 'user' },
        { name: 'Dog', source: 'xmp' },
      ],
    });
  });

  it('gives captions only for photos, skips empty captions, and knows files outside folders', () => {
    const s = library();
    const { cItem, n1 } = seed(s);
    expect(getItemDetail(s, cItem)).toMatchObject({ kind: 'caption', captions: [], folder: '/lib' });
    expect(getItemDetail(s, n1)).toMatchObject({
      kind: 'note_chunk',
      captions: [],
      fileHash: 'h2',
      tags: [{ name: 'Beach', source: 'user' }],
    });
    const loose = S.upsertFile(s, { path: '/loose.jpg', kind: 'photo' });
    const [p] = S.replaceFileItems(s, loose, [
      { kind: 'photo', modality: 'image' },
      { kind: 'caption', modality: 'text', text: '', charStart: 0 },
      { kind: 'caption', modality: 'text', text: 'second', charStart: 1 },
    ]) as [number];
    expect(getItemDetail(s, p)).toMatchObject({
      folder: null,
      fileHash: null,
      captions: ['second'],
      tags: [],
    });
    expect(getItemDetail(s, 99_999)).toBeUndefined();
  });

  it('counts files per folder, leaving out folders without files and files outside folders', () => {
    const s = library();
    const { folder } = seed(s);
    const empty = S.addFolder(s, '/empty');
    const b = S.addFolder(s, '/b');
    S.upsertFile(s, { path: '/b/x.jpg', kind: 'photo', folderId: b.id });
    S.upsertFile(s, { path: '/loose.jpg', kind: 'photo' });
    const counts = folderFileCounts(s);
    expect([...counts.entries()].sort((x, y) => x[0] - y[0])).toEqual([
      [folder.id, 2],
      [b.id, 1],
    ]);
    expect(counts.has(empty.id)).toBe(false);
  });
});
