/**
 * Shared harness of the gradient-rule tests (one test file per grad-* module): seeded inputs, a case
 * checked against central finite differences with `checkGradients`, and a check that a module's
 * every rule is exercised by at least one case.
 */
import { expect } from 'vitest';
import { DiffGraph } from '../../../src/engine/onnx/autodiff.ts';
import type { GradRule } from '../../../src/engine/onnx/grad-context.ts';
import { checkGradients } from '../../../src/engine/onnx/grad-check.ts';
import type { CheckInput } from '../../../src/engine/onnx/grad-check.ts';
import type { Shape, TensorRef } from '../../../src/engine/onnx/graph-builder.ts';
import { createRng } from '../../../src/engine/onnx/random.ts';
import type { Feeds } from '../../../src/engine/onnx/runtime.ts';

// Every rule is checked against central finite differences of the same ONNX Runtime session:
// float64 with step 1e-6 and a tolerance of 1e-6 (relative to max(1, |numeric|)); ops without a
// float64 CPU kernel (Erf, so GELU) in float32 with step 1e-2 and a tolerance of 2e-3.
const TOL64 = 1e-6;
const TOL32 = 2e-3;

/** Where input values lie. */
export type Range = 'any' | 'pos' | 'away';

/** Seeded values: 'any' in (−1.5, 1.5), 'pos' in (0.3, 2), 'away' with |v| in (0.3, 1.5). */
export function values(n: number, seed: number, range: Range = 'any'): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const u = rng.next();
    if (range === 'pos') return 0.3 + 1.7 * u;
    if (range === 'away') return (rng.next() < 0.5 ? -1 : 1) * (0.3 + 1.2 * u);
    return 3 * u - 1.5;
  });
}

let seedCounter = 1;
/** A differentiated input with random data; `shape` may hold symbolic dims (dynamic paths). */
export function inp(name: string, dims: number[], range: Range = 'any', shape?: Shape): CheckInput {
  return {
    name,
    dims,
    shape: shape ?? dims,
    data: values(
      dims.reduce((a, b) => a * b, 1),
      seedCounter++,
      range,
    ),
  };
}

/** One gradient check: a function of the inputs, in float64 unless `float32`. */
export interface Case {
  name: string;
  inputs: CheckInput[];
  build: (g: DiffGraph, xs: TensorRef[]) => TensorRef;
  float32?: boolean;
  feeds?: Feeds;
  opset?: number;
}

/** Checks a case's autodiff gradients against central finite differences. */
export async function expectGradOk(c: Case): Promise<void> {
  const r = await checkGradients({
    inputs: c.inputs,
    build: c.build,
    dtype: c.float32 ? 'float32' : 'float64',
    ...(c.feeds ? { feeds: c.feeds } : {}),
    ...(c.opset ? { opset: c.opset } : {}),
  });
  expect(Number.isFinite(r.loss)).toBe(true);
  // An all-zero gradient would make the check vacuous.
  expect(r.analytic.some((a) => a.some((v) => Math.abs(v) > 1e-8))).toBe(true);
  expect(r.maxError).toBeLessThan(c.float32 ? TOL32 : TOL64);
}

/** Input i of a case's graph. */
export const X = (xs: TensorRef[], i = 0): TensorRef => xs[i] as TensorRef;

/** The op types of the forward graphs the cases build. */
export function opTypesOf(cases: readonly Case[]): Set<string> {
  const ops = new Set<string>();
  for (const c of cases) {
    const g = new DiffGraph(c.opset !== undefined ? { opset: c.opset } : {});
    const xs = c.inputs.map((i) => g.input(i.name, c.float32 ? 'float32' : 'float64', i.shape));
    c.build(g, xs);
    for (const node of g.graphNodes()) ops.add(node.opType);
  }
  return ops;
}

/** Fails naming every rule of `rules` that no case exercises. */
export function expectRulesCovered(rules: Readonly<Record<string, GradRule>>, cases: readonly Case[]): void {
  const ops = opTypesOf(cases);
  expect(Object.keys(rules).filter((op) => !ops.has(op))).toEqual([]);
}
