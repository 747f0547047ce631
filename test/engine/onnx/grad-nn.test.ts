import { describe, expect, it } from 'vitest';
import { checkGradients } from '../../../src/engine/onnx/grad-check.ts';
import { DiffGraph } from '../../../src/engine/onnx/autodiff.ts';
import { nnRules } from '../../../src/engine/onnx/grad-nn.ts';
import { expectGradOk, expectRulesCovered, inp, X, type Case } from './grad-cases.ts';

const nn: Case[] = [
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
  {
    name: 'LayerNormalization axis −1 (float32: statistics from the forward node)',
    inputs: [inp('x', [2, 3, 4]), inp('s', [4]), inp('b', [4])],
    build: (g, x) => g.layerNorm(X(x), X(x, 1), X(x, 2)),
    float32: true,
  },
  {
    name: 'LayerNormalization axis 1, no bias (float32: statistics from the forward node)',
    inputs: [inp('x', [2, 3, 4]), inp('s', [3, 4])],
    build: (g, x) => g.layerNorm(X(x), X(x, 1), null, { axis: 1, epsilon: 1e-3 }),
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
];

describe('grad-nn: LayerNormalization and Gelu gradients vs central finite differences', () => {
  it('every rule of the module is exercised by a case', () => expectRulesCovered(nnRules, nn));
  for (const c of nn) it(c.name, () => expectGradOk(c));
});

describe('grad-nn: LayerNormalization in float32 (forward statistics) against float64 (recomputed)', () => {
  it('the float32 node outputs Mean and InvStdDev, the float64 one does not', () => {
    for (const [dtype, count] of [
      ['float32', 3],
      ['float64', 1],
    ] as const) {
      const g = new DiffGraph();
      const x = g.input('x', dtype, [2, 4]);
      g.layerNorm(x, g.input('s', dtype, [4]), g.input('b', dtype, [4]));
      const ln = g.graphNodes().find((n) => n.opType === 'LayerNormalization');
      expect(ln?.outputs.length).toBe(count);
    }
  });
  for (const [name, withScaleGrad] of [
    ['scale and bias differentiated', true],
    ['scale held constant (no scale gradient)', false],
  ] as const)
    it(`analytic gradients agree to float32 rounding: ${name}`, async () => {
      const inputs = [
        {
          ...inp('x', [5, 3, 8]),
          data: Array.from({ length: 120 }, (_, i) => Math.sin(i * 0.7) * 3 + (i % 5)),
        },
        { ...inp('s', [8]), constant: !withScaleGrad },
        inp('b', [8]),
      ];
      const build = (g: DiffGraph, xs: Parameters<Case['build']>[1]) =>
        g.layerNorm(X(xs), X(xs, 1), X(xs, 2));
      const [a32, a64] = await Promise.all(
        (['float32', 'float64'] as const).map((dtype) => checkGradients({ dtype, inputs, build })),
      );
      expect(a32!.analytic.length).toBe(withScaleGrad ? 3 : 2);
      let worst = 0;
      a32!.analytic.forEach((g32, k) =>
        g32.forEach((v, e) => {
          const ref = a64!.analytic[k]![e]!;
          worst = Math.max(worst, Math.abs(v - ref) / Math.max(1, Math.abs(ref)));
        }),
      );
      // NOTE: float32 inputs and arithmetic against float64: ~1e-5 relative; a wrong formula is off by O(1).
      expect(worst).toBeLessThan(1e-4);
      expect(a64!.maxError).toBeLessThan(1e-6);
    });
});
