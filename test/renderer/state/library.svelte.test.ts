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
import { fail, fakeApi, ok as success, type Answers } from './fake-api.ts';

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

describe('LibraryState: adding folders, re-indexing and live errors', () => {
  function setup(answers: Answers = {}) {
    const folders: FolderView[] = [];
    const host = fakeApi({
      listFolders: () => success([...folders]),
      listErrors: () => success([]),
      addFolder: ({ path }) => {
        const folder: FolderView = {
          id: folders.length + 1,
          path,
          addedAt: 0,
          files: 0,
          state: 'ok',
          stateReason: null,
          stateSince: null,
        };
        folders.push(folder);
        return success(folder);
      },
      pickFolder: () => success({ path: '/picked' }),
      reindex: () => success({ queued: 2 }),
      ...answers,
    });
    const toasts = new Toasts();
    return { host, toasts, lib: new LibraryState(host.api, toasts) };
  }

  it('asks for a path instead of sending a blank one, and adds a trimmed path', async () => {
    const { lib, host, toasts } = setup();
    let changed = 0;
    lib.onChanged = () => void changed++;
    expect(await lib.add('   ')).toBe(false);
    expect(host.calls).toEqual([]);
    expect(toasts.list.at(-1)).toMatchObject({
      kind: 'error',
      message: 'Type the full path of a folder with photos or notes.',
    });

    lib.pathInput = ' /photos/2024 ';
    const adding = lib.add(lib.pathInput);
    expect(lib.adding).toBe(true);
    expect(await adding).toBe(true);
    expect(lib.adding).toBe(false);
    expect(host.calls[0]).toEqual({ method: 'addFolder', request: { path: '/photos/2024' } });
    expect(lib.pathInput).toBe('');
    expect(lib.folders.map((f) => f.path)).toEqual(['/photos/2024']);
    expect(changed).toBe(1);
  });

  it('keeps the typed path and shows why when the host refuses the folder', async () => {
    const { lib, toasts } = setup({ addFolder: () => fail('not-a-folder', '/nope is not a folder.') });
    lib.pathInput = '/nope';
    expect(await lib.add(lib.pathInput)).toBe(false);
    expect(lib.adding).toBe(false);
    expect(lib.pathInput).toBe('/nope');
    expect(toasts.list.at(-1)).toMatchObject({ kind: 'error', message: '/nope is not a folder.' });
  });

  it('adds the folder picked in the native dialog, and nothing when the dialog is cancelled', async () => {
    const { lib, host } = setup();
    await lib.pickAndAdd();
    expect(lib.folders.map((f) => f.path)).toEqual(['/picked']);
    host.answers.pickFolder = () => success({ path: null });
    const before = host.calls.length;
    await lib.pickAndAdd();
    expect(host.calls.slice(before).map((c) => c.method)).toEqual(['pickFolder']);
  });

  it('says how many folders a re-index checks', async () => {
    const { lib, toasts } = setup();
    await lib.reindex();
    expect(toasts.list.at(-1)?.message).toBe('Checking 2 folders for new, changed and deleted files.');
  });

  it('puts new file errors first and keeps the newest 200', () => {
    const { lib } = setup();
    for (let i = 0; i < 205; i++)
      lib.pushError({ path: `/p/${i}.jpg`, stage: 'decode', code: null, message: 'bad', at: i });
    expect(lib.errors).toHaveLength(200);
    expect(lib.errors[0]?.path).toBe('/p/204.jpg');
    expect(lib.errors.at(-1)?.path).toBe('/p/5.jpg');
  });
});
