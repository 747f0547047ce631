import { describe, expect, it } from 'vitest';
import * as S from '../../../src/engine/store/index.ts';
import {
  countTaggedPhotos,
  listTagSummaries,
  tagPhotos,
  untagPhotos,
} from '../../../src/engine/store/bulk-tags.ts';
import { library, seed } from './helpers.ts';

describe('store/bulk-tags', () => {
  it('tags only the photos among the ids, once, creating the tag with its first spelling', () => {
    const s = library();
    const { pItem, cItem, n1 } = seed(s);
    const other = S.upsertFile(s, { path: '/b.jpg', kind: 'photo' });
    const [p2] = S.replaceFileItems(s, other, [{ kind: 'photo', modality: 'image' }]) as [number];
    expect(tagPhotos(s, [pItem, cItem, n1, p2, 99_999], '  Summer   2024 ')).toBe(2);
    expect(S.listItemTags(s, p2)).toEqual([{ name: 'Summer 2024', source: 'user' }]);
    expect(S.listItemTags(s, cItem)).toEqual([]);
    expect(S.listItemTags(s, n1)).toEqual([{ name: 'Beach', source: 'user' }]);
    // Again, in another case: no new rows, the first spelling stays.
    expect(tagPhotos(s, [pItem, p2], 'summer 2024')).toBe(0);
    expect(S.itemsWithTag(s, 'SUMMER 2024')).toEqual([pItem, p2]);
    expect(tagPhotos(s, [], 'x')).toBe(0);
    expect(() => tagPhotos(s, [pItem], '  ')).toThrow(/empty/);
  });

  it('untags user tags only, leaving metadata tags', () => {
    const s = library();
    const { pItem, n1 } = seed(s);
    expect(untagPhotos(s, [pItem, n1], 'DOG')).toBe(1);
    expect(S.listItemTags(s, pItem)).toEqual([{ name: 'Dog', source: 'xmp' }]);
    // Untagging works on any item kind among the ids (the chunk's user tag goes too).
    expect(untagPhotos(s, [pItem, n1], 'beach')).toBe(1);
    expect(S.listItemTags(s, n1)).toEqual([]);
    expect(untagPhotos(s, [pItem], 'never-heard-of')).toBe(0);
  });

  it('summarises tags by distinct items (user ones too), most used first, with sorted sources and level', () => {
    const s = library();
    const { cItem, n1, n2 } = seed(s);
    S.addItemTag(s, cItem, 'dog', 'iptc');
    S.addItemTag(s, n2, 'Apple', 'user');
    S.addItemTag(s, n1, 'apple', 'xmp');
    expect(listTagSummaries(s)).toEqual([
      { name: 'Apple', count: 2, userCount: 1, sources: ['user', 'xmp'], parent: null, leaf: 'Apple' },
      { name: 'Dog', count: 2, userCount: 1, sources: ['iptc', 'user', 'xmp'], parent: null, leaf: 'Dog' },
      { name: 'Beach', count: 1, userCount: 1, sources: ['user'], parent: null, leaf: 'Beach' },
    ]);
  });

  it('counts photos with at least one tag of any source; other kinds do not count', () => {
    const s = library();
    const { pItem, cItem, n1 } = seed(s);
    expect(countTaggedPhotos(s)).toBe(1);
    S.addItemTag(s, cItem, 'x', 'user');
    S.addItemTag(s, n1, 'y', 'user');
    expect(countTaggedPhotos(s)).toBe(1);
    const other = S.upsertFile(s, { path: '/b.jpg', kind: 'photo' });
    const [p2] = S.replaceFileItems(s, other, [{ kind: 'photo', modality: 'image' }]) as [number];
    S.addItemTag(s, p2, 'z', 'xmp');
    expect(countTaggedPhotos(s)).toBe(2);
    S.removeItemTag(s, pItem, 'dog');
    expect(countTaggedPhotos(s)).toBe(1);
  });
});
