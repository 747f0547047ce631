import { describe, expect, it } from 'vitest';
import type { DirectionMetrics, RetrievalMetrics } from '../../src/engine/train/evaluate.ts';
import { formatMetricsTable } from '../../training/metrics-table.ts';

/** Metrics with the given mAPs, P@H≤2 and Fisher(400) means per direction (hand-picked values). */
function metrics(map: [number, number], pAtH2: [number, number], fisher: [number, number]): RetrievalMetrics {
  const dir = (i: 0 | 1): DirectionMetrics => ({
    map: map[i],
    pAtH2: pAtH2[i],
    emptyAtH2: 0,
    fisher: [{ pairs: 400, mean: fisher[i], std: 0 }],
    pr: [],
  });
  return { bits: 16, queries: 3, database: 5, it: dir(0), ti: dir(1), map: (map[0] + map[1]) / 2 };
}

describe('formatMetricsTable', () => {
  it('prints percentages, the mean Fisher ratio of both directions, seconds per epoch and the best epoch', () => {
    const table = formatMetricsTable([
      { bits: 16, variant: 'LSH (untrained)', metrics: metrics([0.1, 0.2], [0.05, 0.5], [0.01, 0.03]) },
      {
        bits: 16,
        variant: 'full',
        metrics: metrics([0.2412, 0.6], [0.1, 0.6], [0.4, 1.6]),
        msPerEpoch: 4820,
        bestEpoch: 28,
      },
    ]).split('\n');
    expect(table).toHaveLength(4);
    expect(table[0]!.trim().split(/\s{2,}/)).toEqual([
      'bits',
      'variant',
      'mAP I→T',
      'mAP T→I',
      'P@H≤2 I→T',
      'P@H≤2 T→I',
      'Fisher(400)',
      's/epoch',
      'best',
    ]);
    expect(table[1]).toMatch(/^-+( +-+)+$/);
    expect(table[2]!.trim().split(/\s{2,}/)).toEqual([
      '16',
      'LSH (untrained)',
      '10.00',
      '20.00',
      '5.00',
      '50.00',
      '0.020',
    ]);
    expect(table[3]!.trim().split(/\s{2,}/)).toEqual([
      '16',
      'full',
      '24.12',
      '60.00',
      '10.00',
      '60.00',
      '1.000',
      '4.82',
      '28',
    ]);
    // every line is right-aligned to the same width
    expect(new Set(table.map((l) => l.length)).size).toBe(1);
  });

  it('shows a dash for what was not measured', () => {
    const m = metrics([0.5, 0.5], [0, 0], [0, 0]);
    m.it.fisher = [];
    expect(formatMetricsTable([{ bits: 32, variant: 'x', metrics: m }]).split('\n')[2]).toContain('—');
  });
});
