/**
 * The two train-step graphs of one DGHDGH step (see DGHDGH.md §4):
 *   phase 1 (hash learning): L_hl + L_sp1 + L_sp2 → hash layers, CL1, GT (λ taken as a constant);
 *   phase 2 (generation):    L_go = γ_is·L_is + γ_sp·L_sp + γ_cd·L_cd → GT + FC (codes taken as constants,
 *                            CL1 frozen).
 * Batch inputs (B rows, dynamic): image [B, Di], text [B, Dt], labels [B, C] multi-hot, rel [B, B]
 * (1 = relevant: labels share a class, or the same row), tau [] (absent under no-HAP). Per graph
 * X→Y ∈ {ii, it, ti, tt}, its sampled triplets (T_X→Y rows, dynamic, ≥ 1): a_, p_, n_ int64 [T] (rows of X, Y, Y),
 * an_ int64 [T] = a·B + n (the edge to read λ from), w_ [T] (1 = real triplet, 0 = padding); phase 2 also
 * cdm_ [A, T] (row-normalised anchor membership) and cdw_ [A] (anchor weights, Σ over graphs = 1).
 */
import type { DiffGraph } from '../../onnx/autodiff.ts';
import { stopGradient } from '../../onnx/autodiff.ts';
import type { TensorRef } from '../../onnx/graph-builder.ts';
import type { TrainStepSpec } from '../../onnx/train-step.ts';
import type { DghdghConfig } from './config.ts';
import { attentionMask, graphTransformer, initialEdgesAt } from './gt.ts';
import { cosine, dense, hashLayer, l2Normalize, labelLoss, weightedMean, type Params } from './layers.ts';
import { GROUP_GT, GROUP_HASH, hasGt, paramSpecs, phase1Frozen, phase2Frozen } from './params.ts';

/** The four graphs: [name, query modality, key modality]. */
export const GRAPHS = [
  ['ii', 'image', 'image'],
  ['it', 'image', 'text'],
  ['ti', 'text', 'image'],
  ['tt', 'text', 'text'],
] as const;

/** Graph name. */
export type GraphName = (typeof GRAPHS)[number][0];

/** Losses phase 1 reports (metric outputs). */
export const PHASE1_METRICS = ['hl', 'real', 'syn', 'sp1', 'sp2'] as const;
/** Losses phase 2 reports. */
export const PHASE2_METRICS = ['go', 'is', 'sp', 'cd'] as const;

/**
 * DGS (Eq. 6–7): r = (d_ap + λ·τ·(d_an − d_ap)) / d_an per channel; h' = (1 − r)⊙h̃_a + r⊙h̃_n where
 * d_ap < d_an, else h̃_n. ha, hp, hn, lambda [T, K]; tau a scalar tensor.
 */
export function synthesize(
  g: DiffGraph,
  ha: TensorRef,
  hp: TensorRef,
  hn: TensorRef,
  lambda: TensorRef,
  tau: TensorRef,
): TensorRef {
  // NOTE: ε under the roots keeps padding triplets (a = p = n) differentiable; 1e-12 is far below real distances².
  const dist = (x: TensorRef, y: TensorRef): TensorRef => {
    const d = g.sub(x, y);
    return g.sqrt(g.add(g.reduceSum(g.mul(d, d), [-1], true), 1e-12));
  };
  const dap = dist(ha, hp);
  const dan = dist(ha, hn);
  const r = g.div(g.add(dap, g.mul(g.mul(lambda, tau), g.sub(dan, dap))), g.max(dan, 1e-6));
  const mixed = g.add(ha, g.mul(r, g.sub(hn, ha)));
  return g.where(g.less(dap, dan), mixed, hn);
}

/** Cosine triplet loss per row: max(0, margin − cos(a, p) + cos(a, n)) [T]. */
export function tripletLoss(
  g: DiffGraph,
  margin: number,
  ha: TensorRef,
  hp: TensorRef,
  hn: TensorRef,
): TensorRef {
  return g.relu(g.add(g.sub(cosine(g, ha, hn), cosine(g, ha, hp)), margin));
}

/**
 * tripletLoss from unit rows (ua, up, un already L2-normalised) → [T]. Rows gathered from normalised codes equal the
 * normalised gathered rows, so the B rows are normalised once instead of the T ≈ 16·B gathered ones (and their
 * gradients summed back by the gather's adjoint).
 */
