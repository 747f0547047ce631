import { describe, expect, it } from 'vitest';
import { checkGradients } from '../../../src/engine/onnx/grad-check.ts';
import type { CheckInput } from '../../../src/engine/onnx/grad-check.ts';
import type { DiffGraph } from '../../../src/engine/onnx/autodiff.ts';
import type { Shape, TensorRef } from '../../../src/engine/onnx/graph-builder.ts';
import { createRng } from '../../../src/engine/onnx/random.ts';
import { tensorI64 } from '../../../src/engine/onnx/runtime.ts';
import type { Feeds } from '../../../src/engine/onnx/runtime.ts';

// Every rule is checked against central finite differences of the same ONNX Runtime session:
// float64 with step 1e-6 and a tolerance of 1e-6 (relative to max(1, |numeric|)); ops without a
// float64 CPU kernel (Erf, so GELU) in float32 with step 1e-2 and a tolerance of 2e-3.
const TOL64 = 1e-6;
const TOL32 = 2e-3;

type Range = 'any' | 'pos' | 'away';

/** Seeded values: 'any' in (−1.5, 1.5), 'pos' in (0.3, 2), 'away' with |v| in (0.3, 1.5). */
function values(n: number, seed: number, range: Range = 'any'): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const u = rng.next();
    if (range === 'pos') return 0.3 + 1.7 * u;
    if (range === 'away') return (rng.next() < 0.5 ? -1 : 1) * (0.3 + 1.2 * u);
    return 3 * u - 1.5;
  });
}

let seedCounter = 1;
/** A differentiated input with random data; `shape` may hold symbolic dims (dynamic paths). */
function inp(name: string, dims: number[], range: Range = 'any', shape?: Shape): CheckInput {
  return {
    name,
    dims,
    shape: shape ?? dims,
    data: values(
      dims.reduce((a, b) => a * b, 1),
      seedCounter++,
      range,
    ),
  };
}

interface Case {
  name: string;
  inputs: CheckInput[];
  build: (g: DiffGraph, xs: TensorRef[]) => TensorRef;
  float32?: boolean;
  feeds?: Feeds;
  opset?: number;
}

async function expectGradOk(c: Case): Promise<void> {
  const r = await checkGradients({
    inputs: c.inputs,
    build: c.build,
    dtype: c.float32 ? 'float32' : 'float64',
    ...(c.feeds ? { feeds: c.feeds } : {}),
    ...(c.opset ? { opset: c.opset } : {}),
  });
  expect(Number.isFinite(r.loss)).toBe(true);
  // An all-zero gradient would make the check vacuous.
  expect(r.analytic.some((a) => a.some((v) => Math.abs(v) > 1e-8))).toBe(true);
  expect(r.maxError).toBeLessThan(c.float32 ? TOL32 : TOL64);
}

const X = (xs: TensorRef[], i = 0): TensorRef => xs[i] as TensorRef;

