/** Small graph building blocks of the DGHDGH graphs: linear layers, hash layers, label losses, cosine. */
import type { GraphBuilder, TensorRef } from '../../onnx/graph-builder.ts';
import type { DghdghConfig } from './config.ts';
import { hashParamNames } from './params.ts';

/** Parameter tensors by name. */
export type Params = Readonly<Record<string, TensorRef>>;

/** Looks a tensor up (a missing name is a bug in the graph code). */
export function param(p: Params, name: string): TensorRef {
  const t = p[name];
  if (!t) throw new Error(`dghdgh: no parameter ${name}`);
  return t;
}

/** x · W + b with the `name.w` / `name.b` tensors. */
export function dense(g: GraphBuilder, p: Params, name: string, x: TensorRef): TensorRef {
  return g.add(g.matMul(x, param(p, `${name}.w`)), param(p, `${name}.b`));
}

/** LayerNorm with the `name.s` / `name.b` tensors. */
export function layerNorm(g: GraphBuilder, p: Params, name: string, x: TensorRef): TensorRef {
  return g.layerNorm(x, param(p, `${name}.s`), param(p, `${name}.b`), { axis: -1, epsilon: 1e-5 });
}

/** h̃ = tanh(HashLayer(e)): Linear (+ ReLU + Linear …) + tanh, [n, D] → [n, K] (Eq. 1–2). */
export function hashLayer(
  g: GraphBuilder,
  p: Params,
  c: DghdghConfig,
  m: 'image' | 'text',
  x: TensorRef,
): TensorRef {
  const names = hashParamNames(c, m);
  let h = x;
  for (let i = 0; i < names.length; i += 2) {
    h = g.add(g.matMul(h, param(p, names[i] as string)), param(p, names[i + 1] as string));
    if (i + 2 < names.length) h = g.relu(h);
  }
  return g.tanh(h);
}

/** Rows scaled to unit L2 norm (a tiny ε keeps zero rows finite). */
export function l2Normalize(g: GraphBuilder, x: TensorRef): TensorRef {
  // NOTE: ε = 1e-12 under the root: far below any real code norm², but keeps 0/0 out of dummy rows.
  return g.div(x, g.sqrt(g.add(g.reduceSum(g.mul(x, x), [-1], true), 1e-12)));
}

/** Row-wise cosine similarity of two [n, K] tensors → [n]. */
export function cosine(g: GraphBuilder, a: TensorRef, b: TensorRef): TensorRef {
  return g.reduceSum(g.mul(l2Normalize(g, a), l2Normalize(g, b)), [-1], false);
}

/**
 * Per-row label loss of logits [n, C] against multi-hot labels [n, C] → [n].
 * 'softmax-ce': cross-entropy against the target normalised to sum 1 (an unlabelled row costs 0);
 * 'bce': per-class sigmoid BCE, averaged over classes.
 */
export function labelLoss(
  g: GraphBuilder,
  kind: DghdghConfig['labelLoss'],
  logits: TensorRef,
  labels: TensorRef,
): TensorRef {
  if (kind === 'softmax-ce') {
    const t = g.div(labels, g.max(g.reduceSum(labels, [-1], true), 1));
    return g.neg(g.reduceSum(g.mul(t, g.logSoftmax(logits, -1)), [-1], false));
  }
  // NOTE: softplus(z) = relu(z) + log(1 + e^−|z|), stable for any z and built from float64-capable ops.
  const softplus = g.add(g.relu(logits), g.log(g.add(g.exp(g.neg(g.abs(logits))), 1)));
  return g.reduceMean(g.sub(softplus, g.mul(labels, logits)), [-1], false);
}

/** Σ w·x / max(1, Σ w) over a vector: the weighted mean of the valid rows (0 when none). */
export function weightedMean(g: GraphBuilder, x: TensorRef, w: TensorRef): TensorRef {
  return g.div(g.reduceSum(g.mul(x, w), undefined, false), g.max(g.reduceSum(w, undefined, false), 1));
}
