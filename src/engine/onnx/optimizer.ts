/**
 * AdamW as ONNX ops, exactly as torch.optim.AdamW (Loshchilov & Hutter, decoupled weight decay):
 *
 *   p ← p·(1 − lr·wd)                       (decay first, on the old parameter)
 *   m ← β1·m + (1 − β1)·g
 *   v ← β2·v + (1 − β2)·g²
 *   p ← p − (lr / (1 − β1^t)) · m / (√v / √(1 − β2^t) + ε)
 *
 * with t the step count of this parameter, starting at 1 on its first update. The bias
 * corrections are computed in float64 (as PyTorch does in Python floats) and cast to the
 * parameter dtype.
 */
import type { GraphBuilder, TensorRef } from './graph-builder.ts';

/** AdamW hyper-parameters (defaults: torch.optim.AdamW's). */
export interface AdamWConfig {
  /** Default 0.9. */
  beta1?: number;
  /** Default 0.999. */
  beta2?: number;
  /** Default 1e-8. */
  eps?: number;
  /** Decoupled weight decay (default 0.01). */
  weightDecay?: number;
  /** Multiplier on the learning rate (per parameter group; default 1). */
  lrScale?: number;
}

/** The AdamW defaults of torch.optim.AdamW. */
export const ADAMW_DEFAULTS = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, lrScale: 1 } as const;

/** Scalars shared by every parameter's update: learning rate and step count, both float64 scalars. */
export interface AdamWScalars {
  /** Base learning rate (float64 scalar). */
  lr: TensorRef;
  /** Step count t ≥ 1 of this parameter (float64 scalar). */
  step: TensorRef;
}

/** New parameter and optimiser state of one tensor. */
export interface AdamWResult {
  p: TensorRef;
  m: TensorRef;
  v: TensorRef;
}

/**
 * Appends one AdamW update of parameter `p` with gradient `grad` and state `m`, `v` (all the
 * same shape and float dtype); returns the new p, m, v.
 */
export function adamwUpdate(
  g: GraphBuilder,
  p: TensorRef,
  grad: TensorRef,
  m: TensorRef,
  v: TensorRef,
  scalars: AdamWScalars,
  config: AdamWConfig = {},
): AdamWResult {
  const c = { ...ADAMW_DEFAULTS, ...config };
  const dt = p.dtype;
  const f64 = (x: TensorRef): TensorRef => (x.dtype === 'float64' ? x : g.cast(x, 'float64'));
  const lr = g.mul(f64(scalars.lr), c.lrScale);
  const t = f64(scalars.step);
  // NOTE: float64 scalars, as torch computes 1 − β^t in Python floats.
  const bc1 = g.sub(1, g.pow(g.scalar(c.beta1, 'float64'), t));
  const bc2 = g.sub(1, g.pow(g.scalar(c.beta2, 'float64'), t));
  const toDt = (x: TensorRef): TensorRef => (dt === 'float64' ? x : g.cast(x, dt));
  const stepSize = toDt(g.div(lr, bc1));
  const invSqrtBc2 = toDt(g.reciprocal(g.sqrt(bc2)));
  const decay = toDt(g.sub(1, g.mul(lr, c.weightDecay)));

  const m1 = g.add(g.mul(m, c.beta1), g.mul(grad, 1 - c.beta1));
  const v1 = g.add(g.mul(v, c.beta2), g.mul(g.mul(grad, grad), 1 - c.beta2));
  const denom = g.add(g.mul(g.sqrt(v1), invSqrtBc2), c.eps);
  const decayed = c.weightDecay === 0 ? p : g.mul(p, decay);
  const p1 = g.sub(decayed, g.mul(stepSize, g.div(m1, denom)));
  return { p: p1, m: m1, v: v1 };
}

/** One tensor of a flat AdamW update: its element count and its group's settings. */
export interface FlatAdamWEntry {
  size: number;
  lrScale: number;
  weightDecay: number;
}

/**
 * AdamW on several tensors laid back to back in flat vectors (p, grad, m, v: [N], `entries` in order), each tensor
 * with its own step count (`steps`, float64 [entries]) and group settings. It performs, element by element, the
 * same operations on the same values as one `adamwUpdate` per tensor — the per-tensor scalars (bias corrections,
 * step size, decay) are computed as vectors over the tensors, then gathered per element — in a few dozen nodes
 * instead of about thirty per tensor, which is most of a train-step graph's nodes.
 */
