import { describe, it } from 'vitest';
import { elementwiseRules } from '../../../src/engine/onnx/grad-elementwise.ts';
import { expectGradOk, expectRulesCovered, inp, X, type Case } from './grad-cases.ts';

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
  {
    name: 'LeakyRelu alpha 0.2',
    inputs: [inp('a', [2, 3], 'away')],
    build: (g, x) => g.op('LeakyRelu', [X(x)], { alpha: 0.2 }),
  },
  {
    name: 'LeakyRelu default alpha (0.01)',
    inputs: [inp('a', [2, 3], 'away')],
    build: (g, x) => g.op('LeakyRelu', [X(x)]),
  },
  { name: 'Softplus', inputs: [inp('a', [2, 3])], build: (g, x) => g.op('Softplus', [X(x)]) },
];

describe('grad-elementwise: gradients vs central finite differences', () => {
  it('every rule of the module is exercised by a case', () =>
    expectRulesCovered(elementwiseRules, elementwise));
  for (const c of elementwise) it(c.name, () => expectGradOk(c));
});
