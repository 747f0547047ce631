import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/engine/onnx/random.ts';

describe('seeded rng', () => {
  it('is deterministic per seed and stream, and streams differ', () => {
    const a = createRng(7, 'w').fillNormal(new Float64Array(5));
    const b = createRng(7, 'w').fillNormal(new Float64Array(5));
    const c = createRng(7, 'v').fillNormal(new Float64Array(5));
    const d = createRng(8, 'w').fillNormal(new Float64Array(5));
    expect([...a]).toEqual([...b]);
    expect([...a]).not.toEqual([...c]);
    expect([...a]).not.toEqual([...d]);
  });

  it('gives uniform [0,1) and standard normal moments', () => {
    const rng = createRng(1);
    let lo = 1;
    let hi = 0;
    for (let i = 0; i < 10000; i++) {
      const u = rng.next();
      lo = Math.min(lo, u);
      hi = Math.max(hi, u);
    }
    expect(lo).toBeGreaterThanOrEqual(0);
    expect(hi).toBeLessThan(1);
    const x = createRng(2).fillNormal(new Float64Array(200_000));
    const mean = x.reduce((s, v) => s + v, 0) / x.length;
    const variance = x.reduce((s, v) => s + (v - mean) ** 2, 0) / x.length;
    expect(Math.abs(mean)).toBeLessThan(0.01);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
    expect(x.every(Number.isFinite)).toBe(true);
  });
});
