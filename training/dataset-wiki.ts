/**
 * The Wikipedia cross-modal benchmark (Rasiwasia et al., 2010) as a training/evaluation data set.
 * Protocol (shared/data/README.md): `*_te` rows are the QUERY set; `*_tr` rows are both the training set
 * and the retrieval DATABASE; an item is relevant to a query when their classes are equal. Validation
 * rows for tuning come from the training set only (`splitValidation`), never from the query set.
 * Features are returned row-major float32 (n × dim); labels both as 0-based class ids and as n × C multi-hot
 * rows (the general form DGHDGH uses: relevant when two rows share a class).
 */
import { GlintError } from '../src/engine/errors.ts';
import { getNumeric, readMatFile, toRowMajor, type MatFile } from './mat-v5.ts';
import { splitValidation } from '../src/engine/train/split-validation.ts';
import type { TrainData } from '../src/engine/train/train-worker-protocol.ts';

/** One set of paired image/text items with labels. */
export interface CrossModalSplit {
  n: number;
  /** n × dims.image, row-major. */
  image: Float32Array;
  /** n × dims.text, row-major. */
  text: Float32Array;
  /** n × classes multi-hot (one-hot for this data set), row-major. */
  labels: Uint8Array;
  /** Class id per item, 0-based (the file's ids are 1-based). */
  classIds: Uint8Array;
}

/** A cross-modal retrieval data set: `train` doubles as the retrieval database, `query` is held out. */
export interface CrossModalDataset {
  train: CrossModalSplit;
  query: CrossModalSplit;
  dims: { image: number; text: number };
  classes: number;
  /** Where it was loaded from. */
  source: string;
}

function matrixF32(
  file: MatFile,
  name: string,
  source: string,
): { rows: number; cols: number; data: Float32Array } {
  const { rows, cols, data } = toRowMajor(getNumeric(file, name, source));
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new GlintError(
        'dataset-bad-values',
        `${source}: ${name} has a non-finite value at row ${Math.floor(i / cols)}`,
      );
    }
  }
  return { rows, cols, data: Float32Array.from(data) };
}

function loadSplit(
  file: MatFile,
  suffix: 'tr' | 'te',
  source: string,
): Omit<CrossModalSplit, 'labels'> & { maxId: number; imageDim: number; textDim: number } {
  const I = matrixF32(file, `I_${suffix}`, source);
  const T = matrixF32(file, `T_${suffix}`, source);
  const L = toRowMajor(getNumeric(file, `L_${suffix}`, source));
  if (T.rows !== I.rows || L.rows !== I.rows || L.cols !== 1) {
    throw new GlintError(
      'dataset-bad-shape',
      `${source}: I_${suffix} has ${I.rows} rows, T_${suffix} ${T.rows}, L_${suffix} ${L.rows}×${L.cols}; ` +
        `expected the same number of rows and one label column`,
    );
  }
  const classIds = new Uint8Array(I.rows);
  let maxId = 0;
  for (let i = 0; i < I.rows; i++) {
    const c = L.data[i] as number;
    if (!Number.isInteger(c) || c < 1 || c > 255) {
      throw new GlintError(
        'dataset-bad-labels',
        `${source}: L_${suffix} row ${i} is ${c}; expected a class id 1..255`,
      );
    }
    classIds[i] = c - 1;
    maxId = Math.max(maxId, c);
  }
  return { n: I.rows, image: I.data, text: T.data, classIds, maxId, imageDim: I.cols, textDim: T.cols };
}

function oneHot(classIds: Uint8Array, classes: number): Uint8Array {
  const out = new Uint8Array(classIds.length * classes);
  classIds.forEach((c, i) => (out[i * classes + c] = 1));
  return out;
}

/** Checks an optional one-hot matrix in the file (L_train / L_test) against the class ids. */
function checkOneHot(
  file: MatFile,
  name: string,
  labels: Uint8Array,
  n: number,
  classes: number,
  source: string,
): void {
  if (!file.variables.has(name)) return;
  const H = toRowMajor(getNumeric(file, name, source));
  if (H.rows !== n || H.cols !== classes) {
    throw new GlintError(
      'dataset-bad-labels',
      `${source}: ${name} is ${H.rows}×${H.cols}, expected ${n}×${classes}`,
    );
  }
  for (let i = 0; i < H.data.length; i++) {
    if (H.data[i] !== labels[i]) {
      throw new GlintError(
        'dataset-bad-labels',
        `${source}: ${name} row ${Math.floor(i / classes)} disagrees with the class ids (one-hot and ids must match)`,
      );
    }
  }
}

