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
  'folderRemovalPreview',
  'restoreFolder',
  'reindex',
  'pauseIndexing',
  'resumeIndexing',
  'cancelIndexing',
  'pickFolder',
  'search',
  'timeline',
  'item',
  'listTags',
  'tagItems',
  'untagItems',
  'renameTag',
  'mergeTags',
  'deleteTag',
  'undoTagChange',
  'listTagChanges',
  'listPlaces',
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
  'sidecarStatus',
  'writeSidecars',
  'listSuggestions',
  'acceptSuggestions',
  'rejectSuggestions',
  'undoSuggestions',
  'acceptSuggestedTag',
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
  /** What indexing is doing: idle, running, or paused by the user. */
  ingest: IngestState;
  /** User tags kept for photos that left the library, waiting for them to come back. */
  keptTags: { tags: number; photos: number; days: number };
}

/** What indexing is doing. */
export type IngestState = 'idle' | 'running' | 'paused';

/** Whether Glint could read a folder: ok, offline (missing, drive not mounted) or unreadable (permissions). */
export type FolderState = 'ok' | 'offline' | 'unreadable';

/** A library folder. */
export interface FolderView {
  id: number;
  path: string;
  addedAt: number;
  files: number;
  state: FolderState;
  /** Why the folder is offline or unreadable, in words for the user. */
  stateReason: string | null;
  /** Since when (ms epoch), when not ok. */
  stateSince: number | null;
}

/** What removing a folder takes out of the library (the files on disk stay). */
export interface FolderRemoval {
  files: number;
  photos: number;
  notes: number;
  /** User tags on its photos; they are kept for when the photos come back. */
  userTags: number;
}

/** Filters a search by capture date (ms epoch, inclusive), tags (all must match), folder and place. */
export interface SearchFilters {
  from?: number;
  to?: number;
  tags?: string[];
  folderId?: number;
  /**
   * Photos taken at a place: one name that is the city, region or country ("Lisbon", "japan"; accents
   * and case aside), or a place's `label` from `listPlaces` ("Lisbon, Lisbon, Portugal").
   */
  place?: string;
}

/**
 * One search, for every view: a phrase and/or images (indexed photos or dropped ones), with filters.
 * Photos and notes come back together from one encoding of the query.
 */
export interface SearchRequest {
  /** The search box: words to look for, and -word or -"some words" to avoid (see query-text.ts). */
  text?: string;
  images?: ImageQuery[];
  /** How many photos (1–100,000; default DEFAULT_LIMIT). */
  limit?: number;
  /** How many notes and captions (0–100,000; default DEFAULT_NOTE_LIMIT). */
  noteLimit?: number;
  /** Date range, tags and place restrict the photos; the folder restricts photos and notes. */
  filters?: SearchFilters;
  /**
   * How close a result must be: absent, the head's calibrated radius (the matches; the nearest 20 when
   * nothing is that close); a number of bits to widen or narrow it; 'all' for the nearest `limit`.
   */
  radius?: number | 'all';
  /**
   * Photo order: by relevance (default: the nearest `limit`), or by capture date: then the photos are
   * every match within the radius in date order, `limit` of them from `offset` on (a page), and the
   * response says how many match in all and their months.
   */
  order?: 'relevance' | 'newest' | 'oldest';
  /** In date order: photos to skip (default 0). */
  offset?: number;
}

/**
 * Where a photo's date came from: its EXIF (or IPTC) metadata, XMP (embedded or a sidecar), a date in its
 * file name, or the file's modification time.
 */
export type TakenSource = 'exif' | 'xmp' | 'filename' | 'mtime';

/** One result: enough to draw a grid cell or a note row; details come from `item(id)`. */
export interface ResultView {
  id: number;
  kind: 'photo' | 'note_chunk' | 'caption';
  distance: number;
  /** File name (not the full path) for labels. */
  name: string;
  text?: string;
  takenAt?: number;
  /** Where `takenAt` came from (every photo has a date; notes and captions have none). */
  takenSource?: TakenSource;
  width?: number;
  height?: number;
  /** Its folder is offline or unreadable: shown from the cached thumbnail, the original is out of reach. */
  unavailable?: true;
  /** Its file name, folder, tags or text contain the query's words exactly (listed first). */
  literal?: true;
}

