import { describe, expect, it } from 'vitest';
import { gridLayout, isGridKey, moveCursor, scrollToRow } from '../../../src/renderer/src/lib/grid-layout.ts';

const base = { width: 1000, height: 600, scrollTop: 0, count: 100_000, minCell: 150, gap: 6, overscan: 3 };

describe('gridLayout', () => {
  it('fits as many minimum-size columns as the width allows and grows cells to fill the row', () => {
    const g = gridLayout(base);
    // 6 columns: 6·150 + 5·6 = 930 ≤ 1000 < 7·150 + 6·6 = 1086.
    expect(g.columns).toBe(6);
    expect(g.cell).toBe(Math.floor((1000 - 5 * 6) / 6));
    expect(g.cell * 6 + 5 * 6).toBeLessThanOrEqual(1000);
    expect(g.row).toBe(g.cell + 6);
  });

  it('renders only the rows in view plus the overscan, wherever the scroll is, at 100,000 results', () => {
    const top = gridLayout(base);
    expect(top.firstRow).toBe(0);
    expect(top.lastRow).toBe(Math.ceil(600 / top.row) + 3);
    const rows = Math.ceil(100_000 / 6);
    expect(top.rows).toBe(rows);
    expect(top.totalHeight).toBe(rows * top.row - 6);

    const mid = gridLayout({ ...base, scrollTop: 500_000 });
    const rendered = (mid.lastRow - mid.firstRow) * mid.columns;
    expect(mid.firstRow).toBe(Math.floor(500_000 / mid.row) - 3);
    expect(rendered).toBeLessThan(100);

    const end = gridLayout({ ...base, scrollTop: top.totalHeight - 600 });
    expect(end.lastRow).toBe(rows);
  });

  it('has one column in a narrow viewport and nothing to render with no results', () => {
    expect(gridLayout({ ...base, width: 100 }).columns).toBe(1);
    const empty = gridLayout({ ...base, count: 0 });
    expect(empty.totalHeight).toBe(0);
    expect(empty.lastRow).toBe(0);
  });
});

describe('moveCursor', () => {
  it('moves by one cell and by one row, and stays inside the results', () => {
    expect(moveCursor(5, 'ArrowRight', 4, 10, 2)).toBe(6);
    expect(moveCursor(0, 'ArrowLeft', 4, 10, 2)).toBe(0);
    expect(moveCursor(1, 'ArrowDown', 4, 10, 2)).toBe(5);
    expect(moveCursor(5, 'ArrowUp', 4, 10, 2)).toBe(1);
    expect(moveCursor(9, 'ArrowRight', 4, 10, 2)).toBe(9);
  });

  it('goes to the last result when the row below is short, and to the first row from above', () => {
    // 10 results in 4 columns: the last row holds 8 and 9; down from 7 lands on 9.
    expect(moveCursor(7, 'ArrowDown', 4, 10, 2)).toBe(9);
    expect(moveCursor(9, 'ArrowDown', 4, 10, 2)).toBe(9);
    expect(moveCursor(2, 'ArrowUp', 4, 10, 2)).toBe(2);
  });

  it('pages by whole screens and jumps to the ends', () => {
    expect(moveCursor(1, 'PageDown', 4, 100, 3)).toBe(13);
    expect(moveCursor(13, 'PageUp', 4, 100, 3)).toBe(1);
    expect(moveCursor(50, 'Home', 4, 100, 3)).toBe(0);
    expect(moveCursor(50, 'End', 4, 100, 3)).toBe(99);
  });

  it('starts at the first result and has nowhere to go without results', () => {
    expect(moveCursor(-1, 'ArrowDown', 4, 10, 2)).toBe(0);
    expect(moveCursor(-1, 'End', 4, 10, 2)).toBe(9);
    expect(moveCursor(-1, 'ArrowDown', 4, 0, 2)).toBe(-1);
  });
});

describe('scrollToRow', () => {
  const layout = { row: 106, cell: 100 };
  it('scrolls up or down just enough to show a row, and not at all when it is visible', () => {
    expect(scrollToRow(2, layout, 0, 400)).toBeNull();
    expect(scrollToRow(5, layout, 0, 400)).toBe(5 * 106 + 100 - 400);
    expect(scrollToRow(1, layout, 300, 400)).toBe(106);
    expect(scrollToRow(0, layout, 0, 50)).toBe(50);
  });
});

describe('isGridKey', () => {
  it('knows the keys that move the cursor and no others', () => {
    for (const k of ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown'])
      expect(isGridKey(k), k).toBe(true);
    for (const k of ['Enter', ' ', 'a', 'Tab', 'arrowleft']) expect(isGridKey(k), k).toBe(false);
  });
});
