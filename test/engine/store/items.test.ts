import { describe, expect, it } from 'vitest';
import * as S from '../../../src/engine/store/index.ts';
import { library, seed } from './helpers.ts';

describe('store/items', () => {
  it('replace in one transaction returns ids in order and drops old embeddings/codes', () => {
    const s = library();
    const { note, n1, n2 } = seed(s);
    expect(S.listFileItems(s, note).map((i) => i.id)).toEqual([n1, n2]);
    const ids = S.replaceFileItems(s, note, [
      { kind: 'note_chunk', modality: 'text', text: 'three', charStart: 0, charEnd: 5 },
    ]);
    expect(ids).toHaveLength(1);
    expect(ids[0]).toBeGreaterThan(n2); // ids are never reused
    expect(S.getItem(s, n1)).toBeUndefined();
    expect(S.getEmbedding(s, n1, 'clip')).toBeUndefined();
    expect(S.getCode(s, 'h64', n2)).toBeUndefined();
    expect(S.getItems(s, [ids[0] as number, 99999])).toMatchObject([
      { text: 'three', kind: 'note_chunk', modality: 'text' },
    ]);
    // A failing insert rolls the whole replacement back.
    expect(() =>
      S.replaceFileItems(s, note, [
        { kind: 'note_chunk', modality: 'text', charStart: 0 },
        { kind: 'note_chunk', modality: 'text', charStart: 0 },
      ]),
    ).toThrow(/UNIQUE/);
    expect(S.listFileItems(s, note).map((i) => i.id)).toEqual(ids);
  });

  it('items carry photo metadata and come back in the order asked', () => {
    const s = library();
    const { pItem, cItem } = seed(s);
    expect(S.getItems(s, [cItem, pItem]).map((i) => i.id)).toEqual([cItem, pItem]);
    expect(S.getItem(s, pItem)).toMatchObject({
      kind: 'photo',
      modality: 'image',
      charStart: 0,
      takenAt: 1000,
      lat: 1.5,
      lon: -2.5,
      width: 640,
      height: 480,
    });
    expect(S.listItemIds(s, 'text')).toEqual([cItem, pItem + 2, pItem + 3]);
    expect(S.listItemIds(s)).toHaveLength(4);
    expect(S.listItemIds(s, 'image')).toEqual([pItem]);
  });

  it('defaults a photo to offset 0 and other kinds to no offset; unset fields are null', () => {
    const s = library();
    const file = S.upsertFile(s, { path: '/x.jpg', kind: 'photo' });
    const [p, c] = S.replaceFileItems(s, file, [
      { kind: 'photo', modality: 'image' },
      { kind: 'caption', modality: 'text', text: 't' },
    ]) as [number, number];
    expect(S.getItem(s, p)).toEqual({
      id: p,
      fileId: file,
      path: '/x.jpg',
      kind: 'photo',
      modality: 'image',
      text: null,
      charStart: 0,
      charEnd: null,
      takenAt: null,
      takenSource: null,
      lat: null,
      lon: null,
      width: null,
      height: null,
      available: true,
    });
    expect(S.getItem(s, c)?.charStart).toBeNull();
    expect(S.getItems(s, [])).toEqual([]);
  });

  it('lists a file’s items by kind, then offset', () => {
    const s = library();
    const file = S.upsertFile(s, { path: '/n.md', kind: 'note' });
    const [late, early, cap] = S.replaceFileItems(s, file, [
      { kind: 'note_chunk', modality: 'text', text: 'b', charStart: 10 },
      { kind: 'note_chunk', modality: 'text', text: 'a', charStart: 2 },
      { kind: 'caption', modality: 'text', text: 'c', charStart: 0 },
    ]) as [number, number, number];
    expect(S.listFileItems(s, file).map((i) => i.id)).toEqual([cap, early, late]);
  });

  it('marks items unavailable while their folder is offline or unreadable', () => {
    const s = library();
    const { folder, pItem, n1 } = seed(s);
    const loose = S.upsertFile(s, { path: '/elsewhere/x.jpg', kind: 'photo' });
    const [looseItem] = S.replaceFileItems(s, loose, [{ kind: 'photo', modality: 'image' }]) as [number];
    S.setFolderState(s, folder.id, 'offline', 'unplugged');
    expect(S.getItems(s, [pItem, n1, looseItem]).map((i) => i.available)).toEqual([false, false, true]);
    S.setFolderState(s, folder.id, 'unreadable', 'permission denied');
    expect(S.getItem(s, pItem)?.available).toBe(false);
    S.setFolderState(s, folder.id, 'ok', null);
    expect(S.getItem(s, pItem)?.available).toBe(true);
  });
});
