/**
 * User tags that outlive their file: when a photo leaves the index, its user tags are kept by the
 * sha256 of its content for a retention period, and a photo with that content that is indexed again
 * (restored from a backup, moved into another folder, a re-plugged drive) gets them back.
 */
import type { Store } from './db.ts';

/** How long kept tags wait for their photo to come back, unless the user sets otherwise. */
export const DEFAULT_KEEP_TAGS_DAYS = 180;

const DAY_MS = 86_400_000;

/** Keeps the user tags of these files' photos by content hash; returns how many (hash, tag) pairs. */
export function keepUserTags(store: Store, fileIds: readonly number[]): number {
  if (fileIds.length === 0) return 0;
  return store.tx(
    () =>
      store
        .stmt(
          `INSERT INTO kept_tags(hash, name, kept_at)
           SELECT DISTINCT f.hash, t.name, @now FROM files f
             JOIN items i ON i.file_id = f.id AND i.kind = 'photo'
             JOIN item_tags it ON it.item_id = i.id AND it.source = 'user'
             JOIN tags t ON t.id = it.tag_id
           WHERE f.hash IS NOT NULL AND f.id IN (SELECT value FROM json_each(@ids))
           ON CONFLICT(hash, name) DO UPDATE SET kept_at = excluded.kept_at`,
        )
        .run({ now: store.now(), ids: JSON.stringify(fileIds) }).changes,
  );
}

/** Takes (returns and forgets) the tags kept for a content hash. */
export function takeKeptTags(store: Store, hash: string): string[] {
  return store.tx(
    () => store.stmt('DELETE FROM kept_tags WHERE hash = ? RETURNING name').pluck().all(hash) as string[],
  );
}

/** Forgets kept tags older than `days`; returns how many went. */
export function pruneKeptTags(store: Store, days: number): number {
  const before = store.now() - days * DAY_MS;
  return store.tx(() => store.stmt('DELETE FROM kept_tags WHERE kept_at < ?').run(before).changes);
}

/** How many tags are kept for photos that left the library, and the oldest one's time. */
export function keptTagCounts(store: Store): { tags: number; photos: number; oldest: number | null } {
  return store
    .stmt('SELECT count(*) AS tags, count(DISTINCT hash) AS photos, min(kept_at) AS oldest FROM kept_tags')
    .get() as { tags: number; photos: number; oldest: number | null };
}