const elementwise: Case[] = [
  {
    name: 'Add [3,1,4] + [4]',
    inputs: [inp('a', [3, 1, 4]), inp('b', [4])],
    build: (g, x) => g.add(X(x), X(x, 1)),
  },
  {
    name: 'Add [3,1,4] + [4] with symbolic dims (dynamic unbroadcast)',
    inputs: [inp('a', [3, 1, 4], 'any', ['p', 1, 'q']), inp('b', [4], 'any', ['r'])],
    build: (g, x) => g.add(X(x), X(x, 1)),
  },
  {
    name: 'Add [2,1] + [1,3] with unknown dims (dynamic, both broadcast)',
    inputs: [inp('a', [2, 1], 'any', [null, null]), inp('b', [1, 3], 'any', [null, null])],
    build: (g, x) => g.add(X(x), X(x, 1)),
  },
  {
    name: 'Sub [2,3] − [1]',
    inputs: [inp('a', [2, 3]), inp('b', [1])],
    build: (g, x) => g.sub(X(x), X(x, 1)),
  },
  {
    name: 'Mul [2,3] · [1]',
    inputs: [inp('a', [2, 3]), inp('b', [1])],
    build: (g, x) => g.mul(X(x), X(x, 1)),
  },
  {
    name: 'Mul [3,1,4] · [2,1] → [3,2,4]',
    inputs: [inp('a', [3, 1, 4]), inp('b', [2, 1])],
    build: (g, x) => g.mul(X(x), X(x, 1)),
  },
  { name: 'Mul x · x (same input twice)', inputs: [inp('a', [5])], build: (g, x) => g.mul(X(x), X(x)) },
  {
    name: 'Div [2,3] / [3]',
    inputs: [inp('a', [2, 3]), inp('b', [3], 'away')],
    build: (g, x) => g.div(X(x), X(x, 1)),
  },
  {
    name: 'Div scalar [] / [2,3]',
    inputs: [inp('a', []), inp('b', [2, 3], 'away')],
    build: (g, x) => g.div(X(x), X(x, 1)),
  },
  {
    name: 'Pow [2,3] ^ [3] (base > 0)',
    inputs: [inp('a', [2, 3], 'pos'), inp('b', [3])],
    build: (g, x) => g.pow(X(x), X(x, 1)),
  },
  { name: 'Pow x ^ 3 (constant exponent)', inputs: [inp('a', [4])], build: (g, x) => g.pow(X(x), 3) },
  { name: 'Neg', inputs: [inp('a', [2, 3])], build: (g, x) => g.neg(X(x)) },
  { name: 'Tanh', inputs: [inp('a', [2, 3])], build: (g, x) => g.tanh(X(x)) },
  { name: 'Sigmoid', inputs: [inp('a', [2, 3])], build: (g, x) => g.sigmoid(X(x)) },
  { name: 'Exp', inputs: [inp('a', [2, 3])], build: (g, x) => g.exp(X(x)) },
  { name: 'Log', inputs: [inp('a', [2, 3], 'pos')], build: (g, x) => g.log(X(x)) },
  { name: 'Sqrt', inputs: [inp('a', [2, 3], 'pos')], build: (g, x) => g.sqrt(X(x)) },
  { name: 'Reciprocal', inputs: [inp('a', [2, 3], 'away')], build: (g, x) => g.reciprocal(X(x)) },
  { name: 'Abs', inputs: [inp('a', [2, 3], 'away')], build: (g, x) => g.abs(X(x)) },
  { name: 'Relu', inputs: [inp('a', [2, 3], 'away')], build: (g, x) => g.relu(X(x)) },
  { name: 'Identity', inputs: [inp('a', [2, 3])], build: (g, x) => g.identity(X(x)) },
  {
    name: 'Clip to [−0.5, 0.7]',
    inputs: [inp('a', [3, 4], 'away')],
    build: (g, x) => g.op('Clip', [X(x), g.scalar(-0.5, 'float64'), g.scalar(0.7, 'float64')]),
  },
  { name: 'Erf (float32)', inputs: [inp('a', [2, 3])], build: (g, x) => g.erf(X(x)), float32: true },
  {
    name: 'GELU decomposition (float32)',
    inputs: [inp('a', [2, 3])],
    build: (g, x) => g.gelu(X(x)),
    float32: true,
  },
  {
    name: 'Gelu op, opset 20 (float32)',
    inputs: [inp('a', [2, 3])],
    build: (g, x) => g.op('Gelu', [X(x)]),
    float32: true,
    opset: 20,
  },
  {
    name: 'Gelu op tanh approximation, opset 20 (float32)',
    inputs: [inp('a', [2, 3])],
    build: (g, x) => g.op('Gelu', [X(x)], { approximate: 'tanh' }),
    float32: true,
    opset: 20,
  },
  {
    name: 'Cast float32 → float64 → float32 (float32)',
    inputs: [inp('a', [2, 3])],
    build: (g, x) => g.mul(g.cast(g.mul(g.cast(X(x), 'float64'), 2), 'float32'), X(x)),
    float32: true,
  },
  {
    name: 'Where(x > 0, a [2,3], b [1]) (no gradient to the condition)',
    inputs: [inp('x', [2, 3], 'away', [2, 3]), inp('a', [2, 3]), inp('b', [1])],
    build: (g, x) => g.where(g.greater(X(x), 0), X(x, 1), X(x, 2)),
  },
  {
    name: 'Max(a [2,3], b [3]) and Min(a, b)',
    inputs: [inp('a', [2, 3]), inp('b', [3])],
    build: (g, x) => g.add(g.max(X(x), X(x, 1)), g.mul(g.min(X(x), X(x, 1)), 0.5)),
  },
  { name: 'hinge max(x, 0)', inputs: [inp('a', [2, 4], 'away')], build: (g, x) => g.max(X(x), 0) },
  {
    name: 'variadic Max(a, b, c)',
    inputs: [inp('a', [4]), inp('b', [4]), inp('c', [1])],
    build: (g, x) => g.op('Max', [X(x), X(x, 1), X(x, 2)]),
  },
  {
    name: 'Sum(a, b [1], c) and a tensor used by three consumers',
    inputs: [inp('a', [2, 3]), inp('b', [1])],
    build: (g, x) => g.op('Sum', [X(x), X(x, 1), g.exp(X(x))]),
  },
  {
    name: 'Sign, Shape, comparisons contribute no gradient',
    inputs: [inp('a', [2, 3], 'away')],
    build: (g, x) => {
      const s = g.mul(g.sign(X(x)), X(x)); // = |x|; sign is a constant factor
      const flat = g.reshape(s, g.shapeOf(g.reshape(X(x), [-1])));
      return g.mul(flat, g.cast(g.greater(flat, 0.5), 'float64'));
    },
  },
];

