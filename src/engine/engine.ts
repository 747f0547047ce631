import { mkdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { resolveModelFolder } from './clip/model-folder.ts';
import { loadClipTokenizer, type ClipTokenizer } from './clip/tokenizer.ts';
import { GlintError, errorMessage } from './errors.ts';
import { ensureActiveHead, refitDefaultHead, type ActiveHead } from './hash/active-head.ts';
import { codeToWords } from './hash/bits.ts';
import { Indexer, REMOVE_GRACE_MS, type IndexProgress } from './ingest/indexer.ts';
import { removeIndexedPath } from './ingest/index-writes.ts';
import { enqueueFolderScan, type ScanSummary } from './ingest/enqueue-scan.ts';
import { watchFolders, type FolderWatcher } from './ingest/watcher.ts';
import { libraryPaths, thumbnailPath, type LibraryPaths } from './library-paths.ts';
import type { Device } from './onnx/runtime.ts';
import { IndexSet } from './search/index-set.ts';
import { hydrateHits, type SearchResult } from './search/results.ts';
import {
  addFolder,
  addItemTag,
  enqueueJob,
  getFileByPath,
  getFolder,
  getItems,
  getJsonSetting,
  listErrors,
  listFileItems,
  listFolders,
  listHeads,
  listItemTags,
  openStore,
  removeFolder,
  removeItemTag,
  requeueStaleJobs,
  setJsonSetting,
  statusCounts,
  type ErrorRecord,
  type Folder,
  type HeadRecord,
  type ItemRecord,
  type ItemTag,
  type StatusCounts,
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

/** How to open a library. */
export interface EngineOptions {
  libraryDir: string;
  modelsDir: string;
  device?: Device;
  /** Code length of the default head created for a new library (default 64). */
  bits?: CodeBits;
  /** ONNX Runtime intra-op threads for the encoders. */
  threads?: number;
}

/** Events the engine emits while it works. */
export type EngineEvent =
  | ({ type: 'progress' } & IndexProgress)
  | { type: 'file-error'; path: string; stage: ErrorStage; message: string }
  | { type: 'notice'; message: string }
  | { type: 'watch'; change: 'add' | 'change' | 'unlink'; path: string };

/** What one indexing pass did. */
export interface IndexSummary extends ScanSummary {
  processed: number;
  failed: number;
}

/** What `status` reports. */
export interface EngineStatus extends StatusCounts {
  library: string;
  models: string;
  modelId: string;
  standin: boolean;
  head: ActiveHead;
  folderList: Folder[];
  recentErrors: ErrorRecord[];
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
  private draining: Promise<unknown> | undefined;
  private drainAgain = false;

  private constructor(init: {
    paths: LibraryPaths;
    modelsDir: string;
    modelId: string;
    standin: boolean;
    store: Store;
    encoder: EncoderClient;
    tokenizer: ClipTokenizer;
    head: ActiveHead;
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
    this.encoder.onNotice = (message) => this.emit({ type: 'notice', message });
  }

  /** Opens (creating if needed) the library and loads the models; fails clearly if either is unusable. */
  static async open(options: EngineOptions): Promise<Engine> {
    const folder = resolveModelFolder(resolve(options.modelsDir));
    const paths = libraryPaths(options.libraryDir);
    mkdirSync(paths.root, { recursive: true });
    const store = openStore(paths.db);
    const encoder = new EncoderClient();
    try {
      const init = await encoder.init(folder.dir, options.device ?? 'cpu', options.threads);
      const tokenizer = await loadClipTokenizer(folder.dir);
      const head = await ensureActiveHead(store, paths, init.modelId, options.bits ?? 64);
      // Jobs that were running when a previous process died resume now.
      requeueStaleJobs(store);
      return new Engine({
        paths,
        modelsDir: folder.dir,
        modelId: init.modelId,
        standin: init.standin,
        store,
        encoder,
        tokenizer,
        head,
      });
    } catch (err) {
      await encoder.close();
      store.close();
      throw err;
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

  /** Adds a folder to the library (it must exist and be a folder). Indexing is separate. */
  async addFolder(path: string): Promise<Folder> {
    const abs = resolve(path);
    const st = await stat(abs).catch(() => null);
    if (!st) throw new GlintError('not-found', `Folder ${abs} does not exist.`);
    if (!st.isDirectory())
      throw new GlintError('not-a-folder', `${abs} is a file, not a folder: add the folder that holds it.`);
    return addFolder(this.store, abs);
  }

  /** Removes a folder and everything indexed under it (the files on disk are untouched). */
  removeFolder(path: string): { removedFiles: number } {
    const abs = resolve(path);
    if (!getFolder(this.store, abs)) throw new GlintError('not-found', `${abs} is not a library folder.`);
    const removedFiles = removeIndexedPath(this.store, abs, this.indexes);
    removeFolder(this.store, abs);
    return { removedFiles };
  }

  /** The library's folders. */
  folders(): Folder[] {
    return listFolders(this.store);
  }

  /**
   * One indexing pass: scans the given folders (adding them to the library) or all library
   * folders, queues what is new, changed or gone, and processes the queue to the end.
   */
  async index(folders?: readonly string[], signal?: AbortSignal): Promise<IndexSummary> {
    const roots = folders?.length
      ? await Promise.all(folders.map(async (f) => (await this.addFolder(f)).path))
      : this.folders().map((f) => f.path);
    const summary: ScanSummary = { seen: 0, queued: 0, removed: 0, scanErrors: 0 };
    for (const root of roots) {
      const s = await enqueueFolderScan(this.store, root, this.modelId, (path, message) =>
        this.emit({ type: 'file-error', path, stage: 'scan', message }),
      );
      summary.seen += s.seen;
      summary.queued += s.queued;
      summary.removed += s.removed;
      summary.scanErrors += s.scanErrors;
    }
    const { done, failed } = await this.drain(signal);
    const refit = await refitDefaultHead(this.store, this.encoder, this.paths, this.modelId, this.head);
    if (refit) {
      this.head = refit;
      this.indexes.reset(refit);
    }
    return { ...summary, processed: done, failed };
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
   * Watches every library folder: runs one pass first, then indexes files as they are added,
   * changed, moved or deleted, until the returned watcher is closed.
   */
  async watch(signal?: AbortSignal): Promise<FolderWatcher> {
    await this.index(undefined, signal);
    const kick = (): void => {
      if (this.draining) {
        this.drainAgain = true;
        return;
      }
      this.draining = (async () => {
        do {
          this.drainAgain = false;
          await this.drain(signal, REMOVE_GRACE_MS).catch((err: unknown) =>
            this.emit({ type: 'notice', message: `indexing stopped: ${errorMessage(err)}` }),
          );
        } while (this.drainAgain && !signal?.aborted);
      })().finally(() => (this.draining = undefined));
    };
    const queue = (change: 'add' | 'change' | 'unlink', path: string): void => {
      enqueueJob(this.store, change === 'unlink' ? 'remove' : 'ingest', path);
      this.emit({ type: 'watch', change, path });
      kick();
    };
    // Resolve only once the watches are in place, so nothing written after this returns is missed.
    let ready = (): void => {};
    const watching = new Promise<void>((resolve) => (ready = resolve));
    const watcher = watchFolders(
      this.folders().map((f) => f.path),
      {
        onAdd: (path) => queue('add', path),
        onChange: (path) => queue('change', path),
        onUnlink: (path) => queue('unlink', path),
        onError: (err) => this.emit({ type: 'notice', message: err.message }),
        onReady: () => ready(),
      },
    );
    await watching;
    return watcher;
  }

  /** Waits for any indexing the watcher started. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
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

  /** Adds a user tag to the photo at `path`. */
  tagAdd(path: string, tag: string): ItemTag[] {
    const item = this.photoItem(path);
    addItemTag(this.store, item, tag, 'user');
    return listItemTags(this.store, item);
  }

  /** Removes a user tag from the photo at `path`; metadata tags stay (they live in the file). */
  tagRemove(path: string, tag: string): ItemTag[] {
    const item = this.photoItem(path);
    if (!removeItemTag(this.store, item, tag, 'user')) {
      throw new GlintError('not-found', `${path} has no user tag "${tag}".`);
    }
    return listItemTags(this.store, item);
  }

  private photoItem(path: string): number {
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
      ...statusCounts(this.store),
      library: this.paths.root,
      models: this.modelsDir,
      modelId: this.modelId,
      standin: this.standin,
      head: this.head,
      folderList: this.folders(),
      recentErrors: listErrors(this.store, { limit: errorLimit }),
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
    await this.idle();
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
  }

  /** The hash heads of the current model, newest first (the active one is marked). */
  heads(): HeadRecord[] {
    return listHeads(this.store, this.modelId);
  }

  /** Makes head `id` the active one (codes re-made from cached embeddings; no re-encoding). */
  async activateHead(id: string): Promise<ActiveHead> {
    const { switchHead } = await import('./train/library-training.ts');
    await this.idle();
    this.useHead(await switchHead(this.libraryContext(), id));
    return this.head;
  }

  /** Re-activates the head that was active before the current one. */
  async rollbackHead(): Promise<ActiveHead> {
    const { rollbackHead } = await import('./train/library-training.ts');
    await this.idle();
    this.useHead(await rollbackHead(this.libraryContext()));
    return this.head;
  }

  /** Stops the worker and closes the database. */
  async close(): Promise<void> {
    await this.idle();
    await this.encoder.close();
    this.store.close();
  }
}
