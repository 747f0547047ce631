import type { SearchFilters } from '../../../contract/api.ts';
import { dayBound } from '../lib/day-bound.ts';
import type { UrlState } from '../lib/url-state.ts';

/** What the filter inputs say when From is after To (the host refuses such a range too). */
export const FROM_AFTER_TO_MESSAGE =
  'The From date is after the To date: choose a From date on or before it.';

/**
 * Date range, tags, folder and place as the filter inputs hold them, shared by every view that filters
 * photos (search and timeline, through one filter bar): the contract's filters, how many are active, why
 * they cannot be used (From after To), and their part of the address.
 */
export class FilterState {
  fromDay = $state('');
  toDay = $state('');
  tags = $state<string[]>([]);
  folderId = $state<number | null>(null);
  /** A place's label from `listPlaces`, or ''. */
  place = $state('');
  open = $state(false);

  /** The filters as the contract wants them. */
  filters = $derived.by((): SearchFilters => {
    const f: SearchFilters = {};
    const from = dayBound(this.fromDay, false);
    const to = dayBound(this.toDay, true);
    if (from !== undefined) f.from = from;
    if (to !== undefined) f.to = to;
    if (this.tags.length) f.tags = [...this.tags];
    if (this.folderId !== null) f.folderId = this.folderId;
    if (this.place) f.place = this.place;
    return f;
  });
  /** Why these filters cannot be searched with, or '' when they can. */
  error = $derived.by((): string => {
    const { from, to } = this.filters;
    return from !== undefined && to !== undefined && from > to ? FROM_AFTER_TO_MESSAGE : '';
  });
  /** Whether a date bound is set (undated items are then left out). */
  dated = $derived(this.fromDay !== '' || this.toDay !== '');
  active = $derived(
    (this.fromDay ? 1 : 0) +
      (this.toDay ? 1 : 0) +
      this.tags.length +
      (this.folderId !== null ? 1 : 0) +
      (this.place ? 1 : 0),
  );

  /**
   * Names of the filters set that only photos have (date, tags, place), e.g. "dates and places"; '' when none.
   * Notes and captions are narrowed by the folder alone, and the notes column says so in these words.
   */
  photoOnly = $derived.by((): string => {
    const names = [
      ...(this.dated ? ['dates'] : []),
      ...(this.tags.length ? ['tags'] : []),
      ...(this.place ? ['places'] : []),
    ];
    return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names.at(-1)}` : (names[0] ?? '');
  });

  /** Adds a tag filter (once). */
  addTag(tag: string): void {
    if (tag && !this.tags.includes(tag)) this.tags = [...this.tags, tag];
  }

  /** Removes a tag filter. */
  removeTag(tag: string): void {
    this.tags = this.tags.filter((t) => t !== tag);
  }

  /** Clears every filter. */
  clear(): void {
    this.fromDay = '';
    this.toDay = '';
    this.tags = [];
    this.folderId = null;
    this.place = '';
  }

  /** These filters' part of the address. */
  toUrl(): Pick<UrlState, 'from' | 'to' | 'tags' | 'folder' | 'place'> {
    const state: Pick<UrlState, 'from' | 'to' | 'tags' | 'folder' | 'place'> = {};
    if (this.fromDay) state.from = this.fromDay;
    if (this.toDay) state.to = this.toDay;
    if (this.tags.length) state.tags = [...this.tags];
    if (this.folderId !== null) state.folder = this.folderId;
    if (this.place) state.place = this.place;
    return state;
  }

  /** Takes the filters an address holds (absent ones cleared). */
  fromUrl(state: UrlState): void {
    this.fromDay = state.from ?? '';
    this.toDay = state.to ?? '';
    this.tags = state.tags ?? [];
    this.folderId = state.folder ?? null;
    this.place = state.place ?? '';
  }
}
