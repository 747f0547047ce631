/** Geometry of the virtualised thumbnail grid: which rows exist in the DOM for a scroll position. */

/** Inputs: the viewport, the scroll offset and how many cells there are. */
export interface GridInput {
  width: number;
  height: number;
  scrollTop: number;
  count: number;
  /** Smallest cell edge in px; cells grow to fill the row. */
  minCell: number;
  gap: number;
  /** Extra rows rendered above and below the viewport. */
  overscan: number;
}

/** Result: square cells of `cell` px, rows `row` px apart, rows [firstRow, lastRow) rendered. */
export interface GridLayout {
  columns: number;
  cell: number;
  row: number;
  rows: number;
  totalHeight: number;
  firstRow: number;
  lastRow: number;
}

/** The layout for one viewport; O(1) whatever the count, so 100,000 results cost what 100 do. */
export function gridLayout(g: GridInput): GridLayout {
  const width = Math.max(g.width, g.minCell);
  const columns = Math.max(1, Math.floor((width + g.gap) / (g.minCell + g.gap)));
  const cell = Math.floor((width - g.gap * (columns - 1)) / columns);
  const row = cell + g.gap;
  const rows = Math.ceil(g.count / columns);
  const totalHeight = rows === 0 ? 0 : rows * row - g.gap;
  const firstRow = Math.max(0, Math.floor(g.scrollTop / row) - g.overscan);
  const lastRow = Math.min(rows, Math.ceil((g.scrollTop + g.height) / row) + g.overscan);
  return { columns, cell, row, rows, totalHeight, firstRow, lastRow };
}

/** Keys that move the grid's cursor. */
export type GridKey =
  'ArrowLeft' | 'ArrowRight' | 'ArrowUp' | 'ArrowDown' | 'Home' | 'End' | 'PageUp' | 'PageDown';

/** Whether a key name moves the cursor. */
export function isGridKey(key: string): key is GridKey {
  return ['ArrowLeft', 'ArrowRight', 'ArrowUp', 'ArrowDown', 'Home', 'End', 'PageUp', 'PageDown'].includes(
    key,
  );
}

/** The cursor after a key, clamped to [0, count); `pageRows` rows per PageUp/PageDown. */
export function moveCursor(
  index: number,
  key: GridKey,
  columns: number,
  count: number,
  pageRows: number,
): number {
  if (count === 0) return -1;
  if (index < 0) return key === 'End' ? count - 1 : 0;
  const step: Record<GridKey, number> = {
    ArrowLeft: -1,
    ArrowRight: 1,
    ArrowUp: -columns,
    ArrowDown: columns,
    PageUp: -columns * Math.max(1, pageRows),
    PageDown: columns * Math.max(1, pageRows),
    Home: -Infinity,
    End: Infinity,
  };
  const next = index + step[key];
  if (key === 'ArrowDown' || key === 'PageDown')
    return next < count ? next : Math.max(index, Math.min(next, count - 1));
  if (key === 'ArrowUp' || key === 'PageUp') return next >= 0 ? next : index % columns;
  return Math.min(count - 1, Math.max(0, next));
}

/** The scrollTop that brings row `rowIndex` fully into view, or null when it already is. */
export function scrollToRow(
  rowIndex: number,
  layout: Pick<GridLayout, 'row' | 'cell'>,
  scrollTop: number,
  height: number,
): number | null {
  const top = rowIndex * layout.row;
  const bottom = top + layout.cell;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + height) return Math.max(0, bottom - height);
  return null;
}
