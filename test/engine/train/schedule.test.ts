import { describe, expect, it } from 'vitest';
import {
  epochGammaSyn,
  hardnessTau,
  RunningMean,
  stepTau,
  syntheticWeight,
} from '../../../src/engine/train/schedule.ts';

describe('DGHDGH schedule', () => {
  it('τ = exp(−α / L̄_hl) on hand-computed values; first epoch and no-HAP give 1', () => {
    // exp(−5 / 2.5) = exp(−2) = 0.1353352832366127
    expect(hardnessTau(5, 2.5)).toBeCloseTo(0.1353352832366127, 15);
    // exp(−5 / 10) = exp(−0.5) = 0.6065306597126334
    expect(hardnessTau(5, 10)).toBeCloseTo(0.6065306597126334, 15);
    expect(hardnessTau(5, undefined)).toBe(1);
    expect(hardnessTau(5, 2.5, false)).toBe(1);
    expect(hardnessTau(5, 0)).toBe(0);
    // a falling loss makes τ smaller (harder synthetic negatives)
    expect(hardnessTau(5, 1)).toBeLessThan(hardnessTau(5, 2));
  });

  it('γ_syn = clamp(1 − exp(−β / L̄_go), 0.1, 0.9) on hand-computed values', () => {
    // 1 − exp(−2 / 4) = 1 − 0.6065306597126334 = 0.3934693402873666
    expect(syntheticWeight(2, 4)).toBeCloseTo(0.3934693402873666, 15);
    // 1 − exp(−2 / 1) = 0.8646647167633873
    expect(syntheticWeight(2, 1)).toBeCloseTo(0.8646647167633873, 15);
    // 1 − exp(−2 / 0.5) = 0.98168… → clamped to 0.9
    expect(syntheticWeight(2, 0.5)).toBe(0.9);
    // 1 − exp(−2 / 100) = 0.0198… → clamped to 0.1
    expect(syntheticWeight(2, 100)).toBe(0.1);
    expect(syntheticWeight(2, undefined)).toBe(0.1);
    expect(syntheticWeight(2, 0)).toBe(0.9);
  });

  it("γ_syn 'reference' rule keeps only 0.1 and 0.9", () => {
    expect(syntheticWeight(2, 4, 'reference')).toBe(0.1);
    expect(syntheticWeight(2, 0.5, 'reference')).toBe(0.9);
    expect(syntheticWeight(2, 100, 'reference')).toBe(0.1);
    expect(syntheticWeight(2, undefined, 'reference')).toBe(0.1);
  });

  it("τ: 'reference' from this epoch's running L_real, 'paper' from the previous epoch's phase-1 loss", () => {
    const base = { alpha: 5, beta: 2, gammaSynRule: 'clamp' as const, hap: true };
    const ref = { ...base, tau: 'reference' as const };
    const paper = { ...base, tau: 'paper' as const };
    expect(stepTau(ref, { meanTotal: 2 }, undefined)).toBe(1);
    expect(stepTau(ref, { meanTotal: 2 }, 0.5)).toBeCloseTo(Math.exp(-10), 15);
    expect(stepTau(paper, {}, 0.5)).toBe(1);
    expect(stepTau(paper, { meanTotal: 2 }, 0.5)).toBeCloseTo(Math.exp(-0.5), 15);
    expect(stepTau({ ...paper, hap: false }, { meanTotal: 2 }, 0.5)).toBe(1);
    expect(stepTau({ ...ref, hap: false }, {}, 0.5)).toBe(1);
    expect(epochGammaSyn(ref, { meanGo: 4 })).toBeCloseTo(1 - Math.exp(-0.5), 15);
    expect(epochGammaSyn({ ...ref, gammaSynRule: 'reference' }, { meanGo: 4 })).toBe(0.1);
  });

  it('RunningMean skips non-finite values and is undefined when empty', () => {
    const m = new RunningMean();
    expect(m.mean).toBeUndefined();
    for (const x of [1, 2, NaN, 6, Infinity]) m.add(x);
    expect(m.mean).toBe(3);
    expect(m.count).toBe(3);
    expect(m.skipped).toBe(2);
  });
});
