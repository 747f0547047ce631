import { describe, expect, it } from 'vitest';
import { checkGradients } from '../../../src/engine/onnx/grad-check.ts';

/** The projection weights checkGradients reduces an output with: w_k = sin(1.3·k + 0.4). */
const w = (k: number): number => Math.sin(1.3 * k + 0.4);

describe('checkGradients', () => {
  it('projects the output to Σ y_k·w_k and returns analytic and numeric gradients (x², by hand)', async () => {
    const x = [0.5, -1, 2];
    const r = await checkGradients({
      inputs: [{ name: 'x', shape: [3], dims: [3], data: x }],
      build: (g, [v]) => g.mul(v!, v!),
    });
    expect(r.loss).toBeCloseTo(
      x.reduce((s, v, k) => s + v * v * w(k), 0),
      12,
    );
    const want = x.map((v, k) => 2 * v * w(k));
    [...r.analytic[0]!].forEach((a, k) => expect(a).toBeCloseTo(want[k]!, 12));
    [...r.numeric[0]!].forEach((n, k) => expect(n).toBeCloseTo(want[k]!, 8));
    expect(r.maxError).toBeLessThan(1e-8);
  });

  it('differentiates only the non-constant inputs, keeping their order', async () => {
    const r = await checkGradients({
      inputs: [
        { name: 'a', shape: [2], dims: [2], data: [1, 2] },
        { name: 'c', shape: [2], dims: [2], data: [3, 4], constant: true },
        { name: 'b', shape: [2], dims: [2], data: [5, 6] },
      ],
      build: (g, [a, c, b]) => g.add(g.mul(a!, c!), b!),
    });
    expect(r.analytic).toHaveLength(2);
    // d/da = c ⊙ w, d/db = w
    [...r.analytic[0]!].forEach((v, k) => expect(v).toBeCloseTo([3, 4][k]! * w(k), 12));
    [...r.analytic[1]!].forEach((v, k) => expect(v).toBeCloseTo(w(k), 12));
  });

  it('catches a gradient that disagrees with finite differences (Relu at its kink)', async () => {
    // Relu'(0) is taken as 0, while the central difference at 0 sees slope 1/2.
    const r = await checkGradients({
      inputs: [{ name: 'x', shape: [2], dims: [2], data: [0, 1] }],
      build: (g, [v]) => g.relu(v!),
    });
    expect(r.analytic[0]![0]).toBe(0);
    expect(r.numeric[0]![0]).toBeCloseTo(0.5 * w(0), 6);
    expect(r.maxError).toBeCloseTo(0.5 * Math.abs(w(0)), 6);
  });

  it('runs in float32 with a coarser default step', async () => {
    const r = await checkGradients({
      dtype: 'float32',
      inputs: [{ name: 'x', shape: [2], dims: [2], data: [0.3, -0.7] }],
      build: (g, [v]) => g.tanh(v!),
    });
    [...r.analytic[0]!].forEach((a, k) =>
      expect(a).toBeCloseTo((1 - Math.tanh([0.3, -0.7][k]!) ** 2) * w(k), 5),
    );
    expect(r.maxError).toBeLessThan(2e-3);
  });
});
