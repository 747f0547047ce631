/**
 * Triplet sampling for the four graphs, in JS with a seeded generator whose state is one 32-bit number
 * (part of the model state, so a resumed run samples the same triplets), and the graphs' index feeds.
 */
import { tensorF32, tensorF64, tensorI64, type Feeds } from '../../onnx/runtime.ts';
import { GRAPHS, type GraphName } from './graphs.ts';

/** A mulberry32 generator over an exposed state. */
export interface TripletRng {
  state: number;
}

/** Uniform in [0, 1); advances `r.state`. */
export function nextUniform(r: TripletRng): number {
  r.state = (r.state + 0x6d2b79f5) >>> 0;
  let t = r.state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

/** Relevance [n×n] (1 = the rows share a class, or are the same row) of multi-hot labels [n×C]. */
export function relevance(labels: Float32Array, n: number, classes: number): Uint8Array {
  const rel = new Uint8Array(n * n);
  for (let i = 0; i < n; i++) {
    rel[i * n + i] = 1;
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let c = 0; c < classes && s === 0; c++)
        s = (labels[i * classes + c] as number) * (labels[j * classes + c] as number);
      if (s > 0) rel[i * n + j] = rel[j * n + i] = 1;
    }
  }
  return rel;
}

/** In a relevance matrix from `withKnownNegatives`: neither a positive nor a negative of the other row. */
export const UNKNOWN = 2;

/**
 * Relevance with the user's rejections (known negatives, n × C, 1 = "this photo does not carry tag c"):
 * a row that carries no tag at all (a photo only known by its rejected suggestions) is a negative only for
 * rows carrying a tag it was rejected for, and UNKNOWN (never sampled) for every other row, since nothing says
 * whether it shares their tags. Rows with tags keep relevance as shared tags (DGHDGH's definition); a
 * rejection never makes two photos that share a tag irrelevant. Changes `rel` in place and returns it.
 */
export function withKnownNegatives(
  rel: Uint8Array,
  labels: ArrayLike<number>,
  negatives: ArrayLike<number>,
  n: number,
  classes: number,
): Uint8Array {
  const tagless = (r: number): boolean => {
    for (let c = 0; c < classes; c++) if (labels[r * classes + c]) return false;
    return true;
  };
  const rejectsOneOf = (r: number, of: number): boolean => {
    for (let c = 0; c < classes; c++) if (negatives[r * classes + c] && labels[of * classes + c]) return true;
    return false;
  };
  for (let i = 0; i < n; i++) {
    if (!tagless(i)) continue;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      const v = rejectsOneOf(i, j) ? 0 : UNKNOWN;
      rel[i * n + j] = v;
      rel[j * n + i] = v;
    }
  }
  return rel;
}

/** A batch's relevance for triplet sampling: shared labels, with the user's known negatives when it has them. */
export function batchRelevance(
  batch: { n: number; labels: Float32Array; negatives?: Float32Array },
  classes: number,
): Uint8Array {
  const rel = relevance(batch.labels, batch.n, classes);
  return batch.negatives ? withKnownNegatives(rel, batch.labels, batch.negatives, batch.n, classes) : rel;
}

/** One graph's triplets (parallel arrays). */
export interface Triplets {
  a: number[];
  p: number[];
  n: number[];
}

/**
 * Valid triplets of one graph: p relevant to a (p ≠ a when both come from one modality), n not relevant
 * (pairs marked UNKNOWN are neither).
 * All of an anchor's (p, n) pairs when there are at most `perAnchor`, else `perAnchor` pairs drawn
 * uniformly (with replacement) from its positives × negatives.
 */