const linalg: Case[] = [
  {
    name: 'MatMul [2,3]@[3,4]',
    inputs: [inp('a', [2, 3]), inp('b', [3, 4])],
    build: (g, x) => g.matMul(X(x), X(x, 1)),
  },
  {
    name: 'MatMul batched [2,2,3]@[3,4] (b broadcast over the batch)',
    inputs: [inp('a', [2, 2, 3]), inp('b', [3, 4])],
    build: (g, x) => g.matMul(X(x), X(x, 1)),
  },
  {
    name: 'MatMul [B,2,2,3]@[3,4] with a symbolic batch (b broadcast over two batch dims)',
    inputs: [inp('a', [2, 2, 2, 3], 'any', ['B', 2, 2, 3]), inp('b', [3, 4])],
    build: (g, x) => g.matMul(X(x), X(x, 1)),
  },
  {
    name: 'MatMul batch broadcast both ways [2,1,2,3]@[3,3,2]',
    inputs: [inp('a', [2, 1, 2, 3]), inp('b', [3, 3, 2])],
    build: (g, x) => g.matMul(X(x), X(x, 1)),
  },
  {
    name: 'MatMul with symbolic batch [B,2,3]@[B,3,2]',
    inputs: [inp('a', [2, 2, 3], 'any', ['B', 2, 3]), inp('b', [2, 3, 2], 'any', ['B', 3, 2])],
    build: (g, x) => g.matMul(X(x), X(x, 1)),
  },
  {
    name: 'MatMul [3]@[3,4]',
    inputs: [inp('a', [3]), inp('b', [3, 4])],
    build: (g, x) => g.matMul(X(x), X(x, 1)),
  },
  {
    name: 'MatMul [2,3]@[3]',
    inputs: [inp('a', [2, 3]), inp('b', [3])],
    build: (g, x) => g.matMul(X(x), X(x, 1)),
  },
  {
    name: 'MatMul [3]@[3]',
    inputs: [inp('a', [3]), inp('b', [3])],
    build: (g, x) => g.matMul(X(x), X(x, 1)),
  },
  ...[false, true].flatMap((tA) =>
    [false, true].map((tB): Case => ({
      name: `Gemm transA=${tA} transB=${tB}, alpha 0.7, beta 1.3, C [4]`,
      inputs: [inp('a', tA ? [3, 2] : [2, 3]), inp('b', tB ? [4, 3] : [3, 4]), inp('c', [4])],
      build: (g, x) => g.gemm(X(x), X(x, 1), X(x, 2), { transA: tA, transB: tB, alpha: 0.7, beta: 1.3 }),
    })),
  ),
  {
    name: 'Gemm without C',
    inputs: [inp('a', [2, 3]), inp('b', [3, 4])],
    build: (g, x) => g.gemm(X(x), X(x, 1)),
  },
];

