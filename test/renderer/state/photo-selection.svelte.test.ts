/**
 * PhotoSelection against a fake host: Ctrl/Shift-click selections in a result list starting from the
 * cursor, a plain click ending them, a new list clearing them, and tagging and untagging the selection,
 * loading timeline photos not loaded yet first.
 */
import { describe, expect, it, vi } from 'vitest';
import type { ResultView } from '../../../src/contract/api.ts';
import { PhotoSelection, type PhotoList } from '../../../src/renderer/src/state/photo-selection.svelte.ts';
import { Toasts } from '../../../src/renderer/src/state/toasts.svelte.ts';
import { fail, fakeApi, ok } from './fake-api.ts';

const photo = (id: number): ResultView => ({ id, kind: 'photo', distance: 0, name: `p${id}.jpg` });

function setup(initial: PhotoList = [10, 11, 12, 13, 14].map(photo)) {
  const host = fakeApi({
    tagItems: (req) => ok({ changed: req.ids.length }),
    untagItems: (req) => ok({ changed: req.ids.length - 1 }),
  });
  const toasts = new Toasts();
  const grid = { list: initial, cursor: 0 };
  const fill = vi.fn(async (_first: number, _last: number) => {});
  const sel = new PhotoSelection(
    host.api,
    toasts,
    () => grid.list,
    () => grid.cursor,
    fill,
  );
  return { host, toasts, grid, sel, fill };
}

describe('PhotoSelection', () => {
  it('starts from the cursor on Ctrl or Shift, ends on a plain click, and belongs to its list', async () => {
    const { sel, grid } = setup();
    grid.cursor = 1;
    sel.choose(3, { toggle: true });
    expect([...(sel.selected ?? [])]).toEqual([1, 3]);
    expect(await sel.ids()).toEqual([11, 13]);
    sel.choose(4, { shift: true });
    expect(await sel.ids()).toEqual([13, 14]);
    expect(sel.count).toBe(2);
    sel.choose(2, {});
    expect(sel.selected).toBeUndefined();
    expect(sel.count).toBe(0);
    sel.selectAll();
    expect(sel.count).toBe(5);
    grid.list = [photo(99)];
    expect(sel.active).toBe(false);
    expect(await sel.ids()).toEqual([]);
    // Ctrl-click on the cursor's own photo selects just it.
    grid.cursor = 0;
    sel.choose(0, { toggle: true });
    expect(await sel.ids()).toEqual([99]);
  });

  it('tags the selection, says how many were new, and tells the app', async () => {
    const { sel, host, toasts } = setup();
    const changed = vi.fn();
    sel.onChanged = changed;
    sel.selectAll();
    sel.tag = ' Lisbon 2024 ';
    await sel.add();
    expect(host.calls.at(-1)).toEqual({
      method: 'tagItems',
      request: { ids: [10, 11, 12, 13, 14], tag: 'Lisbon 2024' },
    });
    expect(toasts.list.at(-1)?.message).toBe('Tagged 5 photos “Lisbon 2024” (5 new).');
    expect(sel.tag).toBe('');
    expect(changed).toHaveBeenCalledOnce();
    await sel.remove('Lisbon 2024');
    expect(host.calls.at(-1)).toEqual({
      method: 'untagItems',
      request: { ids: [10, 11, 12, 13, 14], tag: 'Lisbon 2024' },
    });
    expect(toasts.list.at(-1)?.message).toBe('Removed “Lisbon 2024” from 4 of 5 photos.');
  });

  it('asks nothing without a tag or a selection, and keeps the tag typed when the host refuses', async () => {
    const { sel, host, toasts } = setup();
    sel.tag = 'x';
    await sel.add();
    sel.selectAll();
    await sel.add('  ');
    expect(host.calls).toEqual([]);
    host.answers.tagItems = () => fail('invalid-request', 'A tag is at most 200 characters.');
    await sel.add();
    expect(sel.tag).toBe('x');
    expect(sel.busy).toBe(false);
    expect(toasts.list.at(-1)).toMatchObject({ kind: 'error', message: 'A tag is at most 200 characters.' });
  });

  it('loads the timeline photos a selection reaches before tagging them', async () => {
    const holes: Array<ResultView | undefined> = new Array(6);
    holes[0] = photo(1);
    const { sel, host, fill } = setup(holes);
    fill.mockImplementation(async (first: number, last: number) => {
      for (let i = first; i <= last; i++) holes[i] = photo(i + 1);
    });
    sel.selectAll(6);
    await sel.add('trip');
    expect(fill).toHaveBeenCalledWith(0, 5);
    expect(host.calls.at(-1)?.request).toEqual({ ids: [1, 2, 3, 4, 5, 6], tag: 'trip' });
  });
});
