/** Items: the searchable units (a photo, a caption, a chunk of a note). */
import type { ItemKind, Modality, TakenSource } from '../types.ts';
import type { Store } from './db.ts';

/** An item to insert for a file (see `replaceFileItems`). */
export interface ItemInput {
  kind: ItemKind;
  modality: Modality;
  text?: string | null;
  /** Offsets into the note text; a photo uses 0 (the default). */
  charStart?: number | null;
  charEnd?: number | null;
  /** Capture time, ms since the epoch. */
  takenAt?: number | null;
  /** Where `takenAt` came from. */
  takenSource?: TakenSource | null;
  lat?: number | null;
  lon?: number | null;
  width?: number | null;
  height?: number | null;
}

/** A stored item with the path of its file. */
export interface ItemRecord {
  id: number;
  fileId: number;
  path: string;
  kind: ItemKind;
  modality: Modality;
  text: string | null;
  charStart: number | null;
  charEnd: number | null;
  takenAt: number | null;
  /** Where `takenAt` came from (null when there is no date: notes, captions, a photo with no date at all). */
  takenSource: TakenSource | null;
  lat: number | null;
  lon: number | null;
  width: number | null;
  height: number | null;
  /** False while the item's folder is offline or unreadable: it is searchable, its file is out of reach. */
  available: boolean;
}

interface ItemRow {
  id: number;
  file_id: number;
  path: string;
  kind: ItemKind;
  modality: Modality;
  text: string | null;
  char_start: number | null;
  char_end: number | null;
  taken_at: number | null;
  taken_source: TakenSource | null;
  lat: number | null;
  lon: number | null;
  width: number | null;
  height: number | null;
  folder_state: string | null;
}

const SELECT = `SELECT i.id, i.file_id, f.path, i.kind, i.modality, i.text, i.char_start, i.char_end, i.taken_at,
  i.taken_source, i.lat, i.lon, i.width, i.height, fo.state AS folder_state FROM items i JOIN files f ON f.id = i.file_id
  LEFT JOIN folders fo ON fo.id = f.folder_id`;

function toItem(r: ItemRow): ItemRecord {
  return {
    id: r.id,
    fileId: r.file_id,
    path: r.path,
    kind: r.kind,
    modality: r.modality,
    text: r.text,
    charStart: r.char_start,
    charEnd: r.char_end,
    takenAt: r.taken_at,
    takenSource: r.taken_source,
    lat: r.lat,
    lon: r.lon,
    width: r.width,
    height: r.height,
    available: r.folder_state === null || r.folder_state === 'ok',
  };
}

/**
 * Replaces all items of a file in one transaction (old items go, with their embeddings, codes and
 * tags, by cascade) and returns the new item ids in input order.
 */
export function replaceFileItems(store: Store, fileId: number, items: readonly ItemInput[]): number[] {
  return store.tx(() => {
    store.stmt('DELETE FROM items WHERE file_id = ?').run(fileId);
    return addFileItems(store, fileId, items);
  });
}

/** Adds items to a file beside the ones it has and returns their ids in input order. */
export function addFileItems(store: Store, fileId: number, items: readonly ItemInput[]): number[] {
  const insert = store.stmt(
    `INSERT INTO items(file_id, kind, modality, text, char_start, char_end, taken_at, taken_source, lat, lon,
       width, height)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  return store.tx(() =>
    items.map((it) => {
      const charStart = it.charStart === undefined ? (it.kind === 'photo' ? 0 : null) : it.charStart;
      const r = insert.run(
        fileId,
        it.kind,
        it.modality,
        it.text ?? null,
        charStart,
        it.charEnd ?? null,
        it.takenAt ?? null,
        it.takenAt === undefined || it.takenAt === null ? null : (it.takenSource ?? null),
        it.lat ?? null,
        it.lon ?? null,
        it.width ?? null,
        it.height ?? null,
      );
      return Number(r.lastInsertRowid);
    }),
  );
}

/** Deletes a file's items of one kind (their embeddings, codes and tags go by cascade); returns their ids. */
export function deleteFileItemsOfKind(store: Store, fileId: number, kind: ItemKind): number[] {
  return store
    .stmt('DELETE FROM items WHERE file_id = ? AND kind = ? RETURNING id')
    .pluck()
    .all(fileId, kind) as number[];
}

/** Sets what a photo's metadata says of it: its capture time (and where that came from) and position. */
export function setPhotoFacts(
  store: Store,
  itemId: number,
  facts: Pick<ItemInput, 'takenAt' | 'takenSource' | 'lat' | 'lon'>,
): void {
  const takenAt = facts.takenAt ?? null;
  store
    .stmt('UPDATE items SET taken_at = ?, taken_source = ?, lat = ?, lon = ? WHERE id = ?')
    .run(
      takenAt,
      takenAt === null ? null : (facts.takenSource ?? null),
      facts.lat ?? null,
      facts.lon ?? null,
      itemId,
    );
}

/** The item with this id, if any. */
export function getItem(store: Store, id: number): ItemRecord | undefined {
  const r = store.stmt(`${SELECT} WHERE i.id = ?`).get(id) as ItemRow | undefined;
  return r && toItem(r);
}

/** The items with these ids, in the order given; unknown ids are skipped. */
export function getItems(store: Store, ids: readonly number[]): ItemRecord[] {
  if (ids.length === 0) return [];
  const rows = store
    .stmt(`${SELECT} WHERE i.id IN (SELECT value FROM json_each(?))`)
    .all(JSON.stringify(ids)) as ItemRow[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  const out: ItemRecord[] = [];
  for (const id of ids) {
    const r = byId.get(id);
    if (r) out.push(toItem(r));
  }
  return out;
}

/** The items of one file, by kind and offset. */
export function listFileItems(store: Store, fileId: number): ItemRecord[] {
  return (
    store.stmt(`${SELECT} WHERE i.file_id = ? ORDER BY i.kind, i.char_start, i.id`).all(fileId) as ItemRow[]
  ).map(toItem);
}

/** Ids of all items of a modality (ascending). */
export function listItemIds(store: Store, modality?: Modality): number[] {
  const s =
    modality === undefined
      ? store.stmt('SELECT id FROM items ORDER BY id').pluck()
      : store.stmt('SELECT id FROM items WHERE modality = ? ORDER BY id').pluck();
  return (modality === undefined ? s.all() : s.all(modality)) as number[];
}
