/**
 * RGP: the graph transformer of one graph X→Y (Eq. 4–5), shared by DGHDGH's four graphs.
 *
 * Node states V (B query nodes, from X's codes) are updated block after block; the key/value nodes U are
 * Y's codes through the same input projection, held fixed across blocks (for X = Y they start equal to V).
 * Edges E_ij (B×B) start from the centred, norm-scaled product of h̃_i and h̃_j.
 *   node block: V ← LN(V + MaskedMHA(V → U) + W·mean_j E_ij);  V ← LN(V + MLP(V))
 *   edge block: E ← LN(E + CrossAttn(E_ij → {V_i, U_j}));      E ← LN(E + MLP(E))
 * Edges live in their own width d_e (the node width d_g and the code length K are both projected to it):
 * the B×B edge grid is where the time goes, and d_e is its price knob (see DghdghConfig.edgeWidth).
 * Masked attention: query i attends only to keys j that are negatives of i; a row with no negative
 * attends nowhere (its attention output is 0 rather than NaN).
 */
import type { Dim, GraphBuilder, TensorRef } from '../../onnx/graph-builder.ts';
import type { DghdghConfig } from './config.ts';
import { dense, layerNorm, param, type Params } from './layers.ts';

/** Codes centred over their channels and divided by their norm (the per-node factor of an initial edge). */
function scaledCodes(g: GraphBuilder, h: TensorRef): TensorRef {
  const centred = g.sub(h, g.reduceMean(h, [-1], true));
  return g.div(centred, g.sqrt(g.add(g.reduceSum(g.mul(h, h), [-1], true), 1e-12)));
}

/**
 * The projected initial edges on the grid, Linear_{edge_in}(E⁰) as rows [B·B, d_e] (row i·B + j), with E⁰_ij = ĥ_i ⊙ ĥ_j the centred,
 * norm-scaled product of h̃_i and h̃_j (as the reference code). Computed as one product
 * ĥx [B, K] × (ĥy_jk · W_kc) [K, B·d_e], which equals Σ_k (ĥx_ik ĥy_jk) W_kc without forming the [B, B, K]
 * tensor (nor its gradient).
 */
export function projectedInitialEdges(g: GraphBuilder, p: Params, hx: TensorRef, hy: TensorRef): TensorRef {
  const w = param(p, 'gt.edge_in.w');
  const K = w.shape?.[0] as number;
  const de = w.shape?.[1] as number;
  const bi = hx.shape?.[0] ?? null;
  const bj = hy.shape?.[0] ?? null;
  // NOTE: a symbolic name for B·d_e keeps the shapes static enough for the autodiff's unbroadcasting.
  const flatDim = typeof bj === 'number' ? bj * de : `${String(bj)}*${de}`;
  const sb = g.unsqueeze(g.transpose(scaledCodes(g, hy), [1, 0]), [2]);
  const wb = g.reshape(g.mul(sb, g.unsqueeze(w, [1])), [0, -1], [K, flatDim]);
  const flat = g.matMul(scaledCodes(g, hx), wb);
  return g.add(g.reshape(flat, [-1, de], [gridRows(bi, bj), de]), param(p, 'gt.edge_in.b'));
}

/**
 * mean_j of the projected initial edges, [B_i, d_e], without the grid: Linear is affine and E⁰_ij = ĥ_i ⊙ ĥ_j, so
 * mean_j Linear(E⁰_ij) = Linear(ĥ_i ⊙ mean_j ĥ_j) (the first block's edge→node message).
 */
export function initialEdgeMean(g: GraphBuilder, p: Params, hx: TensorRef, hy: TensorRef): TensorRef {
  const mean = g.mul(scaledCodes(g, hx), g.reduceMean(scaledCodes(g, hy), [0], true));
  return g.add(g.matMul(mean, param(p, 'gt.edge_in.w')), param(p, 'gt.edge_in.b'));
}