/** Search results, each kind best first. */
export interface SearchResponse {
  photos: ResultView[];
  notes: ResultView[];
  /** The Hamming radius the results were taken within, per kind. */
  radius: { photos: number; notes: number };
  /** Per kind: nothing was within the radius, so these are the nearest few instead. */
  nearestOnly: { photos: boolean; notes: boolean };
  /** The active head's code length (the largest possible distance). */
  bits: number;
  /** Photos a date filter left out for having no date at all (0 without a date filter). */
  undated: number;
  /** In date order: how many photos match in all, and their months in order (as the timeline's). */
  total?: number;
  months?: MonthBucket[];
  tookMs: number;
}

/** The timeline: the library's photos by date, without a query, one page at a time. */
export interface TimelineRequest {
  /** The same filters as search (From after To is refused). */
  filters?: SearchFilters;
  /** Newest first (default) or oldest first. */
  order?: 'newest' | 'oldest';
  /** Photos to skip, in `order` (default 0), and how many to return (1–100,000; default DEFAULT_LIMIT). */
  offset?: number;
  limit?: number;
}

/** How many photos one calendar month holds (the machine's local time). */
export interface MonthBucket {
  year: number;
  /** 1–12. */
  month: number;
  count: number;
}

/** One page of the timeline, with every month's count for the scrubber. */
export interface TimelineResponse {
  /** The page's photos, in order; each has `takenAt` and `takenSource`. */
  photos: ResultView[];
  /** Months with photos, in `order`: month i's photos start at the sum of the counts before it. */
  months: MonthBucket[];
  /** Dated photos that pass the filters (the sum of the month counts). */
  total: number;
  /** Photos that pass the tag and folder filters but have no date at all, so the timeline cannot place them. */
  undated: number;
}

/**
 * An image in a query: an indexed photo by id, or an image dropped or pasted by the user (its bytes), with
 * how much it counts beside the words (1 unless given; negative: results unlike it; −4 to 4).
 */
export type ImageQuery = ({ itemId: number } | { bytes: Uint8Array; name: string }) & { weight?: number };

/** Where a photo was taken, named offline from its GPS coordinates (GeoNames data). */
export interface PlaceName {
  city: string;
  /** State, province or district, where the data names one. */
  region?: string;
  country: string;
  /** ISO 3166-1 alpha-2. */
  countryCode: string;
  /** "Lisbon, Lisbon, Portugal": how the UI shows the place, and a `place` filter that selects exactly it. */
  label: string;
}

/** A place and how many photos were taken there (a place filter's choices). */
export interface PlaceView extends PlaceName {
  count: number;
}

/** Everything the lightbox shows about one item. */
export interface ItemDetail {
  id: number;
  kind: 'photo' | 'note_chunk' | 'caption';
  path: string;
  folder: string | null;
  /** Its folder is offline or unreadable (see ResultView). */
  unavailable?: true;
  takenAt?: number;
  /** Where `takenAt` came from. */
  takenSource?: TakenSource;
  lat?: number;
  lon?: number;
  /** The place its GPS coordinates name, when they name one. */
  place?: PlaceName;
  width?: number;
  height?: number;
  text?: string;
  /** Caption items of this photo (XMP/IPTC description). */
  caption?: string;
  tags: Array<{ name: string; source: 'xmp' | 'iptc' | 'user' }>;
}

/**
 * A tag and how many photos carry it. Hierarchical tags are named with '/' ("Places/Lisbon"; Lightroom's
 * 'Places|Lisbon' and digiKam's 'Places/Lisbon' are read so); a parent may carry no photos itself.
 */
export interface TagView {
  name: string;
  count: number;
  /** Photos carrying it as a tag given in Glint: what rename, merge and delete change. */
  userCount: number;
  /** Where it comes from: metadata tags cannot be removed in Glint (they live in the files). */
  sources: Array<'xmp' | 'iptc' | 'user'>;
  /** The tag above it ("Places" for "Places/Lisbon"); null at the top level. */
  parent: string | null;
  /** Its own level's name ("Lisbon"). */
  leaf: string;
}

/**
 * What renaming, merging or deleting a tag did, or undoing it undid. These change the tags given in Glint
 * only: XMP/IPTC keywords live in the files and keep their names (`metadataKept` counts them).
 */
