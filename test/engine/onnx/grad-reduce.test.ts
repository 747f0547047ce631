import { describe, it } from 'vitest';
import { reduceRules } from '../../../src/engine/onnx/grad-reduce.ts';
import { expectGradOk, expectRulesCovered, inp, X, type Case } from './grad-cases.ts';

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
];

describe('grad-reduce: reduction and softmax gradients vs central finite differences', () => {
  it('every rule of the module is exercised by a case', () => expectRulesCovered(reduceRules, reductions));
  for (const c of reductions) it(c.name, () => expectGradOk(c));
});
