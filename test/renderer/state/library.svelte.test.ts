/**
 * LibraryState against a fake host (the contract's own client over an in-memory transport): asking
 * before removal with what goes, removal with Undo, restore, pause, resume and stop.
 */
import { describe, expect, it } from 'vitest';
import {
  createApiClient,
  type ApiResult,
  type FolderView,
  type MethodName,
} from '../../../src/contract/api.ts';
import { LibraryState } from '../../../src/renderer/src/state/library.svelte.ts';
import { Toasts } from '../../../src/renderer/src/state/toasts.svelte.ts';

/** An in-memory host: one folder, an ingest state, and a log of the calls it answered. */
function fakeHost() {
  const folder: FolderView = {
    id: 7,
    path: '/photos',
    addedAt: 0,
    files: 12,
    state: 'ok',
    stateReason: null,
    stateSince: null,
  };
  let removed = false;
  let ingest: 'idle' | 'running' | 'paused' = 'running';
  const calls: string[] = [];
  const ok = <T>(value: T): ApiResult<T> => ({ ok: true, value });
  const answers: Partial<Record<MethodName, (req: unknown) => ApiResult<unknown>>> = {
    listFolders: () => ok(removed ? [] : [folder]),
    listErrors: () => ok([]),
    folderRemovalPreview: () => ok({ files: 12, photos: 10, notes: 2, userTags: 3 }),
    removeFolder: () => {
      removed = true;
      return ok({ files: 12, photos: 10, notes: 2, userTags: 3, removedFiles: 12, undoUntil: 1 });
    },
    restoreFolder: () => {
      if (!removed)
        return { ok: false, error: { code: 'not-found', message: 'That folder can no longer be restored.' } };
      removed = false;
      return ok(folder);
    },
    pauseIndexing: () => ok({ state: (ingest = 'paused') }),
    resumeIndexing: () => ok({ state: (ingest = 'running') }),
    cancelIndexing: () => ok({ dropped: 5 }),
  };
  const api = createApiClient({
    call: async (method, request) => {
      calls.push(method);
      const answer = answers[method];
      if (!answer) throw new Error(`the fake host has no ${method}`);
      return answer(request);
    },
    mediaUrl: (kind, id) => `/media/${kind}/${id}`,
    onEvent: () => () => {},
  });
  return { api, calls, state: () => ({ removed, ingest }) };
}

describe('LibraryState', () => {
  it('asks before removing with what goes, removes, and Undo in the toast brings the folder back', async () => {
    const host = fakeHost();
    const toasts = new Toasts();
    const lib = new LibraryState(host.api, toasts);
    await lib.refresh();
    expect(lib.folders.map((f) => f.path)).toEqual(['/photos']);

    const asking = lib.askRemove(7);
    expect(lib.confirming).toEqual({ id: 7, preview: null });
    await asking;
    expect(lib.confirming?.preview).toEqual({ files: 12, photos: 10, notes: 2, userTags: 3 });
    expect(host.state().removed).toBe(false);

    await lib.remove(7);
    expect(lib.confirming).toBeNull();
    expect(lib.folders).toEqual([]);
    const toast = toasts.list.at(-1);
    expect(toast?.message).toBe('Folder removed: 10 photos and 2 notes left the library.');
    expect(toast?.action?.label).toBe('Undo');

    toast?.action?.run();
    await new Promise((r) => setTimeout(r, 0));
    await new Promise((r) => setTimeout(r, 0));
    expect(host.state().removed).toBe(false);
    expect(lib.folders.map((f) => f.path)).toEqual(['/photos']);
    expect(toasts.list.at(-1)?.message).toBe('/photos is back, with its photos and tags.');
    expect(host.calls).toEqual([
      'listFolders',
      'listErrors',
      'folderRemovalPreview',
      'removeFolder',
      'listFolders',
      'listErrors',
      'restoreFolder',
      'listFolders',
      'listErrors',
    ]);
  });

  it('shows a failed restore as an error, not as success', async () => {
    const host = fakeHost();
    const toasts = new Toasts();
    const lib = new LibraryState(host.api, toasts);
    await lib.restore(7);
    expect(toasts.list.at(-1)).toMatchObject({
      kind: 'error',
      message: 'That folder can no longer be restored.',
    });
  });

  it('pauses, resumes and stops indexing, following the state the host answers', async () => {
    const host = fakeHost();
    const toasts = new Toasts();
    const lib = new LibraryState(host.api, toasts);
    await lib.pause();
    expect(lib.ingest).toBe('paused');
    await lib.resume();
    expect(lib.ingest).toBe('running');
    await lib.cancel();
    expect(toasts.list.at(-1)?.message).toBe('Indexing stopped; 5 files were left for the next Re-index.');
  });
});
