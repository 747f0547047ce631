import type { MonthBucket, ResultView } from '../../../contract/api.ts';
import { FilterState } from './filters.svelte.ts';
import { settle } from './result.ts';
import { ViewState } from './view-state.ts';

// NOTE: 500 photos a page is a few screens at any width and a ~60 KB answer; pages load as they come into view.
/** Photos asked for per timeline call. */
export const TIMELINE_PAGE = 500;

/** Which end of time comes first. */
export type TimelineOrder = 'newest' | 'oldest';

/**
 * The Timeline view: the whole library by date, without a query. The month counts come with the first
 * page, so the grid lays out every photo at once; photos arrive a page at a time as they come into view
 * (or as the scrubber jumps), into one list that keeps its identity so an open lightbox sees them too.
 */
export class TimelineState extends ViewState {
  readonly filter = new FilterState();
  order = $state<TimelineOrder>('newest');
  months = $state.raw<MonthBucket[]>([]);
  total = $state(0);
  undated = $state(0);
  loaded = $state(false);
  busy = $state(false);
  cursor = $state(-1);
  /** Bumped whenever `photos` gains a page (the list is filled in place). */
  version = $state(0);
  /** The photos in order; not yet loaded ones are holes. */
  photos: ResultView[] = [];

  /** The index of each month's first photo. */
  starts = $derived.by(() => {
    const out: number[] = [];
    let n = 0;
    for (const m of this.months) {
      out.push(n);
      n += m.count;
    }
    return out;
  });

  #seq = 0;
  /** Pages asked for (by page number); bookkeeping that nothing renders, so not state. */
  #pages: boolean[] = [];

  /** Loads the timeline from the top with the current order and filters (nothing when the filters are invalid). */
  async load(): Promise<void> {
    const seq = ++this.#seq;
    this.#pages = [];
    if (this.filter.error) {
      this.photos = [];
      this.months = [];
      this.total = 0;
      this.undated = 0;
      this.cursor = -1;
      this.loaded = true;
      this.version++;
      return;
    }
    this.busy = true;
    this.#pages[0] = true;
    const res = await settle(
      this.api.timeline({ filters: this.filter.filters, order: this.order, offset: 0, limit: TIMELINE_PAGE }),
      this.toasts,
    );
    if (seq !== this.#seq) return;
    this.busy = false;
    this.loaded = true;
    const photos = new Array<ResultView>(res?.total ?? 0);
    res?.photos.forEach((p, i) => (photos[i] = p));
    this.photos = photos;
    this.months = res?.months ?? [];
    this.total = res?.total ?? 0;
    this.undated = res?.undated ?? 0;
    this.cursor = this.total ? Math.min(Math.max(this.cursor, 0), this.total - 1) : -1;
    this.version++;
  }

  /** Loads the pages that hold photos [first, last] (each page once). */
  ensure(first: number, last: number): void {
    if (!this.loaded || this.total === 0) return;
    const lo = Math.max(0, Math.floor(first / TIMELINE_PAGE));
    const hi = Math.min(
      Math.floor((this.total - 1) / TIMELINE_PAGE),
      Math.floor(Math.max(first, last) / TIMELINE_PAGE),
    );
    for (let page = lo; page <= hi; page++) {
      if (!this.#pages[page]) void this.#loadPage(page);
    }
  }

  /** Loads photos [first, last] and waits for them (a selection reaching photos not shown yet). */
  async fill(first: number, last: number): Promise<void> {
    if (!this.loaded || this.total === 0) return;
    const hi = Math.min(Math.floor((this.total - 1) / TIMELINE_PAGE), Math.floor(last / TIMELINE_PAGE));
    for (let page = Math.max(0, Math.floor(first / TIMELINE_PAGE)); page <= hi; page++)
      if (this.photos[page * TIMELINE_PAGE] === undefined) await this.#loadPage(page);
  }

  async #loadPage(page: number): Promise<void> {
    const seq = this.#seq;
    this.#pages[page] = true;
    const offset = page * TIMELINE_PAGE;
    const res = await settle(
      this.api.timeline({ filters: this.filter.filters, order: this.order, offset, limit: TIMELINE_PAGE }),
      this.toasts,
    );
    if (seq !== this.#seq) return;
    if (!res) {
      this.#pages[page] = false;
      return;
    }
    // The library changed under the timeline (a photo came or went): start again with the new counts.
    if (res.total !== this.total) {
      void this.load();
      return;
    }
    res.photos.forEach((p, i) => (this.photos[offset + i] = p));
    this.version++;
  }

  /** The index of the first photo of month `i` (of `months`). */
  monthStart(i: number): number {
    return this.starts[i] ?? 0;
  }

  /** Switches between newest and oldest first. */
  setOrder(order: TimelineOrder): void {
    if (order === this.order) return;
    this.order = order;
    this.cursor = 0;
    void this.load();
  }

  /** Filters changed: reloads, unless they are invalid (then the inputs say why and nothing is asked). */
  applyFilters(): void {
    this.cursor = 0;
    void this.load();
  }

  /** The library changed: reloads if the timeline was shown already. */
  refresh(): void {
    if (this.loaded) void this.load();
  }
}
