import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runTrainJob } from '../../../src/engine/train/train-job.ts';
import type { TrainJob } from '../../../src/engine/train/train-worker-protocol.ts';
import type { ModelFactory, TrainProgress } from '../../../src/engine/train/trainer.ts';
import { linearConfig, syntheticSet } from './trainer-fixtures.ts';
import { createModel } from './trainer-linear-model.ts';

const dims = { image: 12, text: 8 };
const train = syntheticSet(120, dims, 3, 1);
const validation = syntheticSet(40, dims, 3, 2);
const query = syntheticSet(30, dims, 3, 3);
const job = (extra: Partial<TrainJob> = {}): TrainJob => ({
  data: { train, validation },
  config: linearConfig(),
  seed: 2,
  epochs: 2,
  batchSize: 32,
  ...extra,
});

describe('runTrainJob (on this thread, with an injected model factory)', () => {
  it('trains with the given factory, evaluates query against database, and returns the state it was asked for', async () => {
    const built: number[] = [];
    const counting: ModelFactory = (config, opts) => {
      built.push(opts.seed);
      return createModel(config, opts);
    };
    const events: TrainProgress[] = [];
    const r = await runTrainJob(
      job({
        data: { train, validation, query, database: train },
        evaluate: { baseline: true },
        returnState: true,
      }),
      { onProgress: (p) => events.push(p) },
      counting,
    );
    expect(built).toEqual([2]);
    expect(events.filter((e) => e.kind === 'epoch')).toHaveLength(2);
    expect(r.provider).toBe('cpu');
    expect(r.state).toBeDefined();
    // The final evaluation ranks the 30 query rows against the 120 database rows, not validation vs itself.
    expect(r.evaluation).toMatchObject({ queries: 30, database: 120 });
    expect(r.baseline).toBeDefined();
    expect(r.evaluation!.it.map).toBeGreaterThan(r.baseline!.it.map);
  });

  it('says what it does outside its steps: compiling first, each epoch’s check, saving the head', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'glint-trainjob-'));
    try {
      const order: string[] = [];
      await runTrainJob(
        job({ epochs: 3, exportHead: { dir, id: 'h1', modelId: 'm' } }),
        {
          onPhase: (p) => order.push(p.phase),
          onProgress: (p) => order.push(`${p.kind}${p.epoch}`),
        },
        createModel,
      );
      // Nothing happens before the first phase, and the head export is said, not silent.
      expect(order[0]).toBe('compiling');
      expect(order.filter((x) => x === 'checking-epoch')).toHaveLength(3);
      expect(order.indexOf('checking-epoch')).toBeLessThan(order.indexOf('epoch1'));
      expect(order.at(-1)).toBe('saving');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an aborted signal stops the job between steps with a "cancelled" error', async () => {
    const abort = new AbortController();
    const run = runTrainJob(
      job({ epochs: 1000 }),
      { signal: abort.signal, onProgress: (p) => p.step === 2 && abort.abort() },
      createModel,
    );
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
  });
});
