/**
 * TagsState against a fake host: the tag list and the user's own tags, finding photos by phrase or
 * tag, click/shift/ctrl selection, and bulk tagging and untagging with what changed.
 */
import { describe, expect, it, vi } from 'vitest';
import type { ResultView, TagView } from '../../../src/contract/api.ts';
import { TagsState } from '../../../src/renderer/src/state/tags.svelte.ts';
import { Toasts } from '../../../src/renderer/src/state/toasts.svelte.ts';
import { fail, fakeApi, ok } from './fake-api.ts';

const photo = (id: number): ResultView => ({ id, kind: 'photo', distance: id, name: `p${id}.jpg` });
const tagList: TagView[] = [
  { name: 'dog', count: 12, userCount: 12, sources: ['user'], parent: null, leaf: 'dog' },
  { name: 'Paris', count: 30, userCount: 0, sources: ['xmp'], parent: null, leaf: 'Paris' },
  { name: 'beach', count: 4, userCount: 2, sources: ['iptc', 'user'], parent: null, leaf: 'beach' },
];

const reach = {
  radius: { photos: 20, notes: 22 },
  nearestOnly: { photos: false, notes: false },
  bits: 64,
  undated: 0,
};

function setup() {
  const host = fakeApi({
    listTags: () => ok(tagList),
    // The search answers with as many photos as the phrase has letters, ids 10, 11, …
    search: (req) =>
      ok({ photos: [...(req.text ?? '')].map((_, i) => photo(10 + i)), notes: [], ...reach, tookMs: 3 }),
    tagItems: (req) => ok({ changed: req.ids.length - 1 }),
    untagItems: (req) => ok({ changed: req.ids.length }),
  });
  const toasts = new Toasts();
  return { host, toasts, t: new TagsState(host.api, toasts) };
}

describe('TagsState', () => {
  it('loads the tags and tells the user’s own tags (removable) from metadata tags', async () => {
    const { t } = setup();
    await t.refresh();
    expect(t.tags).toEqual(tagList);
    expect(t.userTags.map((x) => x.name)).toEqual(['dog', 'beach']);
  });

  it('finds photos by phrase, within the chosen tag, or by the tag’s name alone', async () => {
    const { t, host } = setup();
    t.text = '  sea  ';
    await t.find();
    expect(host.calls.at(-1)?.request).toEqual({
      text: 'sea',
      limit: 5000,
      noteLimit: 0,
      filters: {},
      radius: 'all',
    });
    expect(t.photos.map((p) => p.id)).toEqual([10, 11, 12]);
    expect(t.searched).toBe(true);
    expect(t.cursor).toBe(0);

    await t.showTag('dog');
    expect(host.calls.at(-1)?.request).toMatchObject({ text: 'sea', filters: { tags: ['dog'] } });
    t.text = '';
    await t.find();
    expect(host.calls.at(-1)?.request).toMatchObject({ text: 'dog', filters: { tags: ['dog'] } });

    await t.showTag(null);
    expect(t.photos).toEqual([]);
    expect(t.searched).toBe(false);
  });

  it('shows only the answer to the latest search when answers arrive out of order', async () => {
    const { t, host } = setup();
    let release: () => void = () => {};
    host.answers.search = (req) =>
      req.text === 'slow'
        ? new Promise(
            (done) => (release = () => done(ok({ photos: [photo(1)], notes: [], ...reach, tookMs: 9 }))),
          )
        : ok({ photos: [photo(2), photo(3)], notes: [], ...reach, tookMs: 1 });
    t.text = 'slow';
    const first = t.find();
    t.text = 'fast';
    await t.find();
    release();
    await first;
    expect(t.photos.map((p) => p.id)).toEqual([2, 3]);
  });

  it('selects with click, ctrl and shift, all and none, and a new search clears the selection', async () => {
    const { t } = setup();
    t.text = 'abcdef';
    await t.find();
    t.choose(1, {});
    t.choose(3, { shift: true });
    expect(t.selectedIds).toEqual([11, 12, 13]);
    expect(t.cursor).toBe(3);
    t.choose(5, { toggle: true });
    expect(t.selectedIds).toEqual([11, 12, 13, 15]);
    t.selectAll();
    expect(t.selectedIds).toHaveLength(6);
    t.clearSelection();
    expect(t.selectedIds).toEqual([]);
    t.choose(0, {});
    await t.find();
    expect(t.selectedIds).toEqual([]);
  });

  it('tags the selected photos, says how many were new, and reloads the tags', async () => {
    const { t, host, toasts } = setup();
    const changed = vi.fn();
    t.onChanged = changed;
    t.text = 'abc';
    await t.find();
    t.selectAll();
    t.bulkTag = '  holiday ';
    await t.addToSelection();
    expect(host.calls.find((c) => c.method === 'tagItems')?.request).toEqual({
      ids: [10, 11, 12],
      tag: 'holiday',
    });
    expect(toasts.list.at(-1)?.message).toBe('Tagged 3 photos “holiday” (2 new).');
    expect(t.bulkTag).toBe('');
    expect(host.calls.at(-1)?.method).toBe('listTags');
    expect(changed).toHaveBeenCalledOnce();
  });

  it('does nothing without a tag name or a selection, and keeps the typed tag when the host refuses', async () => {
    const { t, host, toasts } = setup();
    t.text = 'ab';
    await t.find();
    const before = host.calls.length;
    t.bulkTag = 'x';
    await t.addToSelection();
    t.selectAll();
    await t.addToSelection('   ');
    expect(host.calls.length).toBe(before);

    host.answers.tagItems = () => fail('invalid-request', 'A tag is at most 200 characters.');
    await t.addToSelection();
    expect(t.bulkTag).toBe('x');
    expect(toasts.list.at(-1)).toMatchObject({ kind: 'error', message: 'A tag is at most 200 characters.' });
  });

  it('removes a user tag from the selection, and refreshes the photos shown for that tag', async () => {
    const { t, host, toasts } = setup();
    const changed = vi.fn();
    t.onChanged = changed;
    await t.showTag('dog');
    t.selectAll();
    await t.removeFromSelection('dog');
    expect(host.calls.find((c) => c.method === 'untagItems')?.request).toEqual({
      ids: [10, 11, 12],
      tag: 'dog',
    });
    expect(toasts.list.at(-1)?.message).toBe('Removed “dog” from 3 photos.');
    expect(changed).toHaveBeenCalledOnce();
    expect(host.calls.slice(-2).map((c) => c.method)).toEqual(['listTags', 'search']);

    t.selectAll();
    await t.removeFromSelection('beach');
    expect(host.calls.at(-1)?.method).toBe('listTags');
  });
});
