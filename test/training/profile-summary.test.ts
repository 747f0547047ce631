import { describe, expect, it } from 'vitest';
import { summarizeProfile } from '../../training/profile-summary.ts';

describe('ORT profile summary', () => {
  it('sums kernel time per op type and per node, per run, slowest first', () => {
    const events = [
      { cat: 'Session', name: 'model_run', dur: 10_000 },
      { cat: 'Session', name: 'model_run', dur: 14_000 },
      { cat: 'Node', name: 'Mul_1_kernel_time', dur: 2000, args: { op_name: 'Mul' } },
      { cat: 'Node', name: 'Mul_1_kernel_time', dur: 4000, args: { op_name: 'Mul' } },
      { cat: 'Node', name: 'Add_2_kernel_time', dur: 1000, args: { op_name: 'Add' } },
      { cat: 'Node', name: 'Mul_3_kernel_time', dur: 500, args: { op_name: 'Mul' } },
      { cat: 'Node', name: 'Mul_1_fence_before', dur: 99, args: { op_name: 'Mul' } },
    ];
    const s = summarizeProfile(events, 2);
    expect(s.runMs).toBe(12);
    expect(s.kernelMs).toBe(3.75);
    expect(s.nodes).toBe(3);
    expect(s.byOp.map((r) => [r.key, r.ms, r.count])).toEqual([
      ['Mul', 3.25, 1.5],
      ['Add', 0.5, 0.5],
    ]);
    expect(s.byNode[0]).toMatchObject({ key: 'Mul_1', ms: 3, op: 'Mul' });
  });
});
