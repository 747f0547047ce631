import { describe, expect, it } from 'vitest';
import type { GlintEvent } from '../../../src/contract/api.ts';
import { IndexProgressReporter } from '../../../src/engine/host/index-progress.ts';

describe('IndexProgressReporter', () => {
  it('sends at most ten progress events a second, always the last of a pass, then idle and library-changed', () => {
    const events: GlintEvent[] = [];
    let now = 1_000_000;
    const runner = new IndexProgressReporter(
      (e) => events.push(e),
      () => now,
    );
    for (let done = 1; done <= 20; done++) {
      now += 10; // a file every 10 ms: 100 files/s
      runner.onProgress({ done, total: 20, failed: 0, path: `/p/${done}.jpg` });
    }
    const progress = events.filter((e) => e.type === 'index-progress');
    // The first at once, the next 100 ms later, and the last (done === total) although only 90 ms passed.
    expect(progress.map((e) => (e.type === 'index-progress' ? e.progress.done : -1))).toEqual([1, 11, 20]);
    const last = progress.at(-1);
    expect(last?.type === 'index-progress' && last.progress.rate).toBeCloseTo(100, 0);
    expect(runner.progress?.done).toBe(20);
    runner.onPassEnd();
    expect(runner.progress).toBeNull();
    expect(events.slice(-2)).toEqual([{ type: 'index-idle' }, { type: 'library-changed' }]);
    runner.onState('paused');
    expect(events.at(-1)).toEqual({ type: 'ingest-state', state: 'paused' });
  });
});