export function tripletLossUnit(
  g: DiffGraph,
  margin: number,
  ua: TensorRef,
  up: TensorRef,
  un: TensorRef,
): TensorRef {
  return g.relu(g.add(g.sub(dot(g, ua, un), dot(g, ua, up)), margin));
}

/** Row-wise dot product of two [n, K] tensors → [n] (the cosine of unit rows). */
function dot(g: DiffGraph, a: TensorRef, b: TensorRef): TensorRef {
  return g.reduceSum(g.mul(a, b), [-1], false);
}

/** Σ w·loss / max(1, #(w·loss > 0)): the mean over the triplets that still violate the margin. */
export function violatorMean(g: DiffGraph, loss: TensorRef, w: TensorRef): TensorRef {
  const l = g.mul(loss, w);
  const count = g.reduceSum(g.cast(g.greater(l, 0), l.dtype), undefined, false);
  return g.div(g.reduceSum(l, undefined, false), g.max(count, 1));
}

/** One graph's triplet inputs. */
export interface GraphInputs {
  a: TensorRef;
  p: TensorRef;
  n: TensorRef;
  an: TensorRef;
  w: TensorRef;
}

/** Everything both phases compute up to the synthetic negatives. */
export interface Forward {
  labels: TensorRef;
  codes: Record<'image' | 'text', TensorRef>;
  trip: Record<GraphName, GraphInputs>;
  /** Per graph: λ [T, K]. */
  lambda: Record<GraphName, TensorRef>;
  /** Per graph: final node states (GT only). */
  nodes: Partial<Record<GraphName, TensorRef>>;
  tau: TensorRef;
}

function forward(
  g: DiffGraph,
  p: Params,
  c: DghdghConfig,
  dtype: 'float32' | 'float64',
  stopCodes: boolean,
): Forward {
  const image = g.input('image', dtype, ['B', c.dims.image]);
  const text = g.input('text', dtype, ['B', c.dims.text]);
  const labels = g.input('labels', dtype, ['B', c.classes]);
  let codes = { image: hashLayer(g, p, c, 'image', image), text: hashLayer(g, p, c, 'text', text) };
  if (stopCodes) codes = { image: stopGradient(g, codes.image), text: stopGradient(g, codes.text) };
  const trip = {} as Record<GraphName, GraphInputs>;
  for (const [name] of GRAPHS) {
    const idx = (k: string): TensorRef => g.input(`${k}_${name}`, 'int64', [`T_${name}`]);
    trip[name] = {
      a: idx('a'),
      p: idx('p'),
      n: idx('n'),
      an: idx('an'),
      w: g.input(`w_${name}`, dtype, [`T_${name}`]),
    };
  }
  const lambda = {} as Record<GraphName, TensorRef>;
  const nodes: Partial<Record<GraphName, TensorRef>> = {};
  const tau = c.ablation.hap ? g.input('tau', dtype, []) : g.scalar(1, dtype);
  if (c.ablation.dgs) {
    const rel = hasGt(c) ? g.input('rel', dtype, ['B', 'B']) : undefined;
    const mask = rel ? attentionMask(g, rel) : undefined;
    for (const [name, x, y] of GRAPHS) {
      const t = trip[name];
      let edges: TensorRef;
      if (mask) {
        const out = graphTransformer(g, p, c, codes[x], codes[y], mask, { rows: t.a, cols: t.n, flat: t.an });
        nodes[name] = out.nodes;
        edges = out.edges;
      } else {
        edges = initialEdgesAt(g, g.gather(codes[x], t.a, 0), g.gather(codes[y], t.n, 0));
      }
      lambda[name] = g.sigmoid(dense(g, p, 'fc', edges));
    }
  }
  return { labels, codes, trip, lambda, nodes, tau };
}

/** One graph's anchor / positive / negative codes (in the synthesis space) and its synthetic negatives. */
export interface SynthTriplets {
  ha: TensorRef;
  hp: TensorRef;
  hn: TensorRef;
  hs: TensorRef;
  /** ha, hp and hs L2-normalised (for the cosines against them). */
  ua: TensorRef;
  up: TensorRef;
  us: TensorRef;
}

/**
 * Synthetic negatives per graph, with the anchor / positive / negative codes they were made from. Under
 * `synthesis: 'normalized'` all four live on the unit sphere (the reference code interpolates L2-normalised
 * codes); cosine losses are unchanged by that, distances and hence r are not.
 */
