import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../src/engine/onnx/graph-builder.ts';
import type { TensorRef } from '../../../src/engine/onnx/graph-builder.ts';
import { adamwReference, adamwUpdate, adamwUpdateFlat } from '../../../src/engine/onnx/optimizer.ts';
import { createRng } from '../../../src/engine/onnx/random.ts';
import { createSession, tensorF32, tensorF64 } from '../../../src/engine/onnx/runtime.ts';
import { TrainStep } from '../../../src/engine/onnx/train-step.ts';
import type { TrainStepSpec } from '../../../src/engine/onnx/train-step.ts';

function randn(n: number, seed: number, std = 1): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => std * rng.normal());
}

describe('AdamW reference (plain JS, torch.optim.AdamW order)', () => {
  it('first step from zero state: decay, then a bias-corrected step of ≈ lr·sign(g)', () => {
    const p = Float64Array.from([1, -2]);
    const m = new Float64Array(2);
    const v = new Float64Array(2);
    adamwReference(p, [0.5, -3], m, v, 0.1, 1, { weightDecay: 0.01 });
    // p·(1 − lr·wd) − lr·ĝ/(|ĝ| + ε), with m̂ = g and v̂ = g² at t = 1
    expect(p[0]).toBeCloseTo(1 * 0.999 - 0.1 * (0.5 / (0.5 + 1e-8)), 12);
    expect(p[1]).toBeCloseTo(-2 * 0.999 + 0.1 * (3 / (3 + 1e-8)), 12);
    expect([...m]).toEqual([0.1 * 0.5, 0.1 * -3].map((x) => expect.closeTo(x, 15)));
    expect(v[1]).toBeCloseTo(0.001 * 9, 15);
  });
});

