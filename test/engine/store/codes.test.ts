import { describe, expect, it } from 'vitest';
import * as S from '../../../src/engine/store/index.ts';
import { library, seed } from './helpers.ts';

describe('store/codes', () => {
  it('exact signed 64-bit words, batch put and packed read per modality', () => {
    const s = library();
    const { pItem, cItem, n1, n2 } = seed(s);
    S.putHead(s, { id: 'h128', kind: 'dghdgh', bits: 128, modelId: 'clip', dir: '/heads/h128' });
    const extremes: Array<[bigint, bigint]> = [
      [-(2n ** 63n), 2n ** 63n - 1n],
      [-1n, 0n],
      [0x0123456789abcdefn, -0x0123456789abcdefn],
      [1n, -2n],
    ];
    const ids = [pItem, cItem, n1, n2];
    S.putCodes(
      s,
      'h128',
      ids.map((itemId, i) => ({ itemId, words: extremes[i] as [bigint, bigint] })),
    );
    ids.forEach((id, i) => expect(S.getCode(s, 'h128', id)).toEqual(extremes[i]));
    const batch = S.readCodes(s, 'h128', 'text', 2);
    expect(batch.itemIds).toEqual([cItem, n1, n2]);
    expect([...batch.words]).toEqual(extremes.slice(1).flat());
    const one = S.readCodes(s, 'h64', 'image', 1);
    expect(one.itemIds).toEqual([pItem]);
    expect([...one.words]).toEqual([BigInt(-pItem)]);
  });

  it('wraps unsigned words to signed 64 bits and stores a 64-bit code with no second word', () => {
    const s = library();
    const { pItem } = seed(s);
    S.putCodes(s, 'h64', [{ itemId: pItem, words: [2n ** 64n - 1n] }]);
    expect([...S.readCodes(s, 'h64', 'image', 1).words]).toEqual([-1n]);
    expect(s.db.prepare('SELECT w1 FROM codes WHERE item_id = ?').pluck().get(pItem)).toBeNull();
    // Read as two words per code, a one-word code's second word is 0.
    expect([...S.readCodes(s, 'h64', 'image', 2).words]).toEqual([-1n, 0n]);
  });

  it('replaces an item’s code under the same head and keeps heads apart', () => {
    const s = library();
    const { pItem } = seed(s);
    S.putHead(s, { id: 'h16', kind: 'dghdgh', bits: 16, modelId: 'clip', dir: '/heads/h16' });
    S.putCodes(s, 'h16', [{ itemId: pItem, words: [5n] }]);
    S.putCodes(s, 'h64', [{ itemId: pItem, words: [9n] }]);
    expect([...S.readCodes(s, 'h64', 'image', 1).words]).toEqual([9n]);
    expect(S.readCodes(s, 'h16', 'image', 1)).toEqual({
      itemIds: [pItem],
      words: BigInt64Array.of(5n),
      wordsPerCode: 1,
    });
    expect(S.readCodes(s, 'h16', 'text', 1)).toEqual({
      itemIds: [],
      words: new BigInt64Array(0),
      wordsPerCode: 1,
    });
  });

  it('leaves the items of a removed folder out of the bulk read until it is restored', () => {
    const s = library();
    const { folder, cItem, n1, n2 } = seed(s);
    const loose = S.upsertFile(s, { path: '/loose.md', kind: 'note' });
    const [looseItem] = S.replaceFileItems(s, loose, [
      { kind: 'note_chunk', modality: 'text', text: 'x', charStart: 0 },
    ]) as [number];
    S.putCodes(s, 'h64', [{ itemId: looseItem, words: [3n] }]);
    expect(S.readCodes(s, 'h64', 'text', 1).itemIds).toEqual([cItem, n1, n2, looseItem]);
    S.markFolderRemoved(s, folder.id);
    const hidden = S.readCodes(s, 'h64', 'text', 1);
    expect(hidden.itemIds).toEqual([looseItem]);
    expect([...hidden.words]).toEqual([3n]);
    S.restoreFolder(s, folder.id);
    expect(S.readCodes(s, 'h64', 'text', 1).itemIds).toEqual([cItem, n1, n2, looseItem]);
  });

  it('rejects a code for an unknown head or item (foreign keys)', () => {
    const s = library();
    const { pItem } = seed(s);
    expect(() => S.putCodes(s, 'nope', [{ itemId: pItem, words: [1n] }])).toThrow(/FOREIGN KEY/);
    expect(() => S.putCodes(s, 'h64', [{ itemId: 99_999, words: [1n] }])).toThrow(/FOREIGN KEY/);
  });
});
