import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HAS_SHARED_DATA } from '../../helpers/shared-data.ts';
import { openHostFixture, type HostFixture } from '../host/host-fixture.ts';
import { TagsService } from '../../../src/engine/services/tags-service.ts';
import * as S from '../../../src/engine/store/index.ts';
import type { Store } from '../../../src/engine/store/index.ts';
import { open, tempDir } from '../store/helpers.ts';

describe.runIf(HAS_SHARED_DATA)('TagsService (user tags by item id)', () => {
  let fx: HostFixture;
  beforeAll(async () => {
    fx = await openHostFixture(4);
  }, 120_000);
  afterAll(async () => {
    await fx?.cleanup();
  });

  it('tags photos by id (once, case-insensitively), counts them, and untags', () => {
    const { tags, search } = fx.engine;
    const [a, b] = fx.manifest.map((p) => search.photoIdAt(join(fx.photos, p.file)));
    expect(tags.add([a!, b!], ' Max ')).toBe(2);
    expect(tags.add([a!, b!], 'max')).toBe(0);
    expect(tags.summary().tags.find((t) => t.name === 'Max')).toMatchObject({ count: 2, sources: ['user'] });
    expect(tags.summary().taggedPhotos).toBeGreaterThanOrEqual(2);
    expect(tags.remove([a!], 'MAX')).toBe(1);
    expect(tags.summary().tags.find((t) => t.name === 'Max')?.count).toBe(1);
  });

  it('refuses an empty tag in words', () => {
    expect(() => fx.engine.tags.add([1], '   ')).toThrow(/empty/);
  });
});

describe('TagsService rename, merge, delete and undo (on a real library file)', () => {
  function setup() {
    const file = join(tempDir(), 'library.db');
    const store = open(file);
    const folder = S.addFolder(store, '/lib');
    const ids = [0, 1, 2].map((i) => {
      const f = S.upsertFile(store, { path: `/lib/p${i}.jpg`, folderId: folder.id, kind: 'photo' });
      return (S.replaceFileItems(store, f, [{ kind: 'photo', modality: 'image' }]) as [number])[0];
    }) as [number, number, number];
    const changes: number[][] = [];
    const tags = new TagsService({ store, onUserTagsChanged: (items) => changes.push(items) });
    return { file, store, ids, tags, changes };
  }
  const names = (s: Store, id: number): string[] => S.listItemTags(s, id).map((t) => `${t.name}:${t.source}`);

  it('renames a parent with its children, calls the hook with the items changed, and undoes', () => {
    const { store, ids, tags, changes } = setup();
    const [a, b, c] = ids;
    tags.add([a, b], 'Places/Lisbon');
    tags.add([c], 'Places');
    S.addItemTag(store, c, 'Places', 'xmp');
    expect(changes).toEqual([[a, b], [c]]);
    const change = tags.rename('Places', ' Travel ');
    expect(change).toMatchObject({ kind: 'rename', merged: false, items: [a, b, c], metadataKept: 1 });
    expect(names(store, a)).toEqual(['Travel/Lisbon:user']);
    expect(names(store, c)).toEqual(['Places:xmp', 'Travel:user']);
    expect(changes.at(-1)).toEqual([a, b, c]);
    expect(tags.history()[0]?.summary).toBe('Renamed “Places” to “Travel”');
    expect(tags.undo().summary).toBe('Undid: Renamed “Places” to “Travel”');
    expect(names(store, a)).toEqual(['Places/Lisbon:user']);
    expect(names(store, c)).toEqual(['Places:user', 'Places:xmp']);
    expect(changes.at(-1)).toEqual([a, b, c]);
  });

  it('says a rename onto a tag in use is a merge; merges and deletes, undone after reopening', () => {
    const { file, store, ids, tags } = setup();
    const [a, b, c] = ids;
    tags.add([a], 'pup');
    tags.add([b], 'Dog');
    tags.add([c], 'hound');
    expect(tags.rename('pup', 'dog')).toMatchObject({ merged: true, summary: 'Merged “pup” into “dog”' });
    const merge = tags.merge(['hound'], 'Dog');
    const del = tags.delete('DOG');
    expect(del.items).toEqual([a, b, c]);
    expect(tags.summary().tags).toEqual([]);
    store.close();

    const again = new TagsService({ store: open(file) });
    expect(again.history().map((h) => h.kind)).toEqual(['delete', 'merge', 'merge']);
    again.undo(del.token);
    again.undo(merge.token);
    // The merge of pup stays; the delete and the merge of hound are undone.
    expect(again.summary().tags.map((t) => [t.name, t.count])).toEqual([
      ['Dog', 2],
      ['hound', 1],
    ]);
    expect(() => again.undo(merge.token)).toThrow(/cannot be undone: it was undone already/);
  });

  it('refuses in words: empty names, moving under itself, metadata-only and unknown tags', () => {
    const { store, ids, tags } = setup();
    S.addItemTag(store, ids[0], 'Paris', 'xmp');
    tags.add([ids[1]], 'Places');
    expect(() => tags.rename(' ', 'x')).toThrow(/empty/);
    expect(() => tags.rename('Places', 'places/old')).toThrow(/cannot be moved under itself/);
    expect(() => tags.rename('Places', 'Places')).toThrow(/already has that name/);
    expect(() => tags.merge(['Places'], 'Places/x')).toThrow(/below it/);
    expect(() => tags.delete('Paris')).toThrow(/only from your photos' XMP\/IPTC keywords \(1 of them\)/);
    expect(() => tags.rename('Nowhere', 'x')).toThrow(/No photo has the tag “Nowhere”/);
    expect(() => new TagsService({ store }).undo(999)).toThrow(/Tag change 999 cannot be undone/);
  });
});
