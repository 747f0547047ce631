/**
 * The one typed API contract between Glint's UI and its engine host. Types and channel names only.
 * In Electron, preload implements `GlintApi` over IPC (contextBridge, `window.glint`); in a browser,
 * `glint serve` implements the same methods over HTTP (`POST /api/<method>`) and events over SSE.
 * Every payload is validated by the host (main process or server) before it reaches the engine.
 */

/** Methods of `GlintApi` that take a request and return a promise; the IPC channel is `glint:<name>`. */
export const METHODS = [
  'appInfo',
  'status',
  'listFolders',
  'addFolder',
  'removeFolder',
  'reindex',
  'pickFolder',
  'search',
  'searchImage',
  'item',
  'listTags',
  'tagItems',
  'untagItems',
  'listErrors',
  'reveal',
  'openExternal',
  'trainingInfo',
  'startTraining',
  'cancelTraining',
  'listHeads',
  'activateHead',
  'rollbackHead',
  'getSettings',
  'setSettings',
  'modelsStatus',
  'pullModels',
] as const;

/** One API method name. */
export type MethodName = (typeof METHODS)[number];

/** The IPC channel of a method. */
export const channelOf = (method: MethodName): string => `glint:${method}`;

/** The IPC channel main pushes events on. */
export const EVENT_CHANNEL = 'glint:event';

/** What the UI learns about the running app. */
export interface AppInfo {
  name: string;
  version: string;
  platform: string;
  /** 'electron' or 'browser' (glint serve): the UI hides what a transport cannot do (e.g. native dialogs). */
  shell: 'electron' | 'browser';
}

/** An expected failure, carried as a value; `message` says what to do. */
export interface ApiError {
  code: string;
  message: string;
}

/** Every method resolves to this: a value or an expected error (bugs reject). */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ApiError };

/** Library-wide counts and state, for the status bar and the Library view. */
export interface StatusView {
  library: string;
  modelId: string;
  standin: boolean;
  head: { id: string; kind: string; bits: number };
  photos: number;
  noteChunks: number;
  captions: number;
  files: number;
  errors: number;
  queued: number;
  running: number;
  indexing: IndexProgressEvent | null;
}

/** A library folder. */
export interface FolderView {
  id: number;
  path: string;
  addedAt: number;
  files: number;
}

/** Filters a search by capture date (ms epoch, inclusive), tags (all must match) and folder. */
export interface SearchFilters {
  from?: number;
  to?: number;
  tags?: string[];
  folderId?: number;
}

/** A text search. */
export interface SearchRequest {
  text: string;
  target: 'photos' | 'notes';
  /** How many results (1–100,000). */
  limit?: number;
  filters?: SearchFilters;
}

/** One result: enough to draw a grid cell or a note row; details come from `item(id)`. */
export interface ResultView {
  id: number;
  kind: 'photo' | 'note_chunk' | 'caption';
  distance: number;
  /** File name (not the full path) for labels. */
  name: string;
  text?: string;
  takenAt?: number;
  width?: number;
  height?: number;
}

/** Search results, best first. */
export interface SearchResponse {
  results: ResultView[];
  tookMs: number;
}

/** An image query: an indexed photo by id, or an image dropped or pasted by the user (its bytes). */
export type ImageQuery = { itemId: number } | { bytes: Uint8Array; name: string };

/** What belongs with an image: notes and captions (image→text) and similar photos (image→image). */
export interface ImageSearchResponse {
  notes: ResultView[];
  photos: ResultView[];
  tookMs: number;
}

/** Everything the lightbox shows about one item. */
export interface ItemDetail {
  id: number;
  kind: 'photo' | 'note_chunk' | 'caption';
  path: string;
  folder: string | null;
  takenAt?: number;
  lat?: number;
  lon?: number;
  width?: number;
  height?: number;
  text?: string;
  /** Caption items of this photo (XMP/IPTC description). */
  caption?: string;
  tags: Array<{ name: string; source: 'xmp' | 'iptc' | 'user' }>;
}

/** A tag and how many photos carry it. */
export interface TagView {
  name: string;
  count: number;
  /** Where it comes from: metadata tags cannot be removed in Glint (they live in the files). */
  sources: Array<'xmp' | 'iptc' | 'user'>;
}

/** A recorded per-file error. */
export interface ErrorView {
  path: string;
  stage: string;
  code: string | null;
  message: string;
  at: number;
}

/** What retraining would use, and whether it is available. */
export interface TrainingInfo {
  available: boolean;
  /** Why not, and what to do (e.g. "tag at least 20 photos"). */
  reason?: string;
  taggedPhotos: number;
  tags: Array<{ name: string; count: number }>;
}

