import type { ApiResult, ResultView, TagChangeView, TagView } from '../../../contract/api.ts';
import {
  EMPTY_SELECTION,
  NO_NAMES,
  choose,
  selectAll,
  toggled,
  type Modifiers,
  type Selection,
} from '../lib/selection.ts';
import { tagTree } from '../lib/tag-tree.ts';
import { settle } from './result.ts';
import { ViewState } from './view-state.ts';

// NOTE: enough photos to tag a whole event at once; the grid is virtualised.
const LIMIT = 5000;

/** Whether `name` is `root` or a tag below it, case-insensitively. */
const isUnder = (name: string, root: string): boolean =>
  name.toLowerCase() === root.toLowerCase() || name.toLowerCase().startsWith(`${root.toLowerCase()}/`);

/**
 * The Tags view: all tags as a tree, photos found by phrase or tag, multi-select and bulk add/remove, and
 * renaming, merging and deleting tags, each with Undo (a toast's button, or Ctrl+Z).
 */
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
  /** The tags as an indented tree, parents first. */
  tree = $derived(tagTree(this.tags));

  /** The tag being renamed in place, and the name typed so far. */
  editing = $state<string | null>(null);
  editText = $state('');
  /** Tags ticked to merge. */
  marked = $state.raw<ReadonlySet<string>>(NO_NAMES);
  /** The tag whose deletion waits for the user's yes. */
  confirmingDelete = $state<string | null>(null);
  /** The newest change made here that can be undone (Ctrl+Z). */
  lastChange = $state.raw<TagChangeView | null>(null);

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

  /** How many photos carry `name` or a tag below it as a tag given in Glint (at most: a photo may carry several). */
  userCountUnder(name: string): number {
    return this.tags.filter((t) => isUnder(t.name, name)).reduce((n, t) => n + t.userCount, 0);
  }

  /** Photos with `name` from their XMP/IPTC keywords only, which rename, merge and delete leave as they are. */
  metadataOnly(name: string): number {
    const tag = this.tags.find((t) => t.name === name);
    return tag ? tag.count - tag.userCount : 0;
  }

  /** Starts renaming a tag in place. */
  startRename(name: string): void {
    this.editing = name;
    this.editText = name;
  }

  /** Leaves the name as it was. */
  cancelRename(): void {
    this.editing = null;
  }

  /** Renames the tag being edited to the name typed (onto a name in use, it merges). */
  async commitRename(): Promise<void> {
    const from = this.editing;
    const to = this.editText.trim();
    if (from === null) return;
    if (!to || to === from) {
      this.editing = null;
      return;
    }
    const change = await this.#apply(this.api.renameTag({ from, to }));
    if (!change) return;
    this.editing = null;
    if (this.activeTag && isUnder(this.activeTag, from))
      await this.showTag(to + this.activeTag.slice(from.length));
  }

  /** Ticks or unticks a tag for merging. */
  toggleMark(name: string): void {
    this.marked = toggled(this.marked, name);
  }

  /** Unticks every tag. */
  clearMarks(): void {
    this.marked = NO_NAMES;
  }

  /** Merges the ticked tags (or `sources`) into `into`. */
  async merge(into: string, sources: readonly string[] = [...this.marked]): Promise<void> {
    const name = into.trim();
    if (!name || sources.length === 0) return;
    const change = await this.#apply(this.api.mergeTags({ sources: [...sources], into: name }));
    if (!change) return;
    this.marked = NO_NAMES;
    if (this.activeTag && sources.some((s) => isUnder(this.activeTag ?? '', s))) await this.showTag(name);
  }

  /** Asks before deleting a tag (the view shows the question). */
  askDelete(name: string): void {
    this.confirmingDelete = name;
  }

  /** Keeps the tag. */
  cancelDelete(): void {
    this.confirmingDelete = null;
  }

  /** Deletes the tag the user said yes to (it and the tags below it, from every photo). */
  async confirmDelete(): Promise<void> {
    const name = this.confirmingDelete;
    if (name === null) return;
    this.confirmingDelete = null;
    const change = await this.#apply(this.api.deleteTag({ name }));
    if (change && this.activeTag && isUnder(this.activeTag, name)) await this.showTag(null);
  }

  /** Undoes a change (the newest made here when `token` is omitted). */
  async undo(token = this.lastChange?.token): Promise<void> {
    if (token === undefined) return;
    const res = await settle(this.api.undoTagChange({ token }), this.toasts);
    if (!res) return;
    if (this.lastChange?.token === token) this.lastChange = null;
    this.toasts.show(`${res.summary}.`);
    await this.refresh();
    this.onChanged();
    if (this.activeTag) await this.find();
  }

  async #apply(call: Promise<ApiResult<TagChangeView>>): Promise<TagChangeView | null> {
    const change = await settle(call, this.toasts);
    if (!change) return null;
    this.lastChange = change;
    const kept = change.metadataKept
      ? ` ${change.metadataKept.toLocaleString()} XMP/IPTC keywords keep the old name: they live in the files.`
      : '';
    this.toasts.show(`${change.summary}.${kept}`, 'info', {
      label: 'Undo',
      run: () => void this.undo(change.token),
    });
    await this.refresh();
    this.onChanged();
    return change;
  }
}
