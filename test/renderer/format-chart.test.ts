import { describe, expect, it } from 'vitest';
import { extent, linePath, ticks } from '../../src/renderer/src/lib/chart.ts';
import { baseName, formatBytes, formatEta, formatPlace, plural } from '../../src/renderer/src/lib/format.ts';
import { groupLosses } from '../../src/renderer/src/lib/loss-groups.ts';

describe('format', () => {
  it('writes ETAs in seconds, minutes or hours', () => {
    expect(formatEta(null)).toBe('estimating…');
    expect(formatEta(42.4)).toBe('42 s');
    expect(formatEta(150)).toBe('3 min');
    expect(formatEta(3900)).toBe('1 h 05 min');
  });

  it('writes sizes in decimal units, places with hemispheres, counts with plurals', () => {
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1_500_000)).toBe('1.5 MB');
    expect(formatBytes(605_000_000)).toBe('605 MB');
    expect(formatPlace(48.85837, -2.294481)).toBe('48.8584° N, 2.2945° W');
    expect(formatPlace(undefined, 3)).toBe('—');
    expect(plural(1, 'photo')).toBe('1 photo');
    expect(plural(2, 'photo')).toBe('2 photos');
    expect(baseName('/a/b/c.jpg')).toBe('c.jpg');
    expect(baseName('C:\\x\\y.txt')).toBe('y.txt');
  });
});

describe('chart', () => {
  it('pads the extent and gives a flat series a band', () => {
    expect(extent([0, 10])).toEqual([-0.5, 10.5]);
    expect(extent([2, 2])).toEqual([1.45, 2.55]);
    expect(extent([])).toEqual([0, 1]);
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
  });

  it('picks round ticks, whole numbers when asked', () => {
    expect(ticks([0, 1], 4)).toEqual([0, 0.5, 1]);
    expect(ticks([0, 1], 5)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(ticks([0, 2], 5, 1)).toEqual([0, 1, 2]);
    expect(ticks([3, 3])).toEqual([3]);
  });
});

describe('groupLosses', () => {
  it('draws one chart per phase, leaves out the parts of hl and all-zero terms, keeps unknown names', () => {
    const p = (...ys: number[]) => ys.map((y, x) => ({ x, y }));
    const groups = groupLosses({
      hl: p(2, 1),
      real: p(1, 0.5),
      syn: p(1, 0.5),
      sp1: p(0.3, 0.2),
      sp2: p(0, 0),
      go: p(0, 0),
      is: p(0, 0),
      sp: p(0, 0),
      cd: p(0, 0),
      extra: p(5, 4),
    });
    expect(groups.map((g) => g.title)).toEqual(['Hash losses']);
    expect(groups[0]!.series.map((s) => s.name)).toEqual(['hl', 'sp1', 'extra']);
    expect(groups[0]!.series.map((s) => s.label)).toEqual(['hl (triplet)', 'sp1 (labels, codes)', 'extra']);
  });
});
