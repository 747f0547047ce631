import type { ErrorView, FolderView, IndexProgressEvent } from '../../../preload/contract.ts';
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

  /** Stops watching a folder and forgets its files (the files themselves stay on disk). */
  async remove(id: number): Promise<void> {
    const res = await settle(this.api.removeFolder({ id }), this.toasts);
    if (!res) return;
    this.toasts.show(`Folder removed; ${res.removedFiles.toLocaleString()} files left the library.`);
    await this.refresh();
    this.onChanged();
  }

  /** Checks every folder again for new, changed and deleted files. */
  async reindex(): Promise<void> {
    const res = await settle(this.api.reindex(), this.toasts);
    if (res) this.toasts.show(`Re-indexing: ${res.queued.toLocaleString()} files queued.`);
  }

  /** Adds one file error as it happens. */
  pushError(error: ErrorView): void {
    this.errors = [error, ...this.errors].slice(0, ERROR_LIMIT);
  }
}
