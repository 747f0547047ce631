import { describe, it } from 'vitest';
import { matmulRules } from '../../../src/engine/onnx/grad-matmul.ts';
import { expectGradOk, expectRulesCovered, inp, X, type Case } from './grad-cases.ts';

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

describe('grad-matmul: MatMul and Gemm gradients vs central finite differences', () => {
  it('every rule of the module is exercised by a case', () => expectRulesCovered(matmulRules, linalg));
  for (const c of linalg) it(c.name, () => expectGradOk(c));
});
