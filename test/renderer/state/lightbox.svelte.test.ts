/**
 * LightboxState against a fake host: opening an item of a result list, stepping through it, the
 * details of the item shown (never a stale one), its place line, tag editing in place, reveal and open.
 */
import { describe, expect, it, vi } from 'vitest';
import type { ItemDetail, ResultView } from '../../../src/contract/api.ts';
import { LightboxState } from '../../../src/renderer/src/state/lightbox.svelte.ts';
import { Toasts } from '../../../src/renderer/src/state/toasts.svelte.ts';
import { fail, fakeApi, flush, ok } from './fake-api.ts';

const list: ResultView[] = [1, 2, 3].map((id) => ({ id, kind: 'photo', distance: id, name: `p${id}.jpg` }));
const detail = (id: number, tags: string[] = []): ItemDetail => ({
  id,
  kind: 'photo',
  path: `/photos/p${id}.jpg`,
  folder: '/photos',
  tags: tags.map((name) => ({ name, source: 'user' as const })),
});

function setup() {
  const tags = new Map<number, string[]>();
  const host = fakeApi({
    item: ({ id }) => ok(detail(id, tags.get(id))),
    tagItems: ({ ids, tag }) => {
      for (const id of ids) tags.set(id, [...(tags.get(id) ?? []), tag]);
      return ok({ changed: ids.length });
    },
    untagItems: ({ ids, tag }) => {
      for (const id of ids)
        tags.set(
          id,
          (tags.get(id) ?? []).filter((t) => t !== tag),
        );
      return ok({ changed: ids.length });
    },
    reveal: () => ok(null),
    openExternal: () => ok(null),
  });
  const toasts = new Toasts();
  return { host, toasts, lb: new LightboxState(host.api, toasts) };
}

describe('LightboxState', () => {
  it('opens an item, loads its details and steps within the list, stopping at its ends', async () => {
    const { lb, host } = setup();
    expect(lb.isOpen).toBe(false);
    lb.open(list, 0);
    expect(lb.isOpen).toBe(true);
    expect(lb.loading).toBe(true);
    expect([lb.hasPrev, lb.hasNext]).toEqual([false, true]);
    await flush();
    expect(lb.loading).toBe(false);
    expect(lb.detail?.path).toBe('/photos/p1.jpg');

    lb.newTag = 'half-typed';
    lb.go(2);
    expect(lb.newTag).toBe('');
    expect([lb.hasPrev, lb.hasNext]).toEqual([true, false]);
    lb.go(3);
    lb.go(-1);
    expect(lb.current?.id).toBe(3);
    await flush();
    expect(lb.detail?.id).toBe(3);
    expect(host.calls.map((c) => c.request)).toEqual([{ id: 1 }, { id: 3 }]);
  });

  it('shows the details of the item on screen when an earlier answer arrives late', async () => {
    const { lb, host } = setup();
    const late: Array<() => void> = [];
    host.answers.item = ({ id }) =>
      id === 1 ? new Promise((done) => late.push(() => done(ok(detail(1))))) : ok(detail(id));
    lb.open(list, 0);
    lb.go(1);
    await flush();
    late[0]!();
    await flush();
    expect(lb.detail?.id).toBe(2);
    expect(lb.loading).toBe(false);
  });

  it('shows where the photo on screen was taken as one line, and none for a photo without a place', async () => {
    const { lb, host } = setup();
    const lisbon = {
      city: 'Lisbon',
      region: 'Lisbon',
      country: 'Portugal',
      countryCode: 'PT',
      label: 'Lisbon, Portugal',
    };
    host.answers.item = ({ id }) =>
      ok(id === 1 ? { ...detail(1), lat: 38.7075, lon: -9.1364, place: lisbon } : detail(id));
    lb.open(list, 0);
    expect(lb.placeName).toBeNull();
    await flush();
    expect(lb.placeName).toBe('Lisbon, Portugal');
    // The next photo's details are on their way: the line is not Lisbon's meanwhile.
    lb.go(1);
    expect(lb.placeName).toBeNull();
    await flush();
    expect(lb.shown?.id).toBe(2);
    expect(lb.placeName).toBeNull();
  });

  it('closes: nothing shown, and a detail still on its way is dropped', async () => {
    const { lb } = setup();
    lb.open(list, 1);
    lb.close();
    await flush();
    expect(lb.isOpen).toBe(false);
    expect(lb.current).toBeUndefined();
    expect(lb.detail).toBeNull();
  });

  it('adds the typed tag to this photo, reloads it and tells the other views', async () => {
    const { lb, host } = setup();
    const changed = vi.fn();
    lb.onTagsChanged = changed;
    lb.open(list, 1);
    await flush();
    lb.newTag = '  Rex ';
    await lb.addTag();
    expect(host.calls.find((c) => c.method === 'tagItems')?.request).toEqual({ ids: [2], tag: 'Rex' });
    expect(lb.newTag).toBe('');
    expect(lb.detail?.tags.map((t) => t.name)).toEqual(['Rex']);
    expect(changed).toHaveBeenCalledOnce();

    await lb.removeTag('Rex');
    expect(host.calls.find((c) => c.method === 'untagItems')?.request).toEqual({ ids: [2], tag: 'Rex' });
    expect(lb.detail?.tags).toEqual([]);
    expect(changed).toHaveBeenCalledTimes(2);
  });

  it('sends no blank tag, and keeps the typed tag with the error when the host refuses', async () => {
    const { lb, host, toasts } = setup();
    const changed = vi.fn();
    lb.onTagsChanged = changed;
    lb.open(list, 0);
    await flush();
    lb.newTag = '   ';
    await lb.addTag();
    expect(host.calls.some((c) => c.method === 'tagItems')).toBe(false);

    host.answers.tagItems = () => fail('invalid-request', 'A tag is at most 200 characters.');
    lb.newTag = 'x'.repeat(300);
    await lb.addTag();
    expect(lb.newTag).toHaveLength(300);
    expect(toasts.list.at(-1)).toMatchObject({ kind: 'error', message: 'A tag is at most 200 characters.' });
    expect(changed).not.toHaveBeenCalled();
  });

  it('reveals and opens the item shown, by id, and says when the file is out of reach', async () => {
    const { lb, host, toasts } = setup();
    await lb.reveal();
    expect(host.calls).toEqual([]);
    lb.open(list, 2);
    await lb.reveal();
    host.answers.openExternal = () => fail('unavailable', 'The drive with this photo is not connected.');
    await lb.openExternal();
    expect(host.calls.filter((c) => c.method !== 'item')).toEqual([
      { method: 'reveal', request: { id: 3 } },
      { method: 'openExternal', request: { id: 3 } },
    ]);
    expect(toasts.list.at(-1)?.message).toBe('The drive with this photo is not connected.');
  });
});
