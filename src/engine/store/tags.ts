/** Tags on items: keywords from XMP/IPTC metadata and tags the user adds in Glint. */
import type { TagSource } from '../types.ts';
import type { Store } from './db.ts';

/** A tag with the number of distinct items that carry it. */
export interface TagCount {
  id: number;
  name: string;
  count: number;
}

/** One tag on an item, with where it came from. */
export interface ItemTag {
  name: string;
  source: TagSource;
}

/**
 * The separator of hierarchical tags ("Places/Lisbon"), as digiKam's TagsList stores them; Lightroom's
 * lr:hierarchicalSubject uses '|' and is read into this form (ingest/metadata.ts).
 */
export const TAG_SEPARATOR = '/';

/**
 * Trims and collapses inner whitespace, and around and between hierarchy levels ("Places / Lisbon" and
 * "Places//Lisbon/" are "Places/Lisbon"); tag names compare case-insensitively.
 */
export function normalizeTagName(name: string): string {
  return name
    .split(TAG_SEPARATOR)
    .map((part) => part.trim().replace(/\s+/g, ' '))
    .filter(Boolean)
    .join(TAG_SEPARATOR);
}

/** The parent of a hierarchical tag ("Places/Lisbon" → "Places"); null at the top level. */
export function tagParent(name: string): string | null {
  const i = name.lastIndexOf(TAG_SEPARATOR);
  return i > 0 ? name.slice(0, i) : null;
}

/** The last level of a hierarchical tag ("Places/Lisbon" → "Lisbon"). */
export function tagLeaf(name: string): string {
  return name.slice(name.lastIndexOf(TAG_SEPARATOR) + 1);
}

/** Whether `name` is `root` or below it, case-insensitively ("places/Lisbon" is under "Places"). */
export function isTagUnder(name: string, root: string): boolean {
  const n = name.toLowerCase();
  const r = root.toLowerCase();
  return n === r || n.startsWith(r + TAG_SEPARATOR);
}

function ensureTag(store: Store, name: string): number {
  const n = normalizeTagName(name);
  if (!n) throw new Error('empty tag name');
  store.stmt('INSERT INTO tags(name) VALUES (?) ON CONFLICT(name) DO NOTHING').run(n);
  return store.stmt('SELECT id FROM tags WHERE name = ?').pluck().get(n) as number;
}

/** Adds a tag to an item (creating the tag; the first spelling wins) and returns the tag id. */
export function addItemTag(store: Store, itemId: number, name: string, source: TagSource): number {
  return store.tx(() => {
    const tagId = ensureTag(store, name);
    store
      .stmt('INSERT OR IGNORE INTO item_tags(item_id, tag_id, source) VALUES (?, ?, ?)')
      .run(itemId, tagId, source);
    return tagId;
  });
}

/** Removes a tag from an item (from one source, or from all); true if anything was removed. */
export function removeItemTag(store: Store, itemId: number, name: string, source?: TagSource): boolean {
  return store.tx(() => {
    const tagId = store.stmt('SELECT id FROM tags WHERE name = ?').pluck().get(normalizeTagName(name)) as
      number | undefined;
    if (tagId === undefined) return false;
    const r =
      source === undefined
        ? store.stmt('DELETE FROM item_tags WHERE item_id = ? AND tag_id = ?').run(itemId, tagId)
        : store
            .stmt('DELETE FROM item_tags WHERE item_id = ? AND tag_id = ? AND source = ?')
            .run(itemId, tagId, source);
    return r.changes > 0;
  });
}

/** Replaces all of an item's tags from one source (e.g. the keywords re-read from its XMP). */
export function setItemTags(store: Store, itemId: number, source: TagSource, names: readonly string[]): void {
  store.tx(() => {
    store.stmt('DELETE FROM item_tags WHERE item_id = ? AND source = ?').run(itemId, source);
    for (const name of names) {
      if (!normalizeTagName(name)) continue;
      const tagId = ensureTag(store, name);
      store
        .stmt('INSERT OR IGNORE INTO item_tags(item_id, tag_id, source) VALUES (?, ?, ?)')
        .run(itemId, tagId, source);
    }
  });
}

/** An item's tags, by name then source. */
export function listItemTags(store: Store, itemId: number): ItemTag[] {
  return store
    .stmt(
      `SELECT t.name, it.source FROM item_tags it JOIN tags t ON t.id = it.tag_id
       WHERE it.item_id = ? ORDER BY t.name, it.source`,
    )
    .all(itemId) as ItemTag[];
}

/** All tags in use with their item counts, most used first (unused tags are left out). */
export function listTags(store: Store): TagCount[] {
  return store
    .stmt(
      `SELECT t.id, t.name, count(DISTINCT it.item_id) AS count FROM tags t JOIN item_tags it ON it.tag_id = t.id
       GROUP BY t.id ORDER BY count DESC, t.name`,
    )
    .all() as TagCount[];
}

/** Ids of the items carrying a tag (any source), ascending. */
export function itemsWithTag(store: Store, name: string): number[] {
  return store
    .stmt(
      `SELECT DISTINCT it.item_id FROM item_tags it JOIN tags t ON t.id = it.tag_id WHERE t.name = ? ORDER BY it.item_id`,
    )
    .pluck()
    .all(normalizeTagName(name)) as number[];
}

/** Every (item, tag) pair, distinct over sources, by item then tag: the labels for training a head. */
export function listItemTagPairs(store: Store): Array<{ itemId: number; tagId: number }> {
  return store
    .stmt('SELECT DISTINCT item_id AS itemId, tag_id AS tagId FROM item_tags ORDER BY item_id, tag_id')
    .all() as Array<{ itemId: number; tagId: number }>;
}

/** Deletes tags no item carries any more; returns how many. */
export function pruneUnusedTags(store: Store): number {
  return store.tx(
    () =>
      store.stmt('DELETE FROM tags WHERE NOT EXISTS (SELECT 1 FROM item_tags WHERE tag_id = tags.id)').run()
        .changes,
  );
}
