import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { resolveModelFolder } from './clip/model-folder.ts';
import { loadClipTokenizer } from './clip/tokenizer.ts';
import type { DoctorReport } from './doctor.ts';
import type { EngineEvent } from './engine-events.ts';
import { activeHeadOf, ensureActiveHead, type ActiveHead } from './hash/active-head.ts';
import { backfillDates } from './ingest/date-backfill.ts';
import type { PipelineState } from './ingest/pipeline.ts';
import { acquireLibraryLock, libraryBusyError, lockHolder, type LibraryLock } from './library-lock.ts';
import { libraryPaths, type LibraryPaths } from './library-paths.ts';
import { libraryStatus, type LibraryStatus } from './library-status.ts';
import type { Device } from './onnx/runtime.ts';
import { backfillPlaces } from './places/backfill.ts';
import { HammingIndexes } from './search/hamming-indexes.ts';
import { SerialQueue } from './serial-queue.ts';
import type { EngineCore } from './services/engine-core.ts';
import { FoldersService } from './services/folders-service.ts';
import { HeadsService } from './services/heads-service.ts';
import { FOLDER_UNDO_MS, IngestService } from './services/ingest-service.ts';
import {
  inUseOf,
  ModelsService,
  savedModelsChoice,
  type ModelsChoice,
  type ModelsInUse,
} from './services/models-service.ts';
import { PlacesService } from './services/places-service.ts';
import { SearchService } from './services/search-service.ts';
import { SidecarService } from './services/sidecar-service.ts';
import { SuggestionsService } from './services/suggestions-service.ts';
import { TagsService } from './services/tags-service.ts';
import { TimelineService } from './services/timeline-service.ts';
import { purgeRemovedFolders } from './store/folder-removal.ts';
import {
  DEFAULT_KEEP_TAGS_DAYS,
  getJsonSetting,
  listErrors,
  openStore,
  pruneKeptTags,
  requeueStaleJobs,
  setJsonSetting,
  type ErrorRecord,
  type Store,
} from './store/index.ts';
import type { CodeBits } from './types.ts';
import { EncoderClient } from './worker/encoder-client.ts';

export type { EngineEvent } from './engine-events.ts';
export { FOLDER_UNDO_MS, type IndexSummary } from './services/ingest-service.ts';
export type { SearchHit, SearchHits, SearchOrder, SearchQuery, QueryTerm } from './search/query.ts';

/** How to open a library. */
export interface EngineOptions {
  libraryDir: string;
  modelsDir: string;
  device?: Device;
  /** Code length of the default head created for a new library (default 64). */
  bits?: CodeBits;
  /** ONNX Runtime intra-op threads for the encoders (kept when Settings reopen them). */
  threads?: number;
  /**
   * 'write' (default) takes the library's write lock for as long as the engine is open, and fails with
   * `library-busy` naming the holder when another process has it; 'read' takes no lock and never writes
   * (search and status beside a running writer).
   */
  access?: 'write' | 'read';
  /** How the lock names this process to a second writer ("glint serve", "the Glint app"). */
  owner?: string;
}

/** What `status` reports. */
export interface EngineStatus extends LibraryStatus {
  /** What indexing is doing. */
  ingest: PipelineState;
  library: string;
  models: string;
  modelId: string;
  standin: boolean;
  head: ActiveHead;
}

/**
 * The Glint engine: one library (SQLite store, thumbnails, hash heads) and one set of CLIP models, as a
 * composition of services by feature. Encoding, decoding and hashing run on a worker thread; the store and
 * indexes live here.
 */
