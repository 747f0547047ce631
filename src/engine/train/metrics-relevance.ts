/**
 * Ground-truth relevance between query items and database items for the retrieval metrics.
 * Three forms: single class ids (relevant when equal), multi-hot label rows (relevant when the two rows
 * share at least one class — DGHDGH §1), or an arbitrary predicate.
 */
import { GlintError } from '../errors.ts';

/** How to tell whether database item `di` is relevant to query `qi`. */
export type Relevance =
  | { kind: 'class'; query: ArrayLike<number>; db: ArrayLike<number> }
  | { kind: 'multihot'; classes: number; query: ArrayLike<number>; db: ArrayLike<number> }
  | { kind: 'fn'; fn: (qi: number, di: number) => boolean };

/** Relevance compiled for fast row scans: `fillRow(qi, out)` sets out[di] = 1 where relevant, else 0. */
export interface RelevanceRows {
  fillRow(qi: number, out: Uint8Array): void;
  /** Whether database item `di` is relevant to query `qi`. */
  pair(qi: number, di: number): boolean;
}

/** Relevance by single class id per item (relevant when the ids are equal). */
export function byClass(query: ArrayLike<number>, db: ArrayLike<number>): Relevance {
  return { kind: 'class', query, db };
}

/** Relevance by n×classes row-major multi-hot labels (relevant when they share ≥ 1 class). */
export function byMultiHot(query: ArrayLike<number>, db: ArrayLike<number>, classes: number): Relevance {
  return { kind: 'multihot', classes, query, db };
}

/** Packs n×C 0/1 rows into ceil(C/32) words per row (bit c set where label c is nonzero). */
function packLabels(labels: ArrayLike<number>, n: number, classes: number): Uint32Array {
  const stride = Math.ceil(classes / 32);
  const out = new Uint32Array(n * stride);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < classes; c++) {
      if ((labels[i * classes + c] as number) !== 0) {
        const w = i * stride + (c >>> 5);
        out[w] = ((out[w] as number) | (1 << (c & 31))) >>> 0;
      }
    }
  }
  return out;
}

/** Compiles `rel` for `nQuery` queries × `nDb` database items, checking the label array sizes. */
export function compileRelevance(rel: Relevance, nQuery: number, nDb: number): RelevanceRows {
  if (rel.kind === 'fn') {
    const fn = rel.fn;
    return {
      fillRow(qi, out) {
        for (let di = 0; di < nDb; di++) out[di] = fn(qi, di) ? 1 : 0;
      },
      pair: (qi, di) => fn(qi, di),
    };
  }
  if (rel.kind === 'class') {
    if (rel.query.length !== nQuery || rel.db.length !== nDb) {
      throw new GlintError(
        'metrics-bad-input',
        `class labels: expected ${nQuery} query and ${nDb} database ids, got ${rel.query.length} and ${rel.db.length}`,
      );
    }
    const db = Int32Array.from(rel.db);
    const q = rel.query;
    return {
      fillRow(qi, out) {
        const c = q[qi] as number;
        for (let di = 0; di < nDb; di++) out[di] = db[di] === c ? 1 : 0;
      },
      pair: (qi, di) => db[di] === (q[qi] as number),
    };
  }
  const C = rel.classes;
  if (!Number.isInteger(C) || C < 1)
    throw new GlintError('metrics-bad-input', `classes must be ≥ 1, got ${C}`);
  if (rel.query.length !== nQuery * C || rel.db.length !== nDb * C) {
    throw new GlintError(
      'metrics-bad-input',
      `multi-hot labels: expected ${nQuery}×${C} query and ${nDb}×${C} database values, ` +
        `got ${rel.query.length} and ${rel.db.length}`,
    );
  }
  const stride = Math.ceil(C / 32);
  const qp = packLabels(rel.query, nQuery, C);
  const dp = packLabels(rel.db, nDb, C);
  if (stride === 1) {
    return {
      fillRow(qi, out) {
        const q = qp[qi] as number;
        for (let di = 0; di < nDb; di++) out[di] = (q & (dp[di] as number)) !== 0 ? 1 : 0;
      },
      pair: (qi, di) => ((qp[qi] as number) & (dp[di] as number)) !== 0,
    };
  }
  const pair = (qi: number, di: number): boolean => {
    for (let w = 0; w < stride; w++) {
      if (((qp[qi * stride + w] as number) & (dp[di * stride + w] as number)) !== 0) return true;
    }
    return false;
  };
  return {
    fillRow(qi, out) {
      for (let di = 0; di < nDb; di++) out[di] = pair(qi, di) ? 1 : 0;
    },
    pair,
  };
}
