/** The graph transformer's initial edges against a by-hand reference (float64, real ONNX Runtime). */
import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../../../../src/engine/onnx/graph-builder.ts';
import { createSession, runSession, tensorF64 } from '../../../../src/engine/onnx/runtime.ts';
import { initialEdgeMean, projectedInitialEdges } from '../../../../src/engine/train/dghdgh/gt.ts';

const B = 5;
const K = 4;
const DE = 3;
const values = (n: number, a: number, b: number): Float64Array =>
  Float64Array.from({ length: n }, (_, i) => Math.sin(a * i + b));

/** ĥ: each row centred over its channels, then divided by the row's norm (before centring), as gt.ts documents. */
function scaled(h: Float64Array): Float64Array {
  const out = new Float64Array(h.length);
  for (let r = 0; r < h.length / K; r++) {
    const row = h.subarray(r * K, (r + 1) * K);
    const mean = row.reduce((s, x) => s + x, 0) / K;
    const norm = Math.sqrt(row.reduce((s, x) => s + x * x, 0) + 1e-12);
    row.forEach((x, k) => (out[r * K + k] = (x - mean) / norm));
  }
  return out;
}

describe('graph transformer: initial edges', () => {
  it('projects ĥ_i ⊙ ĥ_j on the grid, and its mean over j without the grid, both equal to the by-hand values', async () => {
    const hx = values(B * K, 1.3, 0.2);
    const hy = values(B * K, 0.7, 1.1);
    const w = values(K * DE, 2.1, 0.5);
    const b = values(DE, 0.9, 0.3);
    const g = new GraphBuilder({ name: 'edges' });
    const x = g.input('hx', 'float64', [B, K]);
    const y = g.input('hy', 'float64', [B, K]);
    const p = {
      'gt.edge_in.w': g.input('w', 'float64', [K, DE]),
      'gt.edge_in.b': g.input('b', 'float64', [DE]),
    };
    g.output(projectedInitialEdges(g, p, x, y), 'grid');
    g.output(initialEdgeMean(g, p, x, y), 'mean');
    const { session } = await createSession(g.toBytes(), { threads: 1 });
    const out = await runSession(session, {
      hx: tensorF64(hx, [B, K]),
      hy: tensorF64(hy, [B, K]),
      w: tensorF64(w, [K, DE]),
      b: tensorF64(b, [DE]),
    });
    await session.release();
    const sx = scaled(hx);
    const sy = scaled(hy);
    const grid = out['grid']?.data as Float64Array;
    const mean = out['mean']?.data as Float64Array;
    for (let i = 0; i < B; i++)
      for (let c = 0; c < DE; c++) {
        let sum = 0;
        for (let j = 0; j < B; j++) {
          let e = b[c] as number;
          for (let k = 0; k < K; k++)
            e += (sx[i * K + k] as number) * (sy[j * K + k] as number) * (w[k * DE + c] as number);
          expect(grid[(i * B + j) * DE + c]).toBeCloseTo(e, 12);
          sum += e;
        }
        expect(mean[i * DE + c]).toBeCloseTo(sum / B, 12);
      }
  });
});
