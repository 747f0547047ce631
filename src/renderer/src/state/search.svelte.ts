import { MAX_LIMIT, MAX_QUERY_IMAGES } from '../../../contract/limits.ts';
import { parseQueryText } from '../../../contract/query-text.ts';
import type { ImageQuery, PlaceView, ResultView, SearchResponse } from '../../../contract/api.ts';
import { DATE_PAGE, PhotoPages, type DatePageFetch } from './photo-pages.svelte.ts';
import { FilterState } from './filters.svelte.ts';
import { settle } from './result.ts';
import { ViewState } from './view-state.ts';

/** The image a search started from: an indexed photo or one dropped or pasted by the user. */
export interface ImageChip {
  name: string;
  /** A URL the chip can show (a media URL or a data: URL of the dropped bytes). */
  preview: string;
  query: ImageQuery;
  /** How much it counts beside the words (see `setWeight`). */
  weight: number;
}

// NOTE: the first page of photos; "Show more" grows it 5× at a time up to the contract's 100,000.
export const PHOTO_PAGE = 1000;
const NOTE_LIMIT = 50;
// NOTE: wait for a pause in typing before encoding the phrase (a text encoder run per keystroke is wasteful).
const DEBOUNCE_MS = 250;

/** The Search view: words and images in one query, photos in the grid and notes/captions beside them. */
export class SearchState extends ViewState {
  text = $state('');
  /** The images in the query, each with its weight. */
  chips = $state.raw<ImageChip[]>([]);
  photos = $state.raw<ResultView[]>([]);
  notes = $state.raw<ResultView[]>([]);
  tookMs = $state(0);
  busy = $state(false);
  /** Whether anything was searched yet (empty results then mean "nothing found", not "type something"). */
  searched = $state(false);
  limit = $state(PHOTO_PAGE);
  cursor = $state(-1);
  /** Date range, tags, folder and place (the filter bar's, as the timeline's). */
  readonly filter = new FilterState();
  /** The library's places with photo counts, for the place filter. */
  places = $state.raw<PlaceView[]>([]);
  /** Photo order: by relevance, or by capture date (the same results). */
  order = $state<'relevance' | 'newest' | 'oldest'>('relevance');
  /** How close results must be: undefined for the head's calibrated radius, a wider one, or 'all'. */
  reach = $state<number | 'all' | undefined>(undefined);
  /** The radius the shown photos are within, and whether none were (the nearest few are shown). */
  radius = $state(0);
  nearestOnly = $state(false);
  /** Photos the date filter left out for having no date. */
  undated = $state(0);
  bits = $state(64);

  /**
   * In date order: every match within the radius by date, under month headers, a page at a time (the
   * timeline's list); `photos` then holds the first page.
   */
  readonly dated = new PhotoPages();
  /** How many photos the results hold: all the matches in date order, the ones shown by relevance. */
  matchCount = $derived(this.order === 'relevance' ? this.photos.length : this.dated.total);
  canShowMore = $derived(
    this.order === 'relevance' && this.photos.length >= this.limit && this.limit < MAX_LIMIT,
  );
  /** Whether "show weaker matches" can widen the radius any further. */
  canWiden = $derived(this.searched && this.reach !== 'all' && this.radius < this.bits);
  /** What the search box asks to avoid (-word, -"some words"), shown under it. */
  avoided = $derived(parseQueryText(this.text).avoid);

  /** Called after each search is shown and after a reset, so the address can follow (see url-state.ts). */
  onSearched: () => void = () => {};

