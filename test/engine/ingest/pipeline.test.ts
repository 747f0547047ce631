import { mkdtempSync, rmSync, writeFileSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { IngestPipeline, type PassKind, type PipelineDeps } from '../../../src/engine/ingest/pipeline.ts';
import { SerialQueue } from '../../../src/engine/serial-queue.ts';

/** A pipeline over recorded passes; each pass waits until `release()` (or its abort). */
function harness(extra: Partial<PipelineDeps> = {}) {
  const passes: Array<PassKind | 'aborted'> = [];
  const enqueued: string[] = [];
  let release: () => void = () => {};
  const pass =
    (kind: PassKind) =>
    (signal: AbortSignal): Promise<void> =>
      new Promise<void>((resolve) => {
        release = () => {
          passes.push(kind);
          resolve();
        };
        signal.addEventListener('abort', () => {
          passes.push('aborted');
          resolve();
        });
      });
  const states: string[] = [];
  const pipeline = new IngestPipeline({
    exclusive: new SerialQueue(),
    scan: pass('scan'),
    drain: pass('changes'),
    enqueue: (kind, path) => enqueued.push(`${kind} ${path}`),
    confirmGone: async () => true,
    clearQueue: () => 7,
    onState: (s) => states.push(s),
    removeGraceMs: 0,
    watchOptions: { writeFinishMs: 50, writeFinishPollMs: 10 },
    ...extra,
  });
  const tick = (): Promise<void> => new Promise((r) => setTimeout(r, 5));
  return { pipeline, passes, enqueued, states, release: () => release(), tick };
}

describe('IngestPipeline', () => {
  const root = mkdtempSync(join(tmpdir(), 'glint-pipeline-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('coalesces requests during a pass into one more, a scan outranking changes', async () => {
    const h = harness();
    h.pipeline.request('changes');
    await h.tick();
    expect(h.pipeline.state).toBe('running');
    h.pipeline.request('changes');
    h.pipeline.request('scan');
    h.pipeline.request('changes');
    h.release();
    await h.tick();
    h.release();
    await h.pipeline.idle();
    expect(h.passes).toEqual(['changes', 'scan']);
    expect(h.pipeline.state).toBe('idle');
    expect(h.states).toEqual(['running', 'idle']);
  });

  it('pause stops the running pass and holds requests until resume; cancel drops the queue', async () => {
    const h = harness();
    h.pipeline.request('scan');
    await h.tick();
    h.pipeline.pause();
    await h.pipeline.idle();
    expect(h.passes).toEqual(['aborted']);
    expect(h.pipeline.state).toBe('paused');
    h.pipeline.request('changes');
    await h.tick();
    expect(h.passes).toEqual(['aborted']);
    h.pipeline.resume();
    await h.tick();
    expect(h.pipeline.state).toBe('running');
    h.release();
    await h.pipeline.idle();
    expect(h.passes).toEqual(['aborted', 'changes']);

    h.pipeline.request('scan');
    await h.tick();
    expect(await h.pipeline.cancel()).toBe(7);
    expect(h.passes).toEqual(['aborted', 'changes', 'aborted']);
    expect(h.pipeline.state).toBe('idle');
  });

  it('watching queues exactly the paths that changed, and a removal only once it is confirmed', async () => {
    const gone = new Set<string>();
    const h = harness({ confirmGone: async (p) => gone.has(p) });
    const watcher = await h.pipeline.watch([root]);
    try {
      const a = join(root, 'a.jpg');
      const b = join(root, 'b.jpg');
      writeFileSync(a, 'one');
      writeFileSync(b, 'two');
      await new Promise((r) => setTimeout(r, 600));
      expect(h.enqueued.sort()).toEqual([`ingest ${a}`, `ingest ${b}`]);
      gone.add(a);
      unlinkSync(a);
      unlinkSync(b); // b is "out of sight" (say its drive went away): not confirmed, not removed
      await new Promise((r) => setTimeout(r, 600));
      expect(h.enqueued.filter((e) => e.startsWith('remove'))).toEqual([`remove ${a}`]);
    } finally {
      await watcher.close();
      await h.pipeline.close();
    }
  });
});
