import { describe, expect, it } from 'vitest';
import { dayBound } from '../../../src/renderer/src/lib/day-bound.ts';

describe('dayBound', () => {
  it('reads day bounds in local time and ignores what is not a date', () => {
    expect(dayBound('', false)).toBeUndefined();
    expect(dayBound('garbage', true)).toBeUndefined();
    expect(dayBound('2021-03-04', false)).toBe(new Date(2021, 2, 4).getTime());
  });

  it('ends a day at its last millisecond', () => {
    expect(dayBound('2021-03-04', true)).toBe(new Date(2021, 2, 4, 23, 59, 59, 999).getTime());
  });
});