export interface TagChangeView {
  /** Pass it to `undoTagChange` (the change stays undoable for 30 days, the last 20 changes). */
  token: number;
  kind: 'rename' | 'merge' | 'delete';
  /** The change in words, e.g. "Renamed “Places” to “Travel”". */
  summary: string;
  /** How many photos' tags changed. */
  photos: number;
  /** Keywords with the old name from the photos' XMP/IPTC metadata, which stay as they are. */
  metadataKept: number;
}

/** A tag change that can still be undone. */
export interface TagChangeRecordView {
  token: number;
  kind: 'rename' | 'merge' | 'delete';
  summary: string;
  /** When it was made (ms epoch). */
  at: number;
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
  /** New tags and suggestion decisions since the active head was trained. */
  sinceLastTraining?: FeedbackSinceTraining;
  /** The last retraining run that finished (kept in the library, so it is still there after a reload). */
  lastRun?: LastTrainingRun;
}

/** A finished retraining run: when, on what, and how each stage compared with the head it would replace. */
export interface LastTrainingRun {
  /** When it finished (ms epoch). */
  finishedAt: number;
  /** Epochs asked for, tagged photos it used, and how many of them were held back to check the result. */
  epochs: number;
  photos: number;
  heldOut: number;
  /** The quick first stage, when it ran. */
  quick?: TrainStageView;
  /** The full DGHDGH stage (the run's result). */
  final: TrainStageView;
}

/** The named steps of a retraining run that are not training steps (what the job is preparing or finishing). */
export type TrainPhaseName =
  | 'reading'
  | 'describing'
  | 'splitting'
  | 'compiling'
  | 'checking-epoch'
  | 'best-epoch'
  | 'saving'
  | 'comparing'
  | 'rehashing';

/** What a retraining run is doing outside its training steps, in words a photographer reads. */
export interface TrainPhaseView {
  phase: TrainPhaseName;
  /** E.g. "Reading your tagged photos' embeddings: 120 of 400". */
  message: string;
  /** The stage it belongs to; absent while the run prepares the data both stages use. */
  stage?: 'quick' | 'dghdgh';
  /** N of M, when the phase counts something. */
  done?: number;
  total?: number;
}

/** What the user taught Glint since the active head was trained (Retrain says so when it is `enough`). */
export interface FeedbackSinceTraining {
  /** When the active head was made (ms epoch). */
  since: number;
  /** User tags added since (accepted suggestions included). */
  tags: number;
  /** Suggestions accepted and rejected since. */
  accepted: number;
  rejected: number;
  /** Whether that is enough for retraining to be worth it. */
  enough: boolean;
}

/** A tag Glint suggests for a photo, from the user's own tags. */
export interface SuggestionView {
  id: number;
  itemId: number;
  tag: string;
  /** 0–1: the share of the photo's nearest tagged photos (by code) that carry the tag. */
  score: number;
  /** The score in words: 'very likely', 'likely' or 'possible'. */
  confidence: 'very likely' | 'likely' | 'possible';
}

/** How good suggestions are on the user's library, measured by holding out photos already tagged. */
export interface SuggestionQuality {
  /** E.g. "Suggestions were right 8 times in 10 on photos you had already tagged (41 of 51), …". */
  sentence: string;
  /** 'held-out' when measured; 'floor' when too few photos are tagged to measure. */
  basis: 'held-out' | 'floor';
  threshold: number;
  heldOut: number;
  heldOutPrecision: number;
  heldOutRecall: number;
}

/** The review queue: pending suggestions most confident first, their tags with counts, and their quality. */
export interface SuggestionQueue {
  suggestions: SuggestionView[];
  tags: Array<{ tag: string; count: number }>;
  quality: SuggestionQuality;
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
  /**
   * How well it found the user's tagged photos when it was trained: the validation mAP (0–1) on the photos
   * held back from its training run; absent for a head not trained on the library's tags (the default one).
   */
  quality?: number;
  metrics?: Record<string, unknown>;
}

