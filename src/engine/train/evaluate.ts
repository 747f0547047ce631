/**
 * Retrieval evaluation of a hash head (DGHDGH.md §6): encode query and database sets with the trained model
 * or a loaded head, take signs, and compute mAP@all (I→T, T→I), P@H≤2, the Fisher ratio and PR points with
 * metrics.ts. Also the baseline row: an UNTRAINED random-projection (LSH) head on the same features.
 */
import { GlintError } from '../errors.ts';
import type { HashHead } from '../hash/head.ts';
import { orthonormalColumns } from '../hash/head-default.ts';
import type { Modality } from '../types.ts';
import {
  byMultiHot,
  fisherTable,
  mapAtAll,
  packCodes,
  precisionAtHammingRadius,
  precisionRecallCurve,
  type PackedCodes,
  type PrPoint,
} from './metrics.ts';
import { createRng } from './metrics-random.ts';
import { validationRadius } from './validation-radius.ts';

/** Paired image/text rows with n×classes multi-hot labels (a CrossModalSplit or a library dataset fits). */
export interface PairedSet {
  n: number;
  image: Float32Array;
  text: Float32Array;
  labels: ArrayLike<number>;
  /** n×classes known negatives (1 = row r is known not to carry class c), where the set has them. */
  negatives?: ArrayLike<number>;
}

/** Anything that maps n rows of one modality to n×K continuous codes (a model, a head, a baseline). */
export type CodeEncoder = (modality: Modality, x: Float32Array, n: number) => Promise<Float32Array>;

/** Fisher ratio for one pair count: mean and std over seeds. */
export interface FisherRow {
  pairs: number;
  mean: number;
  std: number;
}

/** Metrics of one retrieval direction. */
export interface DirectionMetrics {
  map: number;
  /** P@H≤2 (empty retrievals count as 0). */
  pAtH2: number;
  /** Queries that retrieved nothing within radius 2. */
  emptyAtH2: number;
  fisher: FisherRow[];
  pr: PrPoint[];
}

/** Image→text and text→image metrics of one head. */
export interface RetrievalMetrics {
  bits: number;
  queries: number;
  database: number;
  it: DirectionMetrics;
  ti: DirectionMetrics;
  /** Mean of the two mAPs (the model-selection figure). */
  map: number;
}

function checkSet(set: PairedSet, classes: number, what: string): void {
  if (set.labels.length !== set.n * classes) {
    throw new GlintError(
      'metrics-bad-input',
      `${what}: ${set.labels.length} label values for ${set.n} rows × ${classes} classes`,
    );
  }
}

async function encodeSet(
  encode: CodeEncoder,
  set: PairedSet,
  bits: number,
): Promise<{ image: PackedCodes; text: PackedCodes }> {
  const image = await encode('image', set.image, set.n);
  const text = await encode('text', set.text, set.n);
  return { image: packCodes(image, set.n, bits), text: packCodes(text, set.n, bits) };
}

function direction(
  q: PackedCodes,
  db: PackedCodes,
  qLabels: ArrayLike<number>,
  dbLabels: ArrayLike<number>,
  classes: number,
  opts: { fisherPairs: readonly number[]; seed: number },
): DirectionMetrics {
  const rel = byMultiHot(qLabels, dbLabels, classes);
  const p2 = precisionAtHammingRadius(q, db, rel, { radius: 2 });
  let fisher: FisherRow[] = [];
  if (opts.fisherPairs.length) {
    try {
      fisher = fisherTable(q, db, rel, { pairs: opts.fisherPairs, seed: opts.seed }).map((f) => ({
        pairs: f.pairs,
        mean: f.mean,
        std: f.std,
      }));
    } catch (err) {
      // NOTE: a tiny or single-class set may hold no irrelevant pairs at all; the ratio is then undefined.
      if (!(err instanceof GlintError) || err.code !== 'metrics-too-few-pairs') throw err;
    }
  }
  return {
    map: mapAtAll(q, db, rel).map,
    pAtH2: p2.precision,
    emptyAtH2: p2.emptyQueries,
    fisher,
    pr: precisionRecallCurve(q, db, rel),
  };
}

/**
 * Full evaluation: queries of one modality against the database of the other, both directions.
 * `fisherPairs` defaults to the paper's 50/100/200/400 (× 5 seeds); pass [] to skip the Fisher ratio.
 */