function synthetic(
  g: DiffGraph,
  c: DghdghConfig,
  f: Forward,
  stopLambda: boolean,
): Record<GraphName, SynthTriplets> {
  const out = {} as Record<GraphName, SynthTriplets>;
  const space = (x: TensorRef): TensorRef => (c.synthesis === 'normalized' ? l2Normalize(g, x) : x);
  for (const [name, x, y] of GRAPHS) {
    const t = f.trip[name];
    // NOTE: normalising is row-wise, so it is done on the B codes before gathering the T triplet rows.
    const sx = space(f.codes[x]);
    const sy = space(f.codes[y]);
    const ha = g.gather(sx, t.a, 0);
    const hp = g.gather(sy, t.p, 0);
    const hn = g.gather(sy, t.n, 0);
    const lam = stopLambda ? stopGradient(g, f.lambda[name]) : f.lambda[name];
    const hs = synthesize(g, ha, hp, hn, lam, f.tau);
    const ua = g.gather(l2Normalize(g, sx), t.a, 0);
    const up = g.gather(l2Normalize(g, sy), t.p, 0);
    out[name] = { ha, hp, hn, hs, ua, up, us: l2Normalize(g, hs) };
  }
  return out;
}

const concatAll = (g: DiffGraph, xs: TensorRef[]): TensorRef => g.concat(xs, 0);

/**
 * The weights of the synthetic triplets L_syn averages: the real-triplet weights, and under
 * `synTriplets: 'harder'` only where cos(a, h′) ≥ cos(a, p) (a comparison: no gradient flows through it).
 */
export function synWeights(
  g: DiffGraph,
  c: DghdghConfig,
  s: Record<GraphName, SynthTriplets>,
  w: TensorRef,
): TensorRef {
  if (c.synTriplets !== 'harder') return w;
  const harder = concatAll(
    g,
    GRAPHS.map(([n]) => {
      const t = s[n];
      return g.cast(g.greaterOrEqual(dot(g, t.ua, t.us), dot(g, t.ua, t.up)), w.dtype);
    }),
  );
  return g.mul(w, harder);
}

/** The loss terms of phase 1 (and what they were computed from, for diagnostics). */
export interface Phase1Terms {
  forward: Forward;
  /** Per-graph synthetic triplets (DGS on only). */
  synth?: Record<GraphName, SynthTriplets>;
  /** Real-triplet weights over the four graphs, concatenated. */
  w: TensorRef;
  real: TensorRef;
  syn?: TensorRef;
  sp1: TensorRef;
  sp2?: TensorRef;
}

/**
 * Phase 1's terms: L_real, L_syn (λ constant), L_sp1 on DETACHED codes (the reference trains CL1 on
 * `codes.detach()`, DGHDGH.md §4: no label gradient reaches the hash layers through CL1) and L_sp2.
 */
export function phase1Terms(
  g: DiffGraph,
  p: Params,
  c: DghdghConfig,
  dtype: 'float32' | 'float64',
): Phase1Terms {
  const f = forward(g, p, c, dtype, false);
  const w = concatAll(
    g,
    GRAPHS.map(([n]) => f.trip[n].w),
  );
  const real = violatorMean(
    g,
    concatAll(
      g,
      GRAPHS.map(([n, x, y]) => {
        const t = f.trip[n];
        const ux = l2Normalize(g, f.codes[x]);
        const uy = l2Normalize(g, f.codes[y]);
        return tripletLossUnit(g, c.margin, g.gather(ux, t.a, 0), g.gather(uy, t.p, 0), g.gather(uy, t.n, 0));
      }),
    ),
    w,
  );
  const detached = g.concat([stopGradient(g, f.codes.image), stopGradient(g, f.codes.text)], 0);
  const sp1 = g.reduceMean(
    labelLoss(g, c.labelLoss, dense(g, p, 'cl1', detached), g.concat([f.labels, f.labels], 0)),
    undefined,
    false,
  );
  const out: Phase1Terms = { forward: f, w, real, sp1 };
  if (c.ablation.dgs) {
    const s = synthetic(g, c, f, true);
    out.synth = s;
    out.syn = violatorMean(
      g,
      concatAll(
        g,
        GRAPHS.map(([n]) => tripletLossUnit(g, c.margin, s[n].ua, s[n].up, s[n].us)),
      ),
      synWeights(g, c, s, w),
    );
  }
  if (hasGt(c)) {
    const nodes = GRAPHS.map(([n]) => f.nodes[n] as TensorRef);
    out.sp2 = g.reduceMean(
      labelLoss(
        g,
        c.labelLoss,
        dense(g, p, 'cl2', g.concat(nodes, 0)),
        g.concat(
          GRAPHS.map(() => f.labels),
          0,
        ),
      ),
      undefined,
      false,
    );
  }
  return out;
}

