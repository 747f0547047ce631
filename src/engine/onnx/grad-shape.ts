/**
 * Gradient rules for layout ops: Transpose, Reshape/Flatten/Squeeze/Unsqueeze (reshape back),
 * Expand (unbroadcast), Concat (Split) and Split (Concat), Slice (Pad back, unit steps), and the
 * gathers Gather / GatherElements / GatherND (their adjoint scatters with reduction=add, so
 * repeated indices accumulate).
 */
import type { GradRule } from './grad-context.ts';
import type { TensorRef } from './graph-builder.ts';

const reshapeBack: GradRule = ({ ctx, inputs, grads }) => {
  const x = inputs[0] as TensorRef;
  return [ctx.reshapeTo(grads[0] as TensorRef, x), ...inputs.slice(1).map(() => null)];
};

/** Rules for layout ops. */
export const shapeRules: Record<string, GradRule> = {
  Reshape: reshapeBack,
  Flatten: reshapeBack,
  Squeeze: reshapeBack,
  Unsqueeze: reshapeBack,

  Transpose: ({ ctx, node, grads }) => {
    const g = ctx.g;
    const gy = grads[0] as TensorRef;
    const perm = ctx.attrInts(node, 'perm');
    // NOTE: without perm, Transpose reverses the dims, which is its own inverse.
    if (!perm) return [g.op('Transpose', [gy], {}, { dtype: gy.dtype })];
    const inv = new Array<number>(perm.length);
    perm.forEach((p, i) => (inv[p] = i));
    return [g.transpose(gy, inv)];
  },

  Expand: ({ ctx, inputs, outputs, grads }) => [
    ctx.unbroadcast(grads[0] as TensorRef, inputs[0] as TensorRef, (outputs[0] as TensorRef).shape),
    null,
  ],

  Concat: ({ ctx, node, inputs, grads, needs }) => {
    const g = ctx.g;
    const gy = grads[0] as TensorRef;
    const xs = inputs as TensorRef[];
    const axis = ctx.attrInt(node, 'axis', 0);
    const sizes = xs.map((x) => {
      const r = x.shape?.length;
      const d = r === undefined ? undefined : x.shape![axis < 0 ? axis + r : axis];
      return typeof d === 'number' ? d : undefined;
    });
    const split = sizes.every((d) => d !== undefined)
      ? g.ints(sizes as number[])
      : g.concat(
          xs.map((x) => g.dimOf(x, axis)),
          0,
        );
    const parts = g.node(
      'Split',
      [gy, split],
      { axis },
      xs.map((x) => ({ dtype: gy.dtype, ...(x.shape ? { shape: x.shape } : {}) })),
    );
    return parts.map((p, i) => (needs[i] ? p : null));
  },

  Split: ({ ctx, node, outputs, grads }) => {
    const g = ctx.g;
    const axis = ctx.attrInt(node, 'axis', 0);
    const parts = outputs.map((o, i) => grads[i] ?? ctx.zerosLike(o));
    return [parts.length === 1 ? (parts[0] as TensorRef) : g.concat(parts, axis), null];
  },

  GatherElements: ({ ctx, node, inputs, grads }) => {
    const g = ctx.g;
    const x = inputs[0] as TensorRef;
    let idx = inputs[1] as TensorRef;
    const axis = ctx.attrInt(node, 'axis', 0);
    if (idx.dtype !== 'int64') idx = g.cast(idx, 'int64');
    idx = g.where(g.less(idx, 0), g.add(idx, g.reshape(g.dimOf(x, axis), [])), idx);
    const gy = grads[0] as TensorRef;
    const gx = g.op(
      'ScatterElements',
      [ctx.zerosLike(x), idx, gy],
      { axis, reduction: 'add' },
      { dtype: gy.dtype, ...(x.shape ? { shape: x.shape } : {}) },
    );
    return [gx, null];
  },

  GatherND: ({ ctx, node, inputs, grads }) => {
    const g = ctx.g;
    const x = inputs[0] as TensorRef;
    const idx = inputs[1] as TensorRef;
    if (ctx.attrInt(node, 'batch_dims', 0) !== 0)
      throw new Error(`autodiff: GatherND gradient supports batch_dims = 0 only (node ${node.name ?? '?'})`);
    const gy = grads[0] as TensorRef;
    // NOTE: ScatterND is GatherND's adjoint for batch_dims = 0; indices must be non-negative.
    const gx = g.op(
      'ScatterND',
      [ctx.zerosLike(x), idx, gy],
      { reduction: 'add' },
      {
        dtype: gy.dtype,
        ...(x.shape ? { shape: x.shape } : {}),
      },
    );
    return [gx, null];
  },

  // NOTE: unit steps only: the gradient is the incoming one padded with zeros back to x's
  // extent, with the pads computed in the graph from the clamped starts/ends (ONNX Slice rules).
  Slice: ({ ctx, node, inputs, grads }) => {
    const g = ctx.g;
    const [x, starts, ends, axesIn, steps] = inputs;
    if (steps) {
      const s = ctx.constValues(steps);
      if (!s || s.some((v) => v !== 1))
        throw new Error(`autodiff: Slice gradient supports unit steps only (node ${node.name ?? '?'})`);
    }
    let axes = axesIn;
    if (!axes) {
      const n = starts!.shape?.[0] ?? ctx.constValues(starts)?.length;
      if (typeof n !== 'number')
        throw new Error(
          `autodiff: Slice without axes needs a static number of starts (node ${node.name ?? '?'})`,
        );
      axes = g.ints(Array.from({ length: n }, (_, i) => i));
    }
    const dims = g.gather(g.shapeOf(x!), axes, 0);
    const clamp = (v: TensorRef): TensorRef => {
      const wrapped = g.where(g.less(v, 0), g.add(v, dims), v);
      return g.min(g.max(wrapped, 0), dims);
    };
    const st = clamp(starts!);
    const en = g.max(clamp(ends!), st);
    const pads = g.concat([st, g.sub(dims, en)], 0);
    const gy = grads[0] as TensorRef;
    const gx = g.op(
      'Pad',
      [gy, pads, ctx.scalar(0, gy.dtype), axes],
      {},
      {
        dtype: gy.dtype,
        ...(x!.shape ? { shape: x!.shape } : {}),
      },
    );
    return [gx, null, null, null, null];
  },

  Gather: ({ ctx, node, inputs, grads }) => {
    const g = ctx.g;
    const x = inputs[0] as TensorRef;
    let idx = inputs[1] as TensorRef;
    const gy = grads[0] as TensorRef;
    let axis = ctx.attrInt(node, 'axis', 0);
    if (idx.dtype !== 'int64') idx = g.cast(idx, 'int64');
    const r = x.shape?.length;
    if (axis < 0) {
      if (r === undefined) throw new Error(`autodiff: Gather gradient with a negative axis needs x's rank`);
      axis += r;
    }
    // NOTE: negative indices count from the end of the axis; ScatterND wants them wrapped.
    const dim = g.dimOf(x, axis);
    idx = g.where(g.less(idx, 0), g.add(idx, g.reshape(dim, [])), idx);
    const index = g.unsqueeze(idx, [-1]);
    if (axis === 0) {
      const gx = g.op(
        'ScatterND',
        [ctx.zerosLike(x), index, gy],
        { reduction: 'add' },
        {
          dtype: gy.dtype,
          ...(x.shape ? { shape: x.shape } : {}),
        },
      );
      return [gx, null];
    }
    // Move the gathered axis to the front: scatter there, then move it back.
    const q = idx.shape?.length;
    if (r === undefined || q === undefined)
      throw new Error(`autodiff: Gather gradient on axis ${axis} needs the ranks of x and indices`);
    const permX = [axis, ...Array.from({ length: r }, (_, i) => i).filter((i) => i !== axis)];
    const invX = new Array<number>(r);
    permX.forEach((p, i) => (invX[p] = i));
    const permG = [
      ...Array.from({ length: q }, (_, i) => axis + i),
      ...Array.from({ length: axis }, (_, i) => i),
      ...Array.from({ length: r - axis - 1 }, (_, i) => axis + q + i),
    ];
    const zeros = ctx.zerosLike(g.transpose(x, permX));
    const scattered = g.op(
      'ScatterND',
      [zeros, index, g.transpose(gy, permG)],
      { reduction: 'add' },
      {
        dtype: gy.dtype,
      },
    );
    return [g.transpose(scattered, invX), null];
  },
};
