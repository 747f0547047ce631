/** Removing a library folder: what goes with it, and deleting it for good once its undo time is over. */
import type { Store } from './db.ts';
import { listRemovedFolders, removeFolder } from './folders.ts';
import { keepUserTags } from './kept-tags.ts';

/** What a folder's removal takes out of the library. */
export interface RemovalPreview {
  files: number;
  photos: number;
  notes: number;
  /** User tags on its photos (tag × photo pairs): kept by content hash for when the photos come back. */
  userTags: number;
}

/** Counts what removing folder `id` would take out of the library. */
export function removalPreview(store: Store, id: number): RemovalPreview {
  return store
    .stmt(
      `SELECT count(DISTINCT f.id) AS files,
         count(DISTINCT CASE WHEN i.kind = 'photo' THEN i.id END) AS photos,
         count(DISTINCT CASE WHEN f.kind = 'note' THEN f.id END) AS notes,
         (SELECT count(*) FROM item_tags it JOIN items pi ON pi.id = it.item_id JOIN files pf ON pf.id = pi.file_id
            WHERE pf.folder_id = @id AND it.source = 'user') AS userTags
       FROM files f LEFT JOIN items i ON i.file_id = f.id WHERE f.folder_id = @id`,
    )
    .get({ id }) as RemovalPreview;
}

/**
 * Deletes, for good, the folders removed at or before `before`: their user tags are kept by content hash
 * first, then the folder row goes and its files, items, embeddings, codes and tags with it (by cascade).
 * Returns how many folders went.
 */
export function purgeRemovedFolders(store: Store, before: number): number {
  const folders = listRemovedFolders(store, before);
  if (folders.length === 0) return 0;
  store.tx(() => {
    for (const folder of folders) {
      const ids = store.stmt('SELECT id FROM files WHERE folder_id = ?').pluck().all(folder.id) as number[];
      keepUserTags(store, ids);
      removeFolder(store, folder.path);
    }
  });
  return folders.length;
}