const reductions: Case[] = [
  {
    name: 'ReduceSum axes [1] keepdims 0',
    inputs: [inp('a', [2, 3, 4])],
    build: (g, x) => g.reduceSum(X(x), [1], false),
  },
  { name: 'ReduceSum all', inputs: [inp('a', [2, 3])], build: (g, x) => g.reduceSum(X(x), undefined, false) },
  {
    name: 'ReduceSum axes [−1] on symbolic dims',
    inputs: [inp('a', [2, 3], 'any', ['n', 'm'])],
    build: (g, x) => g.reduceSum(X(x), [-1], false),
  },
  {
    name: 'ReduceMean axes [0, 2] keepdims 1',
    inputs: [inp('a', [2, 3, 4])],
    build: (g, x) => g.reduceMean(X(x), [0, 2], true),
  },
  {
    name: 'ReduceMean axes [1] on symbolic dims',
    inputs: [inp('a', [2, 3], 'any', ['n', 'm'])],
    build: (g, x) => g.reduceMean(X(x), [1], false),
  },
  { name: 'ReduceMax axes [1]', inputs: [inp('a', [3, 4])], build: (g, x) => g.reduceMax(X(x), [1], false) },
  {
    name: 'ReduceMin all',
    inputs: [inp('a', [3, 4])],
    build: (g, x) => g.reduce('ReduceMin', X(x), undefined, false),
  },
  {
    name: 'ReduceSumSquare',
    inputs: [inp('a', [3, 4])],
    build: (g, x) => g.reduce('ReduceSumSquare', X(x), [1]),
  },
  { name: 'ReduceL1', inputs: [inp('a', [3, 4], 'away')], build: (g, x) => g.reduce('ReduceL1', X(x), [0]) },
  {
    name: 'L2 normalise (ReduceL2, Max, Div)',
    inputs: [inp('a', [3, 4])],
    build: (g, x) => g.l2Normalize(X(x)),
  },
  {
    name: 'ReduceLogSumExp',
    inputs: [inp('a', [3, 4])],
    build: (g, x) => g.reduce('ReduceLogSumExp', X(x), [-1], false),
  },
  { name: 'Softmax axis −1', inputs: [inp('a', [3, 4])], build: (g, x) => g.softmax(X(x)) },
  { name: 'Softmax axis 0', inputs: [inp('a', [3, 4])], build: (g, x) => g.softmax(X(x), 0) },
  { name: 'LogSoftmax axis −1', inputs: [inp('a', [3, 4])], build: (g, x) => g.logSoftmax(X(x)) },
  {
    name: 'LayerNormalization axis −1 with scale and bias',
    inputs: [inp('x', [2, 3, 4]), inp('s', [4]), inp('b', [4])],
    build: (g, x) => g.layerNorm(X(x), X(x, 1), X(x, 2)),
  },
  {
    name: 'LayerNormalization axis 1 (last two dims), no bias',
    inputs: [inp('x', [2, 3, 4]), inp('s', [3, 4])],
    build: (g, x) => g.layerNorm(X(x), X(x, 1), null, { axis: 1, epsilon: 1e-3 }),
  },
  {
    name: 'LayerNormalization on symbolic dims',
    inputs: [inp('x', [3, 4], 'any', ['n', 4]), inp('s', [4]), inp('b', [4])],
    build: (g, x) => g.layerNorm(X(x), X(x, 1), X(x, 2)),
  },
];

