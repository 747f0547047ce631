/**
 * Gradient rules for network ops: LayerNormalization (statistics read from the forward node's Mean / InvStdDev
 * outputs when it has them, float32; else recomputed in the backward graph from its decomposition) and Gelu
 * (opset 20; exact and tanh forms).
 */
import type { GradRule } from './grad-context.ts';
import type { TensorRef } from './graph-builder.ts';

/** Rules for network ops. */
export const nnRules: Record<string, GradRule> = {
  LayerNormalization: ({ ctx, node, inputs, outputs, grads, needs }) => {
    const g = ctx.g;
    const [x, scale, bias] = inputs;
    if (grads.slice(1).some((gr) => gr !== null))
      throw new Error(
        `autodiff: LayerNormalization gradient through its Mean/InvStdDev outputs is not supported`,
      );
    const gy = grads[0] as TensorRef;
    const y = outputs[0] as TensorRef;
    let axis = ctx.attrInt(node, 'axis', -1);
    const eps = ctx.attrFloat(node, 'epsilon', 1e-5);
    if (axis >= 0) {
      const r = x!.shape?.length;
      if (r === undefined) throw new Error(`autodiff: LayerNormalization with axis ${axis} needs x's rank`);
      axis -= r;
    }
    // NOTE: negative axis a normalises over dims a..−1.
    const axes = Array.from({ length: -axis }, (_, i) => axis + i);
    // NOTE: the forward node's Mean / InvStdDev when it has them (float32 graphs): the same statistics, without
    // another four passes over x.
    const stats = outputs[1] && outputs[2] ? { mu: outputs[1], rstd: outputs[2] } : undefined;
    const xc = g.sub(x!, stats?.mu ?? g.reduceMean(x!, axes, true));
    const rstd = stats?.rstd ?? g.reciprocal(g.sqrt(g.add(g.reduceMean(g.mul(xc, xc), axes, true), eps)));
    const xhat = g.mul(xc, rstd);
    const gyx = needs[1] ? g.mul(gy, xhat) : null;
    let gx: TensorRef | null = null;
    if (needs[0]) {
      // dx = rstd·(dxhat − mean(dxhat) − xhat·mean(dxhat·xhat)), dxhat = g·scale
      const dxhat = g.mul(gy, scale!);
      const m1 = g.reduceMean(dxhat, axes, true);
      // NOTE: over the last axis with a vector scale, mean(dxhat·xhat) = (gy·xhat)·scale / C: one product reusing
      // gy·xhat (scale's gradient needs it anyway) instead of another pass and a reduction.
      const c = scale!.shape?.length === 1 ? scale!.shape[0] : undefined;
      const m2 =
        gyx && axes.length === 1 && typeof c === 'number'
          ? g.matMul(gyx, g.reshape(g.mul(scale!, 1 / c), [c, 1], [c, 1]))
          : g.reduceMean(g.mul(dxhat, xhat), axes, true);
      gx = g.mul(rstd, g.sub(g.sub(dxhat, m1), g.mul(xhat, m2)));
    }
    const gs = gyx ? ctx.unbroadcast(gyx, scale!, y.shape) : null;
    const gb = needs[2] && bias ? ctx.unbroadcast(gy, bias, y.shape) : null;
    return [gx, gs, gb];
  },

  Gelu: ({ ctx, node, inputs, grads }) => {
    const g = ctx.g;
    const x = inputs[0] as TensorRef;
    const gy = grads[0] as TensorRef;
    if (ctx.attrString(node, 'approximate', 'none') === 'tanh') {
      // y = ½x(1 + tanh u), u = c(x + 0.044715x³): y' = ½(1 + t) + ½x(1 − t²)·c(1 + 3·0.044715x²)
      const c = Math.sqrt(2 / Math.PI);
      const x2 = g.mul(x, x);
      const t = g.tanh(g.mul(g.add(x, g.mul(g.mul(x2, x), 0.044715)), c));
      const du = g.mul(g.add(g.mul(x2, 3 * 0.044715), 1), c);
      const d = g.add(g.mul(g.add(t, 1), 0.5), g.mul(g.mul(g.mul(x, 0.5), g.sub(1, g.mul(t, t))), du));
      return [g.mul(gy, d)];
    }
    // y = x·Φ(x): y' = Φ(x) + x·φ(x)
    const cdf = g.mul(g.add(g.erf(g.mul(x, Math.SQRT1_2)), 1), 0.5);
    const pdf = g.mul(g.exp(g.mul(g.mul(x, x), -0.5)), 1 / Math.sqrt(2 * Math.PI));
    return [g.mul(gy, g.add(cdf, g.mul(x, pdf)))];
  },
};
