import { GlintError } from '../../errors.ts';
import { folderView, errorView } from '../views.ts';
import type { HandlerSet, HandlerTable } from './handler-table.ts';
import { libraryFolder, type HostContext } from './host-context.ts';

type LibraryMethods =
  | 'status'
  | 'listFolders'
  | 'addFolder'
  | 'removeFolder'
  | 'folderRemovalPreview'
  | 'restoreFolder'
  | 'reindex'
  | 'pauseIndexing'
  | 'resumeIndexing'
  | 'cancelIndexing'
  | 'pickFolder'
  | 'listErrors';

/** The library's handlers: status, folders (add, remove with undo, restore), indexing and its errors. */
export function libraryHandlers({ engine, shell, emit, progress }: HostContext): HandlerSet<LibraryMethods> {
  const { folders } = engine;
  const pipeline = engine.ingest.pipeline;
  const view = (id: number) => {
    const folder = libraryFolder(engine, id);
    return folderView(folder, folders.fileCounts().get(folder.id) ?? 0);
  };
  return {
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
      const counts = folders.fileCounts();
      return folders.list().map((f) => folderView(f, counts.get(f.id) ?? 0));
    },
    addFolder: async ({ path }) => {
      const folder = await folders.add(path);
      pipeline.request('scan');
      emit({ type: 'library-changed' });
      return view(folder.id);
    },
    removeFolder: async ({ id }) => {
      const removed = await folders.remove(libraryFolder(engine, id).path);
      emit({ type: 'library-changed' });
      return { ...removed, removedFiles: removed.files };
    },
    folderRemovalPreview: ({ id }) => folders.removalPreview(libraryFolder(engine, id).path),
    restoreFolder: async ({ id }) => {
      if (!(await folders.restore(id)))
        throw new GlintError(
          'not-found',
          'That folder can no longer be restored: add it again and Glint will index it anew.',
        );
      pipeline.request('scan');
      emit({ type: 'library-changed' });
      return view(id);
    },
    reindex: () => {
      pipeline.request('scan');
      return { queued: folders.list().length };
    },
    pauseIndexing: () => {
      pipeline.pause();
      return { state: pipeline.state };
    },
    resumeIndexing: () => {
      pipeline.resume();
      return { state: pipeline.state };
    },
    cancelIndexing: async () => ({ dropped: await pipeline.cancel() }),
    pickFolder: async () => {
      if (!shell.picker)
        throw new GlintError(
          'not-available',
          'Choosing a folder needs the desktop app: type the folder’s path instead.',
        );
      return { path: await shell.picker() };
    },
    listErrors: (req) => engine.errors(req?.limit ?? 1_000).map(errorView),
  };
}

/** Registers the library's handlers. */
export function registerLibrary(table: HandlerTable, ctx: HostContext): void {
  table.register(libraryHandlers(ctx));
}
