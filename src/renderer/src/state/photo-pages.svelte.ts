import type { MonthBucket, ResultView } from '../../../contract/api.ts';

// NOTE: 500 photos a page is a few screens at any width and a ~60 KB answer; pages load as they come into view.
/** Photos asked for per page of a date-ordered list (the timeline, a search in date order). */
export const DATE_PAGE = 500;

/** What one page call answers: the page's photos, and how many photos and months the whole list has. */
export interface DatePageAnswer {
  photos: ResultView[];
  total: number;
  months: MonthBucket[];
}

/** Asks for the photos at [offset, offset + limit) of the list; null when the call failed (said elsewhere). */
export type DatePageFetch = (offset: number, limit: number) => Promise<DatePageAnswer | null>;

/**
 * A long date-ordered list of photos loaded a page at a time, for the timeline grid: the month counts come
 * with the first page, so the grid lays out every photo at once; the other pages arrive as they come into
 * view, into one list that keeps its identity (an open lightbox sees them too). The timeline and a search
 * in date order both page through one of these.
 */
export class PhotoPages {
  months = $state.raw<MonthBucket[]>([]);
  total = $state(0);
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

  /** Called when a later page shows the list changed under it (a photo came or went): start again. */
  onChanged: () => void = () => {};

  #seq = 0;
  #fetch: DatePageFetch | undefined;
  /** Pages asked for (by page number); bookkeeping that nothing renders, so not state. */
  #pages: boolean[] = [];

  /** Starts the list over from its first page (null: nothing to show), with how to ask for the others. */
  show(first: DatePageAnswer | null, fetch: DatePageFetch | undefined): void {
    ++this.#seq;
    this.#fetch = fetch;
    this.#pages = first ? [true] : [];
    const photos = new Array<ResultView>(first?.total ?? 0);
    first?.photos.forEach((p, i) => (photos[i] = p));
    this.photos = photos;
    this.months = first?.months ?? [];
    this.total = first?.total ?? 0;
    this.version++;
  }

  /** Loads the pages that hold photos [first, last] (each page once). */
  ensure(first: number, last: number): void {
    if (!this.#fetch || this.total === 0) return;
    const lo = Math.max(0, Math.floor(first / DATE_PAGE));
    const hi = Math.min(
      Math.floor((this.total - 1) / DATE_PAGE),
      Math.floor(Math.max(first, last) / DATE_PAGE),
    );
    for (let page = lo; page <= hi; page++) if (!this.#pages[page]) void this.#load(page, this.#fetch);
  }

  /** Loads photos [first, last] and waits for them (a selection reaching photos not shown yet). */
  async fill(first: number, last: number): Promise<void> {
    const fetch = this.#fetch;
    if (!fetch || this.total === 0) return;
    const hi = Math.min(Math.floor((this.total - 1) / DATE_PAGE), Math.floor(last / DATE_PAGE));
    for (let page = Math.max(0, Math.floor(first / DATE_PAGE)); page <= hi; page++)
      if (this.photos[page * DATE_PAGE] === undefined) await this.#load(page, fetch);
  }

  /** The index of the first photo of month `i` (of `months`). */
  monthStart(i: number): number {
    return this.starts[i] ?? 0;
  }

  async #load(page: number, fetch: DatePageFetch): Promise<void> {
    const seq = this.#seq;
    this.#pages[page] = true;
    const offset = page * DATE_PAGE;
    const res = await fetch(offset, DATE_PAGE);
    if (seq !== this.#seq) return;
    if (!res) {
      this.#pages[page] = false;
      return;
    }
    if (res.total !== this.total) {
      this.onChanged();
      return;
    }
    res.photos.forEach((p, i) => (this.photos[offset + i] = p));
    this.version++;
  }
}
