import { describe, expect, it } from 'vitest';
import { EMPTY_SELECTION, choose, selectAll } from '../../../src/renderer/src/lib/selection.ts';

const sorted = (s: ReadonlySet<number>): number[] => [...s].sort((a, b) => a - b);

describe('selection', () => {
  it('a plain click selects one result and makes it the anchor', () => {
    const s = choose(choose(EMPTY_SELECTION, 3), 5);
    expect(sorted(s.selected)).toEqual([5]);
    expect(s.anchor).toBe(5);
  });

  it('ctrl/cmd-click toggles one result and keeps the rest', () => {
    let s = choose(EMPTY_SELECTION, 2);
    s = choose(s, 6, { toggle: true });
    expect(sorted(s.selected)).toEqual([2, 6]);
    s = choose(s, 2, { toggle: true });
    expect(sorted(s.selected)).toEqual([6]);
  });

  it('shift-click selects the range from the anchor, in either direction, replacing the rest', () => {
    let s = choose(EMPTY_SELECTION, 4);
    s = choose(s, 7, { shift: true });
    expect(sorted(s.selected)).toEqual([4, 5, 6, 7]);
    s = choose(s, 2, { shift: true });
    expect(sorted(s.selected)).toEqual([2, 3, 4]);
    expect(s.anchor).toBe(4);
  });

  it('ctrl+shift-click adds a range to what is selected', () => {
    let s = choose(EMPTY_SELECTION, 0);
    s = choose(s, 5, { toggle: true });
    s = choose(s, 7, { shift: true, toggle: true });
    expect(sorted(s.selected)).toEqual([0, 5, 6, 7]);
  });

  it('shift without an anchor acts as a plain click; select all covers every result', () => {
    expect(sorted(choose(EMPTY_SELECTION, 3, { shift: true }).selected)).toEqual([3]);
    expect(selectAll(4).selected.size).toBe(4);
    expect(selectAll(0)).toEqual({ selected: new Set(), anchor: -1 });
  });

  it('never changes the selection it was given (state replaces it whole)', () => {
    const before = choose(choose(EMPTY_SELECTION, 1), 3, { toggle: true });
    const copy = sorted(before.selected);
    choose(before, 1, { toggle: true });
    choose(before, 6, { shift: true, toggle: true });
    choose(before, 9);
    expect(sorted(before.selected)).toEqual(copy);
    expect(EMPTY_SELECTION.selected.size).toBe(0);
  });
});
