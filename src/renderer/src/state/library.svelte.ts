import type {
  ErrorView,
  FolderRemoval,
  FolderView,
  IndexProgressEvent,
  IngestState,
} from '../../../contract/api.ts';
import { plural } from '../lib/format.ts';
import { settle } from './result.ts';
import { ViewState } from './view-state.ts';

// NOTE: the newest 200 errors; a library with more has a systemic problem the first ones explain.
const ERROR_LIMIT = 200;

/** The Library view: watched folders, live indexing progress, per-file errors, re-indexing. */
export class LibraryState extends ViewState {
  folders = $state.raw<FolderView[]>([]);
  errors = $state.raw<ErrorView[]>([]);
  progress = $state.raw<IndexProgressEvent | null>(null);
  /** The folder path typed in the browser (no native dialog there). */
  pathInput = $state('');
  adding = $state(false);
  loaded = $state(false);
  /** What indexing is doing (from status and `ingest-state` events). */
  ingest = $state<IngestState>('idle');
  /** The folder whose removal is being confirmed, with what it would take out of the library. */
  confirming = $state.raw<{ id: number; preview: FolderRemoval | null } | null>(null);

  /** Called after folders change (status counts, search filters). */
  onChanged: () => void = () => {};

  /** Reloads folders and errors. */
  async refresh(): Promise<void> {
    const [folders, errors] = await Promise.all([
      settle(this.api.listFolders(), this.toasts),
      settle(this.api.listErrors({ limit: ERROR_LIMIT }), this.toasts),
    ]);
    if (folders) this.folders = folders;
    if (errors) this.errors = errors;
    this.loaded = true;
  }

  /** Adds a folder by path; returns whether it worked. */
  async add(path: string): Promise<boolean> {
    const p = path.trim();
    if (!p) {
      this.toasts.show('Type the full path of a folder with photos or notes.', 'error');
      return false;
    }
    this.adding = true;
    const folder = await settle(this.api.addFolder({ path: p }), this.toasts);
    this.adding = false;
    if (!folder) return false;
    this.pathInput = '';
    await this.refresh();
    this.onChanged();
    return true;
  }

  /** Opens the native folder dialog (Electron) and adds what the user picked. */
  async pickAndAdd(): Promise<void> {
    const picked = await settle(this.api.pickFolder(), this.toasts);
    if (picked?.path) await this.add(picked.path);
  }

  /** Asks before removing a folder: fetches what its removal would take, to say so. */
  async askRemove(id: number): Promise<void> {
    this.confirming = { id, preview: null };
    const preview = await settle(this.api.folderRemovalPreview({ id }), this.toasts);
    if (this.confirming?.id === id) this.confirming = preview ? { id, preview } : null;
  }

  /** Removes a folder from the library (its files stay on disk), with Undo while it can be restored. */
  async remove(id: number): Promise<void> {
    this.confirming = null;
    const res = await settle(this.api.removeFolder({ id }), this.toasts);
    if (!res) return;
    this.toasts.show(
      `Folder removed: ${res.photos.toLocaleString()} photos and ${res.notes.toLocaleString()} notes left the library.`,
      'info',
      { label: 'Undo', run: () => void this.restore(id) },
    );
    await this.refresh();
    this.onChanged();
  }

  /** Brings back a folder removed a moment ago, with its photos and tags. */
  async restore(id: number): Promise<void> {
    const folder = await settle(this.api.restoreFolder({ id }), this.toasts);
    if (!folder) return;
    this.toasts.show(`${folder.path} is back, with its photos and tags.`);
    await this.refresh();
    this.onChanged();
  }

  /** Pauses indexing (what is queued stays queued). */
  async pause(): Promise<void> {
    const res = await settle(this.api.pauseIndexing(), this.toasts);
    if (res) this.ingest = res.state;
  }

  /** Continues paused indexing. */
  async resume(): Promise<void> {
    const res = await settle(this.api.resumeIndexing(), this.toasts);
    if (res) this.ingest = res.state;
  }

  /** Stops indexing and drops what is queued; Re-index finds it again. */
  async cancel(): Promise<void> {
    const res = await settle(this.api.cancelIndexing(), this.toasts);
    if (res)
      this.toasts.show(
        `Indexing stopped; ${res.dropped.toLocaleString()} files were left for the next Re-index.`,
      );
  }

  /** Checks every folder again for new, changed and deleted files. */
  async reindex(): Promise<void> {
    const res = await settle(this.api.reindex(), this.toasts);
    if (res) this.toasts.show(`Checking ${plural(res.queued, 'folder')} for new, changed and deleted files.`);
  }

  /** Adds one file error as it happens. */
  pushError(error: ErrorView): void {
    this.errors = [error, ...this.errors].slice(0, ERROR_LIMIT);
  }
}
