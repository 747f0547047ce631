import { describe, expect, it } from 'vitest';
import { pct, progressLine } from '../../../src/engine/train/progress-line.ts';
import type { TrainProgress } from '../../../src/engine/train/trainer.ts';

const losses = { hl: 0.53431, real: 0.4, syn: 0.1, sp1: 0, sp2: 0, go: 3.01654, is: 0, sp: 0, cd: 0 };

describe('progressLine', () => {
  it('names the epoch and step, both phase losses, τ and γ_syn, and the validation mAP once known', () => {
    const step: TrainProgress = {
      kind: 'step',
      epoch: 2,
      epochs: 30,
      step: 5,
      steps: 14,
      losses,
      tau: 0.0004,
      gammaSyn: 0.1,
      elapsedMs: 1200,
    };
    expect(progressLine(step, '16b full')).toBe(
      '16b full epoch 2/30 step 5/14 hl 0.5343 go 3.0165 τ 0.000 γ 0.10',
    );
    expect(progressLine({ ...step, kind: 'epoch', step: 14, valMap: 0.252 }, 'library')).toBe(
      'library epoch 2/30 step 14/14 hl 0.5343 go 3.0165 τ 0.000 γ 0.10 val mAP 25.20',
    );
  });

  it('pct prints two decimals and a dash for what was not measured', () => {
    expect(pct(0.24125)).toBe('24.13');
    expect(pct(NaN)).toBe('—');
  });
});
