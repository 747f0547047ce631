/** Search filters as sets of allowed item ids: capture date range, tags (all must match), folder and place. */
import type { ItemKind } from '../types.ts';
import type { Store } from './db.ts';
import { placeIdsMatching } from './places.ts';
import { normalizeTagName } from './tags.ts';

/** What a search may be restricted to; every given condition must hold. */
export interface ItemFilter {
  /** Capture time bounds, ms since the epoch, inclusive (items without a capture time never match). */
  from?: number;
  to?: number;
  /** Tag names (any source, case-insensitive); an item must carry all of them. */
  tags?: readonly string[];
  folderId?: number;
  /**
   * A place name: photos taken where it is the city, region or country (accents and case aside), or a
   * label like "Lisbon, Portugal" that every part must fit (see `placeIdsMatching`). Blank: no filter.
   */
  place?: string;
}

/** Whether a filter restricts anything at all (an empty filter allows every item). */
export function isEmptyFilter(filter: ItemFilter): boolean {
  return (
    filter.from === undefined &&
    filter.to === undefined &&
    !filter.tags?.length &&
    filter.folderId === undefined &&
    !filter.place?.trim()
  );
}

/** Whether a filter bounds the date (so that items without a date cannot pass it). */
export function hasDateBound(filter: ItemFilter): boolean {
  return filter.from !== undefined || filter.to !== undefined;
}

/** SQL conditions over `items i JOIN files f`, and their parameters. */
export interface FilterSql {
  where: string[];
  params: unknown[];
}

/**
 * The conditions of a filter for items of these kinds, over `items i JOIN files f ON f.id = i.file_id`;
 * `dates: false` leaves the date bounds out (to count what they would leave out).
 */
export function filterSql(
  store: Store,
  filter: ItemFilter,
  kinds: readonly ItemKind[],
  dates = true,
): FilterSql {
  // NOTE: one kind is an equality, so a date-ordered query over it reads the items_kind_taken index in order.
  const where = [kinds.length === 1 ? 'i.kind = ?' : 'i.kind IN (SELECT value FROM json_each(?))'];
  const params: unknown[] = [kinds.length === 1 ? kinds[0] : JSON.stringify(kinds)];
  if (dates && filter.from !== undefined) {
    where.push('i.taken_at >= ?');
    params.push(filter.from);
  }
  if (dates && filter.to !== undefined) {
    where.push('i.taken_at <= ?');
    params.push(filter.to);
  }
  if (filter.folderId !== undefined) {
    where.push('f.folder_id = ?');
    params.push(filter.folderId);
  }
  if (filter.place?.trim()) {
    where.push('i.place_id IN (SELECT value FROM json_each(?))');
    params.push(JSON.stringify(placeIdsMatching(store, filter.place)));
  }
  // Tag names compare without case (the tags.name column is NOCASE), so count distinct lower-cased names.
  const tags = [
    ...new Set(
      (filter.tags ?? [])
        .map(normalizeTagName)
        .filter(Boolean)
        .map((t) => t.toLowerCase()),
    ),
  ];
  if (tags.length) {
    where.push(
      `(SELECT count(DISTINCT it.tag_id) FROM item_tags it JOIN tags t ON t.id = it.tag_id
        WHERE it.item_id = i.id AND t.name IN (SELECT value FROM json_each(?))) = ?`,
    );
    params.push(JSON.stringify(tags), tags.length);
  }
  return { where, params };
}

/** Ids of the items of these kinds that pass the filter, ascending. */
export function filterItemIds(store: Store, filter: ItemFilter, kinds: readonly ItemKind[]): number[] {
  const { where, params } = filterSql(store, filter, kinds);
  return store
    .stmt(
      `SELECT i.id FROM items i JOIN files f ON f.id = i.file_id WHERE ${where.join(' AND ')} ORDER BY i.id`,
    )
    .pluck()
    .all(...params) as number[];
}

/**
 * How many items of these kinds a filter's date bounds leave out for having no date at all (they pass
 * its tags and folder): 0 when the filter bounds no date. Since every photo gets a date (metadata, file
 * name or mtime), these are notes, captions and the rare photo whose file has no mtime.
 */
export function countUndated(store: Store, filter: ItemFilter, kinds: readonly ItemKind[]): number {
  if (!hasDateBound(filter)) return 0;
  const { where, params } = filterSql(store, filter, kinds, false);
  return store
    .stmt(
      `SELECT count(*) FROM items i JOIN files f ON f.id = i.file_id
       WHERE ${where.join(' AND ')} AND i.taken_at IS NULL`,
    )
    .pluck()
    .get(...params) as number;
}
