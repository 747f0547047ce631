/**
 * SuggestionsState against a fake host: the queue and its quality, accept / reject / skip, accepting a tag
 * on all its photos, undo of the last decisions, and a failed call that changes nothing.
 */
import { describe, expect, it } from 'vitest';
import type { SuggestionQueue, SuggestionView } from '../../../src/contract/api.ts';
import { SuggestionsState } from '../../../src/renderer/src/state/suggestions.svelte.ts';
import { Toasts } from '../../../src/renderer/src/state/toasts.svelte.ts';
import { fail, fakeApi, ok } from './fake-api.ts';

const s = (id: number, itemId: number, tag: string, score: number): SuggestionView => ({
  id,
  itemId,
  tag,
  score,
  confidence: score >= 0.9 ? 'very likely' : 'likely',
});
const queue: SuggestionQueue = {
  suggestions: [s(1, 10, 'max', 0.95), s(2, 10, 'beach', 0.9), s(3, 11, 'max', 0.8), s(4, 12, 'max', 0.75)],
  tags: [
    { tag: 'max', count: 3 },
    { tag: 'beach', count: 1 },
  ],
  quality: {
    sentence:
      'Suggestions were right 8 times in 10 on photos you had already tagged (8 of 10), and found 5 in 10 of their tags.',
    basis: 'held-out',
    threshold: 0.7,
    heldOut: 30,
    heldOutPrecision: 0.8,
    heldOutRecall: 0.5,
  },
};

function setup() {
  const host = fakeApi({
    listSuggestions: () => ok(queue),
    acceptSuggestions: ({ ids }) => ok({ changed: ids.length }),
    rejectSuggestions: ({ ids }) => ok({ changed: ids.length }),
    undoSuggestions: ({ ids }) => ok({ changed: ids.length }),
    acceptSuggestedTag: ({ tag }) =>
      ok({ changed: 3, ids: queue.suggestions.filter((q) => q.tag === tag).map((q) => q.id) }),
  });
  const toasts = new Toasts();
  const state = new SuggestionsState(host.api, toasts);
  let changed = 0;
  state.onChanged = () => changed++;
  return { host, toasts, state, changed: () => changed };
}

describe('SuggestionsState (the review queue)', () => {
  it('loads the queue most confident first, with the photo’s other tags and the quality sentence', async () => {
    const { state } = setup();
    await state.refresh();
    expect(state.loaded).toBe(true);
    expect(state.current?.id).toBe(1);
    expect(state.photoTags.map((t) => t.tag)).toEqual(['max', 'beach']);
    expect(state.tagCount).toBe(3);
    expect(state.quality?.sentence).toMatch(/right 8 times in 10/);
  });

  it('accepts, rejects and skips, and undoes the last decisions in order', async () => {
    const { host, state, changed } = setup();
    await state.refresh();
    await state.accept();
    expect(host.calls.at(-1)).toEqual({ method: 'acceptSuggestions', request: { ids: [1] } });
    expect(state.current?.id).toBe(2);
    expect(state.lastDecision).toBe('Accepted “max”');
    expect(changed()).toBe(1);
    await state.reject();
    expect(host.calls.at(-1)).toEqual({ method: 'rejectSuggestions', request: { ids: [2] } });
    expect(state.queue.map((q) => q.id)).toEqual([3, 4]);
    state.skip();
    expect(state.queue.map((q) => q.id)).toEqual([4, 3]);
    expect(state.current?.id).toBe(4);
    await state.undo();
    expect(host.calls.at(-1)).toEqual({ method: 'undoSuggestions', request: { ids: [2] } });
    expect(state.current?.id).toBe(2);
    expect(state.lastDecision).toBe('Accepted “max”');
    await state.undo();
    expect(host.calls.at(-1)).toEqual({ method: 'undoSuggestions', request: { ids: [1] } });
    expect(state.queue.map((q) => q.id)).toEqual([1, 2, 4, 3]);
    expect(state.canUndo).toBe(false);
  });

  it('accepts the shown tag on all its photos at once, and undoes that as one decision', async () => {
    const { host, state, toasts } = setup();
    await state.refresh();
    await state.acceptTag();
    expect(host.calls.at(-1)).toEqual({ method: 'acceptSuggestedTag', request: { tag: 'max' } });
    expect(state.queue.map((q) => q.id)).toEqual([2]);
    expect(toasts.list.at(-1)?.message).toBe('Tagged 3 photos “max”.');
    expect(state.lastDecision).toBe('Accepted “max” on 3 photos');
    await state.undo();
    expect(host.calls.at(-1)).toEqual({ method: 'undoSuggestions', request: { ids: [1, 3, 4] } });
    expect(state.queue.map((q) => q.id)).toEqual([1, 3, 4, 2]);
  });

  it('keeps the queue as it was when the host refuses, and says why', async () => {
    const { host, state, toasts } = setup();
    await state.refresh();
    host.answers.acceptSuggestions = () => fail('db-locked', 'The library is busy: try again.');
    await state.accept();
    expect(state.queue.map((q) => q.id)).toEqual([1, 2, 3, 4]);
    expect(state.canUndo).toBe(false);
    expect(toasts.list.at(-1)?.message).toBe('The library is busy: try again.');
  });
});
