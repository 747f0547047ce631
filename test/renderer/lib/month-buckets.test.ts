import { describe, expect, it } from 'vitest';
import { monthBuckets } from '../../../src/renderer/src/lib/month-buckets.ts';

describe('monthBuckets', () => {
  it('counts runs of photos in the same local month, in the order given, skipping undated ones', () => {
    const at = (y: number, m: number, d: number) => ({ takenAt: new Date(y, m - 1, d, 12).getTime() });
    expect(monthBuckets([at(2020, 5, 30), at(2020, 5, 1), {}, at(2020, 4, 9), at(2019, 4, 9)])).toEqual([
      { year: 2020, month: 5, count: 2 },
      { year: 2020, month: 4, count: 1 },
      { year: 2019, month: 4, count: 1 },
    ]);
    expect(monthBuckets([])).toEqual([]);
  });
});
