/** Retraining in plain words: percentages, the stages' sentences, and what each version is. */
import { describe, expect, it } from 'vitest';
import type { HeadView, TrainStageView } from '../../../src/contract/api.ts';
import {
  finalSentence,
  findsLine,
  percent,
  phaseText,
  progressText,
  quickSentence,
  versionLabel,
} from '../../../src/renderer/src/lib/train-words.ts';

const head = (extra: Partial<HeadView> = {}): HeadView => ({
  id: 'h',
  kind: 'dghdgh',
  bits: 64,
  createdAt: 1,
  active: false,
  ...extra,
});
const stage = (activated: boolean, before: number, after: number): TrainStageView => ({
  head: head(),
  activated,
  before,
  after,
});

describe('train words', () => {
  it('writes the quality as whole percentages', () => {
    expect(percent(0.5714)).toBe('57 %');
    expect(percent(1)).toBe('100 %');
    expect(percent(undefined)).toBe('—');
    expect(percent(Number.NaN)).toBe('—');
    expect(findsLine(0.571, 0.764)).toBe('finds your tagged photos: 57 % → 76 %');
  });

  it('says what each stage did and what search uses now', () => {
    expect(quickSentence(stage(true, 0.57, 0.7), true)).toBe(
      'Step 1, quick training: finds your tagged photos: 57 % → 70 %. It was better than the search you had, so search uses it already. The full training now continues from it.',
    );
    expect(quickSentence(stage(false, 0.57, 0.5), false)).toMatch(/not better .* search kept what it had\.$/);
    const quick = stage(true, 0.57, 0.7);
    expect(finalSentence(stage(true, 0.7, 0.76), quick)).toBe(
      'Step 2, full training: finds your tagged photos: 70 % → 76 %. Search now uses this new version.',
    );
    expect(finalSentence(stage(false, 0.7, 0.68), quick)).toMatch(
      /not better, so search keeps the step 1 version/,
    );
    expect(finalSentence(stage(false, 0.57, 0.5), stage(false, 0.57, 0.5))).toMatch(
      /keeps the version it had/,
    );
    expect(finalSentence(stage(true, 0.5, 0.6), undefined)).toMatch(/^Training: finds/);
  });

  it('names a version by the step that made it, or as the starting one', () => {
    expect(versionLabel(head({ metrics: { stage: 'quick' }, quality: 0.7 }))).toBe('Quick training (step 1)');
    expect(versionLabel(head({ metrics: { stage: 'dghdgh' }, quality: 0.7 }))).toBe('Full training (step 2)');
    expect(versionLabel(head())).toBe('Starting version (not trained on your tags)');
  });

  it('writes the "now" line: the run step a phase belongs to, a step, an epoch done with its quality', () => {
    expect(phaseText({ phase: 'reading', message: 'Reading: 1 of 2' })).toBe('Preparing · Reading: 1 of 2');
    expect(phaseText({ phase: 'saving', message: 'Saving', stage: 'dghdgh' })).toBe(
      'Step 2 of 2, full training · Saving',
    );
    const p = { type: 'train-progress' as const, epoch: 2, epochs: 3, step: 4, steps: 9, losses: {} };
    expect(progressText(p)).toBe('Training · epoch 2 of 3 · step 4 of 9');
    expect(progressText({ ...p, valMap: 0.456 })).toBe(
      'Training · epoch 2 of 3 done · finds your tagged photos: 46 %',
    );
  });
});