const layout: Case[] = [
  { name: 'Transpose [2,0,1]', inputs: [inp('a', [2, 3, 4])], build: (g, x) => g.transpose(X(x), [2, 0, 1]) },
  { name: 'Reshape', inputs: [inp('a', [2, 3, 4])], build: (g, x) => g.reshape(X(x), [4, -1]) },
  {
    name: 'Reshape on symbolic dims',
    inputs: [inp('a', [2, 6], 'any', ['n', 6])],
    build: (g, x) => g.reshape(X(x), [-1, 3, 2]),
  },
  { name: 'Flatten', inputs: [inp('a', [2, 3, 4])], build: (g, x) => g.op('Flatten', [X(x)], { axis: 2 }) },
  {
    name: 'Unsqueeze then Squeeze',
    inputs: [inp('a', [2, 3])],
    build: (g, x) => g.mul(g.squeeze(g.unsqueeze(X(x), [0, 2]), [0]), g.unsqueeze(X(x), [1])),
  },
  { name: 'Expand [3,1] → [2,3,4]', inputs: [inp('a', [3, 1])], build: (g, x) => g.expand(X(x), [2, 3, 4]) },
  {
    name: 'Concat axis 1 of three inputs',
    inputs: [inp('a', [2, 1]), inp('b', [2, 3]), inp('c', [2, 2])],
    build: (g, x) => g.concat([X(x), X(x, 1), X(x, 2)], 1),
  },
  {
    name: 'Concat axis −1 with symbolic sizes (dynamic split)',
    inputs: [inp('a', [2, 2], 'any', [2, 'p']), inp('b', [2, 3], 'any', [2, 'q'])],
    build: (g, x) => g.concat([X(x), X(x, 1)], -1),
  },
  {
    name: 'Slice [:, 1:3] and [−2:] on axis 0',
    inputs: [inp('a', [4, 5])],
    build: (g, x) => g.mul(g.slice(X(x), [-2, 1], [1000, 3], [0, 1]), 2),
  },
  {
    name: 'Slice on symbolic dims, negative end',
    inputs: [inp('a', [4, 5], 'any', ['n', 'm'])],
    build: (g, x) => g.slice(X(x), [1], [-1], [1]),
  },
  {
    name: 'Slice with unit steps and no axes',
    inputs: [inp('a', [4, 5])],
    build: (g, x) => g.slice(X(x), [1, 0], [3, 4], undefined, [1, 1]),
  },
  {
    name: 'Gather axis 0 with repeated and negative indices (accumulates)',
    inputs: [inp('a', [4, 3])],
    feeds: { idx: tensorI64([2, 0, 2, -1, 2], [5]) },
    build: (g, x) => g.gather(X(x), g.input('idx', 'int64', [5]), 0),
  },
  {
    name: 'Gather axis 1 with 2-D indices',
    inputs: [inp('a', [2, 4, 3])],
    feeds: { idx: tensorI64([1, 1, 3, 0], [2, 2]) },
    build: (g, x) => g.gather(X(x), g.input('idx', 'int64', [2, 2]), 1),
  },
  {
    name: 'GatherElements axis 1 with repeated and negative indices',
    inputs: [inp('a', [3, 4])],
    feeds: { idx: tensorI64([0, 0, -1, 2, 3, 1, 1, 1, 0], [3, 3]) },
    build: (g, x) => g.op('GatherElements', [X(x), g.input('idx', 'int64', [3, 3])], { axis: 1 }),
  },
  {
    name: 'GatherND rows and elements with repeats',
    inputs: [inp('a', [3, 4])],
    feeds: { idx: tensorI64([2, 1, 0, 3, 2, 1], [3, 2]) },
    build: (g, x) =>
      g.add(
        g.gatherND(X(x), g.input('idx', 'int64', [3, 2])),
        g.reduceSum(g.gatherND(X(x), g.constant('int64', [3, 1], [1, 1, 0])), [1], false),
      ),
  },
  {
    name: 'Split into [1, 3] on axis 1, one part unused',
    inputs: [inp('a', [2, 4])],
    build: (g, x) => {
      const [, b] = g.node('Split', [X(x), g.ints([1, 3])], { axis: 1 }, [
        { dtype: 'float64' },
        { dtype: 'float64' },
      ]);
      return g.exp(b!);
    },
  },
  {
    name: 'Gather axis 0 with a scalar index',
    inputs: [inp('a', [4, 3])],
    build: (g, x) => g.gather(X(x), g.constant('int64', [], [1]), 0),
  },
];

describe('autodiff: element-wise op gradients vs central finite differences', () => {
  for (const c of elementwise) it(c.name, () => expectGradOk(c));
});

describe('autodiff: MatMul and Gemm gradients vs central finite differences', () => {
  for (const c of linalg) it(c.name, () => expectGradOk(c));
});

describe('autodiff: reduction, softmax and LayerNormalization gradients vs central finite differences', () => {
  for (const c of reductions) it(c.name, () => expectGradOk(c));
});

describe('autodiff: layout op gradients vs central finite differences', () => {
  for (const c of layout) it(c.name, () => expectGradOk(c));
});
