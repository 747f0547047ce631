import { describe, it } from 'vitest';
import { shapeRules } from '../../../src/engine/onnx/grad-shape.ts';
import { tensorI64 } from '../../../src/engine/onnx/runtime.ts';
import { expectGradOk, expectRulesCovered, inp, X, type Case } from './grad-cases.ts';

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

describe('grad-shape: layout op gradients vs central finite differences', () => {
  it('every rule of the module is exercised by a case', () => expectRulesCovered(shapeRules, layout));
  for (const c of layout) it(c.name, () => expectGradOk(c));
});
