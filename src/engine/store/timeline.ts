/** The library's photos by date, without a query: one page of them, month counts and totals. */
import type { Store } from './db.ts';
import { filterSql, type ItemFilter } from './item-filter.ts';
import { getItems, type ItemRecord } from './items.ts';

/** Which end of time comes first. */
export type TimelineOrder = 'newest' | 'oldest';

/** One page of the timeline. */
export interface TimelineQuery {
  filter: ItemFilter;
  order: TimelineOrder;
  /** Photos to skip (in `order`), and how many to return. */
  offset: number;
  limit: number;
}

/** How many photos one calendar month (local time) holds. */
export interface MonthCount {
  year: number;
  /** 1–12. */
  month: number;
  count: number;
}

/** A page of dated photos in order, every month's count in the same order, and the totals. */
export interface TimelinePage {
  items: ItemRecord[];
  /** Months with photos, in `order`: month i starts at the sum of the counts before it. */
  months: MonthCount[];
  /** Dated photos that pass the filter (the sum of the month counts). */
  total: number;
  /** Photos that pass the filter's tags and folder but have no date at all (not in the timeline). */
  undated: number;
}

/**
 * One page of the photos that pass `filter`, by capture date then id (newest or oldest first), with the
 * month counts a scrubber needs. Photos are read off the `items_kind_taken` index in order, so a page
 * costs its offset in index steps, not a sort of the library.
 */
export function timelinePage(store: Store, q: TimelineQuery): TimelinePage {
  const { where, params } = filterSql(store, q.filter, ['photo']);
  // Only a folder filter needs the files table; without it the page is read from the index alone.
  const from = q.filter.folderId === undefined ? 'items i' : 'items i JOIN files f ON f.id = i.file_id';
  const dated = [...where, 'i.taken_at IS NOT NULL'].join(' AND ');
  const dir = q.order === 'newest' ? 'DESC' : 'ASC';
  const ids = store
    .stmt(`SELECT i.id FROM ${from} WHERE ${dated} ORDER BY i.taken_at ${dir}, i.id ${dir} LIMIT ? OFFSET ?`)
    .pluck()
    .all(...params, q.limit, q.offset) as number[];
  // NOTE: SQLite's 'localtime' costs ~6 µs a row (0.6 s at 100,000 photos); reading the dates in order off
  // the index and cutting them at local month starts in JS costs ~25 ms.
  const times = store
    .stmt(`SELECT i.taken_at FROM ${from} WHERE ${dated} ORDER BY i.taken_at`)
    .pluck()
    .all(...params) as number[];
  const months = monthCounts(times);
  if (q.order === 'newest') months.reverse();
  const undatedWhere = filterSql(store, q.filter, ['photo'], false);
  const undated = store
    .stmt(`SELECT count(*) FROM ${from} WHERE ${undatedWhere.where.join(' AND ')} AND i.taken_at IS NULL`)
    .pluck()
    .get(...undatedWhere.params) as number;
  return {
    items: getItems(store, ids),
    months,
    total: times.length,
    undated,
  };
}

/** The first index at or after `from` whose value is >= `value` (`sorted` ascending). */
function lowerBound(sorted: ArrayLike<number>, value: number, from: number): number {
  let lo = from;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Photos per calendar month in this machine's time zone, oldest month first, from dates in ascending order. */
export function monthCounts(ascending: ArrayLike<number>): MonthCount[] {
  const out: MonthCount[] = [];
  let i = 0;
  while (i < ascending.length) {
    const d = new Date(ascending[i] as number);
    const year = d.getFullYear();
    const month = d.getMonth();
    const next = new Date(year, month + 1, 1);
    // NOTE: `new Date(y, …)` maps years 0–99 to 1900–1999; setFullYear puts them back.
    next.setFullYear(month === 11 ? year + 1 : year);
    const j = lowerBound(ascending, next.getTime(), i + 1);
    out.push({ year, month: month + 1, count: j - i });
    i = j;
  }
  return out;
}
