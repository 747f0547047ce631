import { stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { GlintError } from '../errors.ts';
import type { IngestPipeline } from '../ingest/pipeline.ts';
import { purgeRemovedFolders, removalPreview, type RemovalPreview } from '../store/folder-removal.ts';
import { folderFileCounts } from '../store/item-detail.ts';
import {
  addFolder,
  clearQueuedJobsUnder,
  getFolder,
  listFolders,
  markFolderRemoved,
  restoreFolder,
  type Folder,
} from '../store/index.ts';
import type { EngineCore } from './engine-core.ts';
import { FOLDER_UNDO_MS } from './ingest-service.ts';

/** The library's folders: adding, removing with undo, restoring, and their states and counts. */
export class FoldersService {
  private readonly core: EngineCore;
  private readonly pipeline: IngestPipeline;

  constructor(core: EngineCore, pipeline: IngestPipeline) {
    this.core = core;
    this.pipeline = pipeline;
  }

  /** The library's folders, each with its state (ok, offline, unreadable). */
  list(): Folder[] {
    return listFolders(this.core.store);
  }

  /** Indexed files per library folder id. */
  fileCounts(): Map<number, number> {
    return folderFileCounts(this.core.store);
  }

  /**
   * Adds a folder to the library (it must exist and be a folder); a folder removed within its undo time
   * comes back with its items and tags. Indexing is separate.
   */
  async add(path: string): Promise<Folder> {
    const abs = resolve(path);
    const st = await stat(abs).catch(() => null);
    if (!st) throw new GlintError('not-found', `Folder ${abs} does not exist.`);
    if (!st.isDirectory())
      throw new GlintError('not-a-folder', `${abs} is a file, not a folder: add the folder that holds it.`);
    const { store } = this.core;
    const wasRemoved = getFolder(store, abs)?.removedAt != null;
    const folder = addFolder(store, abs);
    if (wasRemoved) this.core.indexes.reset(this.core.head());
    this.pipeline.watcherAdd(folder.path);
    return folder;
  }

  /** What removing a library folder takes with it: its photos, notes and user tags. */
  removalPreview(path: string): RemovalPreview {
    return removalPreview(this.core.store, this.libraryFolder(path).id);
  }

  /**
   * Removes a folder from the library (the files on disk are untouched): its indexing stops at once, its
   * items leave search, and it can be restored with `restore` (or by adding it again) for
   * FOLDER_UNDO_MS; after that its rows are deleted and its user tags kept by content hash.
   */
  async remove(path: string): Promise<RemovalPreview & { undoUntil: number }> {
    const { core } = this;
    const folder = this.libraryFolder(path);
    this.pipeline.watcherRemove(folder.path);
    const wasIndexing = this.pipeline.state === 'running';
    await this.pipeline.interrupt();
    const preview = await core.exclusive.run(async () => {
      const counts = removalPreview(core.store, folder.id);
      markFolderRemoved(core.store, folder.id);
      clearQueuedJobsUnder(core.store, folder.path);
      core.indexes.reset(core.head());
      return counts;
    });
    // The other folders' work goes on where it stopped.
    if (wasIndexing) this.pipeline.request('changes');
    return { ...preview, undoUntil: core.store.now() + FOLDER_UNDO_MS };
  }

  /** Brings back a removed folder with its items and tags; false when its undo time is over. */
  async restore(id: number): Promise<boolean> {
    const { core } = this;
    return core.exclusive.run(async () => {
      if (!restoreFolder(core.store, id)) return false;
      core.indexes.reset(core.head());
      const folder = this.list().find((f) => f.id === id);
      if (folder) this.pipeline.watcherAdd(folder.path);
      return true;
    });
  }

  /** Restores the removed folder at `path` (see `restore`). */
  async restoreAt(path: string): Promise<Folder> {
    const abs = resolve(path);
    const folder = getFolder(this.core.store, abs);
    if (!folder || folder.removedAt === null || !(await this.restore(folder.id)))
      throw new GlintError(
        'not-found',
        `${abs} is not a removed library folder (or its undo time is over): add it again with \`glint index ${abs}\`.`,
      );
    return getFolder(this.core.store, abs) as Folder;
  }

  /**
   * Deletes removed folders for good now, instead of when their undo time is over (their user tags are
   * still kept by content hash). Returns how many folders went.
   */
  async purgeRemoved(): Promise<number> {
    return this.core.exclusive.run(async () => purgeRemovedFolders(this.core.store, Number.MAX_SAFE_INTEGER));
  }

  private libraryFolder(path: string): Folder {
    const abs = resolve(path);
    const folder = getFolder(this.core.store, abs);
    if (!folder || folder.removedAt !== null)
      throw new GlintError('not-found', `${abs} is not a library folder.`);
    return folder;
  }
}
