import { describe, it } from 'vitest';
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
