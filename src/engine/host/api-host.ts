/**
 * The engine host: the implementation of every `GlintApi` method over one open Engine, shared by the
 * Electron utility process and `glint serve`. Handlers take `unknown`, validate it against the method's
 * strict schema, call the engine and answer an `ApiResult`; expected failures (GlintError) are values,
 * bugs reject. Engine events become the contract's `GlintEvent`s.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  METHODS,
  type ApiResult,
  type ApiValue,
  type GlintEvent,
  type MethodName,
  type ResultView,
  type Settings,
} from '../../contract/api.ts';
import type { Engine, RankedItem } from '../engine.ts';
import { GlintError, diskFullError, errorMessage } from '../errors.ts';
import { isEmptyFilter } from '../store/item-filter.ts';
import type { ItemKind } from '../types.ts';
import { IndexProgressReporter } from './index-progress.ts';
import { contentTypeOf, imageExtension, parseMediaId } from './media-types.ts';
import type { z } from 'zod';
import { REQUEST_SCHEMAS, describeIssues, type RequestOf } from './schemas.ts';
import { DEFAULT_LIMIT, MIN_TAGGED_PHOTOS, MIN_TAGS } from '../../contract/limits.ts';
import { SerialQueue } from '../serial-queue.ts';
import { readSettings, writeSettings, type SettingsStore } from './settings.ts';
import { TrainingRunner } from './training-runner.ts';
import { errorView, folderView, headView, itemDetailView, resultView } from './views.ts';
import { appInfo, modelsDownload, type ModelsPuller } from './app-handlers.ts';
import { translateSqliteError, type Folder } from '../store/index.ts';

/** Where a transport's native abilities come from (absent ones answer 'not-available'). */
export interface ApiHostOptions {
  /** Which shell the UI runs in. */
  shell: 'electron' | 'browser';
  version?: string;
  /** Where settings persist (default: the engine's library settings table). */
  settingsStore?: SettingsStore;
  /** Shows a file in the OS file manager. */
  revealer?: (path: string) => Promise<void> | void;
  /** Opens a file with its default app. */
  opener?: (path: string) => Promise<void> | void;
  /** A native folder dialog; null when the user cancels. */
  picker?: () => Promise<string | null>;
  /** Downloads the CLIP models (first run), reporting progress; absent: 'not-available'. */
  modelsPuller?: ModelsPuller;
  /** Watches the library folders and indexes exactly the files that change in them. Off by default. */
  watch?: boolean;
  /** Where dropped images are written while they are searched (default: the OS temp folder). */
  tempDir?: string;
  now?: () => number;
}

/** A validated media request's file: what to stream, with its content type. */
export interface MediaFile {
  path: string;
  contentType: string;
}

/** One method's handler: any payload in, an ApiResult out. */
export type Handler = (payload?: unknown) => Promise<ApiResult<unknown>>;

/** The host: one handler per method, media by id, events, and shutdown. */
export interface ApiHost {
  handlers: Record<MethodName, Handler>;
  /** Calls a method by name; an unknown name is an expected failure, not a throw. */
  call(method: string, payload: unknown): Promise<ApiResult<unknown>>;
  /** The file for `/media/<kind>/<id>` (id as the URL segment or a number); null for anything unknown. */
  media(kind: string, id: unknown): MediaFile | null;
  /** Subscribes to host events; returns the unsubscribe function. */
  onEvent(listener: (event: GlintEvent) => void): () => void;
  /** Starts indexing every library folder in the background (e.g. at launch). */
  reindexAll(): void;
  /** Resolves when indexing and training are idle (tests, shutdown). */
  idle(): Promise<void>;
  /** Cancels training, waits for running work and stops listening to the engine (the engine stays open). */
  close(): Promise<void>;
}

const PHOTO_KINDS: readonly ItemKind[] = ['photo'];
const TEXT_KINDS: readonly ItemKind[] = ['note_chunk', 'caption'];

function fail(code: string, message: string): ApiResult<never> {
  return { ok: false, error: { code, message } };
}

function isMethod(name: string): name is MethodName {
  return (METHODS as readonly string[]).includes(name);
}

/** The engine's library settings table as a SettingsStore. */
export function engineSettingsStore(engine: Engine): SettingsStore {
  return {
    get: (key, fallback) => engine.setting(key, fallback),
    set: (key, value) => engine.setSetting(key, value),
  };
}

