/** Indexed files: one row per photo or note file on disk. */
import type { Store } from './db.ts';

/** What an indexed file is. */
export type FileKind = 'photo' | 'note';

/** One indexed file. */
export interface FileRecord {
  id: number;
  path: string;
  folderId: number | null;
  kind: FileKind;
  size: number | null;
  mtimeMs: number | null;
  /** sha256 of the content, hex. */
  hash: string | null;
  indexedAt: number | null;
  /** The device (st_dev) the file was on when indexed. */
  dev: number | null;
}

/** The fields `upsertFile` writes (`path` is the key). */
export interface FileInput {
  path: string;
  folderId?: number | null;
  kind: FileKind;
  size?: number | null;
  mtimeMs?: number | null;
  hash?: string | null;
  /** Defaults to the store's clock. */
  indexedAt?: number | null;
  dev?: number | null;
}

interface FileRow {
  id: number;
  path: string;
  folder_id: number | null;
  kind: FileKind;
  size: number | null;
  mtime_ms: number | null;
  hash: string | null;
  indexed_at: number | null;
  dev: number | null;
}

const COLS = 'id, path, folder_id, kind, size, mtime_ms, hash, indexed_at, dev';

function toFile(r: FileRow): FileRecord {
  return {
    id: r.id,
    path: r.path,
    folderId: r.folder_id,
    kind: r.kind,
    size: r.size,
    mtimeMs: r.mtime_ms,
    hash: r.hash,
    indexedAt: r.indexed_at,
    dev: r.dev,
  };
}

/** Inserts or updates the file at `input.path` (its items are kept) and returns its id. */
export function upsertFile(store: Store, input: FileInput): number {
  const row = store.guard(
    () =>
      store
        .stmt(
          `INSERT INTO files(path, folder_id, kind, size, mtime_ms, hash, indexed_at, dev) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT(path) DO UPDATE SET folder_id = excluded.folder_id, kind = excluded.kind, size = excluded.size,
             mtime_ms = excluded.mtime_ms, hash = excluded.hash, indexed_at = excluded.indexed_at,
             dev = coalesce(excluded.dev, dev)
           RETURNING id`,
        )
        .get(
          input.path,
          input.folderId ?? null,
          input.kind,
          input.size ?? null,
          input.mtimeMs ?? null,
          input.hash ?? null,
          input.indexedAt === undefined ? store.now() : input.indexedAt,
          input.dev ?? null,
        ) as { id: number },
  );
  return row.id;
}

/** The file at `path`, if indexed. */
export function getFileByPath(store: Store, path: string): FileRecord | undefined {
  const r = store.stmt(`SELECT ${COLS} FROM files WHERE path = ?`).get(path) as FileRow | undefined;
  return r && toFile(r);
}

/** The file with this id, if any. */
export function getFile(store: Store, id: number): FileRecord | undefined {
  const r = store.stmt(`SELECT ${COLS} FROM files WHERE id = ?`).get(id) as FileRow | undefined;
  return r && toFile(r);
}

/** Files whose content hash is `hash` (to recognise a moved or copied file), by id. */
export function findFilesByHash(store: Store, hash: string): FileRecord[] {
  return (store.stmt(`SELECT ${COLS} FROM files WHERE hash = ? ORDER BY id`).all(hash) as FileRow[]).map(
    toFile,
  );
}

/** Files under a folder (or all files), by path: for reconciling the library with the disk. */
export function listFiles(store: Store, folderId?: number): FileRecord[] {
  const rows =
    folderId === undefined
      ? store.stmt(`SELECT ${COLS} FROM files ORDER BY path`).all()
      : store.stmt(`SELECT ${COLS} FROM files WHERE folder_id = ? ORDER BY path`).all(folderId);
  return (rows as FileRow[]).map(toFile);
}

/** Deletes the file at `path` with its items, embeddings, codes and tags; false if it was not indexed. */
export function deleteFile(store: Store, path: string): boolean {
  return store.tx(() => store.stmt('DELETE FROM files WHERE path = ?').run(path).changes > 0);
}

/**
 * Moves a file record to a new path, keeping its id and therefore its items, embeddings, codes and
 * tags. A record already at `to` (a file replaced by the move) is deleted first. False if `from` is unknown.
 */
export function renameFile(store: Store, from: string, to: string, folderId?: number | null): boolean {
  if (from === to) return getFileByPath(store, from) !== undefined;
  return store.tx(() => {
    if (!store.stmt('SELECT 1 FROM files WHERE path = ?').get(from)) return false;
    store.stmt('DELETE FROM files WHERE path = ?').run(to);
    if (folderId === undefined) store.stmt('UPDATE files SET path = ? WHERE path = ?').run(to, from);
    else store.stmt('UPDATE files SET path = ?, folder_id = ? WHERE path = ?').run(to, folderId, from);
    return true;
  });
}
