import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as S from '../../../src/engine/store/index.ts';
import { listTagSummaries } from '../../../src/engine/store/bulk-tags.ts';
import {
  TAG_UNDO_KEEP,
  TAG_UNDO_MS,
  deleteTag,
  listTagChanges,
  mergeTags,
  renameTag,
  undoTagChange,
} from '../../../src/engine/store/tag-changes.ts';
import type { Store } from '../../../src/engine/store/index.ts';
import { open, tempDir } from './helpers.ts';

/** `n` photos in one folder. */
function photos(s: Store, n: number): number[] {
  const folder = S.addFolder(s, '/lib');
  return Array.from({ length: n }, (_, i) => {
    const file = S.upsertFile(s, { path: `/lib/p${i}.jpg`, folderId: folder.id, kind: 'photo' });
    return (S.replaceFileItems(s, file, [{ kind: 'photo', modality: 'image' }]) as [number])[0];
  });
}

/** Every item_tags row as "item:name:source", sorted: what undo must restore exactly. */
function rows(s: Store): string[] {
  return (
    s.db
      .prepare(
        `SELECT it.item_id || ':' || t.name || ':' || it.source FROM item_tags it JOIN tags t ON t.id = it.tag_id`,
      )
      .pluck()
      .all() as string[]
  ).sort();
}

function clock(start = 1_700_000_000_000): { now: () => number; advance: (ms: number) => void } {
  let t = start;
  return { now: () => t++, advance: (ms) => (t += ms) };
}

