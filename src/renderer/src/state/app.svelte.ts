import type { AppInfo, GlintApi, GlintEvent, IndexProgressEvent, StatusView } from '../../../contract/api.ts';
import { LibraryState } from './library.svelte.ts';
import { LightboxState } from './lightbox.svelte.ts';
import { RetrainState } from './retrain.svelte.ts';
import { settle } from './result.ts';
import { SearchState } from './search.svelte.ts';
import { SettingsState } from './settings.svelte.ts';
import { TagsState } from './tags.svelte.ts';
import { TimelineState } from './timeline.svelte.ts';
import { Toasts } from './toasts.svelte.ts';

/** The app's views, in navigation order. */
export const VIEWS = ['search', 'timeline', 'library', 'tags', 'retrain', 'settings'] as const;
/** One view. */
export type ViewName = (typeof VIEWS)[number];

// NOTE: progress events can arrive dozens of times a second; counts are re-read at most twice a second.
const STATUS_THROTTLE_MS = 500;

/** The root state: the API, the current view, the library status, and every view's state. */
export class AppState {
  readonly api: GlintApi;
  readonly toasts = new Toasts();
  readonly search: SearchState;
  readonly timeline: TimelineState;
  readonly library: LibraryState;
  readonly tags: TagsState;
  readonly retrain: RetrainState;
  readonly settings: SettingsState;
  readonly lightbox: LightboxState;

  view = $state<ViewName>('search');
  info = $state.raw<AppInfo | null>(null);
  status = $state.raw<StatusView | null>(null);
  /** False until the first status arrived (so empty states do not flash). */
  ready = $state(false);

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
    this.settings = new SettingsState(api, this.toasts);
    this.lightbox = new LightboxState(api, this.toasts);
    const tagsChanged = (): void => {
      void this.tags.refresh();
      void this.retrain.refresh();
    };
    this.lightbox.onTagsChanged = tagsChanged;
    this.tags.onChanged = tagsChanged;
    this.library.onChanged = () => void this.refreshStatus();
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
      ]);
      this.ready = true;
      void this.retrain.refresh();
    })();
    return off;
  }

  /** Re-reads the library counts. */
  async refreshStatus(): Promise<void> {
    const status = await settle(this.api.status(), this.toasts);
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
        this.timeline.refresh();
        break;
      case 'train-stage':
        // The quick head may have just become the active one: the status bar shows the head in use.
        this.retrain.onEvent(e);
        void this.refreshStatus();
        break;
      case 'train-progress':
      case 'train-done':
      case 'train-failed':
        this.retrain.onEvent(e);
        break;
      case 'models-progress':
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
    this.view = view;
  }
}
