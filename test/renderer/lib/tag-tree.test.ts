import { describe, expect, it } from 'vitest';
import type { TagView } from '../../../src/contract/api.ts';
import { tagTree } from '../../../src/renderer/src/lib/tag-tree.ts';

const tag = (name: string, count = 1): TagView => ({
  name,
  count,
  userCount: count,
  sources: ['user'],
  parent: name.includes('/') ? name.slice(0, name.lastIndexOf('/')) : null,
  leaf: name.slice(name.lastIndexOf('/') + 1),
});

describe('tagTree', () => {
  it('puts parents before their children, siblings by name, with rows for parents no photo carries', () => {
    const rows = tagTree([
      tag('Places/Lisbon', 5),
      tag('dog', 9),
      tag('Places/Lisbon/Alfama'),
      tag('Places/berlin'),
    ]);
    expect(rows.map((r) => [r.name, r.leaf, r.depth, r.tag?.count ?? null])).toEqual([
      ['dog', 'dog', 0, 9],
      ['Places', 'Places', 0, null],
      ['Places/berlin', 'berlin', 1, 1],
      ['Places/Lisbon', 'Lisbon', 1, 5],
      ['Places/Lisbon/Alfama', 'Alfama', 2, 1],
    ]);
  });

  it('gives a parent that photos carry its own tag, whatever order the tags come in', () => {
    const rows = tagTree([tag('A/b'), tag('A', 3)]);
    expect(rows.map((r) => [r.name, r.tag?.count ?? null])).toEqual([
      ['A', 3],
      ['A/b', 1],
    ]);
    expect(tagTree([])).toEqual([]);
  });
});
