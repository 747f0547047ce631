import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { defaultTrainThreads } from '../../../../src/engine/train/dghdgh/train-threads.ts';

describe('defaultTrainThreads', () => {
  it('is one thread on one or two cores and ORT’s own choice on more', () => {
    expect(defaultTrainThreads(1)).toBe(1);
    expect(defaultTrainThreads(2)).toBe(1);
    expect(defaultTrainThreads(3)).toBeUndefined();
    expect(defaultTrainThreads(16)).toBeUndefined();
  });
  it('reads this machine’s core count by default', () => {
    expect(defaultTrainThreads()).toBe(defaultTrainThreads(availableParallelism()));
  });
});
