/** A head's measured quality read from metrics of any shape. */
import { describe, expect, it } from 'vitest';
import { recordedQuality } from '../../../src/engine/train/head-quality.ts';

describe('recordedQuality', () => {
  it('reads the validation mAP library training records for the trained head', () => {
    const metrics = { stage: 'quick', validation: { trained: { map: 0.76 }, active: { map: 0.57 } } };
    expect(recordedQuality(metrics)).toBe(0.76);
  });

  it('is undefined for a head that was never measured or metrics of another shape', () => {
    for (const m of [
      undefined,
      null,
      'x',
      {},
      { validation: null },
      { validation: { trained: {} } },
      { validation: { trained: { map: '0.7' } } },
      { validation: { trained: { map: Number.NaN } } },
      { valMap: 0.5 },
    ])
      expect(recordedQuality(m)).toBeUndefined();
  });
});
