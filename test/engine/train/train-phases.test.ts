/** The phases' words: N of M where they count, the stage where they belong, and no jargon a photographer trips on. */
import { describe, expect, it } from 'vitest';
import type { TrainPhaseView } from '../../../src/contract/api.ts';
import { trainPhase } from '../../../src/engine/train/train-phases.ts';

describe('trainPhase', () => {
  it('says what it counts as N of M, with the counts beside the words', () => {
    expect(trainPhase.reading(120, 400)).toEqual({
      phase: 'reading',
      message: "Reading your tagged photos' embeddings: 120 of 400",
      done: 120,
      total: 400,
    });
    expect(trainPhase.rehashing('quick', 1500, 2048)).toEqual({
      phase: 'rehashing',
      message: 'Re-hashing your photos and notes for the new version: 1,500 of 2,048',
      stage: 'quick',
      done: 1500,
      total: 2048,
    });
    expect(trainPhase.checkingEpoch('dghdgh', 2, 3)).toMatchObject({
      message: 'Checking epoch 2 of 3 on your held-back photos',
      done: 2,
      total: 3,
    });
    expect(trainPhase.splitting(10, 51).message).toBe(
      'Building the validation set: holding back 10 of your 51 photos to check the result on',
    );
    expect(trainPhase.splitting(1, 1).message).toMatch(/your 1 photo to check/);
  });

  it('carries the stage only when it is given one', () => {
    expect(trainPhase.compiling(undefined)).toEqual({
      phase: 'compiling',
      message: 'Compiling the training step',
    });
    expect(trainPhase.compiling('quick').stage).toBe('quick');
  });

  it('never says head, mAP or a loss name', () => {
    const all: TrainPhaseView[] = [
      trainPhase.reading(1, 2),
      trainPhase.describing(1, 2),
      trainPhase.splitting(1, 2),
      trainPhase.compiling('quick'),
      trainPhase.checkingEpoch('quick', 1, 2),
      trainPhase.bestEpoch('quick', 1),
      trainPhase.saving('dghdgh'),
      trainPhase.comparing('dghdgh', 10),
      trainPhase.rehashing('dghdgh', 1, 2),
    ];
    expect(new Set(all.map((p) => p.phase)).size).toBe(all.length);
    for (const p of all) expect(p.message).not.toMatch(/\bhead\b|mAP|sp1|triplet|DGHDGH/i);
  });
});
