/**
 * AppState against a fake host: the first load (ready only once the status is in), the first-run
 * state, and how host events reach the views (progress, idle, errors, training, downloads, notices).
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { FolderView, IndexProgressEvent, StatusView } from '../../../src/contract/api.ts';
import { AppState, VIEWS } from '../../../src/renderer/src/state/app.svelte.ts';
import { fakeApi, flush, memoryStorage, ok, type Answers } from './fake-api.ts';

const folder: FolderView = {
  id: 1,
  path: '/photos',
  addedAt: 0,
  files: 3,
  state: 'ok',
  stateReason: null,
  stateSince: null,
};
const progress = (done: number, total: number): IndexProgressEvent => ({
  done,
  total,
  failed: 0,
  rate: 2,
  etaSeconds: 5,
});
const status = (over: Partial<StatusView> = {}): StatusView => ({
  library: '/lib',
  modelId: 'clip',
  standin: false,
  head: { id: 'h1', kind: 'dghdgh', bits: 64 },
  photos: 3,
  noteChunks: 0,
  captions: 0,
  files: 3,
  errors: 0,
  queued: 0,
  running: 0,
  indexing: null,
  ingest: 'idle',
  keptTags: { tags: 0, photos: 0, days: 30 },
  ...over,
});

function setup(over: Answers = {}) {
  const host = fakeApi({
    appInfo: () => ok({ name: 'Glint', version: '0.1.0', platform: 'linux', shell: 'electron' as const }),
    status: () => ok(status()),
    listFolders: () => ok([]),
    listErrors: () => ok([]),
    getSettings: () =>
      ok({
        bits: 64 as const,
        device: 'cpu' as const,
        modelsDir: '/m',
        theme: 'system' as const,
        xmpWriteBack: 'off' as const,
      }),
    modelsStatus: () => ok({ dir: '/m', state: 'complete' as const, bytesToDownload: 0 }),
    listTags: () => ok([]),
    trainingInfo: () => ok({ available: false, reason: 'Tag 20 photos.', taggedPhotos: 0, tags: [] }),
    listHeads: () => ok([]),
    listPlaces: () => ok([]),
    ...over,
  });
  const app = new AppState(host.api);
  const count = (method: string): number => host.calls.filter((c) => c.method === method).length;
  return { host, app, count };
}

describe('AppState', () => {
  beforeEach(() => void vi.stubGlobal('localStorage', memoryStorage()));
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('loads everything, is ready only after the status arrived, and shows the first-run state', async () => {
    const { app, host } = setup();
    expect(app.view).toBe('search');
    const off = app.start();
    expect(host.listeners()).toBe(1);
    expect(app.ready).toBe(false);
    expect(app.isNew).toBe(false);
    await flush();
    expect(app.ready).toBe(true);
    expect(app.info?.shell).toBe('electron');
    expect(app.canPickFolder).toBe(true);
    expect(app.status?.photos).toBe(3);
    expect(app.isNew).toBe(true);
    expect(new Set(host.calls.map((c) => c.method))).toEqual(
      new Set([
        'appInfo',
        'status',
        'listFolders',
        'listErrors',
        'getSettings',
        'modelsStatus',
        'listTags',
        'listPlaces',
        'trainingInfo',
        'listHeads',
      ]),
    );
    off();
    expect(host.listeners()).toBe(0);
  });

  it('is not new once a folder exists, and asks for a typed path in the browser', async () => {
    const { app } = setup({
      listFolders: () => ok([folder]),
      appInfo: () => ok({ name: 'Glint', version: '0.1.0', platform: 'linux', shell: 'browser' as const }),
    });
    app.start();
    await flush();
    expect(app.isNew).toBe(false);
    expect(app.canPickFolder).toBe(false);
  });

  it('takes the ingest state and running progress from the status', async () => {
    const { app } = setup({ status: () => ok(status({ ingest: 'paused', indexing: progress(4, 10) })) });
    await app.refreshStatus();
    expect(app.library.ingest).toBe('paused');
    expect(app.indexing).toEqual(progress(4, 10));
  });

  it('shows indexing progress at once but re-reads the counts at most twice a second', async () => {
    vi.useFakeTimers();
    const { app, count } = setup();
    for (let i = 1; i <= 20; i++) app.onEvent({ type: 'index-progress', progress: progress(i, 100) });
    expect(app.indexing?.done).toBe(20);
    expect(count('status')).toBe(0);
    await vi.advanceTimersByTimeAsync(499);
    expect(count('status')).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(count('status')).toBe(1);
    expect(count('listFolders')).toBe(1);
    app.onEvent({
      type: 'file-error',
      error: { path: '/p/x.jpg', stage: 'decode', code: null, message: 'bad', at: 1 },
    });
    expect(app.library.errors.map((e) => e.path)).toEqual(['/p/x.jpg']);
    await vi.advanceTimersByTimeAsync(500);
    expect(count('status')).toBe(2);
  });

  it('marks indexing finished when the host goes idle, and reloads counts, folders and tags', async () => {
    const { app, count } = setup();
    app.onEvent({ type: 'index-progress', progress: progress(7, 10) });
    app.onEvent({ type: 'index-idle' });
    expect(app.library.progress).toMatchObject({ done: 10, total: 10, etaSeconds: 0 });
    expect(app.indexing).toBeNull();
    await flush();
    expect([count('status'), count('listFolders'), count('listTags')]).toEqual([1, 1, 1]);
    app.onEvent({ type: 'library-changed' });
    await flush();
    expect([count('status'), count('listFolders'), count('listTags')]).toEqual([2, 2, 2]);
  });

  it('follows the ingest state the host pushes', () => {
    const { app } = setup();
    app.onEvent({ type: 'ingest-state', state: 'paused' });
    expect(app.library.ingest).toBe('paused');
  });

  it('hands training events to the Retrain view, re-reading the status when the quick head may be active', async () => {
    const { app, count } = setup();
    app.onEvent({
      type: 'train-phase',
      phase: { phase: 'compiling', message: 'Compiling the training step' },
    });
    expect(app.retrain.phase?.message).toBe('Compiling the training step');
    app.onEvent({ type: 'train-progress', epoch: 1, epochs: 2, step: 1, steps: 2, losses: { hl: 1 } });
    expect(app.retrain.running).toBe(true);
    const head = { id: 'q', kind: 'triplet', bits: 64, createdAt: 1, active: true };
    app.onEvent({
      type: 'train-stage',
      stage: 'quick',
      outcome: { head, activated: true, before: 0, after: 1 },
    });
    expect(app.retrain.quick?.head.id).toBe('q');
    await flush();
    expect(count('status')).toBe(1);
    app.onEvent({ type: 'train-failed', error: { code: 'cancelled', message: 'Training was cancelled.' } });
    expect(app.retrain.failure).toBe('Training was cancelled.');
  });

  it('ends a model download on its notice: a failure shown in Settings only, a success as a toast', async () => {
    const { app } = setup();
    app.onEvent({ type: 'models-progress', file: 'v.onnx', bytes: 1, total: 2, rate: 1 });
    expect(app.settings.downloading).toBe(true);
    app.onEvent({ type: 'notice', message: 'Model download failed: no network.' });
    expect(app.settings.downloading).toBe(false);
    expect(app.settings.downloadError).toBe('Model download failed: no network.');
    expect(app.toasts.list).toEqual([]);

    app.onEvent({ type: 'models-progress', file: 'v.onnx', bytes: 2, total: 2, rate: 1 });
    app.onEvent({ type: 'notice', message: 'Models ready.' });
    expect(app.settings.downloading).toBe(false);
    expect(app.toasts.list.map((t) => t.message)).toEqual(['Models ready.']);

    app.onEvent({ type: 'notice', message: 'The Glint engine stopped unexpectedly: restart Glint.' });
    expect(app.toasts.list.at(-1)?.message).toBe('The Glint engine stopped unexpectedly: restart Glint.');
  });

  it('refreshes tags and retraining counts when tags change, and the status when folders change', async () => {
    const { app, count } = setup();
    app.lightbox.onTagsChanged();
    await flush();
    expect([count('listTags'), count('trainingInfo')]).toEqual([1, 1]);
    app.tags.onChanged();
    await flush();
    expect([count('listTags'), count('trainingInfo')]).toEqual([2, 2]);
    app.library.onChanged();
    await flush();
    expect(count('status')).toBe(1);
  });

  it('switches view and closes the lightbox', async () => {
    const { app, host } = setup({
      item: ({ id }) => ok({ id, kind: 'photo' as const, path: '/p.jpg', folder: null, tags: [] }),
    });
    app.lightbox.open([{ id: 5, kind: 'photo', distance: 0, name: 'p.jpg' }], 0);
    expect(app.lightbox.isOpen).toBe(true);
    app.go('tags');
    expect(app.view).toBe('tags');
    expect(app.lightbox.isOpen).toBe(false);
    await flush();
    expect(app.lightbox.detail).toBeNull();
    expect(host.calls.map((c) => c.method)).toEqual(['item']);
    expect(VIEWS).toEqual(['search', 'timeline', 'library', 'tags', 'suggestions', 'retrain', 'settings']);
  });
});

describe('AppState and the address (view, query, filters, radius)', () => {
  const answers: Answers = {
    search: () =>
      ok({
        photos: [1, 2, 3].map((id) => ({ id, kind: 'photo' as const, distance: id, name: `p${id}.jpg` })),
        notes: [],
        radius: { photos: 20, notes: 20 },
        nearestOnly: { photos: false, notes: false },
        bits: 64,
        undated: 0,
        tookMs: 1,
      }),
    item: (req) =>
      ok({
        id: req.id,
        kind: 'photo' as const,
        path: `/photos/IMG_${req.id}.jpg`,
        folder: '/photos',
        tags: [],
        captions: [],
      }),
  };

  it('tells the address about view switches and shown searches, but not about its own restoring', async () => {
    const { app } = setup(answers);
    const seen: unknown[] = [];
    app.onNavigate = (state) => seen.push(state);
    app.go('library');
    app.go('library');
    app.go('search');
    app.search.text = 'dog';
    app.search.filter.tags = ['Max'];
    await app.search.run();
    expect(seen).toEqual([
      { view: 'library' },
      { view: 'search' },
      { view: 'search', q: 'dog', tags: ['Max'] },
    ]);
    seen.length = 0;
    await app.applyUrl({
      view: 'search',
      q: 'cat',
      like: [{ id: 7, weight: -1 }],
      from: '2020-01-01',
      radius: 'all',
    });
    expect(seen).toEqual([]);
  });

  it('keeps the timeline’s order and filters in the address and comes back to them', async () => {
    const { app, host } = setup({
      timeline: () => ok({ photos: [], months: [], total: 0, undated: 0 }),
    });
    const seen: unknown[] = [];
    app.onNavigate = (state) => seen.push(state);
    app.go('timeline');
    app.timeline.filter.addTag('Max');
    app.timeline.setOrder('oldest');
    await flush();
    expect(seen.at(-1)).toEqual({ view: 'timeline', tags: ['Max'], order: 'oldest' });
    seen.length = 0;
    await app.applyUrl({ view: 'timeline', from: '2020-01-01', order: 'oldest' });
    expect(seen).toEqual([]);
    expect(host.calls.at(-1)).toMatchObject({
      method: 'timeline',
      request: { order: 'oldest', filters: { from: new Date(2020, 0, 1).getTime() } },
    });
    expect(app.urlState()).toEqual({ view: 'timeline', from: '2020-01-01', order: 'oldest' });
  });

  it('comes back to an address: the view, the words, the photos (named when the host says), filters and radius', async () => {
    const { app, host } = setup(answers);
    await app.applyUrl({
      view: 'search',
      q: 'beach -dog',
      like: [{ id: 7, weight: 2 }],
      from: '2020-01-01',
      folder: 3,
      radius: 24,
    });
    expect(app.view).toBe('search');
    expect(host.calls.at(-1)).toMatchObject({
      method: 'search',
      request: {
        text: 'beach -dog',
        images: [{ itemId: 7, weight: 2 }],
        filters: { folderId: 3 },
        radius: 24,
      },
    });
    await flush();
    expect(app.search.chips.map((c) => c.name)).toEqual(['IMG_7.jpg']);
    expect(app.search.photos).toHaveLength(3);
    expect(app.urlState()).toEqual({
      view: 'search',
      q: 'beach -dog',
      like: [{ id: 7, weight: 2 }],
      from: '2020-01-01',
      folder: 3,
      radius: 24,
    });
    await app.applyUrl({ view: 'tags' });
    expect(app.view).toBe('tags');
    await app.applyUrl({ view: 'search' });
    expect(app.search.searched).toBe(false);
  });

  it('keeps the grid cursor on the photo the lightbox last showed', async () => {
    const { app } = setup(answers);
    app.search.text = 'dog';
    await app.search.run();
    app.lightbox.open(app.search.photos, 0);
    app.lightbox.go(2);
    app.lightbox.close();
    expect(app.search.cursor).toBe(2);
  });
});

describe('AppState connection', () => {
  afterEach(() => vi.useRealTimers());

  it('says a stale link has expired instead of showing an empty library', async () => {
    const { app } = setup({
      status: () => ({ ok: false, error: { code: 'link-expired', message: 'expired' } }),
    });
    await app.refreshStatus();
    expect(app.connection).toBe('expired');
    expect(app.toasts.list).toEqual([]);
  });

  it('goes offline when the host stops answering, retries, and comes back without a toast per call', async () => {
    vi.useFakeTimers();
    let up = false;
    const { app, count } = setup({
      status: () => (up ? ok(status()) : { ok: false, error: { code: 'offline', message: 'not reachable' } }),
    });
    await app.refreshStatus();
    expect(app.connection).toBe('offline');
    const tries = count('status');
    await vi.advanceTimersByTimeAsync(3_000);
    expect(count('status')).toBe(tries + 1);
    expect(app.connection).toBe('offline');
    up = true;
    await vi.advanceTimersByTimeAsync(3_000);
    expect(app.connection).toBe('ok');
    expect(count('listFolders')).toBeGreaterThan(0);
    expect(app.toasts.list).toEqual([]);
  });
});
