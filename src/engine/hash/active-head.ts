import { join } from 'node:path';
import { GlintError } from '../errors.ts';
import { removeLibraryFolder, type LibraryPaths } from '../library-paths.ts';
import {
  activateHead,
  deleteHead,
  getActiveHead,
  getHead,
  putCodes,
  putHead,
  readEmbeddings,
  countEmbeddings,
  type EmbeddingBatch,
  type Store,
} from '../store/index.ts';
import type { CodeBits, Modality } from '../types.ts';
import type { EncoderClient } from '../worker/encoder-client.ts';
import { codeToWords } from './bits.ts';
import { writeDefaultHead } from './head-default.ts';

/** The hash head that codes are written for and searched with. */
export interface ActiveHead {
  id: string;
  kind: string;
  bits: number;
  dir: string;
}

// NOTE: a fixed seed makes the default head, and so every library's default codes, reproducible.
const DEFAULT_HEAD_SEED = 20260;
const REHASH_CHUNK = 4096;

/** The id of the training-free default head for a model and code length. */
export function defaultHeadId(modelId: string, bits: number): string {
  return `default-${bits}-${modelId}`;
}

/** The model's active head, if it has one. */
export function activeHeadOf(store: Store, modelId: string): ActiveHead | undefined {
  const active = getActiveHead(store, modelId);
  return active && { id: active.id, kind: active.kind, bits: active.bits, dir: active.dir };
}

/** Returns the model's active head, creating and activating the default head when there is none. */
export async function ensureActiveHead(
  store: Store,
  paths: LibraryPaths,
  modelId: string,
  bits: CodeBits,
): Promise<ActiveHead> {
  const active = activeHeadOf(store, modelId);
  if (active) return active;
  const id = defaultHeadId(modelId, bits);
  const dir = join(paths.heads, id);
  if (!getHead(store, id)) {
    await writeDefaultHead(dir, { bits, modelId, seed: DEFAULT_HEAD_SEED, id });
    putHead(store, { id, kind: 'default', bits, modelId, dir });
  }
  activateHead(store, id);
  return { id, kind: 'default', bits, dir };
}

/**
 * Recomputes every item's code for `head` from the cached embeddings of `modelId` (no image is
 * decoded or re-encoded), in chunks so progress can be shown.
 */
export async function rehashFromEmbeddings(
  store: Store,
  encoder: EncoderClient,
  head: ActiveHead,
  modelId: string,
  onProgress?: (done: number, total: number) => void,
): Promise<number> {
  const batches = (['image', 'text'] as Modality[]).map((modality) => ({
    modality,
    batch: readEmbeddings(store, modelId, modality),
  }));
  const total = batches.reduce((sum, b) => sum + b.batch.itemIds.length, 0);
  let done = 0;
  for (const { modality, batch } of batches) {
    for (let start = 0; start < batch.itemIds.length; start += REHASH_CHUNK) {
      const ids = batch.itemIds.slice(start, start + REHASH_CHUNK);
      const vectors = batch.vectors.subarray(start * batch.dim, (start + ids.length) * batch.dim);
      const { codes, bits } = await encoder.hash(head.dir, modality, vectors.slice(), ids.length);
      if (bits !== head.bits)
        throw new GlintError('head-invalid', `head ${head.id} says ${head.bits} bits but produced ${bits}`);
      putCodes(
        store,
        head.id,
        ids.map((itemId, i) => ({ itemId, words: codeToWords(codes, bits, i) })),
      );
      done += ids.length;
      onProgress?.(done, total);
    }
  }
  return done;
}

// NOTE: means from fewer vectors than this are too noisy to centre on; refit when the library has
// doubled since the last fit, so a growing library is refit O(log n) times.
const REFIT_MIN_VECTORS = 16;

/** What a default head's centring means were computed from (kept in the head's metrics). */
export interface FittedOn {
  image: number;
  text: number;
}

/** The mean of the L2-normalised rows of a batch (the default head centres normalised embeddings). */
function normalisedMean(batch: EmbeddingBatch): Float64Array {
  const mean = new Float64Array(batch.dim);
  const n = batch.itemIds.length;
  for (let r = 0; r < n; r++) {
    const row = batch.vectors.subarray(r * batch.dim, (r + 1) * batch.dim);
    const norm = Math.hypot(...row) || 1;
    for (let c = 0; c < batch.dim; c++) mean[c] = (mean[c] as number) + (row[c] as number) / norm / n;
  }
  return mean;
}

/** The library's embedding counts per modality, which a default head's fit is named and judged by. */
export function embeddingCounts(store: Store, modelId: string): FittedOn {
  return { image: countEmbeddings(store, modelId, 'image'), text: countEmbeddings(store, modelId, 'text') };
}

/**
 * Writes and registers (not activates) a training-free default head of `bits` bits centred on the library's
 * embeddings now (a modality with fewer than REFIT_MIN_VECTORS stays uncentred); its codes are not made yet.
 */
export async function writeFittedDefaultHead(
  store: Store,
  paths: LibraryPaths,
  modelId: string,
  bits: CodeBits,
  counts: FittedOn = embeddingCounts(store, modelId),
): Promise<ActiveHead> {
  const usable = (m: keyof FittedOn): boolean => counts[m] >= REFIT_MIN_VECTORS;
  const id = `${defaultHeadId(modelId, bits)}-fit${counts.image}x${counts.text}`;
  const next: ActiveHead = { id, kind: 'default', bits, dir: join(paths.heads, id) };
  await writeDefaultHead(next.dir, {
    bits,
    modelId,
    seed: DEFAULT_HEAD_SEED,
    id,
    ...(usable('image') ? { imageMean: normalisedMean(readEmbeddings(store, modelId, 'image')) } : {}),
    ...(usable('text') ? { textMean: normalisedMean(readEmbeddings(store, modelId, 'text')) } : {}),
  });
  putHead(store, { id, kind: 'default', bits, modelId, dir: next.dir, metrics: { fittedOn: counts } });
  return next;
}

/**
 * Re-centres the training-free default head on the library's own embeddings (per modality mean of
 * normalised embeddings), which closes most of CLIP's gap between image and text embeddings so
 * that cross-modal Hamming distances rank by content. Runs when a modality has at least
 * REFIT_MIN_VECTORS embeddings and has doubled since the last fit: writes a new default head,
 * re-hashes every item from cached embeddings, activates it and deletes the old default head.
 * Trained heads are never touched. Returns the new head, or null when nothing changed.
 */
export async function refitDefaultHead(
  store: Store,
  encoder: EncoderClient,
  paths: LibraryPaths,
  modelId: string,
  head: ActiveHead,
): Promise<ActiveHead | null> {
  if (head.kind !== 'default') return null;
  // The decision comes from counts; the embeddings are read only when a refit is due.
  const counts = embeddingCounts(store, modelId);
  const fitted = (getHead(store, head.id)?.metrics as { fittedOn?: FittedOn } | undefined)?.fittedOn ?? {
    image: 0,
    text: 0,
  };
  const grown = (m: keyof FittedOn): boolean => counts[m] >= REFIT_MIN_VECTORS && counts[m] >= 2 * fitted[m];
  if (!grown('image') && !grown('text')) return null;
  const next = await writeFittedDefaultHead(store, paths, modelId, head.bits as CodeBits, counts);
  await rehashFromEmbeddings(store, encoder, next, modelId);
  activateHead(store, next.id);
  deleteHead(store, head.id);
  await removeLibraryFolder(paths, head.dir);
  return next;
}