export function adamwUpdateFlat(
  g: GraphBuilder,
  p: TensorRef,
  grad: TensorRef,
  m: TensorRef,
  v: TensorRef,
  lrIn: TensorRef,
  steps: TensorRef,
  entries: readonly FlatAdamWEntry[],
  config: Omit<AdamWConfig, 'lrScale' | 'weightDecay'> = {},
): AdamWResult {
  const c = { ...ADAMW_DEFAULTS, ...config };
  const dt = p.dtype;
  const E = entries.length;
  const f64 = (x: TensorRef): TensorRef => (x.dtype === 'float64' ? x : g.cast(x, 'float64'));
  const lr = g.mul(
    f64(lrIn),
    g.constant(
      'float64',
      [E],
      entries.map((e) => e.lrScale),
      'lr_scale',
    ),
  );
  const t = f64(steps);
  const bc1 = g.sub(1, g.pow(g.scalar(c.beta1, 'float64'), t));
  const bc2 = g.sub(1, g.pow(g.scalar(c.beta2, 'float64'), t));
  const wd = g.constant(
    'float64',
    [E],
    entries.map((e) => e.weightDecay),
    'weight_decay',
  );
  const toDt = (x: TensorRef): TensorRef => (dt === 'float64' ? x : g.cast(x, dt));
  const N = entries.reduce((n, e) => n + e.size, 0);
  // NOTE: the three per-tensor scalars as the rows of [3, E], each column repeated over its tensor's elements
  // (Expand, then one Concat), then split into three [N] vectors: the same scalar per element as the per-tensor
  // update broadcasts, so the values are identical, not just close. (A Gather per element is ~10x slower.)
  const factors = g.concat(
    [g.div(lr, bc1), g.reciprocal(g.sqrt(bc2)), g.sub(1, g.mul(lr, wd))].map((x) =>
      g.unsqueeze(toDt(x), [0]),
    ),
    0,
  );
  let perElement = factors;
  if (E > 1) {
    const columns = g.node(
      'Split',
      [factors, g.ints(entries.map(() => 1))],
      { axis: 1 },
      entries.map(() => ({ dtype: dt, shape: [3, 1] })),
    );
    perElement = g.concat(
      columns.map((col, i) =>
        g.expand(col, [3, (entries[i] as FlatAdamWEntry).size], [3, (entries[i] as FlatAdamWEntry).size]),
      ),
      1,
    );
  }
  const [stepSize, invSqrtBc2, decay] = g
    .node(
      'Split',
      [perElement, g.ints([1, 1, 1])],
      { axis: 0 },
      [0, 1, 2].map(() => ({ dtype: dt, shape: [1, E > 1 ? N : 1] })),
    )
    .map((x) => g.reshape(x, [-1], [E > 1 ? N : 1])) as [TensorRef, TensorRef, TensorRef];

  const m1 = g.add(g.mul(m, c.beta1), g.mul(grad, 1 - c.beta1));
  const v1 = g.add(g.mul(v, c.beta2), g.mul(g.mul(grad, grad), 1 - c.beta2));
  const denom = g.add(g.mul(g.sqrt(v1), invSqrtBc2), c.eps);
  // NOTE: a decay factor of exactly 1 (weight decay 0) leaves p unchanged, as the per-tensor update skipping it.
  const decayed = g.mul(p, decay);
  const p1 = g.sub(decayed, g.mul(stepSize, g.div(m1, denom)));
  return { p: p1, m: m1, v: v1 };
}

/**
 * The same update in plain JS (float64), for tests and for checking exported graphs: updates
 * `p`, `m`, `v` in place with gradient `grad` at step `t` (≥ 1).
 */
export function adamwReference(
  p: Float64Array,
  grad: ArrayLike<number>,
  m: Float64Array,
  v: Float64Array,
  lr: number,
  t: number,
  config: AdamWConfig = {},
): void {
  const c = { ...ADAMW_DEFAULTS, ...config };
  const a = lr * c.lrScale;
  const bc1 = 1 - c.beta1 ** t;
  const bc2 = 1 - c.beta2 ** t;
  for (let i = 0; i < p.length; i++) {
    const gi = grad[i] as number;
    p[i] = (p[i] as number) * (1 - a * c.weightDecay);
    m[i] = c.beta1 * (m[i] as number) + (1 - c.beta1) * gi;
    v[i] = c.beta2 * (v[i] as number) + (1 - c.beta2) * gi * gi;
    p[i] =
      (p[i] as number) -
      (a / bc1) * ((m[i] as number) / (Math.sqrt(v[i] as number) / Math.sqrt(bc2) + c.eps));
  }
}
