import { existsSync } from 'node:fs';
import { GlintError, errorMessage } from '../errors.ts';
import { thumbnailPath, type LibraryPaths } from '../library-paths.ts';
import {
  claimNextJob,
  claimRemovals,
  clearErrors,
  completeJob,
  failJob,
  findFilesByHash,
  getFileByPath,
  jobCounts,
  oldestQueuedRemoval,
  pruneFinishedJobs,
  recordError,
  renameFile,
  requeueJob,
  upsertFile,
  type Job,
  type Store,
} from '../store/index.ts';
import type { CodeSink, ErrorStage } from '../types.ts';
import type { EncoderClient } from '../worker/encoder-client.ts';
import type { PhotoResult } from '../worker/encoder-protocol.ts';
import { sidecarNewer } from './enqueue-scan.ts';
import { fileHasEmbeddings, folderIdFor, needsReread } from '../store/scan-state.ts';
import { readFileOnce, statFile, type FileBytes } from './file-hash.ts';
import { refreshFallbackDates } from './date-backfill.ts';
import { fileKind } from './file-kinds.ts';
import { readPhotoMetadata, type PhotoMetadata } from './metadata.ts';
import { readNoteChunks } from './note-reader.ts';
import { chunkEmbeddingText } from './notes-chunker.ts';
import {
  commitNote,
  commitPhoto,
  commitPhotoMetadata,
  removeIndexedPaths,
  type PhotoCommit,
} from './item-writes.ts';
import type { ActiveHead } from '../hash/active-head.ts';

/** Progress of the indexer, for progress bars and the UI. */
export interface IndexProgress {
  done: number;
  total: number;
  path?: string;
  failed: number;
}

/** What the indexer needs; injected so the app, the CLI and tests share one code path. */
export interface JobProcessorDeps {
  store: Store;
  encoder: EncoderClient;
  paths: LibraryPaths;
  modelId: string;
  countTokens: (text: string) => number;
  head: () => ActiveHead;
  /** Keeps in-memory indexes in step with code writes and deletions. */
  sink: CodeSink;
  onProgress?: (p: IndexProgress) => void;
  onFileError?: (path: string, stage: ErrorStage, message: string) => void;
}

// NOTE: ViT-B/32 on CPU gains little past batch 8, and small batches keep progress lively.
const PHOTO_BATCH = 8;
// NOTE: removals are cheap rows; 500 per transaction keeps one commit per few milliseconds.
const REMOVAL_BATCH = 500;
/** A removal waits this long so that a move (unlink then add) is seen as a rename, not re-encoded. */
export const REMOVE_GRACE_MS = 4_000;
/** A file that keeps changing while it is read is tried this many times in one pass, then left for later. */
const CHANGING_ATTEMPTS = 5;

/** A file read once and ready to decode and embed. */
interface FileWork {
  job: Job;
  path: string;
  read: FileBytes;
  /** A photo whose content is as indexed, read again by newer readers: only its metadata is stored again. */
  metadataOnly?: boolean;
}

/** A photo ready for the worker: its bytes, metadata read from the same bytes, and thumbnail path. */
interface PhotoWork extends FileWork {
  meta: PhotoMetadata;
  thumbPath: string;
}

/** Drains the persistent job queue: reads, decodes, embeds and hashes files, and records what fails. */
export class JobProcessor {
  private readonly deps: JobProcessorDeps;
  private done = 0;
  private failed = 0;

  constructor(deps: JobProcessorDeps) {
    this.deps = deps;
  }

