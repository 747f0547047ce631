import type { GlintApi, ResultView } from '../../../contract/api.ts';
import { EMPTY_SELECTION, choose, selectAll, type Modifiers, type Selection } from '../lib/selection.ts';
import { settle } from './result.ts';
import type { Toasts } from './toasts.svelte.ts';
import { ViewState } from './view-state.ts';

/** The photos a selection's indexes point into; a timeline's may have holes (photos not loaded yet). */
export type PhotoList = ReadonlyArray<ResultView | undefined>;

/**
 * A multi-selection of photos in a grid (the search results, the timeline) and tagging it: Ctrl-click and
 * Shift-click start it from the photo under the cursor, a plain click ends it (the cursor is the
 * selection again). It belongs to the list it was made on: a new result list has nothing selected.
 */
export class PhotoSelection extends ViewState {
  selection = $state.raw<Selection>(EMPTY_SELECTION);
  /** The tag typed in the selection bar. */
  tag = $state('');
  busy = $state(false);
  /** Called after tags changed (the tag list, retraining counts). */
  onChanged: () => void = () => {};

  readonly #list: () => PhotoList;
  readonly #cursor: () => number;
  readonly #fill: (first: number, last: number) => Promise<void>;
  #of = $state.raw<PhotoList | null>(null);

  /**
   * `list` and `cursor` read the grid's photos and cursor; `fill` loads photos not loaded yet (the
   * timeline's), so a selection reaching them can still be tagged.
   */
  constructor(
    api: GlintApi,
    toasts: Toasts,
    list: () => PhotoList,
    cursor: () => number,
    fill: (first: number, last: number) => Promise<void> = async () => {},
  ) {
    super(api, toasts);
    this.#list = list;
    this.#cursor = cursor;
    this.#fill = fill;
  }

  /** Whether photos are multi-selected in the list shown now. */
  get active(): boolean {
    return this.selection.selected.size > 0 && this.#of === this.#list();
  }
  /** The selected indexes for the grid, or undefined when the cursor is the selection. */
  get selected(): ReadonlySet<number> | undefined {
    return this.active ? this.selection.selected : undefined;
  }
  /** How many photos are selected. */
  get count(): number {
    return this.active ? this.selection.selected.size : 0;
  }

  /** A click or key in the grid: Ctrl/Shift extend from the cursor's photo; a plain one clears. */
  choose(index: number, mods: Modifiers): void {
    if (!mods.shift && !mods.toggle) {
      this.clear();
      return;
    }
    const cursor = this.#cursor();
    const base: Selection = this.active
      ? this.selection
      : cursor >= 0 && cursor !== index
        ? choose(EMPTY_SELECTION, cursor)
        : EMPTY_SELECTION;
    this.selection = choose(base, index, mods);
    this.#of = this.#list();
  }

  /** Selects every photo of the list (`count` of them; the timeline knows its count before its photos). */
  selectAll(count = this.#list().length): void {
    this.selection = selectAll(count);
    this.#of = this.#list();
  }

  /** Ends the selection. */
  clear(): void {
    this.selection = EMPTY_SELECTION;
    this.#of = null;
  }

  /** The ids of the selected photos, loading any the list has not loaded yet. */
  async ids(): Promise<number[]> {
    const indexes = [...this.selection.selected].sort((a, b) => a - b);
    if (!this.active || indexes.length === 0) return [];
    const list = this.#list();
    if (indexes.some((i) => list[i] === undefined)) await this.#fill(indexes[0] ?? 0, indexes.at(-1) ?? 0);
    return indexes.map((i) => this.#list()[i]?.id).filter((id) => id !== undefined);
  }

  /** Adds the tag to every selected photo. */
  async add(tag = this.tag): Promise<void> {
    await this.#change(tag, 'add');
  }

  /** Removes the tag (given in Glint) from every selected photo. */
  async remove(tag = this.tag): Promise<void> {
    await this.#change(tag, 'remove');
  }

  async #change(tag: string, how: 'add' | 'remove'): Promise<void> {
    const name = tag.trim();
    if (!name || this.busy) return;
    this.busy = true;
    try {
      const ids = await this.ids();
      if (ids.length === 0) return;
      const res = await settle(
        how === 'add' ? this.api.tagItems({ ids, tag: name }) : this.api.untagItems({ ids, tag: name }),
        this.toasts,
      );
      if (!res) return;
      this.tag = '';
      const n = ids.length.toLocaleString();
      this.toasts.show(
        how === 'add'
          ? `Tagged ${n} photos “${name}” (${res.changed.toLocaleString()} new).`
          : `Removed “${name}” from ${res.changed.toLocaleString()} of ${n} photos.`,
      );
      this.onChanged();
    } finally {
      this.busy = false;
    }
  }
}
