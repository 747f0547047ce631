import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { GlintError, errorMessage } from '../errors.ts';
import { thumbnailPath, type LibraryPaths } from '../library-paths.ts';
import {
  claimNextJob,
  clearErrors,
  completeJob,
  failJob,
  findFilesByHash,
  getEmbedding,
  getFileByPath,
  jobCounts,
  listFileItems,
  listJobs,
  recordError,
  renameFile,
  upsertFile,
  type Job,
  type Store,
} from '../store/index.ts';
import type { ErrorStage, Modality } from '../types.ts';
import type { EncoderClient } from '../worker/encoder-client.ts';
import { sidecarNewer } from './enqueue-scan.ts';
import { folderIdFor } from '../store/scan-state.ts';
import { sha256File, statFile } from './file-hash.ts';
import { fileKind } from './file-kinds.ts';
import { readPhotoMetadata, type PhotoMetadata } from './metadata.ts';
import { readNoteChunks } from './note-reader.ts';
import {
  commitNote,
  commitPhoto,
  removeIndexedPath,
  type CodeSink,
  type PhotoCommit,
} from './index-writes.ts';
import type { ActiveHead } from '../hash/active-head.ts';

/** Progress of the indexer, for progress bars and the UI. */
export interface IndexProgress {
  done: number;
  total: number;
  path?: string;
  failed: number;
}

/** What the indexer needs; injected so the app, the CLI and tests share one code path. */
export interface IndexerDeps {
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
/** A removal waits this long so that a move (unlink then add) is seen as a rename, not re-encoded. */
export const REMOVE_GRACE_MS = 4_000;

interface PhotoWork {
  job: Job;
  path: string;
  size: number;
  mtimeMs: number;
  hash: string;
}

/** Drains the persistent job queue: decodes, embeds and hashes files, and records what fails. */
export class Indexer {
  private readonly deps: IndexerDeps;
  private done = 0;
  private failed = 0;

  constructor(deps: IndexerDeps) {
    this.deps = deps;
  }

