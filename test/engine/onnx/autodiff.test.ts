import { describe, expect, it } from 'vitest';
import { DiffGraph, gradients, hasGradRule, stopGradient } from '../../../src/engine/onnx/autodiff.ts';
import { checkGradients } from '../../../src/engine/onnx/grad-check.ts';
import type { CheckInput } from '../../../src/engine/onnx/grad-check.ts';
import { GraphBuilder } from '../../../src/engine/onnx/graph-builder.ts';
import type { TensorRef } from '../../../src/engine/onnx/graph-builder.ts';
import { parseModel } from '../../../src/engine/onnx/model-reader.ts';
import { createRng } from '../../../src/engine/onnx/random.ts';
import { createSession, readF64, runSession, tensorF64 } from '../../../src/engine/onnx/runtime.ts';
import type { Feeds } from '../../../src/engine/onnx/runtime.ts';

async function run(g: GraphBuilder, feeds: Feeds, names: string[]): Promise<number[][]> {
  const { session } = await createSession(g.toBytes(), { threads: 1 });
  const out = await runSession(session, feeds);
  return names.map((n) => [...readF64(out, n).data]);
}

function randn(n: number, seed: number, std = 1): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => std * rng.normal());
}

describe('autodiff: a whole small model against finite differences', () => {
  it('2-layer MLP + LayerNorm + softmax cross-entropy + cosine triplet hinge (float64, 1e-6)', async () => {
    const B = 6;
    const D = 5;
    const H = 8;
    const C = 4;
    const labels = [0, 1, 2, 0, 1, 3];
    const target = labels.flatMap((l) => Array.from({ length: C }, (_, c) => (c === l ? 1 : 0)));
    const p = (name: string, dims: number[], seed: number, std = 0.5): CheckInput => ({
      name,
      dims,
      shape: dims,
      data: randn(
        dims.reduce((a, b) => a * b, 1),
        seed,
        std,
      ),
    });
    const inputs: CheckInput[] = [
      { ...p('x', [B, D], 1, 1), constant: true },
      { name: 't', dims: [B, C], shape: [B, C], data: target, constant: true },
      p('w1', [D, H], 2),
      p('b1', [H], 3, 0.1),
      { name: 'ln_s', dims: [H], shape: [H], data: randn(H, 4, 0.1).map((v) => 1 + v) },
      p('ln_b', [H], 5, 0.1),
      p('w2', [H, C], 6),
      p('b2', [C], 7, 0.1),
    ];
    // Triplets (anchor, positive, negative) by label: relevant = same label.
    const anchors = [0, 1, 3, 4];
    const positives = [3, 4, 0, 1];
    const negatives = [1, 2, 5, 3];
    const r = await checkGradients({
      inputs,
      build: (g, [x, t, w1, b1, lnS, lnB, w2, b2]) => {
        const h = g.tanh(g.add(g.matMul(x!, w1!), b1!));
        const n = g.layerNorm(h, lnS!, lnB!);
        const logits = g.gemm(n, w2!, b2!);
        const ce = g.neg(g.reduceMean(g.reduceSum(g.mul(t!, g.logSoftmax(logits)), [-1], false), [0], false));
        const codes = g.l2Normalize(g.tanh(n));
        const pick = (ix: number[]) => g.gather(codes, g.constant('int64', [ix.length], ix), 0);
        const sim = (a: TensorRef, b: TensorRef) => g.reduceSum(g.mul(a, b), [-1], false);
        const ca = pick(anchors);
        const hinge = g.max(g.add(g.sub(sim(ca, pick(negatives)), sim(ca, pick(positives))), 0.25), 0);
        return g.add(ce, g.mul(g.reduceMean(hinge, [0], false), 2));
      },
    });
    expect(r.analytic).toHaveLength(6);
    expect(r.maxError).toBeLessThan(1e-6);
  });
});