export function sampleTriplets(
  rel: Uint8Array,
  n: number,
  sameModality: boolean,
  perAnchor: number,
  rng: TripletRng,
): Triplets {
  const out: Triplets = { a: [], p: [], n: [] };
  for (let a = 0; a < n; a++) {
    const pos: number[] = [];
    const neg: number[] = [];
    for (let j = 0; j < n; j++) {
      const r = rel[a * n + j];
      if (r === 1) {
        if (!(sameModality && j === a)) pos.push(j);
      } else if (r === 0) neg.push(j);
    }
    if (pos.length === 0 || neg.length === 0) continue;
    const push = (p: number, q: number): void => {
      out.a.push(a);
      out.p.push(p);
      out.n.push(q);
    };
    if (pos.length * neg.length <= perAnchor) {
      for (const p of pos) for (const q of neg) push(p, q);
    } else {
      for (let t = 0; t < perAnchor; t++)
        push(
          pos[Math.floor(nextUniform(rng) * pos.length)] as number,
          neg[Math.floor(nextUniform(rng) * neg.length)] as number,
        );
    }
  }
  return out;
}

/** Samples the four graphs' triplets (one generator, in GRAPHS order). */
export function sampleAll(
  rel: Uint8Array,
  n: number,
  perAnchor: number,
  rng: TripletRng,
): Record<GraphName, Triplets> {
  const out = {} as Record<GraphName, Triplets>;
  for (const [name, x, y] of GRAPHS) out[name] = sampleTriplets(rel, n, x === y, perAnchor, rng);
  return out;
}

/** Non-negative integers below 2³¹ as int64 without a BigInt per value: the low 32-bit words of a zeroed buffer. */
export function int64Of(xs: readonly number[]): BigInt64Array {
  const out = new BigInt64Array(xs.length);
  const words = new Int32Array(out.buffer);
  // NOTE: little-endian (every platform Glint ships on): element i's low word is words[2i].
  for (let i = 0; i < xs.length; i++) words[2 * i] = xs[i] as number;
  return out;
}

/**
 * The index feeds of the triplets (a_, p_, n_, an_, w_ per graph; with `cd`, also cdm_ / cdw_). A graph
 * without triplets gets one padding triplet (0, 0, 0) of weight 0, so no tensor is empty.
 */
export function tripletFeeds(
  trips: Record<GraphName, Triplets>,
  batch: number,
  dtype: 'float32' | 'float64',
  cd: boolean,
): Feeds {
  const f: Feeds = {};
  const alloc = (n: number): Float32Array | Float64Array =>
    dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  const float = (data: Float32Array | Float64Array, dims: number[]) =>
    data instanceof Float64Array ? tensorF64(data, dims) : tensorF32(data, dims);
  // L_cd averages over every anchor (of every graph) that has at least two triplets.
  let anchors = 0;
  const groups = {} as Record<GraphName, Map<number, number[]>>;
  for (const [name] of GRAPHS) {
    const byAnchor = new Map<number, number[]>();
    trips[name].a.forEach((a, t) => {
      const list = byAnchor.get(a);
      if (list) list.push(t);
      else byAnchor.set(a, [t]);
    });
    for (const [a, list] of byAnchor) if (list.length < 2) byAnchor.delete(a);
    groups[name] = byAnchor;
    anchors += byAnchor.size;
  }
  for (const [name] of GRAPHS) {
    const t = trips[name];
    const empty = t.a.length === 0;
    const a = empty ? [0] : t.a;
    const p = empty ? [0] : t.p;
    const n = empty ? [0] : t.n;
    const T = a.length;
    const i64 = (xs: readonly number[]) => tensorI64(int64Of(xs), [T]);
    f[`a_${name}`] = i64(a);
    f[`p_${name}`] = i64(p);
    f[`n_${name}`] = i64(n);
    f[`an_${name}`] = i64(a.map((x, k) => x * batch + (n[k] as number)));
    // NOTE: the weights and L_cd's membership matrix are written straight into typed arrays: building JS
    // arrays and converting them cost more per step than the whole no-DGS phase 1 (training/report-notes.md).
    f[`w_${name}`] = float(alloc(T).fill(empty ? 0 : 1), [T]);
    if (cd) {
      const rows = [...groups[name].values()];
      const A = Math.max(1, rows.length);
      const m = alloc(A * T);
      const w = alloc(A);
      rows.forEach((list, r) => {
        for (const k of list) m[r * T + k] = 1 / list.length;
        w[r] = 1 / anchors;
      });
      f[`cdm_${name}`] = float(m, [A, T]);
      f[`cdw_${name}`] = float(w, [A]);
    }
  }
  return f;
}