  /**
   * Processes queued jobs until the queue is empty (or `signal` aborts). Removals come last and, in
   * watch mode, only once `removeGraceMs` old, so a move (unlink, then add) is seen as a rename.
   */
  async drain(
    signal?: AbortSignal,
    removeGraceMs = 0,
    now: () => number = Date.now,
  ): Promise<{ done: number; failed: number }> {
    const { store } = this.deps;
    for (;;) {
      if (signal?.aborted) break;
      const batch: Job[] = [];
      for (let i = 0; i < PHOTO_BATCH; i++) {
        const job = claimNextJob(store, 'ingest');
        if (!job) break;
        batch.push(job);
      }
      if (batch.length > 0) {
        await this.processIngest(batch);
        continue;
      }
      const removal = listJobs(store, 'queued').find((j) => j.kind === 'remove');
      if (!removal) break;
      const wait = removal.createdAt + removeGraceMs - now();
      if (wait > 0) {
        await new Promise((resolve) => setTimeout(resolve, Math.min(wait, 500)));
        continue;
      }
      const job = claimNextJob(store, 'remove');
      if (job) this.processRemove(job);
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
    this.deps.store.tx(() => {
      recordError(this.deps.store, { path: job.path, stage, code, message });
      failJob(this.deps.store, job.id, message);
    });
    this.failed++;
    this.done++;
    this.deps.onFileError?.(job.path, stage, message);
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

  private processRemove(job: Job): void {
    removeIndexedPath(this.deps.store, job.path, this.deps.sink);
    this.finish(job);
  }

  private async processIngest(jobs: Job[]): Promise<void> {
    const photos: PhotoWork[] = [];
    for (const job of jobs) {
      const work = await this.prepare(job).catch((err: unknown) => {
        this.fail(job, 'read', err);
        return null;
      });
      if (work === null) continue;
      if (work === 'skip') this.finish(job);
      else if (fileKind(job.path) === 'note') await this.note(work);
      else photos.push(work);
    }
    if (photos.length > 0) await this.photos(photos);
  }

  /** Decides what a file needs: nothing (unchanged or moved), or decoding. */
  private async prepare(job: Job): Promise<PhotoWork | 'skip'> {
    const { store, modelId } = this.deps;
    const kind = fileKind(job.path);
    if (kind === null || kind === 'sidecar')
      throw new GlintError('unsupported', `${job.path} is not a photo or note Glint reads`);
    const st = await statFile(job.path);
    const existing = getFileByPath(store, job.path);
    const hasEmbeddings = (fileId: number): boolean =>
      listFileItems(store, fileId).every((item) => getEmbedding(store, item.id, modelId) !== undefined);
    // Metadata lives in the file, so equal content means an equal index unless a sidecar changed.
    const sidecarChanged = async (since: number | null): Promise<boolean> =>
      kind === 'photo' && (await sidecarNewer(job.path, since ?? 0));
    if (
      existing &&
      existing.size === st.size &&
      existing.mtimeMs === st.mtimeMs &&
      hasEmbeddings(existing.id)
    ) {
      if (!(await sidecarChanged(existing.indexedAt))) return 'skip';
    }
    const hash = await sha256File(job.path);
    const facts = {
      path: job.path,
      kind,
      size: st.size,
      mtimeMs: st.mtimeMs,
      hash,
      folderId: folderIdFor(store, job.path),
    };
    if (
      existing?.hash === hash &&
      hasEmbeddings(existing.id) &&
      !(await sidecarChanged(existing.indexedAt))
    ) {
      upsertFile(store, facts);
      return 'skip';
    }
    if (!existing) {
      // A file with this content whose old path is gone was moved or renamed: keep its items.
      const moved = findFilesByHash(store, hash).find((f) => f.path !== job.path && !existsSync(f.path));
      if (moved && hasEmbeddings(moved.id)) {
        store.tx(() => {
          renameFile(store, moved.path, job.path, facts.folderId);
          upsertFile(store, facts);
        });
        return 'skip';
      }
    }
    return { job, path: job.path, size: st.size, mtimeMs: st.mtimeMs, hash };
  }

  private async note(work: PhotoWork): Promise<void> {
    let chunks;
    try {
      chunks = await readNoteChunks(work.path, this.deps.countTokens);
    } catch (err) {
      this.fail(work.job, 'read', err);
      return;
    }
    try {
      const { embeddings } = await this.deps.encoder.texts(chunks.map((c) => c.text));
      const head = this.deps.head();
      const codes = chunks.length
        ? (await this.deps.encoder.hash(head.dir, 'text', embeddings, chunks.length)).codes
        : new Float32Array(0);
      commitNote(this.deps.store, {
        file: { path: work.path, size: work.size, mtimeMs: work.mtimeMs, hash: work.hash },
        chunks,
        embeddings,
        codes,
        modelId: this.deps.modelId,
        head,
        sink: this.deps.sink,
      });
      this.finish(work.job);
    } catch (err) {
      this.fail(work.job, 'encode', err);
    }
  }

  private async photos(works: PhotoWork[]): Promise<void> {
    const { encoder, paths } = this.deps;
    const thumbs = works.map((w) => thumbnailPath(paths, w.hash));
    await Promise.all(thumbs.map((t) => mkdir(dirname(t), { recursive: true })));
    let results;
    try {
      ({ results } = await encoder.photos(
        works.map((w, i) => ({ path: w.path, thumbPath: thumbs[i] as string })),
      ));
    } catch (err) {
      for (const w of works) this.fail(w.job, 'encode', err);
      return;
    }
    const metas = await Promise.all(works.map((w) => readPhotoMetadata(w.path)));
    const decoded = works.flatMap((work, i) => {
      const result = results[i];
      if (result?.ok) return [{ work, result, meta: metas[i] as PhotoMetadata }];
      this.fail(
        work.job,
        'decode',
        new GlintError(result?.code ?? 'internal', result?.message ?? 'no result'),
      );
      return [];
    });
    if (decoded.length === 0) return;
    let photoCodes: Float32Array;
    let captions: Map<number, NonNullable<PhotoCommit['caption']>>;
    const head = this.deps.head();
    try {
      // One hash call per modality for the whole batch: each call is a round trip to the worker.
      photoCodes = await this.hashRows(
        'image',
        decoded.map((d) => d.result.embedding),
      );
      captions = await this.captions(decoded.map((d) => d.meta.description));
    } catch (err) {
      for (const d of decoded) this.fail(d.work.job, 'encode', err);
      return;
    }
    for (const [i, { work, result, meta }] of decoded.entries()) {
      try {
        commitPhoto(this.deps.store, {
          file: { path: work.path, size: work.size, mtimeMs: work.mtimeMs, hash: work.hash },
          meta,
          width: result.width,
          height: result.height,
          embedding: result.embedding,
          code: photoCodes.subarray(i * head.bits, (i + 1) * head.bits),
          caption: captions.get(i),
          modelId: this.deps.modelId,
          head,
          sink: this.deps.sink,
        });
        for (const warning of meta.warnings) this.deps.onFileError?.(work.path, 'metadata', warning);
        this.finish(work.job);
      } catch (err) {
        this.fail(work.job, 'store', err);
      }
    }
  }

  /** Continuous codes of the active head for rows of one modality, in one worker call. */
  private async hashRows(modality: Modality, rows: readonly Float32Array[]): Promise<Float32Array> {
    const dim = rows[0]?.length ?? 0;
    const packed = new Float32Array(rows.length * dim);
    rows.forEach((row, i) => packed.set(row, i * dim));
    return (await this.deps.encoder.hash(this.deps.head().dir, modality, packed, rows.length)).codes;
  }

  /** Embeds and hashes the photos' metadata descriptions (caption items), keyed by position. */
  private async captions(
    descriptions: ReadonlyArray<string | undefined>,
  ): Promise<Map<number, NonNullable<PhotoCommit['caption']>>> {
    const at = descriptions.flatMap((text, i) => (text ? [{ i, text }] : []));
    const out = new Map<number, NonNullable<PhotoCommit['caption']>>();
    if (at.length === 0) return out;
    const { embeddings } = await this.deps.encoder.texts(at.map((c) => c.text));
    const dim = embeddings.length / at.length;
    const rows = at.map((_, j) => embeddings.slice(j * dim, (j + 1) * dim));
    const codes = await this.hashRows('text', rows);
    const bits = this.deps.head().bits;
    at.forEach(({ i, text }, j) =>
      out.set(i, { text, embedding: rows[j] as Float32Array, code: codes.slice(j * bits, (j + 1) * bits) }),
    );
    return out;
  }
}
