/**
 * Geometry of a virtualised grid in sections (the timeline's months): each section is a header row then
 * its cells in rows of `columns`. Positions come from the section counts alone, so 100,000 photos lay
 * out without any of them loaded, and finding what is in view is a binary search.
 */
import { gridLayout } from './grid-layout.ts';

/** Inputs: the viewport width, the section sizes, and the cell and header geometry. */
export interface SectionInput {
  width: number;
  counts: readonly number[];
  /** Smallest cell edge in px; cells grow to fill the row. */
  minCell: number;
  gap: number;
  /** Height of a section header in px. */
  header: number;
}

/** Square cells of `cell` px in `columns`, rows `row` px apart, and where each section starts. */
export interface SectionLayout {
  columns: number;
  cell: number;
  row: number;
  header: number;
  gap: number;
  /** The y of each section's header. */
  tops: number[];
  /** The index of each section's first item in the whole list. */
  starts: number[];
  counts: readonly number[];
  totalHeight: number;
}

/** One cell to draw: its item index and position. */
export interface PlacedCell {
  index: number;
  top: number;
  left: number;
}

/** One header to draw: its section and y. */
export interface PlacedHeader {
  section: number;
  top: number;
}

/** The layout of every section; O(sections), whatever the item count. */
export function sectionLayout(s: SectionInput): SectionLayout {
  const { columns, cell, row } = gridLayout({
    width: s.width,
    height: 0,
    scrollTop: 0,
    count: 0,
    minCell: s.minCell,
    gap: s.gap,
    overscan: 0,
  });
  const tops: number[] = [];
  const starts: number[] = [];
  let y = 0;
  let start = 0;
  for (const count of s.counts) {
    tops.push(y);
    starts.push(start);
    y += s.header + Math.ceil(count / columns) * row;
    start += count;
  }
  return { columns, cell, row, header: s.header, gap: s.gap, tops, starts, counts: s.counts, totalHeight: y };
}

/** The last index i with `sorted[i] <= value` (0 when none is). */
function lastAtOrBelow(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) <= value) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** The section at height `y` (the one whose header is at or above it). */
export function sectionAt(l: SectionLayout, y: number): number {
  return lastAtOrBelow(l.tops, y);
}

/** The section item `index` belongs to. */
export function sectionOf(l: SectionLayout, index: number): number {
  return lastAtOrBelow(l.starts, index);
}

/** Where item `index` is drawn. */
export function placeOf(l: SectionLayout, index: number): PlacedCell {
  const s = sectionOf(l, index);
  const within = index - (l.starts[s] ?? 0);
  return {
    index,
    top: (l.tops[s] ?? 0) + l.header + Math.floor(within / l.columns) * l.row,
    left: (within % l.columns) * (l.cell + l.gap),
  };
}

/** The headers and cells within [top, bottom) of the content (the viewport plus its overscan). */
export function visible(
  l: SectionLayout,
  top: number,
  bottom: number,
): { headers: PlacedHeader[]; cells: PlacedCell[]; first: number; last: number } {
  const headers: PlacedHeader[] = [];
  const cells: PlacedCell[] = [];
  let first = -1;
  let last = -1;
  if (l.tops.length === 0) return { headers, cells, first, last };
  for (let s = sectionAt(l, Math.max(0, top)); s < l.tops.length; s++) {
    const headerTop = l.tops[s] as number;
    if (headerTop >= bottom) break;
    if (headerTop + l.header > top) headers.push({ section: s, top: headerTop });
    const rowsTop = headerTop + l.header;
    const count = l.counts[s] as number;
    const rows = Math.ceil(count / l.columns);
    const firstRow = Math.max(0, Math.floor((top - rowsTop) / l.row));
    const lastRow = Math.min(rows, Math.ceil((bottom - rowsTop) / l.row));
    for (let r = firstRow; r < lastRow; r++) {
      for (let c = 0; c < l.columns; c++) {
        const within = r * l.columns + c;
        if (within >= count) break;
        const index = (l.starts[s] as number) + within;
        if (first < 0) first = index;
        last = index;
        cells.push({ index, top: rowsTop + r * l.row, left: c * (l.cell + l.gap) });
      }
    }
  }
  return { headers, cells, first, last };
}