/**
 * Loads `wiki_data.mat` (MAT v5: I_tr/I_te image features, T_tr/T_te text features, L_tr/L_te class ids
 * 1..C, optionally L_train/L_test one-hot) into row-major float32 splits. Throws GlintError for a missing or
 * malformed file. By default the features are standardised (`standardizeFeatures`); `{ standardize: false }`
 * returns the file's values.
 */
export function loadWikiDataset(path: string, options: { standardize?: boolean } = {}): CrossModalDataset {
  const file = readMatFile(path);
  const tr = loadSplit(file, 'tr', path);
  const te = loadSplit(file, 'te', path);
  if (tr.imageDim !== te.imageDim || tr.textDim !== te.textDim) {
    throw new GlintError(
      'dataset-bad-shape',
      `${path}: training features are ${tr.imageDim}/${tr.textDim}-d but query features ${te.imageDim}/${te.textDim}-d`,
    );
  }
  const classes = Math.max(tr.maxId, te.maxId);
  const split = (s: typeof tr): CrossModalSplit => ({
    n: s.n,
    image: s.image,
    text: s.text,
    labels: oneHot(s.classIds, classes),
    classIds: s.classIds,
  });
  const train = split(tr);
  const query = split(te);
  checkOneHot(file, 'L_train', train.labels, train.n, classes, path);
  checkOneHot(file, 'L_test', query.labels, query.n, classes, path);
  const ds = { train, query, dims: { image: tr.imageDim, text: tr.textDim }, classes, source: path };
  return options.standardize === false ? ds : standardizeFeatures(ds);
}

/**
 * Each feature column z-scored with the mean and standard deviation of the TRAINING rows (the query rows are
 * transformed with those same statistics and never contribute to them). Wiki's features are L1-normalised
 * histograms (SIFT words, LDA topics) whose entries average 1/128 and 1/10: fed raw, a tanh hash layer
 * starts in its linear regime with near-zero outputs and learns far slower. Constant columns stay 0.
 */
export function standardizeFeatures(ds: CrossModalDataset): CrossModalDataset {
  const out = { ...ds, train: { ...ds.train }, query: { ...ds.query } };
  for (const m of ['image', 'text'] as const) {
    const d = ds.dims[m];
    const x = ds.train[m];
    const n = ds.train.n;
    const mean = new Float64Array(d);
    const sq = new Float64Array(d);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < d; j++) {
        const v = x[i * d + j] as number;
        mean[j] = (mean[j] as number) + v / n;
        sq[j] = (sq[j] as number) + (v * v) / n;
      }
    const scale = mean.map((mu, j) => {
      const sd = Math.sqrt(Math.max(0, (sq[j] as number) - mu * mu));
      return sd > 1e-12 ? 1 / sd : 0;
    });
    const apply = (src: Float32Array): Float32Array =>
      src.map((v, k) => (v - (mean[k % d] as number)) * (scale[k % d] as number));
    out.train[m] = apply(ds.train[m]);
    out.query[m] = apply(ds.query[m]);
  }
  return out;
}

/** The rows `indices` of a split, as a new split (copies). */
export function selectRows(split: CrossModalSplit, indices: ArrayLike<number>): CrossModalSplit {
  const n = indices.length;
  const di = split.image.length / split.n;
  const dt = split.text.length / split.n;
  const C = split.labels.length / split.n;
  const out: CrossModalSplit = {
    n,
    image: new Float32Array(n * di),
    text: new Float32Array(n * dt),
    labels: new Uint8Array(n * C),
    classIds: new Uint8Array(n),
  };
  for (let k = 0; k < n; k++) {
    const i = indices[k] as number;
    if (!Number.isInteger(i) || i < 0 || i >= split.n) {
      throw new GlintError('dataset-bad-split', `row index ${i} is outside 0..${split.n - 1}`);
    }
    out.image.set(split.image.subarray(i * di, (i + 1) * di), k * di);
    out.text.set(split.text.subarray(i * dt, (i + 1) * dt), k * dt);
    out.labels.set(split.labels.subarray(i * C, (i + 1) * C), k * C);
    out.classIds[k] = split.classIds[i] as number;
  }
  return out;
}

/**
 * The benchmark as a training job's data: `fraction` of the training rows (seeded) held out for validation,
 * the query set kept for the final evaluation, ranked against the whole training set as its database.
 */
export function wikiTrainData(ds: CrossModalDataset, fraction: number, seed: number): TrainData {
  const split = splitValidation(ds.train.n, fraction, seed);
  // NOTE: validation rows come out of the training set; the query set is only touched by the final evaluation,
  // and the retrieval database is the whole training set (the benchmark's protocol).
  return {
    train: selectRows(ds.train, split.train),
    validation: selectRows(ds.train, split.validation),
    query: ds.query,
    database: ds.train,
  };
}
