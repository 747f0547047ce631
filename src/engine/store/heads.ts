/**
 * Hash heads: trained networks that turn embeddings into codes; at most one is active per model.
 * A head's folder is stored relative to the library folder (the database's folder) and handed out
 * absolute, so a library that is copied or moved finds its own heads, never another library's.
 */
import { isAbsolute, relative, resolve } from 'node:path';
import type { Store } from './db.ts';
import { libraryRootOf } from './db.ts';

/** A hash head record. */
export interface HeadRecord {
  id: string;
  /** E.g. 'dghdgh' or 'default'. */
  kind: string;
  bits: number;
  /** The CLIP model whose embeddings it hashes. */
  modelId: string;
  /** Folder holding the head's ONNX files (absolute). */
  dir: string;
  createdAt: number;
  active: boolean;
  /** Training/evaluation metrics (parsed JSON), if any. */
  metrics: unknown;
}

/** Fields for `putHead`; `createdAt` defaults to the store's clock, `active` is set with `activateHead`. */
export interface HeadInput {
  id: string;
  kind: string;
  bits: number;
  modelId: string;
  dir: string;
  createdAt?: number;
  metrics?: unknown;
}

interface HeadRow {
  id: string;
  kind: string;
  bits: number;
  model_id: string;
  dir: string;
  created_at: number;
  active: number;
  metrics: string | null;
}

const COLS = 'id, kind, bits, model_id, dir, created_at, active, metrics';

/** The stored form of a head folder: relative when it lies inside the library folder. */
function storedDir(store: Store, dir: string): string {
  const root = libraryRootOf(store);
  const rel = relative(root, resolve(root, dir));
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : resolve(root, dir);
}

function toHead(store: Store, r: HeadRow): HeadRecord {
  return {
    id: r.id,
    kind: r.kind,
    bits: r.bits,
    modelId: r.model_id,
    dir: resolve(libraryRootOf(store), r.dir),
    createdAt: r.created_at,
    active: r.active === 1,
    metrics: r.metrics === null ? undefined : JSON.parse(r.metrics),
  };
}

/** Inserts or updates a head (its active flag is kept). */
export function putHead(store: Store, h: HeadInput): void {
  store.tx(() =>
    store
      .stmt(
        `INSERT INTO heads(id, kind, bits, model_id, dir, created_at, metrics) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT(id) DO UPDATE SET kind = excluded.kind, bits = excluded.bits, model_id = excluded.model_id,
           dir = excluded.dir, created_at = excluded.created_at, metrics = excluded.metrics`,
      )
      .run(
        h.id,
        h.kind,
        h.bits,
        h.modelId,
        storedDir(store, h.dir),
        h.createdAt ?? store.now(),
        h.metrics === undefined ? null : JSON.stringify(h.metrics),
      ),
  );
}

/** Updates a head's metrics JSON. */
export function setHeadMetrics(store: Store, id: string, metrics: unknown): void {
  store.tx(() => store.stmt('UPDATE heads SET metrics = ? WHERE id = ?').run(JSON.stringify(metrics), id));
}

/** The head with this id, if any. */
export function getHead(store: Store, id: string): HeadRecord | undefined {
  const r = store.stmt(`SELECT ${COLS} FROM heads WHERE id = ?`).get(id) as HeadRow | undefined;
  return r && toHead(store, r);
}

/** All heads (of one model, if given), newest first. */
export function listHeads(store: Store, modelId?: string): HeadRecord[] {
  const rows =
    modelId === undefined
      ? store.stmt(`SELECT ${COLS} FROM heads ORDER BY created_at DESC, id`).all()
      : store.stmt(`SELECT ${COLS} FROM heads WHERE model_id = ? ORDER BY created_at DESC, id`).all(modelId);
  return (rows as HeadRow[]).map((r) => toHead(store, r));
}

/** The active head of a model, if any. */
export function getActiveHead(store: Store, modelId: string): HeadRecord | undefined {
  const r = store.stmt(`SELECT ${COLS} FROM heads WHERE model_id = ? AND active = 1`).get(modelId) as
    HeadRow | undefined;
  return r && toHead(store, r);
}

/** Makes a head the active one for its model (deactivating the previous one); false if unknown. */
export function activateHead(store: Store, id: string): boolean {
  return store.tx(() => {
    const model = store.stmt('SELECT model_id FROM heads WHERE id = ?').pluck().get(id) as string | undefined;
    if (model === undefined) return false;
    store.stmt('UPDATE heads SET active = 0 WHERE model_id = ? AND active = 1 AND id <> ?').run(model, id);
    store.stmt('UPDATE heads SET active = 1 WHERE id = ?').run(id);
    return true;
  });
}

/** Deletes a head and (by cascade) all its codes. */
export function deleteHead(store: Store, id: string): boolean {
  return store.tx(() => store.stmt('DELETE FROM heads WHERE id = ?').run(id).changes > 0);
}
