/** Everything the app shows about one item: the item, its file and folder, captions, tags and place. */
import type { Store } from './db.ts';
import { getFile } from './files.ts';
import { getItem, listFileItems, type ItemRecord } from './items.ts';
import { getItemPlace, type PlaceName } from './places.ts';
import { listItemTags, type ItemTag } from './tags.ts';

/** One item with its folder, content hash (for the thumbnail), captions of its photo, its tags and place. */
export interface ItemDetailRecord extends ItemRecord {
  /** The library folder the file is in, if it is in one. */
  folder: string | null;
  /** sha256 of the file's content (names its thumbnail), when known. */
  fileHash: string | null;
  /** For a photo: the texts of its caption items (metadata descriptions). */
  captions: string[];
  tags: ItemTag[];
  /** For a photo with GPS: the place it was taken at, when one is named there. */
  place: PlaceName | null;
}

/** The item with this id in detail, or undefined for an unknown id. */
export function getItemDetail(store: Store, id: number): ItemDetailRecord | undefined {
  const item = getItem(store, id);
  if (!item) return undefined;
  const file = getFile(store, item.fileId);
  const folder =
    file?.folderId == null
      ? null
      : ((store.stmt('SELECT path FROM folders WHERE id = ?').pluck().get(file.folderId) as
          string | undefined) ?? null);
  const captions =
    item.kind === 'photo'
      ? listFileItems(store, item.fileId)
          .filter((i) => i.kind === 'caption' && i.text)
          .map((i) => i.text as string)
      : [];
  return {
    ...item,
    folder,
    fileHash: file?.hash ?? null,
    captions,
    tags: listItemTags(store, id),
    place: getItemPlace(store, id) ?? null,
  };
}

/** Indexed files per library folder id (folders without files are absent). */
export function folderFileCounts(store: Store): Map<number, number> {
  const rows = store
    .stmt('SELECT folder_id AS id, count(*) AS n FROM files WHERE folder_id IS NOT NULL GROUP BY folder_id')
    .all() as Array<{ id: number; n: number }>;
  return new Map(rows.map((r) => [r.id, r.n]));
}