describe('AdamW in the ONNX train-step graph equals the JS reference on the same gradients', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: 5 steps, two groups (lr ×1 / ×0.1, wd 0.2 / 0.05), a frozen tensor, changing lr`, async () => {
      const spec: TrainStepSpec = {
        dtype,
        outputGradients: true,
        params: [
          { name: 'hash_w', shape: [3, 4], group: 'hash' },
          { name: 'hash_b', shape: [4], group: 'hash' },
          { name: 'gt_w', shape: [4, 2], group: 'gt' },
          { name: 'cl1', shape: [2], group: 'hash' },
        ],
        groups: { hash: { lrScale: 1, weightDecay: 0.2 }, gt: { lrScale: 0.1, weightDecay: 0.05 } },
        frozen: ['cl1'],
        adam: { beta1: 0.9, beta2: 0.99, eps: 1e-8 },
        build: (g, p) => {
          const x = g.input('x', dtype, [5, 3]);
          const y = g.input('y', dtype, [5, 2]);
          const h = g.tanh(g.add(g.matMul(x, p.hash_w!), p.hash_b!));
          const d = g.sub(g.mul(g.matMul(h, p.gt_w!), p.cl1!), y);
          return { loss: g.reduceMean(g.mul(d, d), undefined, false), metrics: { residual: d } };
        },
      };
      const init = {
        hash_w: randn(12, 1, 0.5),
        hash_b: randn(4, 2, 0.1),
        gt_w: randn(8, 3, 0.5),
        cl1: [1.5, -0.7],
      };
      const ts = await TrainStep.create(spec, { init, threads: 1 });
      const mk = dtype === 'float64' ? tensorF64 : tensorF32;
      const batch = { x: mk(randn(15, 4), [5, 3]), y: mk(randn(10, 5), [5, 2]) };
      const ref = { p: Float64Array.from(ts.state.params), m: new Float64Array(26), v: new Float64Array(26) };
      const groups = spec.groups!;
      const lrs = [1e-2, 5e-3, 2e-2, 1e-2, 1e-3];
      for (let s = 0; s < lrs.length; s++) {
        const r = await ts.step(batch, lrs[s]!);
        expect(Number.isFinite(r.loss)).toBe(true);
        expect((r.metrics.residual as Float64Array).length).toBe(10);
        const grads = ts.lastGradients!;
        for (const e of ts.layout.entries) {
          if (e.name === 'cl1') continue;
          const sl = (a: Float64Array) => a.subarray(e.offset, e.offset + e.size);
          const grp = groups[e.group]!;
          adamwReference(
            sl(ref.p),
            grads.subarray(e.offset, e.offset + e.size),
            sl(ref.m),
            sl(ref.v),
            lrs[s]!,
            s + 1,
            {
              beta1: 0.9,
              beta2: 0.99,
              eps: 1e-8,
              weightDecay: grp.weightDecay!,
              lrScale: grp.lrScale!,
            },
          );
        }
        const tol = dtype === 'float64' ? 1e-12 : 1e-6;
        for (let i = 0; i < 26; i++) {
          expect(Math.abs(ts.state.params[i]! - ref.p[i]!)).toBeLessThan(tol);
          expect(Math.abs(ts.state.m[i]! - ref.m[i]!)).toBeLessThan(tol);
          expect(Math.abs(ts.state.v[i]! - ref.v[i]!)).toBeLessThan(tol);
        }
      }
      // The frozen tensor took no update, no state and no step count; its gradient output is zero.
      expect([...ts.param('cl1')]).toEqual(
        [1.5, -0.7].map((x) => (dtype === 'float32' ? Math.fround(x) : x)),
      );
      expect([...ts.state.m.subarray(24), ...ts.state.v.subarray(24)]).toEqual([0, 0, 0, 0]);
      expect([...ts.state.steps]).toEqual([5, 5, 5, 0]);
      expect([...ts.lastGradients!.subarray(24)]).toEqual([0, 0]);
      // The learning-rate multiplier mattered: the gt group moved ~10× less per step.
      const moved = (name: string, from: number[]) =>
        Math.max(...[...ts.param(name)].map((v, i) => Math.abs(v - from[i]!)));
      expect(moved('gt_w', init.gt_w)).toBeLessThan(0.25 * moved('hash_w', init.hash_w));
    });
  }
});

describe('AdamW on flat vectors (adamwUpdateFlat) equals one adamwUpdate per tensor, bit for bit', () => {
  for (const dtype of ['float32', 'float64'] as const) {
    it(`${dtype}: three tensors, two groups (one without weight decay), different step counts`, async () => {
      const entries = [
        { size: 6, lrScale: 1, weightDecay: 0.2 },
        { size: 3, lrScale: 0.1, weightDecay: 0 },
        { size: 5, lrScale: 0.3, weightDecay: 0.05 },
      ];
      const N = 14;
      const adam = { beta1: 0.9, beta2: 0.99, eps: 1e-8 };
      const g = new GraphBuilder({ name: 'adam_flat' });
      const buf = (name: string) => g.input(name, dtype, [N]);
      const [p, gr, m, v] = [buf('p'), buf('g'), buf('m'), buf('v')];
      const lr = g.input('lr', 'float64', []);
      const steps = g.input('steps', 'float64', [3]);
      const flat = adamwUpdateFlat(g, p, gr, m, v, lr, steps, entries, adam);
      const per: { p: TensorRef[]; m: TensorRef[]; v: TensorRef[] } = { p: [], m: [], v: [] };
      let at = 0;
      entries.forEach((e, i) => {
        const sl = (x: TensorRef) => g.slice(x, [at], [at + e.size], [0]);
        const step = g.gather(steps, g.constant('int64', [], [i]), 0);
        const r = adamwUpdate(g, sl(p), sl(gr), sl(m), sl(v), { lr, step }, { ...adam, ...e });
        per.p.push(r.p);
        per.m.push(r.m);
        per.v.push(r.v);
        at += e.size;
      });
      for (const k of ['p', 'm', 'v'] as const) {
        g.output(flat[k], `flat_${k}`);
        g.output(g.concat(per[k], 0), `per_${k}`);
      }
      const { session } = await createSession(g.toBytes(), { threads: 1 });
      const mk = dtype === 'float64' ? tensorF64 : tensorF32;
      const out = await session.run({
        p: mk(randn(N, 1), [N]),
        g: mk(randn(N, 2, 0.1), [N]),
        m: mk(randn(N, 3, 0.01), [N]),
        v: mk(
          randn(N, 4, 0.01).map((x) => x * x),
          [N],
        ),
        lr: tensorF64([3e-3], []),
        steps: tensorF64([1, 7, 30], [3]),
      });
      for (const k of ['p', 'm', 'v'])
        expect(Array.from(out[`flat_${k}`]!.data as Float32Array)).toEqual(
          Array.from(out[`per_${k}`]!.data as Float32Array),
        );
      await session.release();
    });
  }
});
