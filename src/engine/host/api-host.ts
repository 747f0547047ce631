/**
 * The engine host: the implementation of every `GlintApi` method over one open Engine, shared by the
 * Electron utility process and `glint serve`. Each feature registers its handlers (handlers/*.ts); every
 * handler validates its payload against its method's strict schema and answers an `ApiResult`; expected
 * failures (GlintError) are values, bugs reject. Engine events become the contract's `GlintEvent`s.
 */
import type { ApiResult, GlintEvent, MethodName, Settings } from '../../contract/api.ts';
import type { Engine } from '../engine.ts';
import { GlintError, diskFullError, errorMessage } from '../errors.ts';
import { translateSqliteError } from '../store/index.ts';
import { SerialQueue } from '../serial-queue.ts';
import { modelsDownload, registerApp, type ModelsPuller } from './handlers/app-handlers.ts';
import { HandlerTable, fail, isMethod, type Handler } from './handlers/handler-table.ts';
import type { HostContext, ShellAbilities } from './handlers/host-context.ts';
import { registerLibrary } from './handlers/library-handlers.ts';
import { registerPlaces } from './handlers/places-handlers.ts';
import { registerSearch } from './handlers/search-handlers.ts';
import { registerSettings } from './handlers/settings-handlers.ts';
import { registerSidecars } from './handlers/sidecar-handlers.ts';
import { registerSuggestions } from './handlers/suggestions-handlers.ts';
import { registerTags } from './handlers/tags-handlers.ts';
import { registerTimeline } from './handlers/timeline-handlers.ts';
import { registerTraining } from './handlers/training-handlers.ts';
import { IndexProgressReporter } from './index-progress.ts';
import { contentTypeOf, parseMediaId } from './media-types.ts';
import { readSettings, writeSettings, type SettingsStore } from './settings.ts';
import { TrainingRunner } from './training-runner.ts';

export type { Handler } from './handlers/handler-table.ts';

/** Where a transport's native abilities come from (absent ones answer 'not-available'). */
export interface ApiHostOptions extends ShellAbilities {
  /** Which shell the UI runs in. */
  shell: 'electron' | 'browser';
  version?: string;
  /** Where settings persist (default: the engine's library settings table). */
  settingsStore?: SettingsStore;
  /** Downloads the CLIP models (first run), reporting progress; absent: 'not-available'. */
  modelsPuller?: ModelsPuller;
  /** Watches the library folders and indexes exactly the files that change in them. Off by default. */
  watch?: boolean;
  now?: () => number;
}

/** A validated media request's file: what to stream, with its content type. */
export interface MediaFile {
  path: string;
  contentType: string;
}

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

/** The engine's library settings table as a SettingsStore. */
export function engineSettingsStore(engine: Engine): SettingsStore {
  return {
    get: (key, fallback) => engine.setting(key, fallback),
    set: (key, value) => engine.setSetting(key, value),
  };
}

/** A media id from a URL segment or a number; null for anything that is not a positive integer. */
function mediaId(id: unknown): number | null {
  if (typeof id === 'number') return Number.isSafeInteger(id) && id > 0 ? id : null;
  return typeof id === 'string' ? parseMediaId(id) : null;
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
  const download = modelsDownload(options.modelsPuller, emit, () => engine.modelsDir);
  const pipeline = engine.ingest.pipeline;
  const watching = options.watch ? pipeline.watch(engine.folders.list().map((f) => f.path)) : undefined;
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
    else if (e.type === 'sidecar-progress') emit(e);
  });

  // Code length, models folder and device are what the engine uses now (it owns and applies them).
  const inUse = (): Pick<Settings, 'bits' | 'device' | 'modelsDir'> => ({
    bits: engine.heads.active.bits as Settings['bits'],
    device: engine.models.inUse.device,
    modelsDir: engine.models.inUse.dir,
  });
  const defaults = (): Settings => ({ ...inUse(), theme: 'system', xmpWriteBack: 'off' });
  const ctx: HostContext = {
    engine,
    shell: options,
    emit,
    progress,
    training,
    // Write-back is the library's own setting (the engine follows it), wherever the other settings live.
    settings: () => ({
      ...readSettings(settingsStore, defaults()),
      ...inUse(),
      xmpWriteBack: engine.sidecars.mode(),
    }),
    saveSettings: ({ xmpWriteBack, ...patch }) => {
      if (xmpWriteBack !== undefined) engine.sidecars.setMode(xmpWriteBack);
      return {
        ...writeSettings(settingsStore, defaults(), patch),
        ...inUse(),
        xmpWriteBack: engine.sidecars.mode(),
      };
    },
  };

  // Damage found mid-query and a full disk are the user's to act on, not bugs.
  const table = new HandlerTable((thrown) => {
    const err = diskFullError(translateSqliteError(thrown, engine.paths.db), engine.paths.root);
    return err instanceof GlintError ? { code: err.code, message: err.message } : undefined;
  });
  registerApp(table, {
    shell: options.shell,
    ...(options.version === undefined ? {} : { version: options.version }),
    download,
    modelsStatus: () => {
      const { dir, runsOn, fallback } = engine.models.inUse;
      return {
        dir,
        state: engine.standin ? 'standin' : 'complete',
        bytesToDownload: 0,
        runsOn,
        ...(fallback === undefined ? {} : { deviceNotice: fallback }),
      };
    },
  });
  registerLibrary(table, ctx);
  registerSearch(table, ctx);
  registerTags(table, ctx);
  registerSuggestions(table, ctx);
  registerPlaces(table, ctx);
  registerTimeline(table, ctx);
  registerTraining(table, ctx);
  registerSettings(table, ctx);
  registerSidecars(table, ctx);
  const handlers = table.complete();

  return {
    handlers,
    call: (method, payload) =>
      isMethod(method)
        ? handlers[method](payload)
        : Promise.resolve(fail('unknown-method', `There is no method ${method}.`)),
    media(kind, id) {
      if (kind !== 'thumb' && kind !== 'original') return null;
      const itemId = mediaId(id);
      const file = itemId === null ? undefined : engine.search.mediaFile(itemId, kind);
      return file ? { path: file.path, contentType: contentTypeOf(file.path) } : null;
    },
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    reindexAll: () => pipeline.request('scan'),
    async idle() {
      await engine.ingest.idle();
      await training.idle();
      await queue.idle();
      await engine.ingest.idle();
    },
    async close() {
      training.cancel();
      await watching?.then((w) => w.close()).catch(() => undefined);
      await pipeline.interrupt();
      await training.idle();
      await download.running();
      offEngine();
      listeners.clear();
    },
  };
}