export async function evaluateRetrieval(
  encode: CodeEncoder,
  sets: { query: PairedSet; database: PairedSet; classes: number; bits: number },
  opts: { fisherPairs?: readonly number[]; seed?: number } = {},
): Promise<RetrievalMetrics> {
  const { query, database, classes, bits } = sets;
  checkSet(query, classes, 'query set');
  checkSet(database, classes, 'database');
  const q = await encodeSet(encode, query, bits);
  const db = query === database ? q : await encodeSet(encode, database, bits);
  const o = { fisherPairs: opts.fisherPairs ?? [50, 100, 200, 400], seed: opts.seed ?? 0 };
  const it = direction(q.image, db.text, query.labels, database.labels, classes, o);
  const ti = direction(q.text, db.image, query.labels, database.labels, classes, o);
  return { bits, queries: query.n, database: database.n, it, ti, map: (it.map + ti.map) / 2 };
}

/**
 * Validation mAP (model selection, early stopping): validation image queries against text items and vice
 * versa; mean of I→T and T→I. The database is the validation rows themselves unless `database` is given
 * (the training rows, for a benchmark whose retrieval database is its training set).
 */
export async function validationMap(
  encode: CodeEncoder,
  set: PairedSet,
  classes: number,
  bits: number,
  database?: PairedSet,
): Promise<{ map: number; it: number; ti: number; radius?: { 'text-image': number; 'image-text': number } }> {
  checkSet(set, classes, 'validation set');
  const q = await encodeSet(encode, set, bits);
  let db = q;
  if (database) {
    checkSet(database, classes, 'validation database');
    db = await encodeSet(encode, database, bits);
  }
  const rel = byMultiHot(set.labels, (database ?? set).labels, classes);
  const it = mapAtAll(q.image, db.text, rel).map;
  const ti = mapAtAll(q.text, db.image, rel).map;
  if (database) return { map: (it + ti) / 2, it, ti };
  // The radius search keeps to, measured on the same rows (see validation-radius.ts).
  const radius = {
    'text-image': validationRadius(q.text, db.image, set.labels, classes),
    'image-text': validationRadius(q.image, db.text, set.labels, classes),
  };
  return { map: (it + ti) / 2, it, ti, radius };
}

/** A loaded engine head as a CodeEncoder. */
export function headEncoder(head: HashHead): CodeEncoder {
  return (modality, x, n) => head.encode(modality, x, n);
}

function columnMeans(x: Float32Array, n: number, d: number): Float64Array {
  const mean = new Float64Array(d);
  for (let r = 0; r < n; r++)
    for (let c = 0; c < d; c++) mean[c] = (mean[c] as number) + (x[r * d + c] as number) / n;
  return mean;
}

/**
 * The untrained baseline: sign((x − μ_m) · W_m) with μ_m the modality's mean over `fit` (no labels used).
 * When both modalities have the same dimension (CLIP) they share one seeded orthonormal W, like the default
 * head; otherwise (e.g. Wiki's 128-d SIFT vs 10-d LDA) each modality gets its own seeded Gaussian W, which
 * is what LSH means there (and cross-modal retrieval is then at chance: that is the point of the row).
 */
export function lshEncoder(fit: PairedSet, bits: number, seed = 0): CodeEncoder {
  const di = fit.image.length / fit.n;
  const dt = fit.text.length / fit.n;
  const shared = di === dt && bits <= di ? orthonormalColumns(di, bits, seed) : undefined;
  const proj = {
    image: shared ?? createRng(seed, 'lsh-image').fillNormal(new Float64Array(di * bits)),
    text: shared ?? createRng(seed, 'lsh-text').fillNormal(new Float64Array(dt * bits)),
  };
  const mean = { image: columnMeans(fit.image, fit.n, di), text: columnMeans(fit.text, fit.n, dt) };
  const dims = { image: di, text: dt };
  return (modality, x, n) => {
    const d = dims[modality];
    const W = proj[modality];
    const mu = mean[modality];
    const out = new Float32Array(n * bits);
    const row = new Float64Array(d);
    for (let r = 0; r < n; r++) {
      for (let c = 0; c < d; c++) row[c] = (x[r * d + c] as number) - (mu[c] as number);
      for (let k = 0; k < bits; k++) {
        let s = 0;
        for (let c = 0; c < d; c++) s += (row[c] as number) * (W[c * bits + k] as number);
        out[r * bits + k] = s;
      }
    }
    return Promise.resolve(out);
  };
}
