import type { MonthBucket, ResultView } from '../../../contract/api.ts';
import { FilterState } from './filters.svelte.ts';
import { DATE_PAGE, PhotoPages, type DatePageFetch } from './photo-pages.svelte.ts';
import { settle } from './result.ts';
import { ViewState } from './view-state.ts';

/** Photos asked for per timeline call. */
export const TIMELINE_PAGE = DATE_PAGE;

/** Which end of time comes first. */
export type TimelineOrder = 'newest' | 'oldest';

/**
 * The Timeline view: the whole library by date, without a query, loaded a page at a time (see PhotoPages:
 * the month counts come with the first page, the rest as they come into view or as the scrubber jumps).
 */
export class TimelineState extends ViewState {
  readonly filter = new FilterState();
  readonly pages = new PhotoPages();
  order = $state<TimelineOrder>('newest');
  undated = $state(0);
  loaded = $state(false);
  busy = $state(false);
  cursor = $state(-1);

  /** Called after each load (new order or filters), so the address can follow (see url-state.ts). */
  onLoaded: () => void = () => {};

  #seq = 0;

  /** The photos in order; not yet loaded ones are holes. */
  get photos(): ResultView[] {
    return this.pages.photos;
  }
  get months(): MonthBucket[] {
    return this.pages.months;
  }
  get total(): number {
    return this.pages.total;
  }
  /** Bumped whenever `photos` gains a page. */
  get version(): number {
    return this.pages.version;
  }

  /** Loads the timeline from the top with the current order and filters (nothing when the filters are invalid). */
  async load(): Promise<void> {
    const seq = ++this.#seq;
    this.pages.onChanged = () => void this.load();
    if (this.filter.error) {
      this.pages.show(null, undefined);
      this.undated = 0;
      this.cursor = -1;
      this.loaded = true;
      this.onLoaded();
      return;
    }
    this.busy = true;
    const filters = this.filter.filters;
    const order = this.order;
    const ask = (offset: number, limit: number) =>
      settle(this.api.timeline({ filters, order, offset, limit }), this.toasts);
    const fetch: DatePageFetch = ask;
    const res = await ask(0, TIMELINE_PAGE);
    if (seq !== this.#seq) return;
    this.busy = false;
    this.loaded = true;
    this.pages.show(res, fetch);
    this.undated = res?.undated ?? 0;
    this.cursor = this.total ? Math.min(Math.max(this.cursor, 0), this.total - 1) : -1;
    this.onLoaded();
  }

  /** Loads the pages that hold photos [first, last] (each page once). */
  ensure(first: number, last: number): void {
    if (this.loaded) this.pages.ensure(first, last);
  }

  /** Loads photos [first, last] and waits for them (a selection reaching photos not shown yet). */
  async fill(first: number, last: number): Promise<void> {
    if (this.loaded) await this.pages.fill(first, last);
  }

  /** The index of the first photo of month `i` (of `months`). */
  monthStart(i: number): number {
    return this.pages.monthStart(i);
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
