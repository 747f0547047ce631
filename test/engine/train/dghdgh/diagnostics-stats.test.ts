import { describe, expect, it } from 'vitest';
import { concatRaw, diagnosticStats } from '../../../../src/engine/train/dghdgh/diagnostics-stats.ts';

const f = (xs: number[]) => Float64Array.from(xs);

// Two real triplets (K = 2) worked out by hand, and a padding row full of NaN that must be ignored.
// T0: a=(1,0) p=(0,1) n=(−1,0) h′=(.5,.5) λ=(.2,.6): d_ap=√2 < d_an=2 (interpolated); cos p 0, n −1, h′ 1/√2;
//     sign bits a 10, p 01, n 00, h′ 11 → Hamming p 2, n 1, h′ 1.
// T1: a=(1,1) p=(−1,−1) n=h′=(1,.5) λ=(.8,.8): d_ap=2√2 > d_an=.5 (kept as is); cos p −1, n = h′ = 1.5/√2.5;
//     bits a 11, p 00, n = h′ 11 → Hamming p 2, n 0, h′ 0.
const raw = {
  K: 2,
  ha: f([1, 0, 1, 1, NaN, NaN]),
  hp: f([0, 1, -1, -1, NaN, NaN]),
  hn: f([-1, 0, 1, 0.5, NaN, NaN]),
  hs: f([0.5, 0.5, 1, 0.5, NaN, NaN]),
  lambda: f([0.2, 0.6, 0.8, 0.8, NaN, NaN]),
  w: f([1, 1, 0]),
};

describe('DGHDGH diagnostics (hand-computed case)', () => {
  it('λ statistics, generator share of r, hardness fractions and margin violations', () => {
    const tau = 0.5;
    const s = diagnosticStats(raw, tau, 0.25);
    expect(s.triplets).toBe(2);
    expect(s.lambdaMean).toBeCloseTo(0.6, 12);
    expect(s.lambdaSdTriplets).toBeCloseTo(0.2, 12); // channel means 0.4 and 0.8
    expect(s.lambdaSdChannels).toBeCloseTo(0.1, 12); // (0.2 + 0) / 2
    expect(s.interpolated).toBe(0.5);
    // T0 only: generator part Σ_k λ_k τ (d_an − d_ap) / d_an; r = d_ap/d_an + that part per channel.
    const gen = (0.2 + 0.6) * tau * ((2 - Math.SQRT2) / 2);
    expect(s.generatorShare).toBeCloseTo(gen / (2 * (Math.SQRT2 / 2) + gen), 9);
    expect(s.harderThanRealCos).toBe(0.5); // T0 yes (1/√2 > −1); T1 equal, not harder
    expect(s.harderThanRealHam).toBe(0); // T0 1 vs 1, T1 0 vs 0
    expect(s.closerThanPosCos).toBe(1);
    expect(s.closerThanPosHam).toBe(1);
    expect(s.realViolating).toBe(0.5); // T0: 0.25 − 0 − 1 < 0; T1: 0.25 + 1 + 0.95 > 0
    expect(s.synViolating).toBe(1);
  });

  it('τ = 0: the generator has no share; concatenating batches equals one batch', () => {
    expect(diagnosticStats(raw, 0, 0.25).generatorShare).toBe(0);
    const half = (x: Float64Array, k: number) => [x.slice(0, 2 * k), x.slice(2 * k)];
    const [a, b] = [0, 1].map((i) => ({
      K: 2,
      ha: half(raw.ha, 1)[i]!,
      hp: half(raw.hp, 1)[i]!,
      hn: half(raw.hn, 1)[i]!,
      hs: half(raw.hs, 1)[i]!,
      lambda: half(raw.lambda, 1)[i]!,
      w: i === 0 ? raw.w.slice(0, 1) : raw.w.slice(1),
    }));
    expect(diagnosticStats(concatRaw([a!, b!]), 0.5, 0.25)).toEqual(diagnosticStats(raw, 0.5, 0.25));
  });

  it('without synthesis (no-DGS) the synthetic fields are NaN, the real ones still count', () => {
    const s = diagnosticStats({ ...raw, hs: new Float64Array(0), lambda: new Float64Array(0) }, 0.5, 0.25);
    expect(s.realViolating).toBe(0.5);
    expect(s.generatorShare).toBeNaN();
    expect(s.lambdaMean).toBeNaN();
    expect(s.harderThanRealCos).toBeNaN();
  });
});