/** The row count B_i·B_j of the grid as rows [B_i·B_j, d_e] (row i·B_j + j), symbolic when B is. */
function gridRows(bi: Dim, bj: Dim): Dim {
  return typeof bi === 'number' && typeof bj === 'number' ? bi * bj : `${String(bi)}*${String(bj)}`;
}

/** Grid rows [B_i·B_j, d] viewed as [B_i, B_j, d]. */
function gridView(g: GraphBuilder, rows: TensorRef, hx: TensorRef, hy: TensorRef): TensorRef {
  const d = rows.shape?.[1] as number;
  const target = g.concat([g.dimOf(hx, 0), g.ints([-1, d])], 0);
  return g.reshape(rows, target, [hx.shape?.[0] ?? null, hy.shape?.[0] ?? null, d]);
}

/** The initial edge of chosen (row, column) pairs only, [T, K] (what λ reads under no-RGP). */
export function initialEdgesAt(g: GraphBuilder, hRows: TensorRef, hCols: TensorRef): TensorRef {
  return g.mul(scaledCodes(g, hRows), scaledCodes(g, hCols));
}

/** The additive attention mask from relevance `rel` [B, B] (1 = relevant, own pair included). */
export interface AttentionMask {
  /** [B, B]: −1e9 at positives (0 for a row without negatives), 0 at negatives. */
  bias: TensorRef;
  /** [B, 1]: 1 when the row has at least one negative. */
  hasNeg: TensorRef;
}

/** Builds the mask of `rel`. */
export function attentionMask(g: GraphBuilder, rel: TensorRef): AttentionMask {
  const hasNeg = g.reduceMax(g.sub(1, rel), [1], true);
  // NOTE: −1e9 underflows exp() to exactly 0 after the softmax's max shift, in float32 and float64.
  return { bias: g.mul(g.mul(rel, -1e9), hasNeg), hasNeg };
}

/** Masked multi-head attention of queries V [B, dg] over keys/values U [B, dg]; returns the output and the weights [H, B, B]. */
export function maskedAttention(
  g: GraphBuilder,
  p: Params,
  prefix: string,
  heads: number,
  v: TensorRef,
  u: TensorRef,
  mask: AttentionMask,
): { out: TensorRef; weights: TensorRef } {
  const dg = v.shape?.[1] as number;
  const dh = dg / heads;
  const split = (x: TensorRef, perm: number[]): TensorRef => g.transpose(g.reshape(x, [0, heads, dh]), perm);
  const q = split(dense(g, p, `${prefix}.n_q`, v), [1, 0, 2]);
  const k = split(dense(g, p, `${prefix}.n_k`, u), [1, 2, 0]);
  const val = split(dense(g, p, `${prefix}.n_v`, u), [1, 0, 2]);
  const scores = g.add(g.mul(g.matMul(q, k), 1 / Math.sqrt(dh)), mask.bias);
  const weights = g.softmax(scores, -1);
  const heads2 = g.reshape(g.transpose(g.matMul(weights, val), [1, 0, 2]), [0, dg]);
  return { out: g.mul(dense(g, p, `${prefix}.n_o`, heads2), mask.hasNeg), weights };
}

/** The end nodes of the edges an edge block updates: every (i, j) of the B×B grid, or chosen pairs only. */
export type EdgeSet = { kind: 'grid' } | { kind: 'pairs'; rows: TensorRef; cols: TensorRef };

/**
 * Cross-attention of each edge over its two end nodes V_i (rows) and U_j (columns). Edges are [B, B, d_e]
 * for the grid and [T, d_e] for pairs; node projections are computed once per node, then broadcast over
 * the grid or gathered per pair.
 */