  /**
   * Processes queued jobs until the queue is empty (or `signal` aborts). Each file is read once; the
   * worker decodes, embeds and hashes a batch while the next batch is read (two batches in flight).
   * Removals come last, claimed in batches, and in watch mode only once `removeGraceMs` old, so a move
   * (unlink, then add) is seen as a rename. Finished job rows are pruned at the end.
   */
  async drain(
    signal?: AbortSignal,
    removeGraceMs = 0,
    now: () => number = Date.now,
  ): Promise<{ done: number; failed: number }> {
    const { store } = this.deps;
    let inFlight: Promise<void> | undefined;
    try {
      for (;;) {
        if (signal?.aborted) break;
        const batch: Job[] = [];
        for (let i = 0; i < PHOTO_BATCH; i++) {
          const job = claimNextJob(store, 'ingest');
          if (!job) break;
          batch.push(job);
        }
        if (batch.length > 0) {
          const photos = await this.prepareBatch(batch);
          await inFlight;
          inFlight = photos.length > 0 ? this.photos(photos) : undefined;
          continue;
        }
        await inFlight;
        inFlight = undefined;
        const oldest = oldestQueuedRemoval(store);
        if (oldest === undefined) break;
        const wait = oldest + removeGraceMs - now();
        if (wait > 0) {
          await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 500)));
          continue;
        }
        const removals = claimRemovals(store, now() - removeGraceMs, REMOVAL_BATCH);
        if (removals.length > 0) this.processRemovals(removals);
      }
    } finally {
      await inFlight;
      pruneFinishedJobs(store);
    }
    return { done: this.done, failed: this.failed };
  }

  private progress(path?: string): void {
    const counts = jobCounts(this.deps.store);
    const total = this.done + counts.queued + counts.running;
    this.deps.onProgress?.({ done: this.done, total, failed: this.failed, ...(path ? { path } : {}) });
  }

  private fail(job: Job, stage: ErrorStage, err: unknown): void {
    const code = err instanceof GlintError ? err.code : 'internal';
    const message = errorMessage(err);
    const where = code === 'disk-full' ? 'store' : stage;
    this.deps.store.tx(() => {
      recordError(this.deps.store, { path: job.path, stage: where, code, message });
      failJob(this.deps.store, job.id, message);
    });
    this.failed++;
    this.done++;
    this.deps.onFileError?.(job.path, where, message);
    this.progress(job.path);
  }

  private finish(job: Job): void {
    this.deps.store.tx(() => {
      clearErrors(this.deps.store, job.path);
      completeJob(this.deps.store, job.id);
    });
    this.done++;
    this.progress(job.path);
  }

  private processRemovals(jobs: readonly Job[]): void {
    const { store, sink } = this.deps;
    store.tx(() => {
      removeIndexedPaths(
        store,
        jobs.map((j) => j.path),
        sink,
      );
      for (const job of jobs) {
        clearErrors(store, job.path);
        completeJob(store, job.id);
      }
    });
    this.done += jobs.length;
    this.progress(jobs.at(-1)?.path);
  }

  /** Reads each claimed file once and sorts out what needs the worker; notes and metadata re-reads are stored here. */
  private async prepareBatch(jobs: readonly Job[]): Promise<PhotoWork[]> {
    const photos: PhotoWork[] = [];
    const rereads: PhotoWork[] = [];
    for (const job of jobs) {
      let work: FileWork | 'skip';
      try {
        work = await this.prepare(job);
      } catch (err) {
        if (err instanceof GlintError && err.code === 'file-changing' && job.attempts < CHANGING_ATTEMPTS) {
          requeueJob(this.deps.store, job.id);
          continue;
        }
        this.fail(job, 'read', err);
        continue;
      }
      if (work === 'skip') this.finish(job);
      else if (fileKind(job.path) === 'note') await this.note(work);
      else {
        const meta = await readPhotoMetadata(work.path, { bytes: work.read.bytes });
        const photo = { ...work, meta, thumbPath: thumbnailPath(this.deps.paths, work.read.hash) };
        (work.metadataOnly ? rereads : photos).push(photo);
      }
    }
    // A photo whose metadata could not be stored in place goes to the worker with the others.
    if (rereads.length > 0) photos.push(...(await this.metadata(rereads)));
    return photos;
  }

  /** Decides what a file needs: nothing (unchanged or moved), or its bytes, read once. */
  private async prepare(job: Job): Promise<FileWork | 'skip'> {
    const { store, modelId } = this.deps;
    const kind = fileKind(job.path);
    if (kind === null || kind === 'sidecar')
      throw new GlintError('unsupported', `${job.path} is not a photo or note Glint reads`);
    const st = await statFile(job.path);
    const existing = getFileByPath(store, job.path);
    const complete = (fileId: number): boolean => fileHasEmbeddings(store, fileId, modelId);
    // Metadata lives in the file, so equal content means an equal index unless a sidecar changed.
    const sidecarChanged = async (since: number | null): Promise<boolean> =>
      kind === 'photo' && (await sidecarNewer(job.path, since ?? 0));
    // Read by an older reader (migration REREAD): its metadata or text is read again even if unchanged.
    const reread = existing !== undefined && needsReread(store, existing.id);
    if (
      existing &&
      !reread &&
      existing.size === st.size &&
      existing.mtimeMs === st.mtimeMs &&
      complete(existing.id)
    ) {
      if (!(await sidecarChanged(existing.indexedAt))) return 'skip';
    }
    const read = await readFileOnce(job.path);
    const facts = {
      path: job.path,
      kind,
      size: read.size,
      mtimeMs: read.mtimeMs,
      hash: read.hash,
      dev: read.dev,
      folderId: folderIdFor(store, job.path),
    };
    if (existing?.hash === read.hash && complete(existing.id)) {
      const sidecar = await sidecarChanged(existing.indexedAt);
      // Same image, metadata to read again (an older reader's, or a sidecar edited since): the image
      // embedding stands, and with the photo item its id, user tags and suggestion decisions.
      if (kind === 'photo' && (reread || sidecar)) return { job, path: job.path, read, metadataOnly: true };
      if (!reread && !sidecar) {
        // Same content, new mtime: a date that came from the mtime follows it.
        this.deps.sink.redated(refreshFallbackDates(store, upsertFile(store, facts)));
        return 'skip';
      }
    }
    if (!existing) {
      // A file with this content whose old path is gone was moved or renamed: keep its items.
      const moved = findFilesByHash(store, read.hash).find((f) => f.path !== job.path && !existsSync(f.path));
      if (moved && complete(moved.id)) {
        store.tx(() => {
          renameFile(store, moved.path, job.path, facts.folderId);
          // A date that came from the old name (or mtime) follows the new one.
          this.deps.sink.redated(refreshFallbackDates(store, upsertFile(store, facts)));
        });
        return 'skip';
      }
    }
    return { job, path: job.path, read };
  }

  private fileFacts(work: FileWork): {
    path: string;
    size: number;
    mtimeMs: number;
    hash: string;
    dev: number;
  } {
    const { size, mtimeMs, hash, dev } = work.read;
    return { path: work.path, size, mtimeMs, hash, dev };
  }

  private async note(work: FileWork): Promise<void> {
    let chunks;
    try {
      chunks = await readNoteChunks(work.path, this.deps.countTokens, work.read.bytes);
    } catch (err) {
      this.fail(work.job, 'read', err);
      return;
    }
    try {
      const head = this.deps.head();
      // The headings above a paragraph are embedded with it; the item shows the paragraph alone.
      const { embeddings, codes } = await this.deps.encoder.texts(chunks.map(chunkEmbeddingText), head.dir);
      commitNote(this.deps.store, {
        file: this.fileFacts(work),
        chunks,
        embeddings,
        codes: codes ?? new Float32Array(0),
        modelId: this.deps.modelId,
        head,
        sink: this.deps.sink,
      });
      this.finish(work.job);
    } catch (err) {
      this.fail(work.job, 'encode', err);
    }
  }

  /**
   * Stores photos' metadata read again, in place (see `commitPhotoMetadata`): their descriptions are
   * embedded in one round trip. Returns the photos that have no photo item to keep, to be indexed in full.
   */
  private async metadata(works: readonly PhotoWork[]): Promise<PhotoWork[]> {
    const head = this.deps.head();
    const full: PhotoWork[] = [];
    let captions: Map<number, NonNullable<PhotoCommit['caption']>>;
    try {
      captions = await this.captions(
        works.map((w) => w.meta.description),
        head,
      );
    } catch (err) {
      for (const w of works) this.fail(w.job, 'encode', err);
      return full;
    }
    for (const [i, work] of works.entries()) {
      try {
        const stored = commitPhotoMetadata(this.deps.store, {
          file: this.fileFacts(work),
          meta: work.meta,
          caption: captions.get(i),
          modelId: this.deps.modelId,
          head,
          sink: this.deps.sink,
        });
        if (!stored) {
          full.push(work);
          continue;
        }
        for (const warning of work.meta.warnings) this.deps.onFileError?.(work.path, 'metadata', warning);
        this.finish(work.job);
      } catch (err) {
        this.fail(work.job, 'store', err);
      }
    }
    return full;
  }

  /** Sends a batch to the worker (decode, embed and hash in one round trip), then stores what came back. */
  private photos(works: PhotoWork[]): Promise<void> {
    const head = this.deps.head();
    const captionTexts = works.map((w) => w.meta.description);
    // NOTE: the bytes move to the worker; nothing below may read `w.read.bytes` again.
    const decoded = this.deps.encoder.photos(
      works.map((w) => ({ bytes: w.read.bytes, thumbPath: w.thumbPath })),
      head.dir,
    );
    return this.commitPhotos(works, decoded, captionTexts, head);
  }

  private async commitPhotos(
    works: PhotoWork[],
    pending: Promise<{ results: PhotoResult[] }>,
    captionTexts: ReadonlyArray<string | undefined>,
    head: ActiveHead,
  ): Promise<void> {
    let results: PhotoResult[];
    let captions: Map<number, NonNullable<PhotoCommit['caption']>>;
    try {
      ({ results } = await pending);
      captions = await this.captions(
        captionTexts.map((text, i) => (results[i]?.ok ? text : undefined)),
        head,
      );
    } catch (err) {
      for (const w of works) this.fail(w.job, 'encode', err);
      return;
    }
    for (const [i, work] of works.entries()) {
      const result = results[i];
      if (!result?.ok) {
        const err = new GlintError(result?.code ?? 'internal', result?.message ?? 'no result');
        this.fail(work.job, 'decode', err);
        continue;
      }
      try {
        commitPhoto(this.deps.store, {
          file: this.fileFacts(work),
          meta: work.meta,
          width: result.width,
          height: result.height,
          embedding: result.embedding,
          code: result.code,
          caption: captions.get(i),
          modelId: this.deps.modelId,
          head,
          sink: this.deps.sink,
        });
        for (const warning of work.meta.warnings) this.deps.onFileError?.(work.path, 'metadata', warning);
        this.finish(work.job);
      } catch (err) {
        this.fail(work.job, 'store', err);
      }
    }
  }

  /** Embeds and hashes photos' metadata descriptions (caption items), keyed by position. */
  private async captions(
    descriptions: ReadonlyArray<string | undefined>,
    head: ActiveHead,
  ): Promise<Map<number, NonNullable<PhotoCommit['caption']>>> {
    const at = descriptions.flatMap((text, i) => (text ? [{ i, text }] : []));
    const out = new Map<number, NonNullable<PhotoCommit['caption']>>();
    if (at.length === 0) return out;
    const { embeddings, codes } = await this.deps.encoder.texts(
      at.map((c) => c.text),
      head.dir,
    );
    const dim = embeddings.length / at.length;
    const bits = head.bits;
    at.forEach(({ i, text }, j) =>
      out.set(i, {
        text,
        embedding: embeddings.slice(j * dim, (j + 1) * dim),
        code: (codes as Float32Array).slice(j * bits, (j + 1) * bits),
      }),
    );
    return out;
  }
}
