/** Tagging many photos at once, and the tag summaries the app's tag and retrain views show. */
import type { TagSource } from '../types.ts';
import type { Store } from './db.ts';
import { normalizeTagName, tagLeaf, tagParent } from './tags.ts';

/** A tag in use with its item count, the sources it comes from and its place in the hierarchy. */
export interface TagSummary {
  name: string;
  count: number;
  /** Items carrying it as a user tag (what rename, merge and delete change). */
  userCount: number;
  sources: TagSource[];
  /** The tag above it ("Places" for "Places/Lisbon"), null at the top level; it may carry no items itself. */
  parent: string | null;
  /** Its own level's name ("Lisbon"). */
  leaf: string;
}

/**
 * Adds a user tag to every photo among `ids` (other kinds and unknown ids are skipped) in one
 * transaction; returns how many photos gained it.
 */
export function tagPhotos(store: Store, ids: readonly number[], name: string): number {
  const tag = normalizeTagName(name);
  if (!tag) throw new Error('empty tag name');
  return store.tx(() => {
    store.stmt('INSERT INTO tags(name) VALUES (?) ON CONFLICT(name) DO NOTHING').run(tag);
    const tagId = store.stmt('SELECT id FROM tags WHERE name = ?').pluck().get(tag) as number;
    return store
      .stmt(
        `INSERT OR IGNORE INTO item_tags(item_id, tag_id, source)
         SELECT id, ?, 'user' FROM items WHERE kind = 'photo' AND id IN (SELECT value FROM json_each(?))`,
      )
      .run(tagId, JSON.stringify(ids)).changes;
  });
}

/** Removes a user tag from the items among `ids` (metadata tags stay); returns how many lost it. */
export function untagPhotos(store: Store, ids: readonly number[], name: string): number {
  return store.tx(
    () =>
      store
        .stmt(
          `DELETE FROM item_tags WHERE source = 'user' AND item_id IN (SELECT value FROM json_each(?))
           AND tag_id = (SELECT id FROM tags WHERE name = ?)`,
        )
        .run(JSON.stringify(ids), normalizeTagName(name)).changes,
  );
}

/** Tags in use with distinct item counts and their sources, most used first. */
export function listTagSummaries(store: Store): TagSummary[] {
  const rows = store
    .stmt(
      `SELECT t.name, count(DISTINCT it.item_id) AS count,
         count(DISTINCT CASE WHEN it.source = 'user' THEN it.item_id END) AS userCount,
         group_concat(DISTINCT it.source) AS sources
       FROM tags t JOIN item_tags it ON it.tag_id = t.id GROUP BY t.id ORDER BY count DESC, t.name`,
    )
    .all() as Array<{ name: string; count: number; userCount: number; sources: string }>;
  return rows.map((r) => ({
    name: r.name,
    count: r.count,
    userCount: r.userCount,
    sources: r.sources.split(',').sort() as TagSource[],
    parent: tagParent(r.name),
    leaf: tagLeaf(r.name),
  }));
}

/** How many photos carry at least one tag (what retraining can learn from). */
export function countTaggedPhotos(store: Store): number {
  return store
    .stmt(
      `SELECT count(DISTINCT it.item_id) FROM item_tags it JOIN items i ON i.id = it.item_id WHERE i.kind = 'photo'`,
    )
    .pluck()
    .get() as number;
}
