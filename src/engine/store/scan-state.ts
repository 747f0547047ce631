/** What the folder scan needs to know about files already indexed under a folder. */
import type { Store } from './db.ts';

/** An indexed file as the scan compares it with the disk. */
export interface KnownFile {
  id: number;
  size: number | null;
  mtimeMs: number | null;
  indexedAt: number | null;
  /** Every item of the file has an embedding for the current model. */
  complete: boolean;
  /** The device the file was on when last seen. */
  dev: number | null;
  /** Read by an older reader: read it again even though it did not change (migration REREAD). */
  reread: boolean;
}

// NOTE: a range on the path index ('0' sorts right after '/'), so a folder's files are found without a
// table scan: removing 20,000 files one by one stays linear.
const UNDER = "(path = @root OR (path >= @root || '/' AND path < @root || '0'))";

/** Files indexed at or below `root`, by path, with whether their embeddings for `modelId` are all there. */
export function knownFilesUnder(store: Store, root: string, modelId: string): Map<string, KnownFile> {
  const rows = store
    .stmt(
      `SELECT f.id, f.path, f.size, f.mtime_ms, f.indexed_at, f.dev, f.reread,
         NOT EXISTS (SELECT 1 FROM items i WHERE i.file_id = f.id AND NOT EXISTS
           (SELECT 1 FROM embeddings e WHERE e.item_id = i.id AND e.model_id = @model)) AS complete
       FROM files f WHERE ${UNDER.replaceAll('path', 'f.path')}`,
    )
    .all({ root, model: modelId }) as Array<{
    id: number;
    dev: number | null;
    path: string;
    size: number | null;
    mtime_ms: number | null;
    indexed_at: number | null;
    complete: number;
    reread: number;
  }>;
  return new Map(
    rows.map((r) => [
      r.path,
      {
        id: r.id,
        size: r.size,
        mtimeMs: r.mtime_ms,
        indexedAt: r.indexed_at,
        complete: r.complete === 1,
        dev: r.dev,
        reread: r.reread === 1,
      },
    ]),
  );
}

/** Whether every item of a file has an embedding for `modelId` (one query, not one per item). */
export function fileHasEmbeddings(store: Store, fileId: number, modelId: string): boolean {
  return (
    store
      .stmt(
        `SELECT NOT EXISTS (SELECT 1 FROM items i WHERE i.file_id = ? AND NOT EXISTS
           (SELECT 1 FROM embeddings e WHERE e.item_id = i.id AND e.model_id = ?))`,
      )
      .pluck()
      .get(fileId, modelId) === 1
  );
}

/** Whether the file was read by an older reader and is to be read again (migration REREAD). */
export function needsReread(store: Store, fileId: number): boolean {
  return store.stmt('SELECT reread FROM files WHERE id = ?').pluck().get(fileId) === 1;
}

/** Records that the current readers read the file (its metadata or text is up to date). */
export function markRead(store: Store, fileId: number): void {
  store.stmt('UPDATE files SET reread = 0 WHERE id = ?').run(fileId);
}

/** Ids of indexed files at `path` or below it (a file path, or a folder path). */
export function fileIdsUnder(store: Store, path: string): number[] {
  return store.stmt(`SELECT id FROM files WHERE ${UNDER}`).pluck().all({ root: path }) as number[];
}

/** The id of the library folder that contains `path` (the deepest one), or null. */
export function folderIdFor(store: Store, path: string): number | null {
  const id = store
    .stmt(
      `SELECT id FROM folders WHERE @p = path OR substr(@p, 1, length(path) + 1) = path || '/' ORDER BY length(path) DESC LIMIT 1`,
    )
    .pluck()
    .get({ p: path }) as number | undefined;
  return id ?? null;
}

/** Records the device files are on now (a remounted drive may come back under another device number). */
export function setFileDevs(store: Store, updates: ReadonlyArray<{ id: number; dev: number }>): void {
  if (updates.length === 0) return;
  store.tx(() => {
    const s = store.stmt('UPDATE files SET dev = ? WHERE id = ?');
    for (const u of updates) s.run(u.dev, u.id);
  });
}

/** Deletes one file record by id, with its items, embeddings, codes and tags (by cascade). */
export function deleteFileById(store: Store, id: number): void {
  store.stmt('DELETE FROM files WHERE id = ?').run(id);
}
