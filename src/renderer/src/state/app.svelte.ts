import type { AppInfo, GlintApi, GlintEvent, IndexProgressEvent, StatusView } from '../../../contract/api.ts';
import { LibraryState } from './library.svelte.ts';
import { LightboxState } from './lightbox.svelte.ts';
import { PhotoSelection } from './photo-selection.svelte.ts';
import { RetrainState } from './retrain.svelte.ts';
import { settle } from './result.ts';
import { SearchState } from './search.svelte.ts';
import { SettingsState } from './settings.svelte.ts';
import { SuggestionsState } from './suggestions.svelte.ts';
import { TagsState } from './tags.svelte.ts';
import { TimelineState } from './timeline.svelte.ts';
import { Toasts } from './toasts.svelte.ts';
import type { UrlState } from '../lib/url-state.ts';

/** The app's views, in navigation order. */
export const VIEWS = ['search', 'timeline', 'library', 'tags', 'suggestions', 'retrain', 'settings'] as const;
/** One view. */
export type ViewName = (typeof VIEWS)[number];

// NOTE: progress events can arrive dozens of times a second; counts are re-read at most twice a second.
const STATUS_THROTTLE_MS = 500;
/** How often an unreachable host is tried again. */
export const RETRY_MS = 3_000;

/** The root state: the API, the current view, the library status, and every view's state. */
export class AppState {
  readonly api: GlintApi;
  readonly toasts = new Toasts();
  readonly search: SearchState;
  readonly timeline: TimelineState;
  readonly library: LibraryState;
  readonly tags: TagsState;
  readonly retrain: RetrainState;
  readonly suggestions: SuggestionsState;
  readonly settings: SettingsState;
  readonly lightbox: LightboxState;
  /** The photos multi-selected in the search results, to tag together. */
  readonly searchSelection: PhotoSelection;
  /** The photos multi-selected in the timeline, to tag together. */
  readonly timelineSelection: PhotoSelection;

  view = $state<ViewName>('search');
  info = $state.raw<AppInfo | null>(null);
  status = $state.raw<StatusView | null>(null);
  /** False until the first status arrived (so empty states do not flash). */
  ready = $state(false);
  /** Whether the host answers: 'ok', 'expired' (a stale or wrong link), or 'offline' (retrying). */
  connection = $state<'ok' | 'expired' | 'offline'>('ok');

  /** Whether the library has no folders yet: the first-run state every view points at. */
  get isNew(): boolean {
    return this.ready && this.library.loaded && this.library.folders.length === 0;
  }
  /** Indexing progress while files are still being indexed, else null. */
  get indexing(): IndexProgressEvent | null {
    const p = this.library.progress;
    return p && p.done < p.total ? p : null;
  }
  /** Whether a native folder dialog exists (Electron), else the Library asks for a typed path. */
  get canPickFolder(): boolean {
    return this.info?.shell === 'electron';
  }

