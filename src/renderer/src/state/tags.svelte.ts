import type { ResultView, TagView } from '../../../contract/api.ts';
import { EMPTY_SELECTION, choose, selectAll, type Modifiers, type Selection } from '../lib/selection.ts';
import { settle } from './result.ts';
import { ViewState } from './view-state.ts';

// NOTE: enough photos to tag a whole event at once; the grid is virtualised.
const LIMIT = 5000;

/** The Tags view: all tags, photos found by phrase or tag, multi-select and bulk add/remove. */
export class TagsState extends ViewState {
  tags = $state.raw<TagView[]>([]);
  /** The tag whose photos are shown (null: the phrase decides). */
  activeTag = $state<string | null>(null);
  text = $state('');
  photos = $state.raw<ResultView[]>([]);
  busy = $state(false);
  searched = $state(false);
  selection = $state.raw<Selection>(EMPTY_SELECTION);
  cursor = $state(-1);
  bulkTag = $state('');

  selectedIds = $derived(
    [...this.selection.selected].map((i) => this.photos[i]?.id).filter((id) => id !== undefined),
  );
  /** Tags the user gave (the only ones Glint can remove; XMP/IPTC tags live in the files). */
  userTags = $derived(this.tags.filter((t) => t.sources.includes('user')));

  /** Called after tags change (retraining counts, search filter list). */
  onChanged: () => void = () => {};

  #seq = 0;

  /** Reloads the tag list. */
  async refresh(): Promise<void> {
    const tags = await settle(this.api.listTags(), this.toasts);
    if (tags) this.tags = tags;
  }

  /** Finds photos: by the phrase, within the active tag when one is chosen (its name is the phrase otherwise). */
  async find(): Promise<void> {
    const text = this.text.trim() || this.activeTag || '';
    if (!text) {
      this.photos = [];
      this.searched = false;
      return;
    }
    const seq = ++this.#seq;
    this.busy = true;
    const filters = this.activeTag ? { tags: [this.activeTag] } : {};
    const res = await settle(
      this.api.search({ text, limit: LIMIT, noteLimit: 0, filters, radius: 'all' }),
      this.toasts,
    );
    if (seq !== this.#seq) return;
    this.busy = false;
    this.searched = true;
    this.photos = res?.photos ?? [];
    this.selection = EMPTY_SELECTION;
    this.cursor = this.photos.length ? 0 : -1;
  }

  /** Shows the photos of one tag (or all again with null). */
  async showTag(tag: string | null): Promise<void> {
    this.activeTag = tag;
    await this.find();
  }

  /** Selects with click/shift/ctrl semantics. */
  choose(index: number, mods: Modifiers): void {
    this.selection = choose(this.selection, index, mods);
    this.cursor = index;
  }

  /** Selects every photo shown. */
  selectAll(): void {
    this.selection = selectAll(this.photos.length);
  }

  /** Clears the selection. */
  clearSelection(): void {
    this.selection = EMPTY_SELECTION;
  }

  /** Adds `tag` to every selected photo. */
  async addToSelection(tag = this.bulkTag): Promise<void> {
    const name = tag.trim();
    const ids = this.selectedIds;
    if (!name || ids.length === 0) return;
    const res = await settle(this.api.tagItems({ ids, tag: name }), this.toasts);
    if (!res) return;
    this.bulkTag = '';
    this.toasts.show(
      `Tagged ${ids.length.toLocaleString()} photos “${name}” (${res.changed.toLocaleString()} new).`,
    );
    await this.refresh();
    this.onChanged();
  }

  /** Removes the user tag `tag` from every selected photo. */
  async removeFromSelection(tag: string): Promise<void> {
    const ids = this.selectedIds;
    if (!tag || ids.length === 0) return;
    const res = await settle(this.api.untagItems({ ids, tag }), this.toasts);
    if (!res) return;
    this.toasts.show(`Removed “${tag}” from ${res.changed.toLocaleString()} photos.`);
    await this.refresh();
    this.onChanged();
    if (this.activeTag === tag) await this.find();
  }
}
