/** The small inline charts' scales, paths and ticks. */
import { describe, expect, it } from 'vitest';
import { extent, linePath, ticks } from '../../../src/renderer/src/lib/chart.ts';

describe('chart', () => {
  it('pads the extent and gives a flat series a band', () => {
    expect(extent([0, 10])).toEqual([-0.5, 10.5]);
    expect(extent([2, 2])).toEqual([1.45, 2.55]);
    expect(extent([])).toEqual([0, 1]);
    expect(extent([Number.NaN, Number.POSITIVE_INFINITY])).toEqual([0, 1]);
    expect(extent([Number.NaN, 0, 10])).toEqual([-0.5, 10.5]);
  });

  it('maps points into the box with y up and skips non-finite values', () => {
    const d = linePath(
      [
        { x: 0, y: 0 },
        { x: 1, y: Number.NaN },
        { x: 2, y: 1 },
      ],
      100,
      50,
      [0, 2],
      [0, 1],
    );
    expect(d).toBe('M0.0,50.0 L100.0,0.0');
    // The first finite point starts the path even when the first point was skipped.
    expect(
      linePath(
        [
          { x: 0, y: Number.NaN },
          { x: 1, y: 0.5 },
        ],
        10,
        10,
        [0, 2],
        [0, 1],
      ),
    ).toBe('M5.0,5.0');
    expect(linePath([], 10, 10, [0, 1], [0, 1])).toBe('');
  });

  it('draws an empty domain without dividing by zero', () => {
    expect(linePath([{ x: 3, y: 3 }], 10, 10, [3, 3], [3, 3])).toBe('M0.0,10.0');
  });

  it('picks round ticks, whole numbers when asked', () => {
    expect(ticks([0, 1], 4)).toEqual([0, 0.5, 1]);
    expect(ticks([0, 1], 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(ticks([0, 2], 5, 1)).toEqual([0, 1, 2]);
    expect(ticks([3, 3])).toEqual([3]);
    expect(ticks([5, 1])).toEqual([5]);
    expect(ticks([-0.5, 10.5], 4)).toEqual([0, 5, 10]);
    // Steps that are not exact in binary come out clean.
    expect(ticks([0, 0.3], 3)).toEqual([0, 0.1, 0.2, 0.3]);
  });
});
