/**
 * Dates for photos indexed before Glint kept one for every photo: a file-name date or the file's
 * modification time, from what the store already holds (no image is read again).
 */
import type { Store } from '../store/index.ts';
import { photoDate } from './photo-date.ts';

interface UndatedRow {
  id: number;
  path: string;
  mtime_ms: number | null;
}

/**
 * Gives every photo that has no date a file-name date or its file's mtime (source 'filename' or
 * 'mtime'), in one transaction; returns how many were dated. Cheap to call at every writer open: it
 * reads only photos without a date, off the `items_kind_taken` index, and none are left after the first run.
 */
export function backfillDates(store: Store): number {
  const rows = store
    .stmt(
      `SELECT i.id, f.path, f.mtime_ms FROM items i JOIN files f ON f.id = i.file_id
       WHERE i.kind = 'photo' AND i.taken_at IS NULL`,
    )
    .all() as UndatedRow[];
  return redate(store, rows).length;
}

/**
 * Dates a file's photo again from its path and mtime when that is where its date came from (after a move,
 * a rename or a touch that left its content, and so its metadata, as it was); returns the items redated.
 */
export function refreshFallbackDates(store: Store, fileId: number): number[] {
  const rows = store
    .stmt(
      `SELECT i.id, f.path, f.mtime_ms FROM items i JOIN files f ON f.id = i.file_id
       WHERE i.file_id = ? AND i.kind = 'photo' AND (i.taken_source IS NULL OR i.taken_source IN ('filename', 'mtime'))`,
    )
    .all(fileId) as UndatedRow[];
  return redate(store, rows);
}

function redate(store: Store, rows: readonly UndatedRow[]): number[] {
  if (rows.length === 0) return [];
  const now = store.now();
  const update = store.stmt('UPDATE items SET taken_at = ?, taken_source = ? WHERE id = ?');
  return store.tx(() => {
    const changed: number[] = [];
    for (const r of rows) {
      const date = photoDate({}, r.path, r.mtime_ms, now);
      if (date && update.run(date.takenAt, date.takenSource, r.id).changes) changed.push(r.id);
    }
    return changed;
  });
}
