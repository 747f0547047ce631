import { describe, expect, it } from 'vitest';
import { GradContext, isFloat, staticDims } from '../../../src/engine/onnx/grad-context.ts';
import { GraphBuilder, type Shape, type TensorRef } from '../../../src/engine/onnx/graph-builder.ts';
import type { NodeProto } from '../../../src/engine/onnx/onnx-proto.ts';
import { createSession, readF64, runSession, tensorF64 } from '../../../src/engine/onnx/runtime.ts';

interface Fed {
  shape: Shape;
  dims: number[];
  data: number[];
}

/** Builds `out(ctx, ...inputs)` over float64 inputs declared with `shape`, feeds `data`, returns y. */
async function run(
  inputs: Fed[],
  out: (ctx: GradContext, ...xs: TensorRef[]) => TensorRef,
): Promise<{ data: number[]; dims: number[] }> {
  const g = new GraphBuilder();
  const xs = inputs.map((inp, i) => g.input(`x${i}`, 'float64', inp.shape));
  g.output(out(new GradContext(g), ...xs), 'y');
  const { session } = await createSession(g.toBytes(), { threads: 1 });
  try {
    const feeds = Object.fromEntries(inputs.map((inp, i) => [`x${i}`, tensorF64(inp.data, inp.dims)]));
    const r = readF64(await runSession(session, feeds), 'y');
    return { data: [...r.data], dims: r.dims };
  } finally {
    await session.release();
  }
}

const iota = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe('grad-context helpers', () => {
  it('knows float dtypes and fully static dims', () => {
    expect(['float32', 'float64', 'int64', 'bool'].map((d) => isFloat(d as 'float32'))).toEqual([
      true,
      true,
      false,
      false,
    ]);
    const g = new GraphBuilder();
    expect(staticDims(g.input('a', 'float32', [2, 3]))).toEqual([2, 3]);
    expect(staticDims(g.input('b', 'float32', [2, 'n']))).toBeUndefined();
    expect(staticDims(g.input('c', 'float32', [null]))).toBeUndefined();
  });

  it('reads node attributes with defaults', () => {
    const ctx = new GradContext(new GraphBuilder());
    const node: NodeProto = {
      opType: 'X',
      attribute: [
        { name: 'axis', type: 2, i: -1 },
        { name: 'perm', type: 7, ints: [2, 0, 1] },
        { name: 'alpha', type: 1, f: 0.25 },
        { name: 'approximate', type: 3, s: new TextEncoder().encode('tanh') },
      ],
    };
    expect(ctx.attrInt(node, 'axis', 0)).toBe(-1);
    expect(ctx.attrInt(node, 'keepdims', 1)).toBe(1);
    expect(ctx.attrInts(node, 'perm')).toEqual([2, 0, 1]);
    expect(ctx.attrInts(node, 'axes')).toBeUndefined();
    expect(ctx.attrFloat(node, 'alpha', 1)).toBe(0.25);
    expect(ctx.attrFloat(node, 'beta', 1)).toBe(1);
    expect(ctx.attrString(node, 'approximate', 'none')).toBe('tanh');
    expect(ctx.attrString(node, 'mode', 'none')).toBe('none');
    expect(ctx.attr({ opType: 'Y' }, 'axis')).toBeUndefined();
  });

  it('reads constants of the builder, including ones added after the first lookup', () => {
    const g = new GraphBuilder();
    const ctx = new GradContext(g);
    const a = g.constant('int64', [3], [4, -1, 2]);
    expect(ctx.constValues(a)).toEqual([4, -1, 2]);
    const b = g.constant('float64', [2], [0.5, 1.5]);
    expect(ctx.constValues(b)).toEqual([0.5, 1.5]);
    expect(ctx.constValues(g.input('x', 'float64', [2]))).toBeUndefined();
    expect(ctx.constValues(null)).toBeUndefined();
  });

  it('unbroadcasts by summing the broadcast axes, statically and in the graph alike', async () => {
    // grad [2,3,2] = 0..11 back to x [3,1]: sum over axes 0 and 2.
    // x row r: Σ_{i,k} grad[i][r][k] → r=0: 0+1+6+7 = 14, r=1: 2+3+8+9 = 22, r=2: 4+5+10+11 = 30.
    const grad = (shape: Shape): Fed => ({ shape, dims: [2, 3, 2], data: iota(12) });
    const x = (shape: Shape): Fed => ({ shape, dims: [3, 1], data: [0, 0, 0] });
    const want = { data: [14, 22, 30], dims: [3, 1] };
    expect(await run([grad([2, 3, 2]), x([3, 1])], (ctx, gr, xv) => ctx.unbroadcast(gr!, xv!))).toEqual(want);
    expect(
      await run([grad([null, null, null]), x(['a', 'b'])], (ctx, gr, xv) => ctx.unbroadcast(gr!, xv!)),
    ).toEqual(want);
    // x [2] against grad [2,3,2]… → sum over the two leading axes: x[k] = Σ_{i,r} grad[i][r][k] = 30, 36.
    const xk: Fed = { shape: [2], dims: [2], data: [0, 0] };
    expect(await run([grad([2, 3, 2]), xk], (ctx, gr, xv) => ctx.unbroadcast(gr!, xv!))).toEqual({
      data: [30, 36],
      dims: [2],
    });
    expect(
      await run([grad(['p', 3, 2]), { ...xk, shape: ['q'] }], (ctx, gr, xv) => ctx.unbroadcast(gr!, xv!)),
    ).toEqual({
      data: [30, 36],
      dims: [2],
    });
  });

  it('returns the gradient itself when nothing was broadcast, and refuses impossible shapes', () => {
    const g = new GraphBuilder();
    const ctx = new GradContext(g);
    const gr = g.input('g', 'float64', [2, 3]);
    expect(ctx.unbroadcast(gr, g.input('x', 'float64', [2, 3]))).toBe(gr);
    expect(() => ctx.unbroadcast(gr, g.input('y', 'float64', [4, 3]))).toThrow(
      'autodiff: cannot unbroadcast [2, 3] to [4, 3]',
    );
  });

  it('fills, expands and reshapes to a tensor’s shape, and counts its elements', async () => {
    const x: Fed = { shape: ['n', 2], dims: [3, 2], data: iota(6) };
    expect(await run([x], (ctx, xv) => ctx.filledLike(xv!, 2.5))).toEqual({
      data: Array(6).fill(2.5),
      dims: [3, 2],
    });
    expect(await run([x], (ctx, xv) => ctx.zerosLike(xv!))).toEqual({ data: Array(6).fill(0), dims: [3, 2] });
    expect(
      await run([x, { shape: [1, 2], dims: [1, 2], data: [7, 8] }], (ctx, xv, v) => ctx.expandTo(v!, xv!)),
    ).toEqual({ data: [7, 8, 7, 8, 7, 8], dims: [3, 2] });
    expect(
      await run([x, { shape: [6], dims: [6], data: iota(6) }], (ctx, xv, v) => ctx.reshapeTo(v!, xv!)),
    ).toEqual({ data: iota(6), dims: [3, 2] });
    // Symbolic: counted in the graph; static: a constant.
    expect(await run([x], (ctx, xv) => ctx.g.mul(ctx.sizeOf(xv!, 'float64'), 1))).toEqual({
      data: [6],
      dims: [],
    });
    const g = new GraphBuilder();
    const ctx = new GradContext(g);
    expect(ctx.constValues(ctx.sizeOf(g.input('s', 'float64', [4, 5]), 'float64'))).toEqual([20]);
  });
});
