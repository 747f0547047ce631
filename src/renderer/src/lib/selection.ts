/** Multi-selection over a list of results: click, ctrl/cmd-click toggles, shift-click selects a range. */

/** A selection: the chosen indexes and the anchor that shift extends from. */
export interface Selection {
  selected: ReadonlySet<number>;
  anchor: number;
}

/** Modifier keys held during a click or a key press. */
export interface Modifiers {
  shift?: boolean;
  toggle?: boolean;
}

/** The empty selection. */
export const EMPTY_SELECTION: Selection = { selected: new Set(), anchor: -1 };

function range(a: number, b: number): number[] {
  const [lo, hi] = a <= b ? [a, b] : [b, a];
  return Array.from({ length: hi - lo + 1 }, (_, i) => lo + i);
}

/** The selection after choosing `index` with modifiers (as file managers do). */
export function choose(sel: Selection, index: number, mods: Modifiers = {}): Selection {
  if (mods.shift && sel.anchor >= 0) {
    const next = mods.toggle ? new Set(sel.selected) : new Set<number>();
    for (const i of range(sel.anchor, index)) next.add(i);
    return { selected: next, anchor: sel.anchor };
  }
  if (mods.toggle) {
    const next = new Set(sel.selected);
    if (next.has(index)) next.delete(index);
    else next.add(index);
    return { selected: next, anchor: index };
  }
  return { selected: new Set([index]), anchor: index };
}

/** Everything from 0 to count-1. */
export function selectAll(count: number): Selection {
  return count > 0
    ? { selected: new Set(range(0, count - 1)), anchor: 0 }
    : { selected: new Set(), anchor: -1 };
}

/** A set with `value` added, or taken out when it was in (a new set: state holds immutable ones). */
export function toggled<T>(set: ReadonlySet<T>, value: T): ReadonlySet<T> {
  const next = new Set(set);
  if (next.has(value)) next.delete(value);
  else next.add(value);
  return next;
}

/** The empty set of names. */
export const NO_NAMES: ReadonlySet<string> = new Set();
