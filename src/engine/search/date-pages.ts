/** One page of many matches in date order, with the month counts of all of them. */
import type { MonthCount } from '../store/timeline.ts';

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
 * id, newest or oldest first, and returns the items at [offset, offset + limit) with every month's count.
 * Nothing is sorted but the page: each date is put in its calendar month (this machine's time zone) by a
 * binary search over the month starts, the months' counts say which months the page spans, and only the
 * items of those months are ordered. At 130,000 matches that is ~5 ms where a full sort costs ~40.
 */
export function datePage(
  ids: ArrayLike<number>,
  dates: Float64Array,
  order: 'newest' | 'oldest',
  offset: number,
  limit: number,
): DatePage {
  let min = Infinity;
  let max = -Infinity;
  const undatedIds: number[] = [];
  for (let i = 0; i < dates.length; i++) {
    const t = dates[i] as number;
    if (Number.isNaN(t)) undatedIds.push(ids[i] as number);
    else {
      if (t < min) min = t;
      if (t > max) max = t;
    }
  }
  const n = dates.length - undatedIds.length;
  const starts = n ? monthStarts(min, max) : [];
  const bucket = new Uint32Array(dates.length);
  const counts = new Array<number>(starts.length).fill(0);
  for (let i = 0; i < dates.length; i++) {
    const t = dates[i] as number;
    if (Number.isNaN(t)) continue;
    const b = upperBound(starts, t) - 1;
    bucket[i] = b;
    counts[b] = (counts[b] as number) + 1;
  }
  const newest = order === 'newest';
  // Months in the page's order, without the empty ones.
  const inOrder: number[] = [];
  for (let k = 0; k < starts.length; k++) {
    const b = newest ? starts.length - 1 - k : k;
    if (counts[b]) inOrder.push(b);
  }
  const months = inOrder.map((b): MonthCount => {
    const d = new Date(starts[b] as number);
    return { year: d.getFullYear(), month: d.getMonth() + 1, count: counts[b] as number };
  });
  const page: number[] = [];
  const end = Math.min(offset + limit, n);
  if (offset < end) {
    // The months the page spans (in page order), and how many items come before the first of them.
    let before = 0;
    let k = 0;
    while (before + (counts[inOrder[k] as number] as number) <= offset)
      before += counts[inOrder[k++] as number] as number;
    const spanned = new Set<number>();
    for (let seen = before; seen < end; k++) {
      spanned.add(inOrder[k] as number);
      seen += counts[inOrder[k] as number] as number;
    }
    const within: Array<{ id: number; t: number }> = [];
    for (let i = 0; i < dates.length; i++) {
      const t = dates[i] as number;
      if (!Number.isNaN(t) && spanned.has(bucket[i] as number)) within.push({ id: ids[i] as number, t });
    }
    const sign = newest ? -1 : 1;
    within.sort((x, y) => (x.t === y.t ? sign * (x.id - y.id) : sign * (x.t - y.t)));
    for (let i = offset - before; i < end - before; i++) page.push((within[i] as { id: number }).id);
  }
  const total = n + undatedIds.length;
  for (let i = Math.max(offset, n); i < Math.min(offset + limit, total); i++)
    page.push(undatedIds[i - n] as number);
  return { ids: page, months, total, undated: undatedIds.length };
}

/** The start of every calendar month (local time) from the one holding `min` to the one holding `max`. */
function monthStarts(min: number, max: number): number[] {
  const out: number[] = [];
  const first = new Date(min);
  let year = first.getFullYear();
  let month = first.getMonth();
  for (;;) {
    const d = new Date(2000, month, 1);
    // NOTE: `new Date(y, …)` maps years 0–99 to 1900–1999; setFullYear puts the year in as given.
    d.setFullYear(year);
    const at = d.getTime();
    if (at > max) break;
    out.push(at);
    month++;
    if (month === 12) {
      month = 0;
      year++;
    }
  }
  return out;
}

/** The first index whose value is greater than `value` (`sorted` ascending). */
function upperBound(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
