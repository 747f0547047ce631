/**
 * Library folders. A folder that cannot be read is marked `offline` (its root is missing or another
 * drive is mounted there) or `unreadable` (permissions, an unreadable subfolder), with the reason and
 * since when; its items stay. Removing a folder only marks it removed, so it can be undone until
 * `purgeRemovedFolders` deletes it for good.
 */
import type { Store } from './db.ts';

/** Whether Glint could read a folder at its last scan. */
export type FolderState = 'ok' | 'offline' | 'unreadable';

/** A library folder. */
export interface Folder {
  id: number;
  path: string;
  addedAt: number;
  state: FolderState;
  /** Why the folder is offline or unreadable, in words for the user. */
  stateReason: string | null;
  /** Since when the folder has been in this state (ms epoch), when not ok. */
  stateSince: number | null;
  /** When the user removed it (it can be restored until purged), or null. */
  removedAt: number | null;
}

interface FolderRow {
  id: number;
  path: string;
  added_at: number;
  state: FolderState;
  state_reason: string | null;
  state_since: number | null;
  removed_at: number | null;
}

const COLS = 'id, path, added_at, state, state_reason, state_since, removed_at';

function toFolder(r: FolderRow): Folder {
  return {
    id: r.id,
    path: r.path,
    addedAt: r.added_at,
    state: r.state,
    stateReason: r.state_reason,
    stateSince: r.state_since,
    removedAt: r.removed_at,
  };
}

/** Adds a library folder (idempotent); adding a removed folder again restores it with its items. */
export function addFolder(store: Store, path: string): Folder {
  return store.tx(() => {
    store
      .stmt(
        'INSERT INTO folders(path, added_at) VALUES (?, ?) ON CONFLICT(path) DO UPDATE SET removed_at = NULL',
      )
      .run(path, store.now());
    return toFolder(store.stmt(`SELECT ${COLS} FROM folders WHERE path = ?`).get(path) as FolderRow);
  });
}

/** Deletes a folder for good and, by cascade, its files, items, embeddings, codes and tags. */
export function removeFolder(store: Store, path: string): boolean {
  return store.tx(() => store.stmt('DELETE FROM folders WHERE path = ?').run(path).changes > 0);
}

/** Marks a folder removed (hidden, not scanned, not searched) so that it can still be restored. */
export function markFolderRemoved(store: Store, id: number): boolean {
  return store.tx(
    () =>
      store.stmt('UPDATE folders SET removed_at = ? WHERE id = ? AND removed_at IS NULL').run(store.now(), id)
        .changes > 0,
  );
}

/** Undoes `markFolderRemoved`; false when the folder is not removed (or already purged). */
export function restoreFolder(store: Store, id: number): boolean {
  return store.tx(
    () =>
      store.stmt('UPDATE folders SET removed_at = NULL WHERE id = ? AND removed_at IS NOT NULL').run(id)
        .changes > 0,
  );
}

/** Folders removed at or before `before` (ms epoch): the ones whose undo time is over. */
export function listRemovedFolders(store: Store, before = Number.MAX_SAFE_INTEGER): Folder[] {
  return (
    store
      .stmt(`SELECT ${COLS} FROM folders WHERE removed_at IS NOT NULL AND removed_at <= ? ORDER BY path`)
      .all(before) as FolderRow[]
  ).map(toFolder);
}

/** Records what a scan found of a folder; the `since` stamp is kept while the state stays the same. */
export function setFolderState(store: Store, id: number, state: FolderState, reason: string | null): void {
  store.tx(() => {
    store
      .stmt(
        `UPDATE folders SET state_since = CASE WHEN state = @state AND state_since IS NOT NULL THEN state_since
             WHEN @state = 'ok' THEN NULL ELSE @now END,
           state = @state, state_reason = @reason WHERE id = @id`,
      )
      .run({ id, state, reason, now: store.now() });
  });
}

/** The folder with this path, if it is in the library (removed folders included). */
export function getFolder(store: Store, path: string): Folder | undefined {
  const r = store.stmt(`SELECT ${COLS} FROM folders WHERE path = ?`).get(path) as FolderRow | undefined;
  return r && toFolder(r);
}

/** The library's folders (removed ones left out), by path. */
export function listFolders(store: Store): Folder[] {
  return (
    store.stmt(`SELECT ${COLS} FROM folders WHERE removed_at IS NULL ORDER BY path`).all() as FolderRow[]
  ).map(toFolder);
}
