import type { ItemDetail, ResultView } from '../../../contract/api.ts';
import { settle } from './result.ts';
import { ViewState } from './view-state.ts';

/** The lightbox: one item of a result list, its details, and in-place tag editing. */
export class LightboxState extends ViewState {
  list = $state.raw<ResultView[]>([]);
  index = $state(-1);
  detail = $state.raw<ItemDetail | null>(null);
  loading = $state(false);
  newTag = $state('');

  current = $derived(this.index >= 0 ? this.list[this.index] : undefined);
  isOpen = $derived(this.current !== undefined);
  hasPrev = $derived(this.index > 0);
  hasNext = $derived(this.index >= 0 && this.index < this.list.length - 1);
  /** The details of the item on screen (null while another item's are still shown). */
  shown = $derived(this.detail && this.detail.id === this.current?.id ? this.detail : null);
  /** Where the photo on screen was taken, as a line ("Lisbon, Lisbon, Portugal"); null when unnamed. */
  placeName = $derived(this.shown?.place?.label ?? null);

  /** Called after tags change so other views (tag list, retraining counts) refresh. */
  onTagsChanged: () => void = () => {};
  /** Called on close with the list and the item last shown, so the grid's cursor can stay on it. */
  onClosed: (list: ResultView[], index: number) => void = () => {};

  #seq = 0;

  /** Opens item `index` of `list`. */
  open(list: ResultView[], index: number): void {
    this.list = list;
    this.go(index);
  }

  /** Shows another item of the same list. */
  go(index: number): void {
    // A list filled in as it scrolls (the timeline) may not hold this item yet.
    if (index < 0 || index >= this.list.length || this.list[index] === undefined) return;
    this.index = index;
    this.newTag = '';
    void this.load();
  }

  /** Closes the lightbox. */
  close(): void {
    ++this.#seq;
    if (this.index >= 0) this.onClosed(this.list, this.index);
    this.index = -1;
    this.detail = null;
  }

  /** Fetches the current item's details. */
  async load(): Promise<void> {
    const item = this.current;
    if (!item) return;
    const seq = ++this.#seq;
    this.loading = true;
    const detail = await settle(this.api.item({ id: item.id }), this.toasts);
    if (seq !== this.#seq) return;
    this.loading = false;
    this.detail = detail;
  }

  /** Adds the typed tag to this photo. */
  async addTag(): Promise<void> {
    const tag = this.newTag.trim();
    const item = this.current;
    if (!tag || !item) return;
    const res = await settle(this.api.tagItems({ ids: [item.id], tag }), this.toasts);
    if (res) {
      this.newTag = '';
      await this.load();
      this.onTagsChanged();
    }
  }

  /** Removes one of the user's tags from this photo. */
  async removeTag(tag: string): Promise<void> {
    const item = this.current;
    if (!item) return;
    const res = await settle(this.api.untagItems({ ids: [item.id], tag }), this.toasts);
    if (res) {
      await this.load();
      this.onTagsChanged();
    }
  }

  /** Shows the file in the system's file manager. */
  async reveal(): Promise<void> {
    if (this.current) await settle(this.api.reveal({ id: this.current.id }), this.toasts);
  }

  /** Opens the file with the default app. */
  async openExternal(): Promise<void> {
    if (this.current) await settle(this.api.openExternal({ id: this.current.id }), this.toasts);
  }
}
