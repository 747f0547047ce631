/**
 * Finite-difference gradient checking for graphs differentiated by autodiff.ts: builds the graph
 * once (forward, a fixed pseudo-random projection to a scalar, and the autodiff gradients), runs
 * it on ONNX Runtime, and compares the analytic gradients with central differences of the same
 * session's loss. Used by the tests and by anyone adding a training graph.
 */
import { DiffGraph, gradients } from './autodiff.ts';
import type { DType, Shape, TensorRef } from './graph-builder.ts';
import { createSession, readF32, readF64, runSession, tensorF32, tensorF64 } from './runtime.ts';
import type { Feeds } from './runtime.ts';

/** One differentiated graph input. */
export interface CheckInput {
  name: string;
  /** Declared shape (may hold symbolic dims, to exercise the dynamic gradient paths). */
  shape: Shape;
  /** Actual dims fed. */
  dims: readonly number[];
  data: readonly number[] | Float64Array | Float32Array;
  /** Not differentiated (fed as is, e.g. a constant operand). */
  constant?: boolean;
}

/** Options for `checkGradients`. */
export interface CheckOptions {
  dtype?: 'float32' | 'float64';
  inputs: readonly CheckInput[];
  /** Extra feeds (e.g. int64 indices declared inside `build`). */
  feeds?: Feeds;
  /** Builds the function; returns its output (any shape, projected to a scalar here) or a scalar loss. */
  build: (g: DiffGraph, xs: TensorRef[]) => TensorRef;
  /** Finite-difference step (default 1e-6 for float64, 1e-2 for float32). */
  eps?: number;
  /** ai.onnx opset (default the builder's). */
  opset?: number;
}

/** Per-input analytic and numeric gradients and the worst errors. */
export interface CheckResult {
  analytic: Float64Array[];
  numeric: Float64Array[];
  /** max |analytic − numeric| / max(1, |numeric|) over all elements. */
  maxError: number;
  loss: number;
}

/**
 * Checks autodiff gradients of `build` against central finite differences. The function's
 * output y is reduced to a scalar as Σ y ⊙ sin(1.3·k + 0.4) (k the flat index), so every
 * output element's gradient path is exercised with distinct weights.
 */
export async function checkGradients(opts: CheckOptions): Promise<CheckResult> {
  const dtype: DType = opts.dtype ?? 'float64';
  const g = new DiffGraph(opts.opset !== undefined ? { opset: opts.opset } : {});
  const xs = opts.inputs.map((i) => g.input(i.name, dtype, i.shape));
  const y = opts.build(g, xs);
  // NOTE: the projection weights are computed in the graph from y's size, so y's dims need not be known.
  const n = g.op('Size', [y], {}, { dtype: 'int64', shape: [] });
  const k = g.cast(g.range(g.scalar(0, 'int64'), n, g.scalar(1, 'int64')), dtype);
  const w = g.reshape(g.op('Sin', [g.add(g.mul(k, 1.3), 0.4)]), g.shapeOf(y));
  const loss = g.reduceSum(g.mul(y, w), undefined, false);
  const diffIdx = opts.inputs.map((i, j) => (i.constant ? -1 : j)).filter((j) => j >= 0);
  const grads = gradients(
    g,
    loss,
    diffIdx.map((j) => xs[j] as TensorRef),
  );
  g.output(loss, 'loss');
  grads.forEach((gr, j) => g.output(gr, `grad_${j}`));
  const { session } = await createSession(g.toBytes(), { threads: 1 });

  const make = (data: ArrayLike<number>, dims: readonly number[]) =>
    dtype === 'float64' ? tensorF64(Float64Array.from(data), dims) : tensorF32(Float32Array.from(data), dims);
  const base = opts.inputs.map((i) => Float64Array.from(i.data));
  const feedsFor = (vals: Float64Array[]): Feeds => {
    const f: Feeds = { ...(opts.feeds ?? {}) };
    opts.inputs.forEach((inp, j) => (f[inp.name] = make(vals[j] as Float64Array, inp.dims)));
    return f;
  };
  const read = (out: Awaited<ReturnType<typeof runSession>>, name: string): Float64Array =>
    Float64Array.from(dtype === 'float64' ? readF64(out, name).data : readF32(out, name).data);

  const out = await runSession(session, feedsFor(base));
  const loss0 = read(out, 'loss')[0] as number;
  const analytic = grads.map((_, j) => read(out, `grad_${j}`));
  const eps = opts.eps ?? (dtype === 'float64' ? 1e-6 : 1e-2);
  const numeric: Float64Array[] = [];
  let maxError = 0;
  for (let d = 0; d < diffIdx.length; d++) {
    const j = diffIdx[d] as number;
    const src = base[j] as Float64Array;
    const num = new Float64Array(src.length);
    for (let e = 0; e < src.length; e++) {
      const at = async (delta: number): Promise<number> => {
        const vals = base.slice();
        const v = Float64Array.from(src);
        v[e] = (v[e] as number) + delta;
        vals[j] = v;
        return read(await runSession(session, feedsFor(vals), ['loss']), 'loss')[0] as number;
      };
      num[e] = ((await at(eps)) - (await at(-eps))) / (2 * eps);
      const a = (analytic[d] as Float64Array)[e] as number;
      const err = Math.abs(a - (num[e] as number)) / Math.max(1, Math.abs(num[e] as number));
      if (!(err <= maxError)) maxError = Number.isNaN(err) ? Infinity : err;
    }
    numeric.push(num);
  }
  return { analytic, numeric, maxError, loss: loss0 };
}