/** Creates the host over an open engine. */
export function createApiHost(engine: Engine, options: ApiHostOptions): ApiHost {
  const now = options.now ?? Date.now;
  const settingsStore = options.settingsStore ?? engineSettingsStore(engine);
  const listeners = new Set<(event: GlintEvent) => void>();
  const emit = (event: GlintEvent): void => {
    for (const listener of listeners) listener(event);
  };
  const queue = new SerialQueue();
  const progress = new IndexProgressReporter(emit, now);
  const training = new TrainingRunner(engine, queue, emit, now);
  const download = modelsDownload(options.modelsPuller, emit);
  const watching = options.watch ? engine.ingest.watch(engine.folders().map((f) => f.path)) : undefined;
  // A watcher that cannot start is a notice, never a dead host.
  watching?.catch((err: unknown) => emit({ type: 'notice', message: errorMessage(err) }));

  const offEngine = engine.on((e) => {
    if (e.type === 'progress') progress.onProgress(e);
    else if (e.type === 'pass-end') progress.onPassEnd();
    else if (e.type === 'ingest-state') progress.onState(e.state);
    else if (e.type === 'file-error')
      emit({
        type: 'file-error',
        error: { path: e.path, stage: e.stage, code: null, message: e.message, at: now() },
      });
    else if (e.type === 'notice') emit({ type: 'notice', message: e.message });
  });

  const defaults = (): Settings => ({
    bits: engine.status(0).head.bits as Settings['bits'],
    device: 'cpu',
    modelsDir: engine.modelsDir,
    theme: 'system',
  });

  const libraryFolder = (id: number): Folder => {
    const folder = engine.folders().find((f) => f.id === id);
    if (!folder) throw new GlintError('not-found', `Folder ${id} is not in the library any more.`);
    return folder;
  };

  const itemFilePath = (id: number): string => {
    const item = engine.itemDetail(id);
    if (!item)
      throw new GlintError('not-found', `There is no item ${id}: search again to refresh the results.`);
    return item.path;
  };

  const views = (items: RankedItem[]): ResultView[] => items.map(resultView);

  // Each implementation gets its validated request.
  // Each implementation gets its validated request and must answer its method's contract value.
  const impl: { [M in MethodName]: (req: RequestOf<M>) => Promise<ApiValue<M>> | ApiValue<M> } = {
    appInfo: () => appInfo(options.shell, options.version),
    status: () => {
      const s = engine.status(0);
      return {
        library: s.library,
        modelId: s.modelId,
        standin: s.standin,
        head: { id: s.head.id, kind: s.head.kind, bits: s.head.bits },
        photos: s.photos,
        noteChunks: s.noteChunks,
        captions: s.captions,
        files: s.files,
        errors: s.errors,
        queued: s.queuedJobs,
        running: s.runningJobs,
        indexing:
          progress.progress ??
          (s.ingest === 'running' ? { done: 0, total: 0, failed: 0, rate: 0, etaSeconds: null } : null),
        ingest: s.ingest,
        keptTags: s.keptTags,
      };
    },
    listFolders: () => {
      const counts = engine.folderFileCounts();
      return engine.folders().map((f) => folderView(f, counts.get(f.id) ?? 0));
    },
    addFolder: async ({ path }) => {
      const folder = await engine.addFolder(path);
      engine.ingest.request('scan');
      emit({ type: 'library-changed' });
      return folderView(folder, engine.folderFileCounts().get(folder.id) ?? 0);
    },
    removeFolder: async ({ id }) => {
      const removed = await engine.removeFolder(libraryFolder(id).path);
      emit({ type: 'library-changed' });
      return { ...removed, removedFiles: removed.files };
    },
    folderRemovalPreview: ({ id }) => engine.folderRemovalPreview(libraryFolder(id).path),
    restoreFolder: async ({ id }) => {
      if (!(await engine.restoreFolder(id)))
        throw new GlintError(
          'not-found',
          'That folder can no longer be restored: add it again and Glint will index it anew.',
        );
      engine.ingest.request('scan');
      emit({ type: 'library-changed' });
      const folder = engine.folders().find((f) => f.id === id);
      if (!folder) throw new GlintError('not-found', `Folder ${id} is not in the library.`);
      return folderView(folder, engine.folderFileCounts().get(folder.id) ?? 0);
    },
    reindex: () => {
      engine.ingest.request('scan');
      return { queued: engine.folders().length };
    },
    pauseIndexing: () => {
      engine.ingest.pause();
      return { state: engine.ingest.state };
    },
    resumeIndexing: () => {
      engine.ingest.resume();
      return { state: engine.ingest.state };
    },
    cancelIndexing: async () => ({ dropped: await engine.ingest.cancel() }),
    pickFolder: async () => {
      if (!options.picker)
        throw new GlintError(
          'not-available',
          'Choosing a folder needs the desktop app: type the folder’s path instead.',
        );
      return { path: await options.picker() };
    },
    search: async ({ text, target, limit, filters }) => {
      const started = performance.now();
      let allow: Set<number> | undefined;
      if (filters && !isEmptyFilter(filters)) {
        allow = new Set(engine.filterItems(filters, target === 'photos' ? PHOTO_KINDS : TEXT_KINDS));
        if (allow.size === 0) return { results: [], tookMs: 0 };
      }
      const ranked = await engine.rankText(text, {
        k: limit ?? DEFAULT_LIMIT,
        target,
        ...(allow ? { allow } : {}),
      });
      return { results: views(ranked), tookMs: Math.round(performance.now() - started) };
    },
    searchImage: async ({ query, limit }) => {
      const started = performance.now();
      const k = limit ?? DEFAULT_LIMIT;
      let found;
      if ('itemId' in query) {
        found = await engine.rankImage(itemFilePath(query.itemId), { k });
      } else {
        // The bytes go to a private temp folder only for as long as the search takes.
        const dir = await mkdtemp(join(options.tempDir ?? tmpdir(), 'glint-drop-'));
        try {
          const file = join(dir, `query${imageExtension(query.name)}`);
          await writeFile(file, query.bytes, { mode: 0o600 });
          found = await engine.rankImage(file, { k });
        } finally {
          await rm(dir, { recursive: true, force: true });
        }
      }
      return {
        notes: views(found.notes),
        photos: views(found.photos),
        tookMs: Math.round(performance.now() - started),
      };
    },
    item: ({ id }) => {
      const detail = engine.itemDetail(id);
      if (!detail)
        throw new GlintError('not-found', `There is no item ${id}: search again to refresh the results.`);
      return itemDetailView(detail);
    },
    listTags: () => engine.tagSummary().tags,
    tagItems: ({ ids, tag }) => {
      const changed = engine.tagItems(ids, tag);
      emit({ type: 'library-changed' });
      return { changed };
    },
    untagItems: ({ ids, tag }) => {
      const changed = engine.untagItems(ids, tag);
      emit({ type: 'library-changed' });
      return { changed };
    },
    listErrors: (req) => engine.errors(req?.limit ?? 1_000).map(errorView),
    reveal: async ({ id }) => {
      if (!options.revealer)
        throw new GlintError('not-available', 'Reveal in folder works in the desktop app only.');
      await options.revealer(itemFilePath(id));
      return null;
    },
    openExternal: async ({ id }) => {
      if (!options.opener)
        throw new GlintError('not-available', 'Opening files works in the desktop app only.');
      await options.opener(itemFilePath(id));
      return null;
    },
    trainingInfo: async () => {
      const { tags, taggedPhotos } = engine.tagSummary();
      const reason = !training.available
        ? 'Retraining is not available yet.'
        : taggedPhotos < MIN_TAGGED_PHOTOS || tags.length < MIN_TAGS
          ? `Tag at least ${MIN_TAGGED_PHOTOS} photos with at least ${MIN_TAGS} different tags (now ${taggedPhotos} tagged photos, ${tags.length} tags).`
          : undefined;
      return {
        available: reason === undefined,
        ...(reason === undefined ? {} : { reason }),
        taggedPhotos,
        tags: tags.map((t) => ({ name: t.name, count: t.count })),
      };
    },
    startTraining: (req) => {
      const settings = readSettings(settingsStore, defaults());
      training.start(req ?? {}, { bits: settings.bits, device: settings.device });
      return { started: true };
    },
    cancelTraining: () => {
      if (!training.cancel()) throw new GlintError('not-found', 'No retraining run is in progress.');
      return null;
    },
    listHeads: () => engine.heads().map(headView),
    activateHead: async ({ id }) => {
      const head = await engine.activateHead(id);
      emit({ type: 'library-changed' });
      return headView(engine.heads().find((h) => h.id === head.id)!);
    },
    rollbackHead: async () => {
      const head = await engine.rollbackHead();
      emit({ type: 'library-changed' });
      return headView(engine.heads().find((h) => h.id === head.id)!);
    },
    getSettings: () => readSettings(settingsStore, defaults()),
    setSettings: (patch) => {
      const before = readSettings(settingsStore, defaults());
      const next = writeSettings(settingsStore, defaults(), patch);
      if (next.modelsDir !== before.modelsDir || next.device !== before.device)
        emit({
          type: 'notice',
          message: 'The new models folder or device takes effect when Glint restarts.',
        });
      return next;
    },
    modelsStatus: () => ({
      dir: engine.modelsDir,
      state: engine.standin ? 'standin' : 'complete',
      bytesToDownload: 0,
    }),
    pullModels: () => download.start(),
  };

  /** One method's handler: validate with its schema, run its implementation, answer an ApiResult. */
  const handlerOf = <M extends MethodName>(method: M): Handler => {
    const schema: z.ZodType = REQUEST_SCHEMAS[method];
    const run: (req: RequestOf<M>) => Promise<ApiValue<M>> | ApiValue<M> = impl[method];
    return async (payload) => {
      const parsed = schema.safeParse(payload);
      if (!parsed.success)
        return fail('invalid-request', `Bad ${method} request: ${describeIssues(parsed.error)}`);
      try {
        // NOTE: TypeScript cannot correlate the schema table's union with M; each entry is M's own schema.
        return { ok: true, value: await run(parsed.data as RequestOf<M>) };
      } catch (thrown) {
        // Damage found mid-query and a full disk are the user's to act on, not bugs.
        const err = diskFullError(translateSqliteError(thrown, engine.paths.db), engine.paths.root);
        if (err instanceof GlintError) return fail(err.code, err.message);
        throw err;
      }
    };
  };
  // Every method of the contract, each through its own schema and implementation (the type checks none is missing).
  const handlers: Record<MethodName, Handler> = {
    appInfo: handlerOf('appInfo'),
    status: handlerOf('status'),
    listFolders: handlerOf('listFolders'),
    addFolder: handlerOf('addFolder'),
    removeFolder: handlerOf('removeFolder'),
    folderRemovalPreview: handlerOf('folderRemovalPreview'),
    restoreFolder: handlerOf('restoreFolder'),
    reindex: handlerOf('reindex'),
    pauseIndexing: handlerOf('pauseIndexing'),
    resumeIndexing: handlerOf('resumeIndexing'),
    cancelIndexing: handlerOf('cancelIndexing'),
    pickFolder: handlerOf('pickFolder'),
    search: handlerOf('search'),
    searchImage: handlerOf('searchImage'),
    item: handlerOf('item'),
    listTags: handlerOf('listTags'),
    tagItems: handlerOf('tagItems'),
    untagItems: handlerOf('untagItems'),
    listErrors: handlerOf('listErrors'),
    reveal: handlerOf('reveal'),
    openExternal: handlerOf('openExternal'),
    trainingInfo: handlerOf('trainingInfo'),
    startTraining: handlerOf('startTraining'),
    cancelTraining: handlerOf('cancelTraining'),
    listHeads: handlerOf('listHeads'),
    activateHead: handlerOf('activateHead'),
    rollbackHead: handlerOf('rollbackHead'),
    getSettings: handlerOf('getSettings'),
    setSettings: handlerOf('setSettings'),
    modelsStatus: handlerOf('modelsStatus'),
    pullModels: handlerOf('pullModels'),
  };

  return {
    handlers,
    call: (method, payload) =>
      isMethod(method)
        ? handlers[method](payload)
        : Promise.resolve(fail('unknown-method', `There is no method ${method}.`)),
    media(kind, id) {
      if (kind !== 'thumb' && kind !== 'original') return null;
      const itemId =
        typeof id === 'number'
          ? Number.isSafeInteger(id) && id > 0
            ? id
            : null
          : typeof id === 'string'
            ? parseMediaId(id)
            : null;
      if (itemId === null) return null;
      const file = engine.mediaFile(itemId, kind);
      return file ? { path: file.path, contentType: contentTypeOf(file.path) } : null;
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reindexAll: () => engine.ingest.request('scan'),
    async idle() {
      await engine.idle();
      await training.idle();
      await queue.idle();
      await engine.idle();
    },
    async close() {
      training.cancel();
      await watching?.then((w) => w.close()).catch(() => undefined);
      await engine.ingest.interrupt();
      await training.idle();
      await download.running();
      offEngine();
      listeners.clear();
    },
  };
}
