/**
 * Gradient rules for reductions (ReduceSum/Mean/Max/Min/SumSquare/L1/L2/LogSumExp; axes as an
 * input, opset 18, or as an attribute, older opsets) and for Softmax / LogSoftmax.
 * ReduceMax/ReduceMin split the gradient evenly among tied maxima (as torch.amax).
 */
import type { GradArgs, GradContext, GradRule } from './grad-context.ts';
import { staticDims } from './grad-context.ts';
import { numel } from './graph-builder.ts';
import type { TensorRef } from './graph-builder.ts';

interface Reduced {
  /** The incoming gradient with reduced dims kept as 1 (broadcastable against x). */
  gk: TensorRef;
  /** The reduced output with reduced dims kept as 1. */
  yk: TensorRef;
  /** Constant axes, or undefined for all axes. */
  axes: number[] | undefined;
  /** Computed (non-constant) axes input, when the op has one (keepdims=1 then). */
  axesInput?: TensorRef;
  /** True when the op reduced nothing (empty axes with noop_with_empty_axes). */
  noop: boolean;
}

function reduced({ ctx, node, inputs, outputs, grads }: GradArgs): Reduced {
  const g = ctx.g;
  const keepdims = ctx.attrInt(node, 'keepdims', 1) === 1;
  const axesRef = inputs[1] ?? null;
  let axes = axesRef ? ctx.constValues(axesRef) : ctx.attrInts(node, 'axes');
  if (axesRef && !axes && !keepdims)
    throw new Error(`autodiff: ${node.opType} with computed axes and keepdims=0 is not supported`);
  let gk = grads[0] as TensorRef;
  let yk = outputs[0] as TensorRef;
  if (axes && axes.length === 0) {
    if (ctx.attrInt(node, 'noop_with_empty_axes', 0) === 1) return { gk, yk, axes, noop: true };
    axes = undefined;
  }
  if (!keepdims && axes) {
    // NOTE: Unsqueeze axes count in the output rank, which is x's rank, so negative axes work as given.
    gk = g.unsqueeze(gk, axes);
    yk = g.unsqueeze(yk, axes);
  }
  // NOTE: with keepdims=0 over all axes, gk / yk are scalars, which broadcast against x anyway.
  return axesRef && !axes && ctx.constValues(axesRef) === undefined
    ? { gk, yk, axes, axesInput: axesRef, noop: false }
    : { gk, yk, axes, noop: false };
}

function countReduced(ctx: GradContext, x: TensorRef, yk: TensorRef): TensorRef {
  const xd = staticDims(x);
  const yd = staticDims(yk);
  if (xd && yd) return ctx.scalar(numel(xd) / numel(yd), x.dtype);
  return ctx.g.div(ctx.sizeOf(x, x.dtype), ctx.sizeOf(yk, x.dtype));
}

function reduceRule(f: (x: TensorRef, r: Reduced, args: GradArgs) => TensorRef): GradRule {
  return (args) => {
    const x = args.inputs[0] as TensorRef;
    const r = reduced(args);
    if (r.noop) return [r.gk, null];
    return [f(x, r, args), null];
  };
}

function selectExtreme(x: TensorRef, r: Reduced, { ctx }: GradArgs): TensorRef {
  const g = ctx.g;
  const m = ctx.mask(g.equal(x, r.yk), x.dtype);
  const count = r.axesInput
    ? g.op('ReduceSum', [m, r.axesInput], { keepdims: 1 }, { dtype: x.dtype })
    : g.reduceSum(m, r.axes, true);
  return g.mul(m, g.div(r.gk, count));
}

/** Rules for reductions and softmax. */
export const reduceRules: Record<string, GradRule> = {
  ReduceSum: reduceRule((x, r, { ctx }) => ctx.expandTo(r.gk, x)),
  ReduceMean: reduceRule((x, r, { ctx }) => ctx.expandTo(ctx.g.div(r.gk, countReduced(ctx, x, r.yk)), x)),
  ReduceMax: reduceRule(selectExtreme),
  ReduceMin: reduceRule(selectExtreme),
  ReduceSumSquare: reduceRule((x, r, { ctx }) => ctx.g.mul(ctx.g.mul(x, 2), r.gk)),
  ReduceL1: reduceRule((x, r, { ctx }) => ctx.g.mul(ctx.g.sign(x), r.gk)),
  // NOTE: d‖x‖/dx = x/‖x‖, taken as 0 where ‖x‖ = 0 (then x = 0 there too).
  ReduceL2: reduceRule((x, r, { ctx }) => {
    const g = ctx.g;
    const safe = g.where(g.equal(r.yk, 0), 1, r.yk);
    return g.mul(g.div(x, safe), r.gk);
  }),
  ReduceLogSumExp: reduceRule((x, r, { ctx }) => ctx.g.mul(ctx.g.exp(ctx.g.sub(x, r.yk)), r.gk)),

  // dx = y ⊙ (g − Σ_axis g ⊙ y)
  Softmax: ({ ctx, node, outputs, grads }) => {
    const g = ctx.g;
    const axis = ctx.attrInt(node, 'axis', -1);
    const y = outputs[0] as TensorRef;
    const gy = grads[0] as TensorRef;
    return [g.mul(y, g.sub(gy, g.reduceSum(g.mul(gy, y), [axis], true)))];
  },
  // dx = g − softmax ⊙ Σ_axis g
  LogSoftmax: ({ ctx, node, outputs, grads }) => {
    const g = ctx.g;
    const axis = ctx.attrInt(node, 'axis', -1);
    const y = outputs[0] as TensorRef;
    const gy = grads[0] as TensorRef;
    return [g.sub(gy, g.mul(g.exp(y), g.reduceSum(gy, [axis], true)))];
  },
};
