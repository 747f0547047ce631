import { describe, expect, it } from 'vitest';
import { stopGradient } from '../../../src/engine/onnx/autodiff.ts';
import { createRng } from '../../../src/engine/onnx/random.ts';
import { tensorF32, tensorF64 } from '../../../src/engine/onnx/runtime.ts';
import {
  TrainStep,
  buildTrainStepGraph,
  initOptimizerState,
  paramLayout,
} from '../../../src/engine/onnx/train-step.ts';
import type { TrainStepSpec } from '../../../src/engine/onnx/train-step.ts';

function randn(n: number, seed: number, std = 1): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => std * rng.normal());
}

describe('train step: layout', () => {
  it('lays tensors out back to back, row-major, in order; init fills their slices', () => {
    const layout = paramLayout([
      { name: 'w', shape: [2, 3] },
      { name: 's', shape: [] },
      { name: 'b', shape: [3], group: 'bias' },
    ]);
    expect(layout.total).toBe(10);
    expect(layout.entries.map((e) => [e.name, e.offset, e.size, e.group])).toEqual([
      ['w', 0, 6, 'default'],
      ['s', 6, 1, 'default'],
      ['b', 7, 3, 'bias'],
    ]);
    const st = initOptimizerState(layout, { s: [4], b: [1, 2, 3] });
    expect([...st.params]).toEqual([0, 0, 0, 0, 0, 0, 4, 1, 2, 3]);
    expect(() =>
      paramLayout([
        { name: 'a', shape: [1] },
        { name: 'a', shape: [2] },
      ]),
    ).toThrow(/duplicate/);
  });

  it('rejects unknown frozen tensors and non-scalar losses', () => {
    const params = [{ name: 'w', shape: [2] }];
    expect(() =>
      buildTrainStepGraph({
        params,
        frozen: ['nope'],
        build: (g, p) => ({ loss: g.reduceSum(p.w!, undefined, false) }),
      }),
    ).toThrow(/frozen tensor nope/);
    expect(() => buildTrainStepGraph({ params, build: (_g, p) => ({ loss: p.w! }) })).toThrow(/scalar/);
  });
});