  #statusTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(api: GlintApi) {
    this.api = api;
    this.search = new SearchState(api, this.toasts);
    this.timeline = new TimelineState(api, this.toasts);
    this.library = new LibraryState(api, this.toasts);
    this.tags = new TagsState(api, this.toasts);
    this.retrain = new RetrainState(api, this.toasts);
    this.suggestions = new SuggestionsState(api, this.toasts);
    this.settings = new SettingsState(api, this.toasts);
    this.lightbox = new LightboxState(api, this.toasts);
    const search = this.search;
    this.searchSelection = new PhotoSelection(
      api,
      this.toasts,
      // In date order the list is filled in place a page at a time, as the timeline's.
      () => {
        if (search.order === 'relevance') return search.photos;
        void search.dated.version;
        return search.dated.photos;
      },
      () => search.cursor,
      (first, last) => (search.order === 'relevance' ? Promise.resolve() : search.dated.fill(first, last)),
    );
    const timeline = this.timeline;
    this.timelineSelection = new PhotoSelection(
      api,
      this.toasts,
      // The timeline fills its list in place: reading `version` re-reads it when a page arrives.
      () => {
        void timeline.version;
        return timeline.photos;
      },
      () => timeline.cursor,
      (first, last) => timeline.fill(first, last),
    );
    const tagsChanged = (): void => {
      void this.tags.refresh();
      void this.retrain.refresh();
    };
    this.lightbox.onTagsChanged = tagsChanged;
    this.tags.onChanged = tagsChanged;
    this.searchSelection.onChanged = tagsChanged;
    this.timelineSelection.onChanged = tagsChanged;
    this.suggestions.onChanged = tagsChanged;
    this.library.onChanged = () => void this.refreshStatus();
    // Back from the lightbox, the grid's cursor is on the photo last shown, not the first one.
    this.lightbox.onClosed = (list, index) => {
      if (list === this.search.photos || list === this.search.dated.photos) this.search.cursor = index;
      else if (list === this.timeline.photos) this.timeline.cursor = index;
    };
    this.search.onSearched = () => this.#navigated();
    this.timeline.onLoaded = () => this.#navigated();
    this.toasts.onConnection = (code) => this.#lost(code);
  }

  #retryTimer: ReturnType<typeof setTimeout> | undefined;

  #lost(code: string): void {
    if (code === 'link-expired') {
      this.connection = 'expired';
      return;
    }
    this.connection = 'offline';
    // NOTE: retried every few seconds; everything on screen stays until the host answers again.
    if (this.#retryTimer) return;
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = undefined;
      void this.refreshStatus();
    }, RETRY_MS);
  }

  /** Called when what the address should hold changed (a view switch, a search shown). */
  onNavigate: (state: UrlState) => void = () => {};
  #applying = false;

  #navigated(): void {
    if (!this.#applying) this.onNavigate(this.urlState());
  }

  /** The view, the query (words and indexed photos), the filters and the radius, as the address holds them. */
  urlState(): UrlState {
    const s = this.search;
    if (this.view === 'timeline') {
      const t = this.timeline;
      return { view: this.view, ...t.filter.toUrl(), ...(t.order === 'oldest' ? { order: 'oldest' } : {}) };
    }
    const state: UrlState = { view: this.view };
    if (this.view !== 'search') return state;
    if (s.text.trim()) state.q = s.text.trim();
    const like = s.chips.flatMap((c) =>
      'itemId' in c.query ? [{ id: c.query.itemId, weight: c.weight }] : [],
    );
    if (like.length) state.like = like;
    Object.assign(state, s.filter.toUrl());
    if (s.reach !== undefined) state.radius = s.reach;
    if (s.order !== 'relevance') state.order = s.order;
    return state;
  }

  /** Comes back to an address's state (a reload, Back or Forward): the view, and the search it names. */
  async applyUrl(state: UrlState): Promise<void> {
    const s = this.search;
    this.#applying = true;
    try {
      this.lightbox.close();
      this.view = (VIEWS as readonly string[]).includes(state.view) ? (state.view as ViewName) : 'search';
      if (this.view === 'timeline') {
        const t = this.timeline;
        if (JSON.stringify(this.urlState()) === JSON.stringify(state) && t.loaded) return;
        t.filter.fromUrl(state);
        t.order = state.order ?? 'newest';
        await t.load();
        return;
      }
      if (this.view === 'suggestions') void this.suggestions.refresh();
      if (this.view !== 'search') return;
      const same = JSON.stringify(this.urlState()) === JSON.stringify({ ...state, view: 'search' });
      if (same && s.searched) return;
      s.text = state.q ?? '';
      s.filter.fromUrl(state);
      s.reach = state.radius;
      s.order = state.order ?? 'relevance';
      s.chips = (state.like ?? []).map(({ id, weight }) => ({
        name: `Photo ${id}`,
        preview: this.api.mediaUrl('thumb', id),
        query: { itemId: id },
        weight,
      }));
      for (const [i, { id }] of (state.like ?? []).entries()) void this.#nameChip(i, id);
      if (s.text || s.chips.length) await s.run();
      else s.reset();
    } finally {
      this.#applying = false;
    }
  }

  /** A chip restored from an address gets its photo's file name once the host says it. */
  async #nameChip(index: number, id: number): Promise<void> {
    const res = await this.api.item({ id }).catch(() => null);
    const chip = this.search.chips[index];
    if (!res?.ok || !chip || !('itemId' in chip.query) || chip.query.itemId !== id) return;
    const name = res.value.path.split(/[\\/]/).pop() ?? chip.name;
    this.search.chips = this.search.chips.map((c, i) => (i === index ? { ...c, name } : c));
  }

  /** Loads everything and subscribes to host events; returns the unsubscribe. */
  start(): () => void {
    const off = this.api.onEvent((e) => this.onEvent(e));
    void (async () => {
      this.info = await settle(this.api.appInfo(), this.toasts);
      await Promise.all([
        this.refreshStatus(),
        this.library.refresh(),
        this.settings.refresh(),
        this.tags.refresh(),
        this.search.loadPlaces(),
      ]);
      this.ready = true;
      void this.retrain.refresh();
    })();
    return off;
  }

  /** Re-reads the library counts. */
  async refreshStatus(): Promise<void> {
    const status = await settle(this.api.status(), this.toasts);
    if (status && this.connection === 'offline') {
      // Back: what changed while the host was away is read again.
      this.connection = 'ok';
      void this.library.refresh();
      void this.tags.refresh();
    }
    if (status) {
      this.status = status;
      this.library.ingest = status.ingest;
      if (status.indexing) this.library.progress = status.indexing;
    }
  }

  #throttledStatus(): void {
    if (this.#statusTimer) return;
    this.#statusTimer = setTimeout(() => {
      this.#statusTimer = undefined;
      void this.refreshStatus();
      void this.library.refresh();
    }, STATUS_THROTTLE_MS);
  }

  /** Routes one host event to the views it concerns. */
  onEvent(e: GlintEvent): void {
    switch (e.type) {
      case 'index-progress':
        this.library.progress = e.progress;
        this.#throttledStatus();
        break;
      case 'index-idle':
        if (this.library.progress) {
          this.library.progress = {
            ...this.library.progress,
            done: this.library.progress.total,
            etaSeconds: 0,
          };
        }
        void this.refreshStatus();
        void this.library.refresh();
        void this.tags.refresh();
        this.timeline.refresh();
        break;
      case 'ingest-state':
        this.library.ingest = e.state;
        break;
      case 'file-error':
        this.library.pushError(e.error);
        this.#throttledStatus();
        break;
      case 'library-changed':
        void this.refreshStatus();
        void this.library.refresh();
        void this.tags.refresh();
        void this.search.loadPlaces();
        this.timeline.refresh();
        break;
      case 'train-stage':
        // The quick head may have just become the active one: the status bar shows the head in use.
        this.retrain.onEvent(e);
        void this.refreshStatus();
        break;
      case 'train-phase':
      case 'train-progress':
      case 'train-done':
      case 'train-failed':
        this.retrain.onEvent(e);
        break;
      case 'models-progress':
      case 'sidecar-progress':
      case 'rehash-progress':
        this.settings.onEvent(e);
        break;
      case 'notice': {
        // NOTE: the contract ends a model download with a notice (no dedicated event), failure or success;
        // a failure is shown in full in Settings, so it gets no toast.
        const failed = /fail/i.test(e.message);
        const downloading = this.settings.downloading;
        if (downloading) void this.settings.downloadEnded(failed ? e.message : undefined);
        if (!(downloading && failed)) this.toasts.show(e.message);
        break;
      }
    }
  }

  /** Switches view (closing the lightbox). */
  go(view: ViewName): void {
    this.lightbox.close();
    if (this.view === view) return;
    this.view = view;
    if (view === 'suggestions') void this.suggestions.refresh();
    this.#navigated();
  }
}
