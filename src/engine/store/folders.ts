/** Watched root folders. */
import type { Store } from './db.ts';

/** A watched root folder. */
export interface Folder {
  id: number;
  path: string;
  addedAt: number;
}

interface FolderRow {
  id: number;
  path: string;
  added_at: number;
}

function toFolder(r: FolderRow): Folder {
  return { id: r.id, path: r.path, addedAt: r.added_at };
}

/** Adds a watched folder (idempotent: an existing folder is returned unchanged). */
export function addFolder(store: Store, path: string): Folder {
  return store.tx(() => {
    store
      .stmt('INSERT INTO folders(path, added_at) VALUES (?, ?) ON CONFLICT(path) DO NOTHING')
      .run(path, store.now());
    return toFolder(
      store.stmt('SELECT id, path, added_at FROM folders WHERE path = ?').get(path) as FolderRow,
    );
  });
}

/** Removes a watched folder and, by cascade, its files, items, embeddings, codes and tags. */
export function removeFolder(store: Store, path: string): boolean {
  return store.tx(() => store.stmt('DELETE FROM folders WHERE path = ?').run(path).changes > 0);
}

/** The folder with this path, if watched. */
export function getFolder(store: Store, path: string): Folder | undefined {
  const r = store.stmt('SELECT id, path, added_at FROM folders WHERE path = ?').get(path) as
    FolderRow | undefined;
  return r && toFolder(r);
}

/** All watched folders, by path. */
export function listFolders(store: Store): Folder[] {
  return (store.stmt('SELECT id, path, added_at FROM folders ORDER BY path').all() as FolderRow[]).map(
    toFolder,
  );
}