export class Engine {
  readonly paths: LibraryPaths;
  readonly modelId: string;
  readonly standin: boolean;
  /** The library's folders: add, remove with undo, restore, states and counts. */
  readonly folders: FoldersService;
  /** Indexing passes, the job queue and the one ingest pipeline (watched changes, pause, resume, cancel). */
  readonly ingest: IngestService;
  /** The one search entry point, and the items it finds. */
  readonly search: SearchService;
  /** The user's tags, by item id. */
  readonly tags: TagsService;
  /** The places photos were taken at. */
  readonly places: PlacesService;
  /** Hash heads: the active one, switching, rollback and training. */
  readonly heads: HeadsService;
  /** The library's photos by date, without a query. */
  readonly timeline: TimelineService;
  /** XMP write-back of the user's tags to sidecars (opt-in per library). */
  readonly sidecars: SidecarService;
  /** Tags suggested for untagged photos from the active head, and the user's decisions on them. */
  readonly suggestions: SuggestionsService;
  /** The CLIP models folder and device in use, switched at once from Settings. */
  readonly models: ModelsService;
  private readonly core: EngineCore;
  private readonly store: Store;
  private readonly encoder: EncoderClient;
  private readonly lock: LibraryLock | undefined;
  private readonly listeners = new Set<(e: EngineEvent) => void>();

  private constructor(init: {
    paths: LibraryPaths;
    models: ModelsInUse;
    threads: number | undefined;
    modelId: string;
    standin: boolean;
    store: Store;
    encoder: EncoderClient;
    tokenizer: EngineCore['tokenizer'];
    head: ActiveHead;
    lock: LibraryLock | undefined;
  }) {
    this.paths = init.paths;
    this.modelId = init.modelId;
    this.standin = init.standin;
    this.store = init.store;
    this.encoder = init.encoder;
    this.lock = init.lock;
    let head = init.head;
    const indexes = new HammingIndexes(init.store, head);
    this.core = {
      store: init.store,
      paths: init.paths,
      encoder: init.encoder,
      tokenizer: init.tokenizer,
      modelId: init.modelId,
      writer: init.lock !== undefined,
      indexes,
      exclusive: new SerialQueue(),
      emit: (event) => {
        for (const listener of this.listeners) listener(event);
      },
      head: () => head,
      useHead: (next) => {
        head = next;
        indexes.reset(next);
        this.refreshSuggestionsSoon();
      },
    };
    this.models = new ModelsService({
      store: init.store,
      encoder: init.encoder,
      modelId: init.modelId,
      inUse: init.models,
      emit: this.core.emit,
      ...(init.threads === undefined ? {} : { threads: init.threads }),
    });
    this.encoder.onNotice = (message) => {
      this.models.noted(message);
      this.core.emit({ type: 'notice', message });
    };
    this.ingest = new IngestService(this.core, (path) => this.folders.add(path));
    this.folders = new FoldersService(this.core, this.ingest.pipeline);
    this.search = new SearchService(this.core);
    this.tags = new TagsService(this.core);
    this.places = new PlacesService(this.core);
    this.heads = new HeadsService(this.core);
    this.timeline = new TimelineService(this.core);
    this.sidecars = new SidecarService(this.core);
    this.suggestions = new SuggestionsService(this.core, this.tags);
    this.on((e) => {
      if (e.type === 'pass-end') this.refreshSuggestionsSoon();
    });
  }

  /**
   * Remakes suggestions after new photos were indexed or another head became active, off the caller's turn
   * (it is a Hamming pass over codes in memory; a library that did not change costs one fingerprint query).
   */
  private refreshSuggestionsSoon(): void {
    if (!this.core.writer) return;
    setImmediate(() => {
      try {
        if (this.store.db.open) this.suggestions.refresh();
      } catch (err) {
        this.core.emit({ type: 'notice', message: `Tag suggestions could not be refreshed: ${String(err)}` });
      }
    });
  }

  /** The CLIP models folder in use. */
  get modelsDir(): string {
    return this.models.inUse.dir;
  }