/** Phase 1: L_hl + L_sp1 (+ L_sp2 with the GT). Metrics: hl, real, syn, sp1, sp2. */
export function phase1Spec(
  c: DghdghConfig,
  dtype: 'float32' | 'float64',
  gammaSyn: 'input' | number = 'input',
): TrainStepSpec {
  return {
    params: paramSpecs(c),
    groups: {
      [GROUP_HASH]: { lrScale: c.lrHash, weightDecay: c.weightDecay },
      [GROUP_GT]: { lrScale: c.lrGt, weightDecay: c.weightDecay },
    },
    frozen: phase1Frozen(c),
    dtype,
    build: (g, p) => {
      const t = phase1Terms(g, p, c, dtype);
      // NOTE: a fresh zero per use: an unused constant would make ORT warn about a dead initializer.
      const zero = () => g.scalar(0, dtype);
      let hl = t.real;
      if (t.syn) {
        const gs = gammaSyn === 'input' ? g.input('gamma_syn', dtype, []) : g.scalar(gammaSyn, dtype);
        hl = g.add(t.real, g.mul(gs, t.syn));
      }
      const loss = t.sp2 ? g.add(g.add(hl, t.sp1), t.sp2) : g.add(hl, t.sp1);
      return {
        loss,
        metrics: { hl, real: t.real, syn: t.syn ?? zero(), sp1: t.sp1, sp2: t.sp2 ?? zero() },
      };
    },
  };
}

/** Phase 2: L_go = γ_is·L_is + γ_sp·L_sp + γ_cd·L_cd (synthesis on). Metrics: go, is, sp, cd. */
export function phase2Spec(c: DghdghConfig, dtype: 'float32' | 'float64'): TrainStepSpec {
  return {
    params: paramSpecs(c),
    groups: {
      [GROUP_HASH]: { lrScale: c.lrHash, weightDecay: c.weightDecay },
      [GROUP_GT]: { lrScale: c.lrGt, weightDecay: c.weightDecay },
    },
    frozen: phase2Frozen(c),
    dtype,
    build: (g, p) => {
      const f = forward(g, p, c, dtype, true);
      const s = synthetic(g, c, f, false);
      const w = concatAll(
        g,
        GRAPHS.map(([n]) => f.trip[n].w),
      );
      const us = concatAll(
        g,
        GRAPHS.map(([n]) => s[n].us),
      );
      const ua = concatAll(
        g,
        GRAPHS.map(([n]) => s[n].ua),
      );
      const hs = concatAll(
        g,
        GRAPHS.map(([n]) => s[n].hs),
      );
      const is = weightedMean(g, g.sub(1, dot(g, us, ua)), w);
      const ln = concatAll(
        g,
        GRAPHS.map(([n]) => g.gather(f.labels, f.trip[n].n, 0)),
      );
      const sp = weightedMean(g, labelLoss(g, c.labelLoss, dense(g, p, 'cl1', hs), ln), w);
      const cdParts = GRAPHS.map(([n]) => {
        const m = g.input(`cdm_${n}`, dtype, [`A_${n}`, `T_${n}`]);
        const aw = g.input(`cdw_${n}`, dtype, [`A_${n}`]);
        const lam = f.lambda[n];
        const mean = g.matMul(m, lam);
        const mean2 = g.matMul(m, g.mul(lam, lam));
        // NOTE: relu guards float rounding (E[λ²] − E[λ]² slightly < 0); 1e-8 keeps sqrt's gradient finite at 0.
        const std = g.sqrt(g.add(g.relu(g.sub(mean2, g.mul(mean, mean))), 1e-8));
        return g.reduceSum(g.mul(aw, g.sub(1, g.reduceMean(std, [-1], false))), undefined, false);
      });
      const cd = g.add(
        g.add(cdParts[0] as TensorRef, cdParts[1] as TensorRef),
        g.add(cdParts[2] as TensorRef, cdParts[3] as TensorRef),
      );
      const term = (on: boolean, gamma: number, x: TensorRef): TensorRef =>
        on && gamma !== 0 ? g.mul(x, gamma) : g.scalar(0, dtype);
      const go = g.add(
        g.add(term(c.ablation.is, c.gammaIs, is), term(c.ablation.sp, c.gammaSp, sp)),
        term(c.ablation.cd, c.gammaCd, cd),
      );
      return { loss: go, metrics: { go, is, sp, cd } };
    },
  };
}