/** User settings. */
export interface Settings {
  bits: 16 | 32 | 64 | 128;
  device: 'cpu' | 'cuda';
  modelsDir: string;
  theme: 'system' | 'light' | 'dark';
  /**
   * Whether the user's tags are written to XMP sidecars beside the photos, and to which: 'photo.jpg.xmp'
   * (darktable, digiKam) or 'photo.xmp' (Lightroom, Capture One). Per library; off by default.
   */
  xmpWriteBack: 'off' | 'photo.jpg.xmp' | 'photo.xmp';
}

/** What XMP write-back would cover now, and its setting. */
export interface SidecarStatus {
  mode: Settings['xmpWriteBack'];
  /** Photos carrying user tags (what writing every sidecar writes). */
  photos: number;
}

/** What writing every sidecar did. */
export interface SidecarPassView {
  total: number;
  written: number;
  unchanged: number;
  failed: number;
}

/** Whether CLIP models are present, and what the first-run download would fetch. */
export interface ModelsStatus {
  /** The models folder in use (the one chosen in Settings, else the default). */
  dir: string;
  state: 'complete' | 'incomplete' | 'absent' | 'standin';
  bytesToDownload: number;
  /** What runs the encoders now (the device chosen in Settings, unless it is not available). */
  runsOn?: 'cpu' | 'cuda';
  /** Why the chosen device is not the one in use, e.g. "CUDA is not available on this computer; using the CPU (…)". */
  deviceNotice?: string;
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
  | { type: 'ingest-state'; state: IngestState }
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
  | { type: 'train-phase'; phase: TrainPhaseView }
  | { type: 'train-stage'; stage: 'quick'; outcome: TrainStageView }
  /** The run finished: the same record `trainingInfo` serves as `lastRun` from then on. */
  | { type: 'train-done'; run: LastTrainingRun }
  | { type: 'train-failed'; error: ApiError }
  | { type: 'models-progress'; file: string; bytes: number; total: number | null; rate: number }
  | { type: 'notice'; message: string }
  /** Saving a new code length re-hashes the library from its cached embeddings: `done` of `total` items. */
  | { type: 'rehash-progress'; bits: number; done: number; total: number }
  | { type: 'sidecar-progress'; done: number; total: number; failed: number };

/** The API the UI uses, identical over IPC and HTTP. */
export interface GlintApi {
  appInfo(): Promise<ApiResult<AppInfo>>;
  status(): Promise<ApiResult<StatusView>>;
  listFolders(): Promise<ApiResult<FolderView[]>>;
  addFolder(req: { path: string }): Promise<ApiResult<FolderView>>;
  /** Removes a folder from the library; it can be restored until `undoUntil` (ms epoch). */
  removeFolder(req: {
    id: number;
  }): Promise<ApiResult<FolderRemoval & { removedFiles: number; undoUntil: number }>>;
  /** What removing a folder would take out of the library, to say so before asking. */
  folderRemovalPreview(req: { id: number }): Promise<ApiResult<FolderRemoval>>;
  /** Undoes a folder's removal while its undo time lasts. */
  restoreFolder(req: { id: number }): Promise<ApiResult<FolderView>>;
  reindex(): Promise<ApiResult<{ queued: number }>>;
  /** Pauses indexing (the queue is kept); `resumeIndexing` continues it. */
  pauseIndexing(): Promise<ApiResult<{ state: IngestState }>>;
  resumeIndexing(): Promise<ApiResult<{ state: IngestState }>>;
  /** Stops indexing and drops what is queued (the next scan finds it again). */
  cancelIndexing(): Promise<ApiResult<{ dropped: number }>>;
  /** A native folder dialog (Electron only; the browser UI asks for a typed path instead). */
  pickFolder(): Promise<ApiResult<{ path: string | null }>>;
  search(req: SearchRequest): Promise<ApiResult<SearchResponse>>;
  /** The whole library by date, without a query: a page of photos, month counts and totals. */
  timeline(req: TimelineRequest): Promise<ApiResult<TimelineResponse>>;
  item(req: { id: number }): Promise<ApiResult<ItemDetail>>;
  listTags(): Promise<ApiResult<TagView[]>>;
  tagItems(req: { ids: number[]; tag: string }): Promise<ApiResult<{ changed: number }>>;
  untagItems(req: { ids: number[]; tag: string }): Promise<ApiResult<{ changed: number }>>;
  /** Renames a tag and the tags below it; onto a name in use it merges (`merged`). Undoable. */
  renameTag(req: { from: string; to: string }): Promise<ApiResult<TagChangeView & { merged: boolean }>>;
  /** Merges tags (with the tags below them) into one. Undoable. */
  mergeTags(req: { sources: string[]; into: string }): Promise<ApiResult<TagChangeView>>;
  /** Deletes a tag and the tags below it from every photo. Undoable. */
  deleteTag(req: { name: string }): Promise<ApiResult<TagChangeView>>;
  /** Undoes a rename, merge or delete: the one with `token`, or the newest. */
  undoTagChange(req: { token?: number }): Promise<ApiResult<TagChangeView>>;
  /** The tag changes that can still be undone, newest first. */
  listTagChanges(): Promise<ApiResult<TagChangeRecordView[]>>;
  /** The places the library's photos were taken at, most photos first. */
  listPlaces(): Promise<ApiResult<PlaceView[]>>;
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
  /**
   * Saves settings, which apply at once: a new code length switches search to a head of that length
   * (re-hashing with `rehash-progress` events), a models folder is checked and refused with the reason when it
   * is not a complete model set (nothing is saved then), and the folder and device reopen the encoders.
   */
  setSettings(req: Partial<Settings>): Promise<ApiResult<Settings>>;
  modelsStatus(): Promise<ApiResult<ModelsStatus>>;
  pullModels(): Promise<ApiResult<{ started: true }>>;
  /** XMP write-back's setting and how many photos carry user tags. */
  sidecarStatus(): Promise<ApiResult<SidecarStatus>>;
  /** Writes every user-tagged photo's sidecar (write-back must be on); progress comes as `sidecar-progress`. */
  writeSidecars(): Promise<ApiResult<SidecarPassView>>;
  /** Pending suggested tags, most confident first (refreshed when photos, tags or the head changed). */
  listSuggestions(req: { limit?: number }): Promise<ApiResult<SuggestionQueue>>;
  /** Accepts suggestions: each photo gets its tag as a user tag. */
  acceptSuggestions(req: { ids: number[] }): Promise<ApiResult<{ changed: number }>>;
  /** Rejects suggestions: never suggested again, and a negative label for the next retraining. */
  rejectSuggestions(req: { ids: number[] }): Promise<ApiResult<{ changed: number }>>;
  /** Undoes decisions on suggestions (an accepted tag is taken off again): they are pending once more. */
  undoSuggestions(req: { ids: number[] }): Promise<ApiResult<{ changed: number }>>;
  /** Accepts a tag's pending suggestions on every photo; answers their ids. */
  acceptSuggestedTag(req: { tag: string }): Promise<ApiResult<{ changed: number; ids: number[] }>>;
  /** The URL of a photo's thumbnail or original, by item id only (never a path). */
  mediaUrl(kind: 'thumb' | 'original', id: number): string;
  /** Subscribes to host events; returns the unsubscribe function. */
  onEvent(listener: (event: GlintEvent) => void): () => void;
}

/** A method's request: its single argument (undefined for methods that take none). */
export type ApiRequest<M extends MethodName> = Parameters<GlintApi[M]>[0];

/** What a method answers when it succeeds. */
export type ApiValue<M extends MethodName> =
  Awaited<ReturnType<GlintApi[M]>> extends ApiResult<infer T> ? T : never;

/** What a transport (IPC, HTTP) supplies to make a client. */
export interface ApiTransport {
  /** Sends one method's request; answers its ApiResult (expected failures included, never a throw). */
  call(method: MethodName, request: unknown): Promise<ApiResult<unknown>>;
  mediaUrl: GlintApi['mediaUrl'];
  onEvent: GlintApi['onEvent'];
}

/** The one way to make a client of the API (preload's and the HTTP client's): every method over `call`. */
export function createApiClient(transport: ApiTransport): GlintApi {
  const methods = Object.fromEntries(
    METHODS.map((method) => [method, (request?: unknown) => transport.call(method, request)]),
  );
  // NOTE: the one cast of the contract: each entry calls its own method, which TypeScript cannot see through.
  return {
    ...(methods as unknown as Pick<GlintApi, MethodName>),
    mediaUrl: transport.mediaUrl,
    onEvent: transport.onEvent,
  };
}
