import { refitDefaultHead } from '../hash/active-head.ts';
import { confirmAbsent, listFolderNow } from '../ingest/absence.ts';
import { enqueueFolderScan, type ScanSummary } from '../ingest/enqueue-scan.ts';
import { Indexer, REMOVE_GRACE_MS } from '../ingest/indexer.ts';
import { IngestPipeline } from '../ingest/pipeline.ts';
import type { FolderWatcher } from '../ingest/watcher.ts';
import { purgeRemovedFolders } from '../store/folder-removal.ts';
import { clearQueuedJobs, enqueueJob, getFileByPath, listFolders, type Folder } from '../store/index.ts';
import type { EngineCore } from './engine-core.ts';

/** How long a removed folder can be restored before its rows are deleted for good. */
export const FOLDER_UNDO_MS = 24 * 3_600_000;

/** What one indexing pass did. */
export interface IndexSummary extends ScanSummary {
  processed: number;
  failed: number;
  /** Folders that could not be read this pass (their photos were kept). */
  unavailable: Array<Pick<Folder, 'path' | 'state' | 'stateReason'>>;
}

/**
 * Indexing: full passes over the library folders, the queue of jobs, and the one ingest pipeline that
 * watched changes, pause, resume and cancel go through.
 */
export class IngestService {
  /** The one ingest pipeline: scans, watched changes, pause, resume and cancel. */
  readonly pipeline: IngestPipeline;
  private readonly core: EngineCore;
  private readonly addFolder: (path: string) => Promise<Folder>;

  /** `addFolder` adds a path to the library (the folders service) before a pass over it. */
  constructor(core: EngineCore, addFolder: (path: string) => Promise<Folder>) {
    this.core = core;
    this.addFolder = addFolder;
    this.pipeline = new IngestPipeline({
      exclusive: core.exclusive,
      scan: (signal) => this.scanPass(undefined, signal),
      drain: async (signal, graceMs) => {
        await this.drain(signal, graceMs);
        await this.refitIfGrown();
      },
      enqueue: (kind, path) => enqueueJob(core.store, kind, path),
      confirmGone: (path) => this.confirmGone(path),
      clearQueue: () => clearQueuedJobs(core.store),
      onState: (state) => core.emit({ type: 'ingest-state', state }),
      onPassEnd: () => core.emit({ type: 'pass-end' }),
      onWatch: (change, path) => core.emit({ type: 'watch', change, path }),
      onError: (message) => core.emit({ type: 'notice', message }),
      removeGraceMs: REMOVE_GRACE_MS,
    });
  }

  /**
   * One indexing pass: scans the given folders (adding them to the library) or all library
   * folders, queues what is new, changed or confirmed gone, and processes the queue to the end.
   */
  async index(folders?: readonly string[], signal?: AbortSignal): Promise<IndexSummary> {
    const added = folders?.length
      ? await Promise.all(folders.map(async (f) => await this.addFolder(f)))
      : undefined;
    return this.core.exclusive.run(() => this.scanPass(added, signal));
  }

  /** Processes queued jobs until none are left (removals wait `removeGraceMs`, see Indexer). */
  async drain(signal?: AbortSignal, removeGraceMs = 0): Promise<{ done: number; failed: number }> {
    const { core } = this;
    const indexer = new Indexer({
      store: core.store,
      encoder: core.encoder,
      paths: core.paths,
      modelId: core.modelId,
      countTokens: (text) => core.tokenizer.countTokens(text),
      head: () => core.head(),
      sink: core.indexes,
      onProgress: (p) => core.emit({ type: 'progress', ...p }),
      onFileError: (path, stage, message) => core.emit({ type: 'file-error', path, stage, message }),
    });
    return indexer.drain(signal, removeGraceMs);
  }

  /**
   * Watches every library folder: runs one full pass first, then indexes exactly the files that are
   * added, changed, moved or deleted, until the returned watcher is closed (`glint watch`, the app).
   */
  async watch(signal?: AbortSignal): Promise<FolderWatcher> {
    signal?.addEventListener('abort', () => void this.pipeline.close(), { once: true });
    // Watches first, then the full pass: a change during the pass is queued, not missed.
    const watcher = await this.pipeline.watch(listFolders(this.core.store).map((f) => f.path));
    await this.index(undefined, signal);
    return watcher;
  }

  /** Waits for any indexing the pipeline is doing or was asked to do. */
  async idle(): Promise<void> {
    await this.pipeline.idle();
  }

  private async scanPass(roots: readonly Folder[] | undefined, signal?: AbortSignal): Promise<IndexSummary> {
    const { store } = this.core;
    const summary: ScanSummary = { seen: 0, queued: 0, removed: 0, kept: 0, scanErrors: 0 };
    const unavailable: IndexSummary['unavailable'] = [];
    for (const folder of roots ?? listFolders(store)) {
      if (signal?.aborted) break;
      const s = await enqueueFolderScan(store, folder, this.core.modelId, (path, message) =>
        this.core.emit({ type: 'file-error', path, stage: 'scan', message }),
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
          this.core.emit({ type: 'notice', message: s.reason ?? `${folder.path} is ${s.state}` });
      }
    }
    const { done, failed } = await this.drain(signal);
    await this.refitIfGrown();
    purgeRemovedFolders(store, store.now() - FOLDER_UNDO_MS);
    return { ...summary, processed: done, failed, unavailable };
  }

  private async refitIfGrown(): Promise<void> {
    const { core } = this;
    const refit = await refitDefaultHead(core.store, core.encoder, core.paths, core.modelId, core.head());
    if (refit) core.useHead(refit);
  }

  /** Whether a path the watcher saw go is confirmed gone (its folder read, on the file's drive). */
  private async confirmGone(path: string): Promise<boolean> {
    const { store } = this.core;
    const file = getFileByPath(store, path);
    if (!file) return true;
    const folder = listFolders(store).find((f) => f.id === file.folderId);
    const verdict = await confirmAbsent(path, file.dev, folder?.path ?? '/', listFolderNow);
    return verdict === true;
  }
}