describe('train step: gradients and training', () => {
  it('the flat gradient output matches central differences of the loss (float64)', async () => {
    const spec: TrainStepSpec = {
      dtype: 'float64',
      outputGradients: true,
      params: [
        { name: 'w', shape: [3, 2] },
        { name: 'b', shape: [2] },
        { name: 'scale', shape: [] },
      ],
      build: (g, p) => {
        const x = g.input('x', 'float64', [4, 3]);
        const z = g.mul(g.tanh(g.add(g.matMul(x, p.w!), p.b!)), p.scale!);
        return { loss: g.reduceMean(g.exp(g.logSoftmax(z)), undefined, false) };
      },
    };
    const ts = await TrainStep.create(spec, {
      init: { w: randn(6, 1), b: randn(2, 2), scale: [1.3] },
      threads: 1,
    });
    const batch = { x: tensorF64(randn(12, 3), [4, 3]) };
    const p0 = Float64Array.from(ts.state.params);
    const lossAt = async (p: Float64Array): Promise<number> => {
      ts.state.params = Float64Array.from(p);
      return (await ts.step(batch, 0)).loss; // lr 0: no update, no decay
    };
    await lossAt(p0);
    const grads = Float64Array.from(ts.lastGradients!);
    const eps = 1e-6;
    for (let i = 0; i < p0.length; i++) {
      const up = Float64Array.from(p0);
      const dn = Float64Array.from(p0);
      up[i]! += eps;
      dn[i]! -= eps;
      const num = ((await lossAt(up)) - (await lossAt(dn))) / (2 * eps);
      expect(Math.abs(grads[i]! - num)).toBeLessThan(1e-8);
    }
  });

  it('reduces the loss of a toy regression over 100 steps (float32 MLP, LayerNorm, GELU)', async () => {
    const N = 32;
    const D = 4;
    const H = 16;
    const wTrue = [0.8, -1.2, 0.5, 2];
    const x = randn(N * D, 11);
    const noise = randn(N, 12, 0.01);
    const y = Array.from({ length: N }, (_, i) => {
      let s = 0.3;
      for (let j = 0; j < D; j++) s += x[i * D + j]! * wTrue[j]!;
      return Math.sin(s) + noise[i]!;
    });
    const ts = await TrainStep.create(
      {
        params: [
          { name: 'w1', shape: [D, H], group: 'body' },
          { name: 'b1', shape: [H], group: 'body' },
          { name: 'ln_s', shape: [H], group: 'norm' },
          { name: 'ln_b', shape: [H], group: 'norm' },
          { name: 'w2', shape: [H, 1], group: 'body' },
          { name: 'b2', shape: [1], group: 'body' },
        ],
        groups: { body: { weightDecay: 1e-4 }, norm: { weightDecay: 0 } },
        build: (g, p) => {
          const xb = g.input('x', 'float32', ['batch', D]);
          const yb = g.input('y', 'float32', ['batch', 1]);
          const h = g.gelu(g.layerNorm(g.add(g.matMul(xb, p.w1!), p.b1!), p.ln_s!, p.ln_b!));
          const d = g.sub(g.add(g.matMul(h, p.w2!), p.b2!), yb);
          return {
            loss: g.reduceMean(g.mul(d, d), undefined, false),
            metrics: { mae: g.reduceMean(g.abs(d), undefined, false) },
          };
        },
      },
      {
        init: { w1: randn(D * H, 13, 0.5), ln_s: new Array<number>(H).fill(1), w2: randn(H, 14, 0.25) },
        threads: 1,
      },
    );
    const batch = { x: tensorF32(x, [N, D]), y: tensorF32(y, [N, 1]) };
    const losses: number[] = [];
    for (let s = 0; s < 100; s++) losses.push((await ts.step(batch, 0.01)).loss);
    const last = await ts.step(batch, 0);
    expect(losses[0]).toBeGreaterThan(0.1);
    expect(last.loss).toBeLessThan(0.1 * losses[0]!);
    expect(typeof last.metrics.mae).toBe('number');
    expect([...ts.state.steps]).toEqual(new Array(6).fill(101));
  });

  it('two train steps share one state (alternating phases, each freezing the other tensor)', async () => {
    const params = [
      { name: 'a', shape: [2] },
      { name: 'b', shape: [2] },
    ];
    // Phase B's loss uses `a` behind a stop-gradient, like DGHDGH's L_sp with CL1 frozen.
    const build: TrainStepSpec['build'] = (g, p) => {
      const t = g.input('t', 'float32', [2]);
      const d = g.sub(g.mul(p.a!, p.b!), t);
      return { loss: g.reduceSum(g.mul(d, d), undefined, false) };
    };
    const phaseA = await TrainStep.create(
      { params, frozen: ['b'], build },
      { init: { a: [1, 2], b: [0.5, -1] } },
    );
    const phaseB = await TrainStep.create(
      {
        params,
        frozen: ['a'],
        build: (g, p) => build(g, { a: stopGradient(g, p.a!), b: p.b! }),
      },
      { state: phaseA.state },
    );
    const batch = { t: tensorF32([1, 1], [2]) };
    const b0 = [...phaseA.param('b')];
    await phaseA.step(batch, 0.1);
    expect([...phaseA.param('b')]).toEqual(b0);
    const a1 = [...phaseA.param('a')];
    await phaseB.step(batch, 0.1);
    expect([...phaseB.param('a')]).toEqual(a1);
    expect([...phaseA.param('b')]).not.toEqual(b0);
    await phaseB.step(batch, 0.1);
    expect([...phaseA.state.steps]).toEqual([1, 2]);
  });
});
