import { describe, expect, it } from 'vitest';
import * as S from '../../../src/engine/store/index.ts';
import { library, seed } from './helpers.ts';

describe('store/tags', () => {
  it('case-insensitive names, per-source add/remove, counts, items with tag, replace per source', () => {
    const s = library();
    const { pItem, cItem, n1 } = seed(s);
    expect(S.listItemTags(s, pItem)).toEqual([
      { name: 'Dog', source: 'user' },
      { name: 'Dog', source: 'xmp' },
    ]);
    expect(S.listTags(s)).toMatchObject([
      { name: 'Beach', count: 1 },
      { name: 'Dog', count: 1 },
    ]);
    S.addItemTag(s, cItem, '  DOG  ', 'user');
    expect(S.itemsWithTag(s, 'dog')).toEqual([pItem, cItem]);
    expect(S.listTags(s)[0]).toMatchObject({ name: 'Dog', count: 2 });
    expect(S.removeItemTag(s, pItem, 'dog', 'xmp')).toBe(true);
    expect(S.listItemTags(s, pItem)).toEqual([{ name: 'Dog', source: 'user' }]);
    expect(S.removeItemTag(s, pItem, 'DOG')).toBe(true);
    expect(S.removeItemTag(s, pItem, 'unknown')).toBe(false);
    S.setItemTags(s, n1, 'xmp', ['Sea', 'sand', 'sea', ' ']);
    S.setItemTags(s, n1, 'xmp', ['Sand', 'Sun']);
    expect(S.listItemTags(s, n1)).toEqual([
      { name: 'Beach', source: 'user' },
      { name: 'sand', source: 'xmp' },
      { name: 'Sun', source: 'xmp' },
    ]);
    expect(S.listItemTagPairs(s).length).toBe(4);
    expect(S.pruneUnusedTags(s)).toBe(1); // 'Sea'
    expect(() => S.addItemTag(s, n1, '   ', 'user')).toThrow(/empty/);
  });

  it('normalizes names by trimming and collapsing inner whitespace, keeping case', () => {
    expect(S.normalizeTagName('  New \t York \n')).toBe('New York');
    expect(S.normalizeTagName('a  b')).toBe('a b');
    expect(S.normalizeTagName(' \t ')).toBe('');
    expect(S.normalizeTagName('Ünïcode')).toBe('Ünïcode');
  });

  it('returns the same tag id for every spelling; removing from all sources counts as one removal', () => {
    const s = library();
    const { pItem, n1 } = seed(s);
    const a = S.addItemTag(s, n1, 'New  York', 'user');
    const b = S.addItemTag(s, pItem, 'new york', 'iptc');
    expect(b).toBe(a);
    expect(S.listItemTags(s, pItem).map((t) => t.name)).toContain('New York');
    // Adding the same (item, tag, source) twice is a no-op.
    S.addItemTag(s, n1, 'NEW YORK', 'user');
    expect(S.listItemTags(s, n1).filter((t) => t.name === 'New York')).toHaveLength(1);
    expect(S.removeItemTag(s, pItem, 'dog')).toBe(true); // both the xmp and the user row
    expect(S.listItemTags(s, pItem)).toEqual([{ name: 'New York', source: 'iptc' }]);
    expect(S.removeItemTag(s, pItem, 'dog')).toBe(false);
  });

  it('lists tags most used first, ties by name, counting an item once over its sources', () => {
    const s = library();
    const { pItem, cItem, n1, n2 } = seed(s);
    for (const id of [cItem, n1, n2]) S.addItemTag(s, id, 'zebra', 'user');
    S.addItemTag(s, n2, 'apple', 'user');
    expect(S.listTags(s).map((t) => [t.name, t.count])).toEqual([
      ['zebra', 3],
      ['apple', 1],
      ['Beach', 1],
      ['Dog', 1],
    ]);
    expect(S.listItemTagPairs(s).map((p) => p.itemId)).toEqual([pItem, cItem, n1, n1, n2, n2]);
    expect(S.itemsWithTag(s, ' Zebra ')).toEqual([cItem, n1, n2]);
    expect(S.itemsWithTag(s, 'nothing')).toEqual([]);
  });

  it('replacing one source’s tags leaves the other sources alone', () => {
    const s = library();
    const { pItem } = seed(s);
    S.setItemTags(s, pItem, 'xmp', []);
    expect(S.listItemTags(s, pItem)).toEqual([{ name: 'Dog', source: 'user' }]);
    S.setItemTags(s, pItem, 'iptc', ['Park']);
    S.setItemTags(s, pItem, 'user', ['Max']);
    expect(S.listItemTags(s, pItem)).toEqual([
      { name: 'Max', source: 'user' },
      { name: 'Park', source: 'iptc' },
    ]);
  });
});