describe('store/tag-changes', () => {
  it('renames a user tag with its children, leaves metadata rows, and undoes exactly', () => {
    const s = open(join(tempDir(), 'library.db'));
    const [a, b, c] = photos(s, 3) as [number, number, number];
    S.addItemTag(s, a, 'Places', 'user');
    S.addItemTag(s, a, 'Places/Lisbon', 'user');
    S.addItemTag(s, b, 'places/Lisbon/Alfama', 'user');
    S.addItemTag(s, c, 'Places/Lisbon', 'xmp');
    S.addItemTag(s, c, 'Placesque', 'user');
    const before = rows(s);

    const change = renameTag(s, 'Places', 'Travel');
    expect(change).toMatchObject({ kind: 'rename', merged: false, items: [a, b], metadataKept: 1 });
    expect(change?.summary).toBe('Renamed “Places” to “Travel”');
    expect(rows(s)).toEqual(
      [
        `${a}:Travel:user`,
        `${a}:Travel/Lisbon:user`,
        `${b}:Travel/Lisbon/Alfama:user`,
        `${c}:Places/Lisbon:xmp`,
        `${c}:Placesque:user`,
      ].sort(),
    );
    expect(undoTagChange(s, change!.token)?.items).toEqual([a, b]);
    expect(rows(s)).toEqual(before);
    // Undone once; not again.
    expect(undoTagChange(s, change!.token)).toBeNull();
  });

  it('renaming onto a tag in use merges, and undo takes the merge apart again', () => {
    const s = open(join(tempDir(), 'library.db'));
    const [a, b] = photos(s, 2) as [number, number];
    S.addItemTag(s, a, 'dog', 'user');
    S.addItemTag(s, b, 'dog', 'user');
    S.addItemTag(s, b, 'Dogs', 'user');
    const before = rows(s);
    const change = renameTag(s, 'dog', 'Dogs');
    expect(change).toMatchObject({ kind: 'merge', merged: true, summary: 'Merged “dog” into “Dogs”' });
    expect(rows(s)).toEqual([`${a}:Dogs:user`, `${b}:Dogs:user`]);
    undoTagChange(s);
    // b's own "Dogs" was there before the merge and stays; the merge's rows go.
    expect(rows(s)).toEqual(before);
  });

  it('respells a tag (letter case only) and undoes the spelling', () => {
    const s = open(join(tempDir(), 'library.db'));
    const [a] = photos(s, 1) as [number];
    S.addItemTag(s, a, 'lisbon', 'user');
    S.addItemTag(s, a, 'lisbon/alfama', 'xmp');
    const change = renameTag(s, 'lisbon', 'Lisbon');
    expect(change?.kind).toBe('rename');
    expect(S.listItemTags(s, a).map((t) => t.name)).toEqual(['Lisbon', 'Lisbon/alfama']);
    undoTagChange(s, change!.token);
    expect(S.listItemTags(s, a).map((t) => t.name)).toEqual(['lisbon', 'lisbon/alfama']);
  });

  it('merges several tags into one, and refuses nothing-to-do with null', () => {
    const s = open(join(tempDir(), 'library.db'));
    const [a, b, c] = photos(s, 3) as [number, number, number];
    S.addItemTag(s, a, 'pup', 'user');
    S.addItemTag(s, b, 'puppy', 'user');
    S.addItemTag(s, b, 'puppy/sleeping', 'user');
    S.addItemTag(s, c, 'puppy', 'iptc');
    const before = rows(s);
    const change = mergeTags(s, ['pup', 'puppy', 'Dog'], 'Dog');
    expect(change).toMatchObject({ kind: 'merge', items: [a, b], metadataKept: 1 });
    expect(change?.summary).toBe('Merged “pup”, “puppy” into “Dog”');
    expect(rows(s)).toEqual([`${a}:Dog:user`, `${b}:Dog/sleeping:user`, `${b}:Dog:user`, `${c}:puppy:iptc`]);
    undoTagChange(s, change!.token);
    expect(rows(s)).toEqual(before);
    expect(mergeTags(s, ['nothing'], 'Dog')).toBeNull();
    expect(renameTag(s, 'nothing', 'x')).toBeNull();
    expect(deleteTag(s, 'nothing')).toBeNull();
    // Metadata-only tags are not the user's to rename.
    expect(renameTag(s, 'puppy/sleeping', 'x')).not.toBeNull();
  });

  it('deletes a tag with its children from every photo, and undo survives reopening the library', () => {
    const file = join(tempDir(), 'library.db');
    let s = open(file);
    const [a, b] = photos(s, 2) as [number, number];
    S.addItemTag(s, a, 'Trip', 'user');
    S.addItemTag(s, b, 'Trip/Day 1', 'user');
    S.addItemTag(s, b, 'Trip', 'xmp');
    S.addItemTag(s, b, 'Keep', 'user');
    const before = rows(s);
    const change = deleteTag(s, 'trip');
    expect(change).toMatchObject({ kind: 'delete', items: [a, b], metadataKept: 1 });
    expect(rows(s)).toEqual([`${b}:Keep:user`, `${b}:Trip:xmp`]);
    expect(listTagSummaries(s).map((t) => t.name)).not.toContain('Trip/Day 1');
    s.close();

    s = open(file);
    expect(listTagChanges(s)).toEqual([
      { token: change!.token, kind: 'delete', summary: change!.summary, at: expect.any(Number) },
    ]);
    expect(undoTagChange(s)?.items).toEqual([a, b]);
    expect(rows(s)).toEqual(before);
    expect(listTagChanges(s)).toEqual([]);
  });

  it('puts rows back only on items still in the library', () => {
    const s = open(join(tempDir(), 'library.db'));
    const [a, b] = photos(s, 2) as [number, number];
    S.addItemTag(s, a, 'x', 'user');
    S.addItemTag(s, b, 'x', 'user');
    const change = deleteTag(s, 'x');
    s.db.prepare('DELETE FROM items WHERE id = ?').run(b);
    undoTagChange(s, change!.token);
    expect(rows(s)).toEqual([`${a}:x:user`]);
  });

  it('keeps the last changes for 30 days', () => {
    const c = clock();
    const s = open(join(tempDir(), 'library.db'), { now: c.now });
    const [a] = photos(s, 1) as [number];
    S.addItemTag(s, a, 't0', 'user');
    for (let i = 0; i < TAG_UNDO_KEEP + 5; i++) renameTag(s, `t${i}`, `t${i + 1}`);
    const kept = listTagChanges(s);
    expect(kept).toHaveLength(TAG_UNDO_KEEP);
    expect(kept[0]?.summary).toBe(`Renamed “t${TAG_UNDO_KEEP + 4}” to “t${TAG_UNDO_KEEP + 5}”`);
    c.advance(TAG_UNDO_MS + 1);
    expect(listTagChanges(s)).toEqual([]);
    expect(undoTagChange(s)).toBeNull();
  });

  it('exposes the hierarchy in the summaries', () => {
    const s = open(join(tempDir(), 'library.db'));
    const [a] = photos(s, 1) as [number];
    S.addItemTag(s, a, ' Places / Lisbon ', 'user');
    S.addItemTag(s, a, 'Places/Lisbon', 'xmp');
    expect(listTagSummaries(s)).toEqual([
      {
        name: 'Places/Lisbon',
        count: 1,
        userCount: 1,
        sources: ['user', 'xmp'],
        parent: 'Places',
        leaf: 'Lisbon',
      },
    ]);
    expect(S.normalizeTagName('Places//Lisbon/')).toBe('Places/Lisbon');
    expect(S.normalizeTagName(' / ')).toBe('');
  });
});
