/** Training losses grouped into one chart per DGHDGH phase. */
import { describe, expect, it } from 'vitest';
import { groupLosses } from '../../../src/renderer/src/lib/loss-groups.ts';

const p = (...ys: number[]) => ys.map((y, x) => ({ x, y }));

describe('groupLosses', () => {
  it('draws one chart per phase, leaves out the parts of hl and all-zero terms, keeps unknown names', () => {
    const groups = groupLosses({
      hl: p(2, 1),
      real: p(1, 0.5),
      syn: p(1, 0.5),
      sp1: p(0.3, 0.2),
      sp2: p(0, 0),
      go: p(0, 0),
      is: p(0, 0),
      sp: p(0, 0),
      cd: p(0, 0),
      extra: p(5, 4),
    });
    expect(groups.map((g) => g.title)).toEqual(['Hash losses']);
    expect(groups[0]!.series.map((s) => s.name)).toEqual(['hl', 'sp1', 'extra']);
    expect(groups[0]!.series.map((s) => s.label)).toEqual(['hl (triplet)', 'sp1 (labels, codes)', 'extra']);
    expect(groups[0]!.series[0]!.points).toEqual(p(2, 1));
  });

  it('adds the generator chart when its terms move, in the phase’s order', () => {
    const groups = groupLosses({ cd: p(0.1), go: p(1), hl: p(2), is: p(0, 0.2), sp: p(Number.NaN) });
    expect(groups.map((g) => g.title)).toEqual(['Hash losses', 'Generator losses']);
    expect(groups[1]!.series.map((s) => s.label)).toEqual([
      'go (generator)',
      'is (hardness)',
      'cd (diversity)',
    ]);
  });

  it('draws nothing before the first progress event', () => {
    expect(groupLosses({})).toEqual([]);
  });
});