function edgeAttention(
  g: GraphBuilder,
  p: Params,
  prefix: string,
  heads: number,
  e: TensorRef,
  v: TensorRef,
  u: TensorRef,
  set: EdgeSet,
): TensorRef {
  const de = e.shape?.[e.shape.length - 1] as number;
  const dh = de / heads;
  const lead = set.kind === 'grid' ? [0, 0] : [0];
  const q = g.reshape(dense(g, p, `${prefix}.e_q`, e), [...lead, heads, dh]);
  const node = (name: string, x: TensorRef, end: 'row' | 'col'): TensorRef => {
    const h = g.reshape(dense(g, p, `${prefix}.${name}`, x), [0, heads, dh]);
    if (set.kind === 'pairs') return g.gather(h, end === 'row' ? set.rows : set.cols, 0);
    return g.unsqueeze(h, [end === 'row' ? 1 : 0]);
  };
  const ki = node('e_k', v, 'row');
  const kj = node('e_k', u, 'col');
  const vi = node('e_v', v, 'row');
  const vj = node('e_v', u, 'col');
  const score = (k: TensorRef): TensorRef => g.mul(g.reduceSum(g.mul(q, k), [-1], true), 1 / Math.sqrt(dh));
  // NOTE: a softmax over two keys is the sigmoid of the score difference.
  const a = g.sigmoid(g.sub(score(ki), score(kj)));
  const mixed = g.add(vj, g.mul(a, g.sub(vi, vj)));
  return dense(g, p, `${prefix}.e_o`, g.reshape(mixed, [...lead, de]));
}

/**
 * The edge cross-attention of edgeAttention on the whole B×B grid, computed without any [B, B, d_e]-sized
 * per-head product (the same function, regrouped):
 *   score_i − score_j = Σ_c E_ijc (R_i − R_j)_ch + b_q·(k_i − k_j), with R_n[c, h] = Σ_d W_q[c, (h, d)] k_n[h, d],
 *     so the queries q_ij = E_ij W_q + b_q are never formed;
 *   out_ij = Σ_h a_ijh P_i,h − Σ_h a_ijh P_j,h + (v_j W_o + b_o), with P_n,h = v_n[h] · W_o[(h, ·), :],
 *     which equals Linear_o(v_j + a (v_i − v_j)) per head.
 * The terms indexed by the column node j are batched over j (a transpose of the grid and back).
 */
function gridEdgeAttention(
  g: GraphBuilder,
  p: Params,
  prefix: string,
  heads: number,
  e: TensorRef,
  v: TensorRef,
  u: TensorRef,
): TensorRef {
  const de = e.shape?.[e.shape.length - 1] as number;
  const dh = de / heads;
  const split = (x: TensorRef): TensorRef => g.reshape(x, [0, heads, dh]);
  // NOTE: the keys enter only as k_i − k_j, where their bias cancels: leaving it out keeps its gradient an exact 0
  // (regrouped, the cancellation would leave rounding noise, which AdamW then scales up to a step).
  const key = (x: TensorRef): TensorRef => split(g.matMul(x, param(p, `${prefix}.e_k.w`)));
  const ki = key(v);
  const kj = key(u);
  const vi = split(dense(g, p, `${prefix}.e_v`, v));
  const vj = split(dense(g, p, `${prefix}.e_v`, u));
  // NOTE: W_q as [H, d_h, d_e], so R_n = Σ_d W_q[c, (h, d)] k_n[h, d] is one product per head, [H, B, d_h] × [H, d_h, d_e]
  // (not a [B, d_e, H, d_h] product tensor reduced over d_h, whose gradient is as large), then laid out [B, d_e, H].
  const wq = g.transpose(g.reshape(param(p, `${prefix}.e_q.w`), [de, heads, dh]), [1, 2, 0]);
  const bq = g.reshape(param(p, `${prefix}.e_q.b`), [heads, dh]);
  const contract = (k: TensorRef): TensorRef =>
    g.transpose(g.matMul(g.transpose(k, [1, 0, 2]), wq), [1, 2, 0]);
  const keyBias = (k: TensorRef): TensorRef => g.reduceSum(g.mul(k, bq), [-1], false);
  const swap = (x: TensorRef): TensorRef => g.transpose(x, [1, 0, 2]);
  const si = g.add(g.matMul(e, contract(ki)), g.unsqueeze(keyBias(ki), [1]));
  const sj = g.add(swap(g.matMul(swap(e), contract(kj))), g.unsqueeze(keyBias(kj), [0]));
  // NOTE: a softmax over two keys is the sigmoid of the score difference.
  const a = g.sigmoid(g.mul(g.sub(si, sj), 1 / Math.sqrt(dh)));
  const wo = g.reshape(param(p, `${prefix}.e_o.w`), [heads, dh, de]);
  const project = (x: TensorRef): TensorRef => swap(g.matMul(swap(x), wo));
  const pi = project(vi);
  const pj = project(vj);
  const t1 = g.matMul(a, pi);
  const t2 = swap(g.matMul(swap(a), pj));
  const base = g.add(g.reduceSum(pj, [1], false), param(p, `${prefix}.e_o.b`));
  return g.add(g.sub(t1, t2), g.unsqueeze(base, [0]));
}

