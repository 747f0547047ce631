/** CLIP embeddings per item and model, stored as float32 little-endian BLOBs. */
import type { Modality } from '../types.ts';
import type { Store } from './db.ts';

/** All embeddings of one model and modality, packed row-major. */
export interface EmbeddingBatch {
  itemIds: number[];
  /** itemIds.length × dim values; row i belongs to itemIds[i]. */
  vectors: Float32Array;
  dim: number;
}

// NOTE: typed arrays use the platform's byte order; every platform Glint ships on is little-endian,
// which is the documented BLOB format.
function toBlob(v: Float32Array): Buffer {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength);
}

function fromBlob(b: Buffer): Float32Array {
  const out = new Float32Array(b.byteLength >>> 2);
  new Uint8Array(out.buffer).set(b.subarray(0, out.byteLength));
  return out;
}

/** Stores many embeddings for a model in one transaction. */
export function putEmbeddings(
  store: Store,
  modelId: string,
  entries: ReadonlyArray<{ itemId: number; vector: Float32Array }>,
): void {
  store.tx(() => {
    const s = store.stmt('INSERT OR REPLACE INTO embeddings(item_id, model_id, vector) VALUES (?, ?, ?)');
    for (const e of entries) s.run(e.itemId, modelId, toBlob(e.vector));
  });
}

/** One item's embedding for a model, if stored. */
export function getEmbedding(store: Store, itemId: number, modelId: string): Float32Array | undefined {
  const b = store
    .stmt('SELECT vector FROM embeddings WHERE item_id = ? AND model_id = ?')
    .pluck()
    .get(itemId, modelId) as Buffer | undefined;
  return b && fromBlob(b);
}

/**
 * Every embedding of a model for items of one modality, ordered by item id, packed into one
 * Float32Array (for training and re-hashing). Rows whose length differs from the first are an error.
 */
export function readEmbeddings(store: Store, modelId: string, modality: Modality): EmbeddingBatch {
  const s = store
    .stmt(
      `SELECT e.item_id, e.vector FROM embeddings e JOIN items i ON i.id = e.item_id
       WHERE e.model_id = ? AND i.modality = ? ORDER BY e.item_id`,
    )
    .raw(true);
  const n = countEmbeddings(store, modelId, modality);
  const itemIds: number[] = [];
  let dim = -1;
  let vectors = new Float32Array(0);
  let bytes = new Uint8Array(0);
  for (const row of s.iterate(modelId, modality) as Iterable<[number, Buffer]>) {
    const [id, blob] = row;
    if (dim < 0) {
      dim = blob.byteLength >>> 2;
      vectors = new Float32Array(n * dim);
      bytes = new Uint8Array(vectors.buffer);
    }
    if (blob.byteLength !== dim * 4 || itemIds.length >= n) {
      throw new Error(
        `embedding of item ${id} for ${modelId} has ${blob.byteLength / 4} values, expected ${dim}`,
      );
    }
    bytes.set(blob, itemIds.length * dim * 4);
    itemIds.push(id);
  }
  return { itemIds, vectors: vectors.subarray(0, itemIds.length * Math.max(dim, 0)), dim: Math.max(dim, 0) };
}

/** Number of embeddings of a model for items of one modality. */
export function countEmbeddings(store: Store, modelId: string, modality: Modality): number {
  return store
    .stmt(
      'SELECT count(*) FROM embeddings e JOIN items i ON i.id = e.item_id WHERE e.model_id = ? AND i.modality = ?',
    )
    .pluck()
    .get(modelId, modality) as number;
}

/** Number of stored embeddings per model id. */
export function countEmbeddingsByModel(store: Store): Record<string, number> {
  const rows = store.stmt('SELECT model_id, count(*) AS n FROM embeddings GROUP BY model_id').all() as Array<{
    model_id: string;
    n: number;
  }>;
  return Object.fromEntries(rows.map((r) => [r.model_id, r.n]));
}
