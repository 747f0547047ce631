import { join } from 'node:path';
import { GlintError } from '../errors.ts';
import type { LibraryPaths } from '../library-paths.ts';
import {
  activateHead,
  getActiveHead,
  getHead,
  putCodes,
  putHead,
  readEmbeddings,
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

/** Returns the model's active head, creating and activating the default head when there is none. */
export async function ensureActiveHead(
  store: Store,
  paths: LibraryPaths,
  modelId: string,
  bits: CodeBits,
): Promise<ActiveHead> {
  const active = getActiveHead(store, modelId);
  if (active) return { id: active.id, kind: active.kind, bits: active.bits, dir: active.dir };
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