function mlp(g: GraphBuilder, p: Params, prefix: string, x: TensorRef): TensorRef {
  return dense(g, p, `${prefix}_ff2`, g.relu(dense(g, p, `${prefix}_ff1`, x)));
}

/**
 * Final node states [B, d_g] of graph X→Y from codes hx, hy [B, K], and the final edges [T, d_e] at the
 * chosen pairs (row i of X, column j of Y; `flat` = i·B + j). Every block but the last updates the whole
 * B×B grid, because the next node block reads each row's mean edge; the last block's edges feed only λ of
 * the sampled (anchor, negative) pairs, so it updates just those — the grid costs B² rows, the pairs ≤ B × the
 * triplet cap.
 */
export function graphTransformer(
  g: GraphBuilder,
  p: Params,
  c: DghdghConfig,
  hx: TensorRef,
  hy: TensorRef,
  mask: AttentionMask,
  pairs: { rows: TensorRef; cols: TensorRef; flat: TensorRef },
): { nodes: TensorRef; edges: TensorRef } {
  let v = dense(g, p, 'gt.node_in', hx);
  const u = dense(g, p, 'gt.node_in', hy);
  // NOTE: the grid is kept as rows [B·B, d_e], so its dense layers are 2-D products (ORT fuses their bias into the
  // Gemm, and their weight gradients are single products); it is viewed as [B, B, d_e] where j matters.
  let e = projectedInitialEdges(g, p, hx, hy);
  for (let l = 0; l < c.gtBlocks; l++) {
    const pre = `gt.${l}`;
    let upd = g.add(v, maskedAttention(g, p, pre, c.gtHeads, v, u, mask).out);
    // NOTE: edge→node messages use the mean over j (Σ_j / B): Linear(mean_j E_ij) = mean_j Linear(E_ij),
    // one B×d_e product instead of B²×d_e, and the scale does not grow with the batch.
    if (c.ablation.emf) {
      const meanEdge =
        l === 0 ? initialEdgeMean(g, p, hx, hy) : g.reduceMean(gridView(g, e, hx, hy), [1], false);
      upd = g.add(upd, dense(g, p, `${pre}.n_msg`, meanEdge));
    }
    v = layerNorm(g, p, `${pre}.n_ln1`, upd);
    v = layerNorm(g, p, `${pre}.n_ln2`, g.add(v, mlp(g, p, `${pre}.n`, v)));
    let set: EdgeSet = { kind: 'grid' };
    if (l === c.gtBlocks - 1) {
      e = g.gather(e, pairs.flat, 0);
      set = { kind: 'pairs', rows: pairs.rows, cols: pairs.cols };
    }
    const att =
      set.kind === 'grid'
        ? g.reshape(
            gridEdgeAttention(g, p, pre, c.gtHeads, gridView(g, e, hx, hy), v, u),
            [-1, c.edgeWidth],
            e.shape,
          )
        : edgeAttention(g, p, pre, c.gtHeads, e, v, u, set);
    e = layerNorm(g, p, `${pre}.e_ln1`, g.add(e, att));
    e = layerNorm(g, p, `${pre}.e_ln2`, g.add(e, mlp(g, p, `${pre}.e`, e)));
  }
  return { nodes: v, edges: e };
}
