import { mkdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { resolveModelFolder } from './clip/model-folder.ts';
import { loadClipTokenizer, type ClipTokenizer } from './clip/tokenizer.ts';
import { GlintError } from './errors.ts';
import { activeHeadOf, ensureActiveHead, refitDefaultHead, type ActiveHead } from './hash/active-head.ts';
import { codeToWords } from './hash/bits.ts';
import { Indexer, REMOVE_GRACE_MS, type IndexProgress } from './ingest/indexer.ts';
import { confirmAbsent, listFolderNow } from './ingest/absence.ts';
import { enqueueFolderScan, type ScanSummary } from './ingest/enqueue-scan.ts';
import { IngestPipeline, type PipelineState } from './ingest/pipeline.ts';
import type { FolderWatcher } from './ingest/watcher.ts';
import { acquireLibraryLock, libraryBusyError, lockHolder, type LibraryLock } from './library-lock.ts';
import { libraryPaths, thumbnailPath, type LibraryPaths } from './library-paths.ts';
import { SerialQueue } from './serial-queue.ts';
import { libraryStatus, type LibraryStatus } from './library-status.ts';
import { purgeRemovedFolders, removalPreview, type RemovalPreview } from './store/folder-removal.ts';
import type { Device } from './onnx/runtime.ts';
import { IndexSet } from './search/index-set.ts';
import { hydrateHits, type SearchResult } from './search/results.ts';
import {
  DEFAULT_KEEP_TAGS_DAYS,
  addFolder,
  clearQueuedJobs,
  clearQueuedJobsUnder,
  enqueueJob,
  markFolderRemoved,
  pruneKeptTags,
  restoreFolder,
  getFileByPath,
  getFolder,
  getItems,
  getJsonSetting,
  listErrors,
  listFileItems,
  listFolders,
  listHeads,
  openStore,
  requeueStaleJobs,
  setJsonSetting,
  type ErrorRecord,
  type Folder,
  type HeadRecord,
  type ItemRecord,
  type Store,
} from './store/index.ts';
import {
  countTaggedPhotos,
  listTagSummaries,
  tagPhotos,
  untagPhotos,
  type TagSummary,
} from './store/bulk-tags.ts';
import { folderFileCounts, getItemDetail, type ItemDetailRecord } from './store/item-detail.ts';
import { filterItemIds, type ItemFilter } from './store/item-filter.ts';
import { normalizeTagName } from './store/tags.ts';
import type { HammingFilter } from './hash/hamming-index.ts';
import type { CodeBits, ErrorStage, Hit, ItemKind, Modality } from './types.ts';
import { EncoderClient } from './worker/encoder-client.ts';
import type { LibraryContext, LibraryTrainOptions, LibraryTrainResult } from './train/library-training.ts';
import type { DoctorReport } from './doctor.ts';

/** How to open a library. */
export interface EngineOptions {
  libraryDir: string;
  modelsDir: string;
  device?: Device;
  /** Code length of the default head created for a new library (default 64). */
  bits?: CodeBits;
  /** ONNX Runtime intra-op threads for the encoders. */
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

/** Events the engine emits while it works. */
export type EngineEvent =
  | ({ type: 'progress' } & IndexProgress)
  | { type: 'file-error'; path: string; stage: ErrorStage; message: string }
  | { type: 'notice'; message: string }
  | { type: 'watch'; change: 'add' | 'change' | 'unlink'; path: string }
  | { type: 'ingest-state'; state: PipelineState }
  | { type: 'pass-end' };

/** What one indexing pass did. */
export interface IndexSummary extends ScanSummary {
  processed: number;
  failed: number;
  /** Folders that could not be read this pass (their photos were kept). */
  unavailable: Array<Pick<Folder, 'path' | 'state' | 'stateReason'>>;
}

/** How long a removed folder can be restored before its rows are deleted for good. */
export const FOLDER_UNDO_MS = 24 * 3_600_000;

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

/** Results of searching with an image. */
export interface ImageSearchResults {
  notes: SearchResult[];
  photos: SearchResult[];
}

/** A ranked search hit with its item (see `Engine.rankText`). */
export type RankedItem = ItemRecord & { distance: number };

/** Search options. */
export interface SearchOptions {
  k?: number;
}

/**
 * The Glint engine: one library (SQLite store, thumbnails, hash heads) and one set of CLIP models.
 * Encoding, decoding and hashing run on a worker thread; the store and indexes live here.
 */
export class Engine {
  readonly paths: LibraryPaths;
  readonly modelsDir: string;
  readonly modelId: string;
  readonly standin: boolean;
  private readonly store: Store;
  private readonly encoder: EncoderClient;
  private readonly tokenizer: ClipTokenizer;
  private head: ActiveHead;
  private readonly indexes: IndexSet;
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  private readonly lock: LibraryLock | undefined;
  /** Every write the engine does that spans awaits (indexing, training, head switches) runs here, one at a time. */
  readonly exclusive = new SerialQueue();
  /** The one ingest pipeline: scans, watched changes, pause, resume and cancel. */
  readonly ingest: IngestPipeline;

  private constructor(init: {
    paths: LibraryPaths;
    modelsDir: string;
    modelId: string;
    standin: boolean;
    store: Store;
    encoder: EncoderClient;
    tokenizer: ClipTokenizer;
    head: ActiveHead;
    lock: LibraryLock | undefined;
  }) {
    this.paths = init.paths;
    this.modelsDir = init.modelsDir;
    this.modelId = init.modelId;
    this.standin = init.standin;
    this.store = init.store;
    this.encoder = init.encoder;
    this.tokenizer = init.tokenizer;
    this.head = init.head;
    this.indexes = new IndexSet(init.store, init.head);
    this.lock = init.lock;
    this.encoder.onNotice = (message) => this.emit({ type: 'notice', message });
    this.ingest = new IngestPipeline({
      exclusive: this.exclusive,
      scan: (signal) => this.scanPass(undefined, signal),
      drain: async (signal, graceMs) => {
        await this.drain(signal, graceMs);
        await this.refitIfGrown();
      },
      enqueue: (kind, path) => enqueueJob(this.store, kind, path),
      confirmGone: (path) => this.confirmGone(path),
      clearQueue: () => clearQueuedJobs(this.store),
      onState: (state) => this.emit({ type: 'ingest-state', state }),
      onPassEnd: () => this.emit({ type: 'pass-end' }),
      onWatch: (change, path) => this.emit({ type: 'watch', change, path }),
      onError: (message) => this.emit({ type: 'notice', message }),
      removeGraceMs: REMOVE_GRACE_MS,
    });
  }

  /**
   * Opens (creating if needed) the library and loads the models; fails clearly if either is unusable.
   * A writer (the default) holds the library's lock until `close`.
   */
  static async open(options: EngineOptions): Promise<Engine> {
    const folder = resolveModelFolder(resolve(options.modelsDir));
    const paths = libraryPaths(options.libraryDir);
    const writer = (options.access ?? 'write') === 'write';
    mkdirSync(paths.root, { recursive: true });
    const lock = writer ? acquireLibraryLock(paths.root, options.owner ?? 'a Glint process') : undefined;
    let store: Store | undefined;
    const encoder = new EncoderClient();
    try {
      store = openStore(paths.db);
      const init = await encoder.init(folder.dir, options.device ?? 'cpu', options.threads);
      const tokenizer = await loadClipTokenizer(folder.dir);
      const head = writer
        ? await ensureActiveHead(store, paths, init.modelId, options.bits ?? 64)
        : await Engine.readerHead(store, paths, init.modelId, options.bits ?? 64);
      if (writer) {
        // Jobs that were running when a previous process died resume now.
        requeueStaleJobs(store);
        purgeRemovedFolders(store, store.now() - FOLDER_UNDO_MS);
        pruneKeptTags(store, getJsonSetting(store, 'keepTagsDays', DEFAULT_KEEP_TAGS_DAYS));
      }
      return new Engine({
        paths,
        modelsDir: folder.dir,
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

  private emit(event: EngineEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /**
   * Adds a folder to the library (it must exist and be a folder); a folder removed within its undo time
   * comes back with its items and tags. Indexing is separate.
   */
  async addFolder(path: string): Promise<Folder> {
    const abs = resolve(path);
    const st = await stat(abs).catch(() => null);
    if (!st) throw new GlintError('not-found', `Folder ${abs} does not exist.`);
    if (!st.isDirectory())
      throw new GlintError('not-a-folder', `${abs} is a file, not a folder: add the folder that holds it.`);
    const wasRemoved = getFolder(this.store, abs)?.removedAt != null;
    const folder = addFolder(this.store, abs);
    if (wasRemoved) this.indexes.reset(this.head);
    this.ingest.watcherAdd(folder.path);
    return folder;
  }

  /** What removing a library folder takes with it: its photos, notes and user tags. */
  folderRemovalPreview(path: string): RemovalPreview {
    return removalPreview(this.store, this.libraryFolder(path).id);
  }

  /**
   * Removes a folder from the library (the files on disk are untouched): its indexing stops at once, its
   * items leave search, and it can be restored with `restoreFolder` (or by adding it again) for
   * FOLDER_UNDO_MS; after that its rows are deleted and its user tags kept by content hash.
   */
  async removeFolder(path: string): Promise<RemovalPreview & { undoUntil: number }> {
    const folder = this.libraryFolder(path);
    this.ingest.watcherRemove(folder.path);
    const wasIndexing = this.ingest.state === 'running';
    await this.ingest.interrupt();
    const preview = await this.exclusive.run(async () => {
      const counts = removalPreview(this.store, folder.id);
      markFolderRemoved(this.store, folder.id);
      clearQueuedJobsUnder(this.store, folder.path);
      this.indexes.reset(this.head);
      return counts;
    });
    // The other folders' work goes on where it stopped.
    if (wasIndexing) this.ingest.request('changes');
    return { ...preview, undoUntil: this.store.now() + FOLDER_UNDO_MS };
  }

  /** Brings back a removed folder with its items and tags; false when its undo time is over. */
  async restoreFolder(id: number): Promise<boolean> {
    return this.exclusive.run(async () => {
      if (!restoreFolder(this.store, id)) return false;
      this.indexes.reset(this.head);
      const folder = this.folders().find((f) => f.id === id);
      if (folder) this.ingest.watcherAdd(folder.path);
      return true;
    });
  }

  /**
   * Deletes removed folders for good now, instead of when their undo time is over (their user tags are
   * still kept by content hash). Returns how many folders went.
   */
  async purgeRemovedFolders(): Promise<number> {
    return this.exclusive.run(async () => purgeRemovedFolders(this.store, Number.MAX_SAFE_INTEGER));
  }

  /** Restores the removed folder at `path` (see `restoreFolder`). */
  async restoreFolderAt(path: string): Promise<Folder> {
    const abs = resolve(path);
    const folder = getFolder(this.store, abs);
    if (!folder || folder.removedAt === null || !(await this.restoreFolder(folder.id)))
      throw new GlintError(
        'not-found',
        `${abs} is not a removed library folder (or its undo time is over): add it again with \`glint index ${abs}\`.`,
      );
    return getFolder(this.store, abs) as Folder;
  }

  private libraryFolder(path: string): Folder {
    const abs = resolve(path);
    const folder = getFolder(this.store, abs);
    if (!folder || folder.removedAt !== null)
      throw new GlintError('not-found', `${abs} is not a library folder.`);
    return folder;
  }

  /** The library's folders, each with its state (ok, offline, unreadable). */
  folders(): Folder[] {
    return listFolders(this.store);
  }

  /**
   * One indexing pass: scans the given folders (adding them to the library) or all library
   * folders, queues what is new, changed or confirmed gone, and processes the queue to the end.
   */
  async index(folders?: readonly string[], signal?: AbortSignal): Promise<IndexSummary> {
    const added = folders?.length
      ? await Promise.all(folders.map(async (f) => await this.addFolder(f)))
      : undefined;
    return this.exclusive.run(() => this.scanPass(added, signal));
  }

  private async scanPass(roots: readonly Folder[] | undefined, signal?: AbortSignal): Promise<IndexSummary> {
    const summary: ScanSummary = { seen: 0, queued: 0, removed: 0, kept: 0, scanErrors: 0 };
    const unavailable: IndexSummary['unavailable'] = [];
    for (const folder of roots ?? this.folders()) {
      if (signal?.aborted) break;
      const s = await enqueueFolderScan(this.store, folder, this.modelId, (path, message) =>
        this.emit({ type: 'file-error', path, stage: 'scan', message }),
      );
      summary.seen += s.seen;
      summary.queued += s.queued;
      summary.removed += s.removed;
      summary.kept += s.kept;
      summary.scanErrors += s.scanErrors;
      if (s.state !== 'ok') {
        unavailable.push({ path: folder.path, state: s.state, stateReason: s.reason });
        // Said once, when the folder goes out of reach; the Library view shows it from then on.
        if (folder.state === 'ok')
          this.emit({ type: 'notice', message: s.reason ?? `${folder.path} is ${s.state}` });
      }
    }
    const { done, failed } = await this.drain(signal);
    await this.refitIfGrown();
    purgeRemovedFolders(this.store, this.store.now() - FOLDER_UNDO_MS);
    return { ...summary, processed: done, failed, unavailable };
  }

  private async refitIfGrown(): Promise<void> {
    const refit = await refitDefaultHead(this.store, this.encoder, this.paths, this.modelId, this.head);
    if (refit) this.useHead(refit);
  }

  /** Whether a path the watcher saw go is confirmed gone (its folder read, on the file's drive). */
  private async confirmGone(path: string): Promise<boolean> {
    const file = getFileByPath(this.store, path);
    if (!file) return true;
    const folder = this.folders().find((f) => f.id === file.folderId);
    const verdict = await confirmAbsent(path, file.dev, folder?.path ?? '/', listFolderNow);
    return verdict === true;
  }

  /** Processes queued jobs until none are left (removals wait `removeGraceMs`, see Indexer). */
  async drain(signal?: AbortSignal, removeGraceMs = 0): Promise<{ done: number; failed: number }> {
    const indexer = new Indexer({
      store: this.store,
      encoder: this.encoder,
      paths: this.paths,
      modelId: this.modelId,
      countTokens: (text) => this.tokenizer.countTokens(text),
      head: () => this.head,
      sink: this.indexes,
      onProgress: (p) => this.emit({ type: 'progress', ...p }),
      onFileError: (path, stage, message) => this.emit({ type: 'file-error', path, stage, message }),
    });
    return indexer.drain(signal, removeGraceMs);
  }

  /**
   * Watches every library folder: runs one full pass first, then indexes exactly the files that are
   * added, changed, moved or deleted, until the returned watcher is closed (`glint watch`, the app).
   */
  async watch(signal?: AbortSignal): Promise<FolderWatcher> {
    signal?.addEventListener('abort', () => void this.ingest.close(), { once: true });
    // Watches first, then the full pass: a change during the pass is queued, not missed.
    const watcher = await this.ingest.watch(this.folders().map((f) => f.path));
    await this.index(undefined, signal);
    return watcher;
  }

  /** Waits for any indexing the pipeline is doing or was asked to do. */
  async idle(): Promise<void> {
    await this.ingest.idle();
  }

  private async rank(
    query: { modality: Modality; embedding: Float32Array },
    target: Modality,
    k: number,
    allow?: HammingFilter,
  ): Promise<Hit[]> {
    const { codes } = await this.encoder.hash(this.head.dir, query.modality, query.embedding, 1);
    const words = codeToWords(codes, this.head.bits);
    return this.indexes.get(target).search({ words, continuous: codes }, k, allow ? { allow } : undefined);
  }

  private rankedItems(hits: readonly Hit[]): RankedItem[] {
    const items = new Map(
      getItems(
        this.store,
        hits.map((h) => h.itemId),
      ).map((i) => [i.id, i]),
    );
    const out: RankedItem[] = [];
    for (const hit of hits) {
      const item = items.get(hit.itemId);
      if (item) out.push({ ...item, distance: hit.distance });
    }
    return out;
  }

  /**
   * A text search as ranked items read in one bulk query (no tags or thumbnails, so 100,000 results stay
   * cheap), restricted to the `allow`ed item ids when given.
   */
  async rankText(
    phrase: string,
    options: { k: number; target: 'photos' | 'notes'; allow?: ReadonlySet<number> },
  ): Promise<RankedItem[]> {
    return this.rankedItems(await this.textHits(phrase, options.target, options.k, options.allow));
  }

  /** Hits for a phrase among photos (text→image) or notes and captions (text→text). */
  private async textHits(
    phrase: string,
    target: 'photos' | 'notes',
    k: number,
    allowed?: ReadonlySet<number>,
  ): Promise<Hit[]> {
    if (!phrase.trim())
      throw new GlintError('usage', 'The search phrase is empty: type some words to look for.');
    const { embeddings } = await this.encoder.texts([phrase]);
    const query = { modality: 'text' as const, embedding: embeddings };
    return this.rank(query, target === 'notes' ? 'text' : 'image', k, allowed);
  }

  /** Hits for an image among notes and captions and among photos; an indexed query photo is left out. */
  private async imageHits(
    path: string,
    k: number,
    allowed?: ReadonlySet<number>,
  ): Promise<{ notes: Hit[]; photos: Hit[] }> {
    const abs = resolve(path);
    const { embedding } = await this.encoder.imageQuery(abs);
    const self = getFileByPath(this.store, abs);
    const own = new Set(self ? listFileItems(this.store, self.id).map((i) => i.id) : []);
    const allow =
      own.size || allowed
        ? (id: number) => !own.has(id) && (allowed === undefined || allowed.has(id))
        : undefined;
    const query = { modality: 'image' as const, embedding };
    return {
      notes: await this.rank(query, 'text', k, allow),
      photos: await this.rank(query, 'image', k, allow),
    };
  }

  /** An image search as ranked items: notes and captions, and similar photos; an indexed query photo is left out. */
  async rankImage(
    path: string,
    options: { k: number; allow?: ReadonlySet<number> },
  ): Promise<{ notes: RankedItem[]; photos: RankedItem[] }> {
    const hits = await this.imageHits(path, options.k, options.allow);
    return { notes: this.rankedItems(hits.notes), photos: this.rankedItems(hits.photos) };
  }

  /** Ids of the items of these kinds that pass a search filter (date range, all tags, folder). */
  filterItems(filter: ItemFilter, kinds: readonly ItemKind[]): number[] {
    return filterItemIds(this.store, filter, kinds);
  }

  /** One item with its folder, captions and tags; undefined for an unknown id. */
  itemDetail(id: number): ItemDetailRecord | undefined {
    return getItemDetail(this.store, id);
  }

  /**
   * The file to serve for an item id: the original file, or a photo's cached WebP thumbnail. Undefined
   * when the id is unknown or has no such file; paths only ever come from the store.
   */
  mediaFile(id: number, kind: 'thumb' | 'original'): { path: string; itemKind: ItemKind } | undefined {
    const item = getItemDetail(this.store, id);
    if (!item) return undefined;
    if (kind === 'original') return { path: item.path, itemKind: item.kind };
    if (item.kind !== 'photo' || !item.fileHash) return undefined;
    return { path: thumbnailPath(this.paths, item.fileHash), itemKind: item.kind };
  }

  /** Adds a user tag to the photos among `ids`; returns how many gained it. */
  tagItems(ids: readonly number[], tag: string): number {
    if (!normalizeTagName(tag)) throw new GlintError('usage', 'The tag is empty: type a tag name.');
    return tagPhotos(this.store, ids, tag);
  }

  /** Removes a user tag from the items among `ids` (metadata tags stay); returns how many lost it. */
  untagItems(ids: readonly number[], tag: string): number {
    return untagPhotos(this.store, ids, tag);
  }

  /** Tags in use with counts and sources, and how many photos carry any tag. */
  tagSummary(): { tags: TagSummary[]; taggedPhotos: number } {
    return { tags: listTagSummaries(this.store), taggedPhotos: countTaggedPhotos(this.store) };
  }

  /** Indexed files per library folder id. */
  folderFileCounts(): Map<number, number> {
    return folderFileCounts(this.store);
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

  /** Photos for a phrase (text→image), or notes and captions with `target: 'notes'` (text→text). */
  async searchText(
    phrase: string,
    options: SearchOptions & { target?: 'photos' | 'notes' } = {},
  ): Promise<SearchResult[]> {
    const hits = await this.textHits(phrase, options.target ?? 'photos', options.k ?? 20);
    return hydrateHits(this.store, this.paths, hits);
  }

  /** Notes and captions that belong with an image (image→text), and similar photos (image→image). */
  async searchImage(path: string, options: SearchOptions = {}): Promise<ImageSearchResults> {
    const hits = await this.imageHits(path, options.k ?? 20);
    return {
      notes: hydrateHits(this.store, this.paths, hits.notes),
      photos: hydrateHits(this.store, this.paths, hits.photos),
    };
  }

  /** The item id of the indexed photo at `path` (the CLI names photos by path; tags go by id). */
  photoIdAt(path: string): number {
    const abs = resolve(path);
    const file = getFileByPath(this.store, abs);
    const item = file && listFileItems(this.store, file.id).find((i) => i.kind === 'photo');
    if (!item)
      throw new GlintError(
        'not-found',
        `${abs} is not an indexed photo: run \`glint index\` on its folder first.`,
      );
    return item.id;
  }

  /** Counts, queue, folders, the active head and the most recent recorded errors. */
  status(errorLimit = 50): EngineStatus {
    return {
      ...libraryStatus(this.store, errorLimit),
      ingest: this.ingest.state,
      library: this.paths.root,
      models: this.modelsDir,
      modelId: this.modelId,
      standin: this.standin,
      head: this.head,
    };
  }

  private libraryContext(): LibraryContext {
    return {
      store: this.store,
      encoder: this.encoder,
      paths: this.paths,
      modelId: this.modelId,
      head: this.head,
    };
  }

  private useHead(head: ActiveHead): void {
    this.head = head;
    this.indexes.reset(head);
  }

  /**
   * Trains heads on the library's tags (on a worker thread): a quick plain-triplet head, then DGHDGH from it;
   * each is registered and activated only when its validation mAP beats the head then active (re-hashing from
   * cached embeddings). Earlier heads stay.
   */
  async trainHead(options: LibraryTrainOptions = {}): Promise<LibraryTrainResult> {
    // NOTE: loaded on demand, so opening a library never pays for the training modules.
    const { trainLibraryHead } = await import('./train/library-training.ts');
    return this.exclusive.run(async () => {
      const result = await trainLibraryHead(this.libraryContext(), {
        ...options,
        // NOTE: the quick stage may activate its head while DGHDGH still trains: search uses it at once.
        onActivate: (head) => {
          this.useHead(head);
          options.onActivate?.(head);
        },
      });
      if (result.activated) this.useHead(result.active);
      return result;
    });
  }

  /**
   * Checks the library (SQLite integrity, its own invariants) and, with `repair`, repairs what it safely
   * can; see doctor.ts.
   */
  async doctor(repair = true): Promise<DoctorReport> {
    const { runDoctor } = await import('./doctor.ts');
    return this.exclusive.run(async () => {
      const report = await runDoctor(
        {
          store: this.store,
          paths: this.paths,
          encoder: this.encoder,
          modelId: this.modelId,
          head: this.head,
          bits: this.head.bits as CodeBits,
        },
        repair,
      );
      if (report.head.id !== this.head.id) this.useHead(report.head);
      return report;
    });
  }

  /** The hash heads of the current model, newest first (the active one is marked). */
  heads(): HeadRecord[] {
    return listHeads(this.store, this.modelId);
  }

  /** Makes head `id` the active one (codes re-made from cached embeddings; no re-encoding). */
  async activateHead(id: string): Promise<ActiveHead> {
    const { switchHead } = await import('./train/library-training.ts');
    return this.exclusive.run(async () => {
      this.useHead(await switchHead(this.libraryContext(), id));
      return this.head;
    });
  }

  /** Re-activates the head that was active before the current one. */
  async rollbackHead(): Promise<ActiveHead> {
    const { rollbackHead } = await import('./train/library-training.ts');
    return this.exclusive.run(async () => {
      this.useHead(await rollbackHead(this.libraryContext()));
      return this.head;
    });
  }

  /** Stops indexing, the worker and the database, and gives the library's lock back. */
  async close(): Promise<void> {
    await this.ingest.close();
    await this.exclusive.idle();
    await this.encoder.close();
    this.store.close();
    this.lock?.release();
  }
}
