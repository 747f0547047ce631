/** One page of many matches in date order, with the month counts of all of them. */
import { monthCounts, type MonthCount } from '../store/timeline.ts';

/** A page of item ids in date order, and what the whole ordered set holds. */
export interface DatePage {
  /** The page's item ids: dated ones by date (then id), undated ones after all of them (by rank). */
  ids: number[];
  /** Months of the dated items, in the page order's direction (newest month first for 'newest'). */
  months: MonthCount[];
  /** How many items the ordered set holds, dated and undated. */
  total: number;
  /** How many of them have no date. */
  undated: number;
}

/**
 * Orders `ids` (with their `dates`, NaN for none; undated ones keep the order they came in) by date then
 * id, newest or oldest first, and returns the items at [offset, offset + limit). Only the page is sorted
 * with a comparator: the dates are sorted once as a typed array (for the months and the page's bounds),
 * then the few items whose dates fall within the page's bounds are ordered.
 */
export function datePage(
  ids: ArrayLike<number>,
  dates: Float64Array,
  order: 'newest' | 'oldest',
  offset: number,
  limit: number,
): DatePage {
  const sorted = dates.filter((t) => !Number.isNaN(t)).sort();
  const n = sorted.length;
  const undatedIds: number[] = [];
  for (let i = 0; i < ids.length; i++)
    if (Number.isNaN(dates[i] as number)) undatedIds.push(ids[i] as number);
  const months = monthCounts(sorted);
  if (order === 'newest') months.reverse();
  const page: number[] = [];
  const end = Math.min(offset + limit, n);
  if (offset < end) {
    // The page's first and last dates, and how many items come before the first of them.
    const newest = order === 'newest';
    const a = sorted[newest ? n - end : offset] as number;
    const b = sorted[newest ? n - 1 - offset : end - 1] as number;
    const before = newest ? n - upperBound(sorted, b) : lowerBound(sorted, a);
    const within: Array<{ id: number; t: number }> = [];
    for (let i = 0; i < ids.length; i++) {
      const t = dates[i] as number;
      if (t >= a && t <= b) within.push({ id: ids[i] as number, t });
    }
    const sign = newest ? -1 : 1;
    within.sort((x, y) => (x.t === y.t ? sign * (x.id - y.id) : sign * (x.t - y.t)));
    for (let i = offset - before; i < offset - before + (end - offset); i++)
      page.push((within[i] as { id: number }).id);
  }
  const total = n + undatedIds.length;
  for (let i = Math.max(offset, n); i < Math.min(offset + limit, total); i++)
    page.push(undatedIds[i - n] as number);
  return { ids: page, months, total, undated: undatedIds.length };
}

function lowerBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function upperBound(sorted: Float64Array, value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
