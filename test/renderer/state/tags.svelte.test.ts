/**
 * TagsState against a fake host: the tag list and the user's own tags, finding photos by phrase or
 * tag, click/shift/ctrl selection, and bulk tagging and untagging with what changed.
 */
import { describe, expect, it, vi } from 'vitest';
import type { ResultView, TagView } from '../../../src/contract/api.ts';
import { TagsState } from '../../../src/renderer/src/state/tags.svelte.ts';
import { Toasts } from '../../../src/renderer/src/state/toasts.svelte.ts';
import { fail, fakeApi, flush, ok } from './fake-api.ts';

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

  it('renames a tag in place (Esc leaves it), toasts with Undo, follows the tag shown, and undoes', async () => {
    const { t, host, toasts } = setup();
    const changed = vi.fn();
    t.onChanged = changed;
    const change = { token: 7, kind: 'rename' as const, summary: 'Renamed “dog” to “Dogs”', photos: 12 };
    host.answers.renameTag = () => ok({ ...change, metadataKept: 0, merged: false });
    host.answers.undoTagChange = () =>
      ok({ ...change, summary: `Undid: ${change.summary}`, metadataKept: 0 });
    t.startRename('dog');
    t.editText = 'whatever';
    t.cancelRename();
    expect(t.editing).toBeNull();
    await t.showTag('dog');
    t.startRename('dog');
    t.editText = ' Dogs ';
    await t.commitRename();
    expect(host.calls.find((c) => c.method === 'renameTag')?.request).toEqual({ from: 'dog', to: 'Dogs' });
    expect(t.editing).toBeNull();
    expect(t.activeTag).toBe('Dogs');
    expect(changed).toHaveBeenCalledOnce();
    const toast = toasts.list.find((x) => x.message === 'Renamed “dog” to “Dogs”.');
    expect(toast?.action?.label).toBe('Undo');
    expect(t.lastChange?.token).toBe(7);

    toast?.action?.run();
    await flush();
    expect(host.calls.find((c) => c.method === 'undoTagChange')?.request).toEqual({ token: 7 });
    expect(toasts.list.at(-1)?.message).toBe('Undid: Renamed “dog” to “Dogs”.');
    expect(t.lastChange).toBeNull();
    expect(changed).toHaveBeenCalledTimes(2);
    // Nothing left to undo here: Ctrl+Z asks nothing.
    const before = host.calls.length;
    await t.undo();
    expect(host.calls.length).toBe(before);
  });

  it('keeps the field open with the name typed when the host refuses a rename', async () => {
    const { t, host, toasts } = setup();
    host.answers.renameTag = () => fail('usage', '“Places” cannot be moved under itself (“Places/x”).');
    t.startRename('Places');
    t.editText = 'Places/x';
    await t.commitRename();
    expect(t.editing).toBe('Places');
    expect(t.editText).toBe('Places/x');
    expect(toasts.list.at(-1)).toMatchObject({ kind: 'error' });
    // Unchanged or empty: nothing is asked.
    t.editText = '  ';
    await t.commitRename();
    expect(host.calls.filter((c) => c.method === 'renameTag')).toHaveLength(1);
    expect(t.editing).toBeNull();
  });

  it('merges the ticked tags into one and says how many metadata keywords keep their name', async () => {
    const { t, host, toasts } = setup();
    host.answers.mergeTags = (req) =>
      ok({
        token: 3,
        kind: 'merge',
        summary: `Merged ${req.sources.join(', ')} into “${req.into}”`,
        photos: 16,
        metadataKept: 2,
      });
    t.toggleMark('dog');
    t.toggleMark('beach');
    t.toggleMark('Paris');
    t.toggleMark('Paris');
    await t.merge('  Pets ');
    expect(host.calls.find((c) => c.method === 'mergeTags')?.request).toEqual({
      sources: ['dog', 'beach'],
      into: 'Pets',
    });
    expect(toasts.list.at(-1)?.message).toBe(
      'Merged dog, beach into “Pets”. 2 XMP/IPTC keywords keep the old name: they live in the files.',
    );
    expect(t.marked.size).toBe(0);
  });

  it('asks before deleting, deletes on yes, shows all photos again, and counts what it touches', async () => {
    const { t, host } = setup();
    host.answers.deleteTag = (req) =>
      ok({
        token: 4,
        kind: 'delete',
        summary: `Deleted “${req.name}” from 4 photos`,
        photos: 4,
        metadataKept: 0,
      });
    await t.refresh();
    expect(t.userCountUnder('beach')).toBe(2);
    expect(t.metadataOnly('beach')).toBe(2);
    await t.showTag('beach');
    t.askDelete('beach');
    t.cancelDelete();
    await t.confirmDelete();
    expect(host.calls.some((c) => c.method === 'deleteTag')).toBe(false);
    t.askDelete('beach');
    await t.confirmDelete();
    expect(host.calls.find((c) => c.method === 'deleteTag')?.request).toEqual({ name: 'beach' });
    expect(t.activeTag).toBeNull();
    expect(t.lastChange?.token).toBe(4);
  });
});
