/** Date-ordered pages of many matches, against a plain sort of all of them. */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/engine/onnx/random.ts';
import { datePage } from '../../../src/engine/search/date-pages.ts';
import { monthCounts } from '../../../src/engine/store/timeline.ts';

const local = (y: number, m: number, d: number): number => new Date(y, m - 1, d, 12).getTime();

/** The reference: every item sorted by (date, id) in the order's direction, undated ones last in input order. */
function reference(ids: number[], dates: number[], order: 'newest' | 'oldest'): number[] {
  const sign = order === 'newest' ? -1 : 1;
  const dated = ids
    .map((id, i) => ({ id, t: dates[i] as number }))
    .filter((x) => !Number.isNaN(x.t))
    .sort((a, b) => (a.t === b.t ? sign * (a.id - b.id) : sign * (a.t - b.t)));
  return [...dated.map((x) => x.id), ...ids.filter((_, i) => Number.isNaN(dates[i] as number))];
}

describe('datePage', () => {
  it('pages through every item in date order, ties by id, undated ones last, as a full sort does', () => {
    const rng = createRng(4, 'date-pages');
    const n = 3000;
    const ids = Array.from({ length: n }, (_, i) => 10 + i * 3);
    // Few distinct days, so the page bounds fall inside runs of equal dates; some undated.
    const dates = ids.map(() =>
      rng.next() < 0.05 ? NaN : local(2015 + Math.floor(rng.next() * 6), 1 + Math.floor(rng.next() * 12), 1),
    );
    for (const order of ['newest', 'oldest'] as const) {
      const want = reference(ids, dates, order);
      for (const [offset, limit] of [
        [0, 500],
        [500, 500],
        [1234, 77],
        [n - 100, 500],
        [n + 5, 10],
      ] as const) {
        const page = datePage(Float64Array.from(ids), Float64Array.from(dates), order, offset, limit);
        expect(page.ids).toEqual(want.slice(offset, offset + limit));
        expect(page.total).toBe(n);
        expect(page.undated).toBe(dates.filter(Number.isNaN).length);
      }
    }
  });

  it('gives the months of all the items, newest month first for newest first', () => {
    const dates = [local(2019, 7, 14), local(2019, 7, 20), local(2021, 1, 5), NaN, local(2018, 12, 31)];
    const ids = [1, 2, 3, 4, 5];
    const newest = datePage(Float64Array.from(ids), Float64Array.from(dates), 'newest', 0, 2);
    expect(newest.ids).toEqual([3, 2]);
    expect(newest.months).toEqual([
      { year: 2021, month: 1, count: 1 },
      { year: 2019, month: 7, count: 2 },
      { year: 2018, month: 12, count: 1 },
    ]);
    const oldest = datePage(Float64Array.from(ids), Float64Array.from(dates), 'oldest', 0, 10);
    expect(oldest.ids).toEqual([5, 1, 2, 3, 4]);
    expect(oldest.months).toEqual(monthCounts([dates[4]!, dates[0]!, dates[1]!, dates[2]!]));
    expect(datePage(new Float64Array(0), new Float64Array(0), 'newest', 0, 10)).toEqual({
      ids: [],
      months: [],
      total: 0,
      undated: 0,
    });
  });
});