/** Options of a retraining run. */
export interface TrainingRequest {
  bits?: 16 | 32 | 64 | 128;
  epochs?: number;
  device?: 'cpu' | 'cuda';
}

/** How one retraining stage's head compared with the head active when it finished (validation mAP). */
export interface TrainStageView {
  head: HeadView;
  activated: boolean;
  before: number;
  after: number;
}

/** A hash head the library has. */
export interface HeadView {
  id: string;
  kind: string;
  bits: number;
  createdAt: number;
  active: boolean;
  metrics?: Record<string, unknown>;
}

/** User settings. */
export interface Settings {
  bits: 16 | 32 | 64 | 128;
  device: 'cpu' | 'cuda';
  modelsDir: string;
  theme: 'system' | 'light' | 'dark';
}

/** Whether CLIP models are present, and what the first-run download would fetch. */
export interface ModelsStatus {
  dir: string;
  state: 'complete' | 'incomplete' | 'absent' | 'standin';
  bytesToDownload: number;
}

/** Indexing progress. */
export interface IndexProgressEvent {
  done: number;
  total: number;
  failed: number;
  path?: string;
  /** Files per second over the last seconds, and the estimated seconds left. */
  rate: number;
  etaSeconds: number | null;
}

/** Events the host pushes to the UI. */
export type GlintEvent =
  | { type: 'index-progress'; progress: IndexProgressEvent }
  | { type: 'index-idle' }
  | { type: 'file-error'; error: ErrorView }
  | { type: 'library-changed' }
  | {
      type: 'train-progress';
      epoch: number;
      epochs: number;
      step: number;
      steps: number;
      losses: Record<string, number>;
      valMap?: number;
    }
  | { type: 'train-stage'; stage: 'quick'; outcome: TrainStageView }
  | {
      type: 'train-done';
      head: HeadView;
      activated: boolean;
      before: number;
      after: number;
      /** The quick plain-triplet stage that ran first (DGHDGH was compared with the head active after it). */
      quick?: TrainStageView;
    }
  | { type: 'train-failed'; error: ApiError }
  | { type: 'models-progress'; file: string; bytes: number; total: number | null; rate: number }
  | { type: 'notice'; message: string };

/** The API the UI uses, identical over IPC and HTTP. */
export interface GlintApi {
  appInfo(): Promise<ApiResult<AppInfo>>;
  status(): Promise<ApiResult<StatusView>>;
  listFolders(): Promise<ApiResult<FolderView[]>>;
  addFolder(req: { path: string }): Promise<ApiResult<FolderView>>;
  removeFolder(req: { id: number }): Promise<ApiResult<{ removedFiles: number }>>;
  reindex(): Promise<ApiResult<{ queued: number }>>;
  /** A native folder dialog (Electron only; the browser UI asks for a typed path instead). */
  pickFolder(): Promise<ApiResult<{ path: string | null }>>;
  search(req: SearchRequest): Promise<ApiResult<SearchResponse>>;
  searchImage(req: { query: ImageQuery; limit?: number }): Promise<ApiResult<ImageSearchResponse>>;
  item(req: { id: number }): Promise<ApiResult<ItemDetail>>;
  listTags(): Promise<ApiResult<TagView[]>>;
  tagItems(req: { ids: number[]; tag: string }): Promise<ApiResult<{ changed: number }>>;
  untagItems(req: { ids: number[]; tag: string }): Promise<ApiResult<{ changed: number }>>;
  listErrors(req: { limit?: number }): Promise<ApiResult<ErrorView[]>>;
  reveal(req: { id: number }): Promise<ApiResult<null>>;
  openExternal(req: { id: number }): Promise<ApiResult<null>>;
  trainingInfo(): Promise<ApiResult<TrainingInfo>>;
  startTraining(req: TrainingRequest): Promise<ApiResult<{ started: true }>>;
  cancelTraining(): Promise<ApiResult<null>>;
  listHeads(): Promise<ApiResult<HeadView[]>>;
  activateHead(req: { id: string }): Promise<ApiResult<HeadView>>;
  rollbackHead(): Promise<ApiResult<HeadView>>;
  getSettings(): Promise<ApiResult<Settings>>;
  setSettings(req: Partial<Settings>): Promise<ApiResult<Settings>>;
  modelsStatus(): Promise<ApiResult<ModelsStatus>>;
  pullModels(): Promise<ApiResult<{ started: true }>>;
  /** The URL of a photo's thumbnail or original, by item id only (never a path). */
  mediaUrl(kind: 'thumb' | 'original', id: number): string;
  /** Subscribes to host events; returns the unsubscribe function. */
  onEvent(listener: (event: GlintEvent) => void): () => void;
}
