/**
 * Renaming, merging and deleting the user's tags, each recorded in `tag_undo` so it can be undone, after a
 * restart too. They act on user-tag rows only: a tag read from a photo's XMP/IPTC keywords lives in the
 * file, and Glint does not change files, so those rows keep their name (and are counted in the result).
 * A tag's children move with it: renaming "Places" renames "Places/Lisbon" to "Travel/Lisbon".
 */
import type { Store } from './db.ts';
import { TAG_SEPARATOR, pruneUnusedTags } from './tags.ts';

// NOTE: the last 20 changes and 30 days: enough to notice a mistake, few enough rows to never matter.
/** How many tag changes stay undoable. */
export const TAG_UNDO_KEEP = 20;
/** How long a tag change stays undoable, in ms. */
export const TAG_UNDO_MS = 30 * 24 * 60 * 60 * 1000;

/** What kind of change a record holds. */
export type TagChangeKind = 'rename' | 'merge' | 'delete';

/** One user-tag row: [item id, tag name]. */
type Row = [number, string];

/** What a rename, merge or delete did (or an undo undid). */
export interface TagChange {
  /** Pass it to `undoTagChange` to undo this change. */
  token: number;
  kind: TagChangeKind;
  /** The change in words ("Renamed “Places” to “Travel”"). */
  summary: string;
  /** The items whose user tags changed, ascending. */
  items: number[];
  /** Rows with the old names from the photos' XMP/IPTC keywords, which stay as they are. */
  metadataKept: number;
}

/** A change still undoable, newest first. */
export interface TagChangeRecord {
  token: number;
  kind: TagChangeKind;
  summary: string;
  at: number;
}

const UNDER = `(t.name = @name OR substr(t.name, 1, length(@name) + 1) COLLATE NOCASE = @name || '${TAG_SEPARATOR}')`;

/** User-tag rows of tag `name` and of every tag below it. */
function userRowsUnder(store: Store, name: string): Row[] {
  return (
    store
      .stmt(
        `SELECT it.item_id AS item, t.name AS tag FROM item_tags it JOIN tags t ON t.id = it.tag_id
         WHERE it.source = 'user' AND ${UNDER} ORDER BY it.item_id, t.name`,
      )
      .all({ name }) as Array<{ item: number; tag: string }>
  ).map((r) => [r.item, r.tag]);
}

/** How many items carry user tag `name` or a tag below it, and how many such tags there are (with it). */
export function userTagUsage(store: Store, name: string): { items: number; tags: number } {
  return store
    .stmt(
      `SELECT count(DISTINCT it.item_id) AS items, count(DISTINCT t.id) AS tags
       FROM item_tags it JOIN tags t ON t.id = it.tag_id WHERE it.source = 'user' AND ${UNDER}`,
    )
    .get({ name }) as { items: number; tags: number };
}

/** Metadata (XMP/IPTC) rows of tag `name` and of every tag below it. */
export function metadataRowsUnder(store: Store, name: string): number {
  return store
    .stmt(
      `SELECT count(*) FROM item_tags it JOIN tags t ON t.id = it.tag_id WHERE it.source != 'user' AND ${UNDER}`,
    )
    .pluck()
    .get({ name }) as number;
}

/** Whether any item carries tag `name` or a tag below it (from any source). */
export function tagInUse(store: Store, name: string): boolean {
  return (
    store
      .stmt(`SELECT 1 FROM item_tags it JOIN tags t ON t.id = it.tag_id WHERE ${UNDER} LIMIT 1`)
      .get({ name }) !== undefined
  );
}

function addRow(store: Store, [item, tag]: Row): boolean {
  store.stmt('INSERT INTO tags(name) VALUES (?) ON CONFLICT(name) DO NOTHING').run(tag);
  return (
    store
      .stmt(
        `INSERT OR IGNORE INTO item_tags(item_id, tag_id, source)
         SELECT i.id, t.id, 'user' FROM items i, tags t WHERE i.id = ? AND t.name = ?`,
      )
      .run(item, tag).changes > 0
  );
}

function removeRow(store: Store, [item, tag]: Row): boolean {
  return (
    store
      .stmt(
        `DELETE FROM item_tags WHERE item_id = ? AND source = 'user' AND tag_id = (SELECT id FROM tags WHERE name = ?)`,
      )
      .run(item, tag).changes > 0
  );
}

/** Moves the user rows under `from` to the same place under `to`, appending what changed. */
function moveRows(store: Store, from: string, to: string, removed: Row[], added: Row[]): void {
  for (const row of userRowsUnder(store, from)) {
    const next: Row = [row[0], to + row[1].slice(from.length)];
    removeRow(store, row);
    removed.push(row);
    if (addRow(store, next)) added.push(next);
  }
}

/** Changes the spelling of `from` and the tags below it to `to`'s (same name but for letter case). */
function respell(store: Store, from: string, to: string): Array<[string, string]> {
  const names = store
    .stmt(`SELECT t.name FROM tags t WHERE ${UNDER}`)
    .pluck()
    .all({ name: from }) as string[];
  const pairs: Array<[string, string]> = [];
  for (const old of names) {
    const next = to + old.slice(from.length);
    if (next === old) continue;
    store.stmt('UPDATE tags SET name = ? WHERE name = ?').run(next, old);
    pairs.push([old, next]);
  }
  return pairs;
}