  #seq = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Searches after a short pause in typing. */
  schedule(): void {
    // A new phrase starts from the head's own radius again.
    this.reach = undefined;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.run(), DEBOUNCE_MS);
  }

  /**
   * Searches the box's words and the image chips together, with the filters: one call, each term
   * encoded once, photos and notes in one answer.
   */
  async run(): Promise<void> {
    clearTimeout(this.#timer);
    const text = this.text.trim();
    if (!text && !this.chips.length) {
      this.reset();
      return;
    }
    // Filters that cannot match anything (From after To) say why in the filter bar; nothing is asked.
    if (this.filter.error) return;
    const seq = ++this.#seq;
    this.busy = true;
    const request = {
      ...(text ? { text } : {}),
      ...(this.chips.length ? { images: this.chips.map((c) => ({ ...c.query, weight: c.weight })) } : {}),
      filters: this.filter.filters,
      ...this.#reach(),
      ...(this.order === 'relevance' ? {} : { order: this.order }),
    };
    const dated = this.order !== 'relevance';
    const res = await settle(
      this.api.search({ ...request, limit: dated ? DATE_PAGE : this.limit, noteLimit: NOTE_LIMIT }),
      this.toasts,
    );
    if (seq !== this.#seq) return;
    this.busy = false;
    // A failed search (said in a toast or the offline banner) leaves the last results on screen.
    if (res === null) return;
    this.searched = true;
    // Later pages of a date-ordered result ask the same query again from their offset, photos only.
    const fetch: DatePageFetch = async (offset, limit) => {
      const page = await settle(this.api.search({ ...request, offset, limit, noteLimit: 0 }), this.toasts);
      return page && { photos: page.photos, total: page.total ?? 0, months: page.months ?? [] };
    };
    this.dated.onChanged = () => void this.run();
    this.dated.show(
      dated ? { photos: res.photos, total: res.total ?? 0, months: res.months ?? [] } : null,
      dated ? fetch : undefined,
    );
    this.#show(res);
    this.onSearched();
  }

  /** Finds what belongs with one image: a new query of that image alone (the words are cleared). */
  async runImage(chip: Omit<ImageChip, 'weight'>): Promise<void> {
    this.text = '';
    this.chips = [{ ...chip, weight: 1 }];
    this.reach = undefined;
    await this.run();
  }

  /** Adds an image to the query (the words and the other images stay), keeping the last MAX_QUERY_IMAGES. */
  async addImage(chip: Omit<ImageChip, 'weight'>): Promise<void> {
    this.chips = [...this.chips, { ...chip, weight: 1 }].slice(-MAX_QUERY_IMAGES);
    this.reach = undefined;
    await this.run();
  }

  /** Removes one image from the query. */
  async removeChip(index: number): Promise<void> {
    this.chips = this.chips.filter((_, i) => i !== index);
    this.reach = undefined;
    await this.run();
  }

  /** How much an image counts: 2 (more), 1, ½ (less) or −1 (results unlike it). */
  async setWeight(index: number, weight: number): Promise<void> {
    this.chips = this.chips.map((c, i) => (i === index ? { ...c, weight } : c));
    await this.run();
  }

  /** Shows weaker matches: widens the radius by a sixteenth of the code length and searches again. */
  async showWeaker(): Promise<void> {
    this.reach = Math.min(this.bits, this.radius + Math.max(1, Math.round(this.bits / 16)));
    await this.#again();
  }

  /** Shows the nearest photos whatever their distance. */
  async showAll(): Promise<void> {
    this.reach = 'all';
    await this.#again();
  }

  #again(): Promise<void> {
    return this.run();
  }

  #reach(): { radius?: number | 'all' } {
    return this.reach === undefined ? {} : { radius: this.reach };
  }

  #show(res: SearchResponse | null): void {
    this.photos = res?.photos ?? [];
    this.notes = res?.notes ?? [];
    this.tookMs = res?.tookMs ?? 0;
    this.radius = res?.radius.photos ?? 0;
    this.nearestOnly = res?.nearestOnly.photos ?? false;
    this.bits = res?.bits ?? this.bits;
    this.undated = res?.undated ?? 0;
    this.cursor = this.photos.length ? 0 : -1;
  }

  /** Asks for five times as many photos. */
  async showMore(): Promise<void> {
    this.limit = Math.min(MAX_LIMIT, this.limit * 5);
    await this.run();
  }

  /** Back to the empty search. */
  reset(): void {
    ++this.#seq;
    clearTimeout(this.#timer);
    this.chips = [];
    this.photos = [];
    this.notes = [];
    this.dated.show(null, undefined);
    this.searched = false;
    this.busy = false;
    this.cursor = -1;
    this.limit = PHOTO_PAGE;
    this.reach = undefined;
    this.onSearched();
  }

  /** Reloads the places photos were taken at (for the place filter). */
  async loadPlaces(): Promise<void> {
    const res = await this.api.listPlaces().catch(() => null);
    if (res?.ok) this.places = res.value;
  }

  /** The filters changed: searches again (unless they cannot match anything; the bar says why). */
  applyFilters(): void {
    void this.run();
  }
}
