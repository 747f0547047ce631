/** What XMP write-back needs from the store: sidecars as Glint last saw them, and the photos' user tags. */
import type { Store } from './db.ts';

/** Keyword terms of a sidecar (dc:subject entries, lr:hierarchicalSubject paths). */
export interface SidecarTerms {
  subjects: string[];
  hierarchical: string[];
}

/** A sidecar as Glint last read or wrote it, and the terms in it that Glint put there. */
export interface SidecarState {
  size: number;
  mtimeMs: number;
  hash: string;
  owned: SidecarTerms;
}

/** The recorded state of the sidecar at `path`, if Glint has read or written it. */
export function getSidecarState(store: Store, path: string): SidecarState | undefined {
  const row = store.stmt('SELECT size, mtime_ms, hash, owned FROM sidecar_state WHERE path = ?').get(path) as
    { size: number; mtime_ms: number; hash: string; owned: string } | undefined;
  if (!row) return undefined;
  return { size: row.size, mtimeMs: row.mtime_ms, hash: row.hash, owned: parseTerms(row.owned) };
}

/** Records the sidecar at `path` as Glint just read or wrote it. */
export function setSidecarState(store: Store, path: string, state: SidecarState): void {
  store.tx(() =>
    store
      .stmt(
        `INSERT INTO sidecar_state(path, size, mtime_ms, hash, owned) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime_ms = excluded.mtime_ms,
           hash = excluded.hash, owned = excluded.owned`,
      )
      .run(path, state.size, Math.round(state.mtimeMs), state.hash, JSON.stringify(state.owned)),
  );
}

/** The file paths of the photo items among `ids` (unknown ids and other kinds are left out), distinct. */
export function photoPathsOf(store: Store, ids: readonly number[]): string[] {
  return store
    .stmt(
      `SELECT DISTINCT f.path FROM items i JOIN files f ON f.id = i.file_id
       WHERE i.kind = 'photo' AND i.id IN (SELECT value FROM json_each(?)) ORDER BY f.path`,
    )
    .pluck()
    .all(JSON.stringify(ids)) as string[];
}

/** The indexed photo files whose path starts with `prefix` (e.g. `/dir/IMG_1.`), for a shared sidecar. */
export function photoPathsWithPrefix(store: Store, prefix: string): string[] {
  return store
    .stmt(`SELECT path FROM files WHERE kind = 'photo' AND substr(path, 1, length(?)) = ? ORDER BY path`)
    .pluck()
    .all(prefix, prefix) as string[];
}

/** The user tags of the photos at `paths`, distinct, by name. */
export function userTagsOfPaths(store: Store, paths: readonly string[]): string[] {
  return store
    .stmt(
      `SELECT DISTINCT t.name FROM files f JOIN items i ON i.file_id = f.id AND i.kind = 'photo'
       JOIN item_tags it ON it.item_id = i.id AND it.source = 'user' JOIN tags t ON t.id = it.tag_id
       WHERE f.path IN (SELECT value FROM json_each(?)) ORDER BY t.name`,
    )
    .pluck()
    .all(JSON.stringify(paths)) as string[];
}

/** Paths of the photos carrying at least one user tag: what writing every sidecar covers. */
export function photoPathsWithUserTags(store: Store): string[] {
  return store
    .stmt(
      `SELECT DISTINCT f.path FROM item_tags it JOIN items i ON i.id = it.item_id AND i.kind = 'photo'
       JOIN files f ON f.id = i.file_id WHERE it.source = 'user' ORDER BY f.path`,
    )
    .pluck()
    .all() as string[];
}

/**
 * Marks a photo's index as current with its sidecar at `sidecarMtimeMs` when it was current before Glint's
 * own write (`previousMtimeMs`), so that write does not send the photo through indexing again.
 */
export function markSidecarIndexed(
  store: Store,
  photoPath: string,
  previousMtimeMs: number,
  sidecarMtimeMs: number,
): void {
  store.tx(() =>
    store
      .stmt('UPDATE files SET indexed_at = ? WHERE path = ? AND indexed_at >= ? AND indexed_at < ?')
      .run(Math.ceil(sidecarMtimeMs), photoPath, Math.floor(previousMtimeMs), Math.ceil(sidecarMtimeMs)),
  );
}

function parseTerms(json: string): SidecarTerms {
  try {
    const v = JSON.parse(json) as Partial<SidecarTerms>;
    const list = (x: unknown): string[] =>
      Array.isArray(x) ? x.filter((t): t is string => typeof t === 'string') : [];
    return { subjects: list(v.subjects), hierarchical: list(v.hierarchical) };
  } catch {
    return { subjects: [], hierarchical: [] };
  }
}

/** The photo item id of the file at `path`, if it is an indexed photo. */
export function photoItemIdOf(store: Store, path: string): number | undefined {
  return store
    .stmt(`SELECT i.id FROM files f JOIN items i ON i.file_id = f.id AND i.kind = 'photo' WHERE f.path = ?`)
    .pluck()
    .get(path) as number | undefined;
}