describe('autodiff: semantics', () => {
  it('stop-gradient really stops: d(x · sg(x))/dx = x, d(Σ sg(x))/dx = 0', async () => {
    const g = new DiffGraph();
    const x = g.input('x', 'float64', [3]);
    const sg = stopGradient(g, x);
    const [gx] = gradients(g, g.reduceSum(g.mul(x, sg), undefined, false), [x]);
    const [gz] = gradients(g, g.reduceSum(g.exp(sg), undefined, false), [x]);
    g.output(gx!, 'gx');
    g.output(gz!, 'gz');
    const [a, z] = await run(g, { x: tensorF64([1, -2, 3], [3]) }, ['gx', 'gz']);
    expect(a).toEqual([1, -2, 3]);
    expect(z).toEqual([0, 0, 0]);
    // The barrier is visible in the saved model.
    const node = parseModel(g.toBytes()).graph?.node?.find((n) => n.output?.[0] === sg.name);
    expect(node?.docString).toBe('glint:stop_gradient');
  });

  it('ties: Max/Min and ReduceMax split the gradient evenly; Relu′(0) = 0; |x|′(0) = 0', async () => {
    const g = new DiffGraph();
    const a = g.input('a', 'float64', [3]);
    const b = g.input('b', 'float64', [3]);
    const loss = g.add(
      g.reduceSum(g.add(g.max(a, b), g.min(a, b)), undefined, false),
      g.add(g.reduceMax(a, undefined, false), g.reduceSum(g.add(g.relu(b), g.abs(b)), undefined, false)),
    );
    const [ga, gb] = gradients(g, loss, [a, b]);
    g.output(ga!, 'ga');
    g.output(gb!, 'gb');
    const [da, db] = await run(g, { a: tensorF64([1, 3, 3], [3]), b: tensorF64([1, 0, 5], [3]) }, [
      'ga',
      'gb',
    ]);
    // max+min: a tie (index 0) gives 0.5 + 0.5 to each side; elsewhere 1 to each. ReduceMax ties at 1, 2.
    expect(da).toEqual([1, 1 + 0.5, 1 + 0.5]);
    // b: max+min → 1 each; relu′ = [1, 0, 1]; abs′ = [1, 0, 1].
    expect(db).toEqual([3, 1, 3]);
  });

  it('accumulates over several consumers and gives zeros to a parameter the loss ignores', async () => {
    const g = new DiffGraph();
    const x = g.input('x', 'float64', [2]);
    const unused = g.input('u', 'float64', [2, 2]);
    const w = g.initializer('w', 'float64', [2], new Float64Array([2, 3]));
    const y = g.mul(x, w);
    const loss = g.reduceSum(g.add(g.add(y, g.mul(y, y)), g.exp(x)), undefined, false);
    const [gx, gu, gw] = gradients(g, loss, [x, unused, w]);
    g.output(gx!, 'gx');
    g.output(gu!, 'gu');
    g.output(gw!, 'gw');
    const xs = [0.5, -1];
    const [dx, du, dw] = await run(g, { x: tensorF64(xs, [2]), u: tensorF64([1, 2, 3, 4], [2, 2]) }, [
      'gx',
      'gu',
      'gw',
    ]);
    const wv = [2, 3];
    xs.forEach((xv, i) => {
      const yv = xv * wv[i]!;
      expect(dx![i]).toBeCloseTo((1 + 2 * yv) * wv[i]! + Math.exp(xv), 12);
      expect(dw![i]).toBeCloseTo((1 + 2 * yv) * xv, 12);
    });
    expect(du).toEqual([0, 0, 0, 0]);
  });

  it('works on a plain GraphBuilder (inferred dtypes, Shape-based unbroadcasting)', async () => {
    const g = new GraphBuilder();
    const a = g.input('a', 'float64', [2, 3]);
    const b = g.input('b', 'float64', [3]);
    const loss = g.reduceSum(g.mul(g.tanh(g.add(a, b)), b), undefined, false);
    const [, gb] = gradients(g, loss, [a, b]);
    g.output(gb!, 'gb');
    const av = [0.1, 0.2, 0.3, -0.4, 0.5, 0.6];
    const bv = [1, -1, 0.5];
    const [d] = await run(g, { a: tensorF64(av, [2, 3]), b: tensorF64(bv, [3]) }, ['gb']);
    for (let j = 0; j < 3; j++) {
      let want = 0;
      for (let i = 0; i < 2; i++) {
        const t = Math.tanh(av[i * 3 + j]! + bv[j]!);
        want += t + bv[j]! * (1 - t * t);
      }
      expect(d![j]).toBeCloseTo(want, 12);
    }
  });

  it('names the op when a gradient rule is missing, and rejects a non-scalar loss without a seed', () => {
    const g = new DiffGraph();
    const x = g.input('x', 'float32', [3]);
    const y = g.op('Cos', [x]);
    expect(() => gradients(g, g.reduceSum(y, undefined, false), [x])).toThrow(
      /no gradient rule for ONNX op 'Cos'/,
    );
    expect(() => gradients(g, g.exp(x), [x])).toThrow(/shape \[3\]/);
    expect(hasGradRule('MatMul')).toBe(true);
    expect(hasGradRule('Shape')).toBe(true);
    expect(hasGradRule('Cos')).toBe(false);
    // Nodes that do not reach the loss need no rule.
    const z = g.op('Cos', [x]);
    expect(() => gradients(g, g.reduceSum(g.exp(x), undefined, false), [x])).not.toThrow();
    expect(z.name).toBeTruthy();
  });
});