function record(
  store: Store,
  kind: TagChangeKind,
  summary: string,
  removed: Row[],
  added: Row[],
  respelled: Array<[string, string]>,
): number {
  const now = store.now();
  const token = Number(
    store
      .stmt(
        'INSERT INTO tag_undo(kind, summary, at, rows_removed, rows_added, respelled) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .run(
        kind,
        summary,
        now,
        JSON.stringify(removed),
        JSON.stringify(added),
        respelled.length ? JSON.stringify(respelled) : null,
      ).lastInsertRowid,
  );
  store
    .stmt(
      `DELETE FROM tag_undo WHERE at < ? OR id NOT IN (SELECT id FROM tag_undo ORDER BY id DESC LIMIT ${TAG_UNDO_KEEP})`,
    )
    .run(now - TAG_UNDO_MS);
  return token;
}

function itemsOf(...lists: Row[][]): number[] {
  return [...new Set(lists.flatMap((l) => l.map((r) => r[0])))].sort((a, b) => a - b);
}

/**
 * Renames the user tag `from` (and the tags below it) to `to`, both normalised names. When `to` is
 * already in use this merges into it. Returns null when no user tag is called `from`.
 */
export function renameTag(store: Store, from: string, to: string): (TagChange & { merged: boolean }) | null {
  return store.tx(() => {
    const merged = from.toLowerCase() !== to.toLowerCase() && tagInUse(store, to);
    const removed: Row[] = [];
    const added: Row[] = [];
    let respelled: Array<[string, string]> = [];
    if (from.toLowerCase() === to.toLowerCase()) respelled = respell(store, from, to);
    else moveRows(store, from, to, removed, added);
    if (removed.length === 0 && respelled.length === 0) return null;
    const metadataKept = metadataRowsUnder(store, from);
    pruneUnusedTags(store);
    const summary = merged ? `Merged “${from}” into “${to}”` : `Renamed “${from}” to “${to}”`;
    const kind = merged ? 'merge' : 'rename';
    const token = record(store, kind, summary, removed, added, respelled);
    return { token, kind, summary, items: itemsOf(removed, added), metadataKept, merged };
  });
}

/** Merges the user tags `sources` (and the tags below them) into `into`; null when none is in use. */
export function mergeTags(store: Store, sources: readonly string[], into: string): TagChange | null {
  return store.tx(() => {
    const removed: Row[] = [];
    const added: Row[] = [];
    let metadataKept = 0;
    const merged: string[] = [];
    for (const from of sources) {
      if (from.toLowerCase() === into.toLowerCase()) continue;
      const before = removed.length;
      moveRows(store, from, into, removed, added);
      if (removed.length > before) merged.push(from);
      metadataKept += metadataRowsUnder(store, from);
    }
    if (removed.length === 0) return null;
    pruneUnusedTags(store);
    const summary = `Merged ${merged.map((m) => `“${m}”`).join(', ')} into “${into}”`;
    const token = record(store, 'merge', summary, removed, added, []);
    return { token, kind: 'merge', summary, items: itemsOf(removed, added), metadataKept };
  });
}

/** Deletes the user tag `name` and the tags below it from every item; null when no item carries it. */
export function deleteTag(store: Store, name: string): TagChange | null {
  return store.tx(() => {
    const removed = userRowsUnder(store, name);
    if (removed.length === 0) return null;
    for (const row of removed) removeRow(store, row);
    const metadataKept = metadataRowsUnder(store, name);
    pruneUnusedTags(store);
    const summary = `Deleted “${name}” from ${itemsOf(removed).length} photos`;
    const token = record(store, 'delete', summary, removed, [], []);
    return { token, kind: 'delete', summary, items: itemsOf(removed), metadataKept };
  });
}

/** The changes still undoable, newest first. */
export function listTagChanges(store: Store): TagChangeRecord[] {
  return store
    .stmt(
      `SELECT id AS token, kind, summary, at FROM tag_undo WHERE undone_at IS NULL AND at >= ? ORDER BY id DESC`,
    )
    .all(store.now() - TAG_UNDO_MS) as TagChangeRecord[];
}

/**
 * Undoes change `token` (the newest undoable one when omitted): removes the rows it added and puts back
 * the rows it removed (on items still in the library), exactly as they were. Null when there is no such
 * change, it was undone already or its undo time is over.
 */
export function undoTagChange(store: Store, token?: number): TagChange | null {
  return store.tx(() => {
    const row = store
      .stmt(
        `SELECT id, kind, summary, rows_removed, rows_added, respelled FROM tag_undo
         WHERE undone_at IS NULL AND at >= ? AND (? IS NULL OR id = ?) ORDER BY id DESC LIMIT 1`,
      )
      .get(store.now() - TAG_UNDO_MS, token ?? null, token ?? null) as
      | {
          id: number;
          kind: TagChangeKind;
          summary: string;
          rows_removed: string;
          rows_added: string;
          respelled: string | null;
        }
      | undefined;
    if (!row) return null;
    const removed = JSON.parse(row.rows_removed) as Row[];
    const added = JSON.parse(row.rows_added) as Row[];
    for (const r of added) removeRow(store, r);
    for (const r of removed) addRow(store, r);
    const respelled = row.respelled ? (JSON.parse(row.respelled) as Array<[string, string]>) : [];
    for (const [old, next] of respelled.reverse())
      store.stmt('UPDATE tags SET name = ? WHERE name = ?').run(old, next);
    pruneUnusedTags(store);
    store.stmt('UPDATE tag_undo SET undone_at = ? WHERE id = ?').run(store.now(), row.id);
    return {
      token: row.id,
      kind: row.kind,
      summary: `Undid: ${row.summary}`,
      items: itemsOf(removed, added),
      metadataKept: 0,
    };
  });
}
