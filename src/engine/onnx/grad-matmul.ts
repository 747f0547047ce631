/** Gradient rules for MatMul (numpy semantics: 1-D operands, broadcast batch dims) and Gemm. */
import type { GradRule } from './grad-context.ts';
import type { GraphBuilder, TensorRef } from './graph-builder.ts';

/** Swaps the last two dims of a rank-r tensor (r ≥ 2). */
function swapLast(g: GraphBuilder, x: TensorRef, rank: number): TensorRef {
  const perm = Array.from({ length: rank }, (_, i) => i);
  perm[rank - 2] = rank - 1;
  perm[rank - 1] = rank - 2;
  return g.transpose(x, perm);
}

function rankOf(x: TensorRef, what: string): number {
  if (!x.shape)
    throw new Error(`autodiff: ${what} gradient needs the rank of ${x.name}; build the graph with DiffGraph`);
  return x.shape.length;
}

/** Rules for matrix products. */
export const matmulRules: Record<string, GradRule> = {
  MatMul: ({ ctx, inputs, grads, needs }) => {
    const g = ctx.g;
    const [a, b] = inputs as TensorRef[];
    const ra = rankOf(a!, 'MatMul');
    const rb = rankOf(b!, 'MatMul');
    let A = a!;
    let B = b!;
    let G = grads[0] as TensorRef;
    // NOTE: numpy promotes a 1-D left operand to [1, k] and a 1-D right one to [k, 1], then drops
    // that dim from the result; restore it in the incoming gradient.
    if (ra === 1) {
      A = g.unsqueeze(A, [0]);
      G = g.unsqueeze(G, [rb === 1 ? 0 : -2]);
    }
    if (rb === 1) {
      B = g.unsqueeze(B, [1]);
      G = g.unsqueeze(G, [-1]);
    }
    const rA = Math.max(ra, 2);
    const rB = Math.max(rb, 2);
    let ga: TensorRef | null = null;
    let gb: TensorRef | null = null;
    if (needs[0]) {
      ga = g.matMul(G, swapLast(g, B, rB));
      if (ra === 1) ga = g.squeeze(ga, [-2]);
      ga = ctx.unbroadcast(ga, a!);
    }
    const k = A.shape?.[ra - 1];
    const n = B.shape?.[1];
    if (needs[1] && rb === 2 && ra > 2 && typeof k === 'number' && typeof n === 'number') {
      // NOTE: a 2-D right operand (a weight) broadcast over a's batch dims: its gradient Σ_batch aᵀ·G is one
      // product of the flattened rows, [k, rows]·[rows, n], rather than a batched product and a sum over it.
      const rows = (x: TensorRef, d: number): TensorRef => g.reshape(x, [-1, d], [null, d]);
      gb = g.matMul(g.transpose(rows(A, k), [1, 0]), rows(G, n));
    } else if (needs[1]) {
      gb = g.matMul(swapLast(g, A, rA), G);
      if (rb === 1) gb = g.squeeze(gb, [-1]);
      gb = ctx.unbroadcast(gb, b!);
    }
    return [ga, gb];
  },

  Gemm: ({ ctx, node, inputs, outputs, grads, needs }) => {
    const g = ctx.g;
    const [a, b, c] = inputs;
    const gy = grads[0] as TensorRef;
    const y = outputs[0] as TensorRef;
    const tA = ctx.attrInt(node, 'transA', 0) === 1;
    const tB = ctx.attrInt(node, 'transB', 0) === 1;
    const alpha = ctx.attrFloat(node, 'alpha', 1);
    const beta = ctx.attrFloat(node, 'beta', 1);
    // Y = alpha·A'·B' + beta·C with A' = transA ? Aᵀ : A (same for B).
    let ga: TensorRef | null = null;
    let gb: TensorRef | null = null;
    if (needs[0]) {
      // dA' = alpha·G·B'ᵀ; dA = dA' or dA'ᵀ = alpha·B'·Gᵀ
      ga = tA
        ? g.gemm(b!, gy, undefined, { transA: tB, transB: true, alpha })
        : g.gemm(gy, b!, undefined, { transB: !tB, alpha });
    }
    if (needs[1]) {
      // dB' = alpha·A'ᵀ·G; dB = dB' or dB'ᵀ = alpha·Gᵀ·A'
      gb = tB
        ? g.gemm(gy, a!, undefined, { transA: true, transB: tA, alpha })
        : g.gemm(a!, gy, undefined, { transA: !tA, alpha });
    }
    const gc = needs[2] && c ? ctx.unbroadcast(beta === 1 ? gy : g.mul(gy, beta), c, y.shape) : null;
    return [ga, gb, gc];
  },
};
