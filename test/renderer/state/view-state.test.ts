/** ViewState: every view's state talks to the API and the toasts it was given, and to nothing else. */
import { describe, expect, it } from 'vitest';
import { settle } from '../../../src/renderer/src/state/result.ts';
import { Toasts } from '../../../src/renderer/src/state/toasts.svelte.ts';
import { ViewState } from '../../../src/renderer/src/state/view-state.ts';
import { fail, fakeApi } from './fake-api.ts';

class Probe extends ViewState {
  async reindex(): Promise<number | null> {
    return (await settle(this.api.reindex(), this.toasts))?.queued ?? null;
  }
}

describe('ViewState', () => {
  it('routes a subclass’s calls to its API and its messages to its toasts', async () => {
    const host = fakeApi({ reindex: () => fail('busy', 'Indexing is already running.') });
    const toasts = new Toasts();
    const other = new Toasts();
    new ViewState(host.api, other);
    expect(await new Probe(host.api, toasts).reindex()).toBeNull();
    expect(host.calls.map((c) => c.method)).toEqual(['reindex']);
    expect(toasts.list.map((t) => t.message)).toEqual(['Indexing is already running.']);
    expect(other.list).toEqual([]);
  });
});
