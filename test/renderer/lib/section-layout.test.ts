import { describe, expect, it } from 'vitest';
import {
  placeOf,
  sectionAt,
  sectionLayout,
  sectionOf,
  visible,
} from '../../../src/renderer/src/lib/section-layout.ts';

// NOTE: 3 columns of 100 px cells with 10 px gaps (width 320), 40 px headers.
const layout = (counts: number[]) => sectionLayout({ width: 320, counts, minCell: 100, gap: 10, header: 40 });

describe('section layout', () => {
  it('stacks each section as a header and its rows', () => {
    const l = layout([4, 3, 1]);
    expect([l.columns, l.cell, l.row]).toEqual([3, 100, 110]);
    expect(l.starts).toEqual([0, 4, 7]);
    // 4 items take 2 rows, 3 take 1, 1 takes 1.
    expect(l.tops).toEqual([0, 40 + 220, 260 + 40 + 110]);
    expect(l.totalHeight).toBe(410 + 40 + 110);
    expect(layout([])).toMatchObject({ tops: [], totalHeight: 0 });
  });

  it('places items and finds sections by height and by index', () => {
    const l = layout([4, 3, 1]);
    expect(placeOf(l, 0)).toEqual({ index: 0, top: 40, left: 0 });
    expect(placeOf(l, 3)).toEqual({ index: 3, top: 150, left: 0 });
    expect(placeOf(l, 6)).toEqual({ index: 6, top: 300, left: 220 });
    expect(placeOf(l, 7)).toEqual({ index: 7, top: 450, left: 0 });
    expect([sectionAt(l, 0), sectionAt(l, 259), sectionAt(l, 260), sectionAt(l, 9999)]).toEqual([0, 0, 1, 2]);
    expect([sectionOf(l, 3), sectionOf(l, 4), sectionOf(l, 7)]).toEqual([0, 1, 2]);
  });

  it('draws only what is in view', () => {
    const l = layout([4, 3, 1]);
    const top = visible(l, 0, 100);
    expect(top.headers).toEqual([{ section: 0, top: 0 }]);
    expect(top.cells.map((c) => c.index)).toEqual([0, 1, 2]);
    const middle = visible(l, 200, 320);
    expect(middle.headers).toEqual([{ section: 1, top: 260 }]);
    expect(middle.cells.map((c) => c.index)).toEqual([3, 4, 5, 6]);
    expect([middle.first, middle.last]).toEqual([3, 6]);
  });

  it('stays cheap at 100,000 items in 120 months', () => {
    const counts = Array.from({ length: 120 }, (_, i) => (i === 119 ? 100_000 - 119 * 833 : 833));
    const l = sectionLayout({ width: 1200, counts, minCell: 150, gap: 6, header: 40 });
    expect(l.starts.at(-1)! + counts.at(-1)!).toBe(100_000);
    const y = l.tops[60]! + 5;
    const v = visible(l, y, y + 800);
    expect(v.headers[0]).toEqual({ section: 60, top: l.tops[60] });
    expect(v.first).toBe(l.starts[60]);
    expect(v.cells.length).toBeLessThan(100);
  });
});