  /**
   * Opens (creating if needed) the library and loads the models; fails clearly if either is unusable.
   * A writer (the default) holds the library's lock until `close`.
   */
  static async open(options: EngineOptions): Promise<Engine> {
    const folder = resolveModelFolder(resolve(options.modelsDir));
    const device = options.device ?? 'cpu';
    const paths = libraryPaths(options.libraryDir);
    const writer = (options.access ?? 'write') === 'write';
    mkdirSync(paths.root, { recursive: true });
    const lock = writer ? acquireLibraryLock(paths.root, options.owner ?? 'a Glint process') : undefined;
    let store: Store | undefined;
    const encoder = new EncoderClient();
    try {
      store = openStore(paths.db);
      // NOTE: CUDA's sessions open now, so a fallback to the CPU is known (and shown in Settings) from the start.
      const init = await encoder.init(folder.dir, device, options.threads, device === 'cuda');
      const tokenizer = await loadClipTokenizer(folder.dir);
      const head = writer
        ? await ensureActiveHead(store, paths, init.modelId, options.bits ?? 64)
        : await Engine.readerHead(store, paths, init.modelId, options.bits ?? 64);
      if (writer) {
        // Jobs that were running when a previous process died resume now.
        requeueStaleJobs(store);
        purgeRemovedFolders(store, store.now() - FOLDER_UNDO_MS);
        pruneKeptTags(store, getJsonSetting(store, 'keepTagsDays', DEFAULT_KEEP_TAGS_DAYS));
        // Photos indexed before places were named (or under older place data) get theirs, once.
        backfillPlaces(store);
        backfillDates(store);
      }
      return new Engine({
        paths,
        models: inUseOf(folder.dir, device, init),
        threads: options.threads,
        modelId: init.modelId,
        standin: init.standin,
        store,
        encoder,
        tokenizer,
        head,
        lock,
      });
    } catch (err) {
      await encoder.close();
      store?.close();
      lock?.release();
      throw err;
    }
  }

  /** A reader's head: the active one; a library without one gets its default head if no writer holds it. */
  private static async readerHead(
    store: Store,
    paths: LibraryPaths,
    modelId: string,
    bits: CodeBits,
  ): Promise<ActiveHead> {
    const active = activeHeadOf(store, modelId);
    if (active) return active;
    const holder = lockHolder(paths.root);
    if (holder) throw libraryBusyError(paths.root, holder);
    const lock = acquireLibraryLock(paths.root, 'a Glint reader creating the default head');
    try {
      return await ensureActiveHead(store, paths, modelId, bits);
    } finally {
      lock.release();
    }
  }

  /** Subscribes to engine events; returns the unsubscribe function. */
  on(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * The models folder and device saved in a library's Settings (to open it with them); {} when it has none.
   */
  static savedModels(libraryDir: string): Partial<ModelsChoice> {
    return savedModelsChoice(libraryDir);
  }

  /** Counts, queue, folders, the active head and the most recent recorded errors. */
  status(errorLimit = 50): EngineStatus {
    return {
      ...libraryStatus(this.store, errorLimit),
      ingest: this.ingest.pipeline.state,
      library: this.paths.root,
      models: this.modelsDir,
      modelId: this.modelId,
      standin: this.standin,
      head: this.core.head(),
    };
  }

  /** Recorded per-file errors, newest first. */
  errors(limit?: number): ErrorRecord[] {
    return listErrors(this.store, limit === undefined ? {} : { limit });
  }

  /** A setting stored in the library (JSON), or `fallback`. */
  setting<T>(key: string, fallback: T): T {
    return getJsonSetting(this.store, key, fallback);
  }

  /** Stores a setting in the library (as JSON). */
  setSetting(key: string, value: unknown): void {
    setJsonSetting(this.store, key, value);
  }

  /**
   * Checks the library (SQLite integrity, its own invariants) and, with `repair`, repairs what it safely
   * can; see doctor.ts.
   */
  async doctor(repair = true): Promise<DoctorReport> {
    const { runDoctor } = await import('./doctor.ts');
    const { core } = this;
    return core.exclusive.run(async () => {
      const head = core.head();
      const report = await runDoctor(
        {
          store: core.store,
          paths: core.paths,
          encoder: core.encoder,
          modelId: core.modelId,
          head,
          bits: head.bits as CodeBits,
        },
        repair,
      );
      if (report.head.id !== head.id) core.useHead(report.head);
      return report;
    });
  }

  /** Stops indexing, the worker and the database, and gives the library's lock back. */
  async close(): Promise<void> {
    await this.ingest.pipeline.close();
    await this.core.exclusive.idle();
    await this.sidecars.idle();
    await this.encoder.close();
    this.store.close();
    this.lock?.release();
  }
}
