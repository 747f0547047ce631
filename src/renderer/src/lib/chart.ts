/** Scales and SVG paths for the small inline charts (loss curves, before/after metrics). */

/** A point of a series. */
export interface Point {
  x: number;
  y: number;
}

/** Extent of values with a little headroom; a flat series gets a unit-high band so it still draws. */
export function extent(values: readonly number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return [0, 1];
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (hi - lo < 1e-9) {
    lo -= 0.5;
    hi += 0.5;
  }
  // NOTE: 5% headroom keeps the highest and lowest points off the frame.
  const pad = (hi - lo) * 0.05;
  return [lo - pad, hi + pad];
}

/** An SVG path `d` for points mapped into a w×h box (y up), over the given domains. */
export function linePath(
  points: readonly Point[],
  w: number,
  h: number,
  xDomain: [number, number],
  yDomain: [number, number],
): string {
  const sx = (x: number): number => ((x - xDomain[0]) / (xDomain[1] - xDomain[0] || 1)) * w;
  const sy = (y: number): number => h - ((y - yDomain[0]) / (yDomain[1] - yDomain[0] || 1)) * h;
  return points
    .filter((p) => Number.isFinite(p.y))
    .map((p, i) => `${i === 0 ? 'M' : 'L'}${sx(p.x).toFixed(1)},${sy(p.y).toFixed(1)}`)
    .join(' ');
}

/** A few round tick values across a domain (1, 2 or 5 times a power of ten apart, at least `minStep`). */
export function ticks([lo, hi]: [number, number], count = 4, minStep = 0): number[] {
  const span = hi - lo;
  if (!(span > 0)) return [lo];
  const raw = Math.max(span / count, minStep);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? raw;
  const out: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + 1e-12; v += step) out.push(Number(v.toPrecision(12)));
  return out;
}
