import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { readCheckpoint } from '../../../src/engine/train/checkpoint.ts';
import { TrainRun, type TrainHandlers, type TrainJob } from '../../../src/engine/train/train-client.ts';
import {
  batchBounds,
  epochOrder,
  trainModel,
  type TrainerState,
  type TrainProgress,
} from '../../../src/engine/train/trainer.ts';
import { validationMap, type CodeEncoder } from '../../../src/engine/train/evaluate.ts';
import { createModel } from './trainer-linear-model.ts';
import { linearConfig, syntheticSet } from './trainer-fixtures.ts';

const dims = { image: 12, text: 8 };
const train = syntheticSet(200, dims, 3, 1);
const validation = syntheticSet(60, dims, 3, 2);
const root = mkdtempSync(join(tmpdir(), 'glint-trainer-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('trainer loop (linear JS model)', () => {
  it('batches: seeded order per epoch, full batches plus a remainder of ≥ 2 rows', () => {
    expect(batchBounds(10, 4)).toEqual([
      [0, 4],
      [4, 8],
      [8, 10],
    ]);
    expect(batchBounds(9, 4)).toEqual([
      [0, 4],
      [4, 8],
    ]);
    const a = epochOrder(50, 3, 0);
    expect([...a].sort((x, y) => x - y)).toEqual([...Array(50).keys()]);
    expect(epochOrder(50, 3, 0)).toEqual(a);
    expect(epochOrder(50, 3, 1)).not.toEqual(a);
  });

  it('validateAgainst "train" ranks the validation rows against the training rows for model choice', async () => {
    const opts = { config: linearConfig(), seed: 5, epochs: 1, batchSize: 32, createModel };
    const own = await trainModel({ train, validation }, opts);
    const vsTrain = await trainModel({ train, validation }, { ...opts, validateAgainst: 'train' });
    const enc: CodeEncoder = (m, x, n) => vsTrain.model.encode(m, x, n);
    const want = await validationMap(enc, validation, 3, 16, train);
    expect(vsTrain.history[0]!.valMap).toBe(want.map);
    expect(vsTrain.history[0]!.valMapTI).toBe(want.ti);
    // Same model either way (same seed and data); only the database of the validation ranking differs.
    expect(own.history[0]!.meanLosses).toEqual(vsTrain.history[0]!.meanLosses);
    expect(own.history[0]!.valMap).toBe((await validationMap(enc, validation, 3, 16)).map);
    expect(own.history[0]!.valMap).not.toBe(want.map);
    await own.model.release();
    await vsTrain.model.release();
  });

  it('reports progress, follows the schedule, improves validation mAP and keeps the best epoch', async () => {
    const events: TrainProgress[] = [];
    const r = await trainModel(
      { train, validation },
      {
        config: { ...linearConfig(), gammaSynRule: 'clamp' },
        seed: 5,
        epochs: 4,
        batchSize: 32,
        createModel,
        onProgress: (p) => events.push(p),
      },
    );
    const steps = events.filter((e) => e.kind === 'step');
    const epochs = events.filter((e) => e.kind === 'epoch');
    expect(steps).toHaveLength(4 * 7);
    expect(steps[0]).toMatchObject({ epoch: 1, step: 1, steps: 7, tau: 1, gammaSyn: 0.1 });
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4]);
    // τ ('reference'): 1 on each epoch's first step, then exp(−α / mean L_real of the epoch's earlier steps)
    const e2 = steps.filter((e) => e.epoch === 2);
    expect(e2[0]!.tau).toBe(1);
    const real2 = e2.map((e) => e.losses.real);
    expect(e2[3]!.tau).toBeCloseTo(Math.exp(-5 / ((real2[0]! + real2[1]! + real2[2]!) / 3)), 12);
    expect(r.history[1]!.tauFirst).toBe(1);
    expect(r.history[1]!.tauLast).toBe(e2.at(-1)!.tau);
    expect(r.history[1]!.tau).toBeCloseTo(e2.reduce((s, e) => s + e.tau, 0) / e2.length, 12);
    // γ_syn comes from epoch 1's mean losses
    const h1 = r.history[0]!.meanLosses;
    expect(r.history[1]!.gammaSyn).toBeCloseTo(Math.min(0.9, Math.max(0.1, 1 - Math.exp(-2 / h1.go))), 12);
    expect(r.history.at(-1)!.meanLosses.real).toBeLessThan(r.history[0]!.meanLosses.real);
    expect(r.bestValMap).toBe(Math.max(...r.history.map((h) => h.valMap)));
    expect(r.bestValMap).toBeGreaterThan(0.6); // 3 balanced classes: chance ≈ 0.33
    expect(r.history[r.bestEpoch - 1]!.valMap).toBe(r.bestValMap);
    expect(events.every((e) => e.elapsedMs >= 0)).toBe(true);
    await r.model.release();
  });

  it("τ 'paper': exp(−1 / the previous epoch's mean phase-1 loss), constant within an epoch", async () => {
    const events: TrainProgress[] = [];
    const r = await trainModel(
      { train, validation },
      {
        config: { ...linearConfig(), tau: 'paper' },
        seed: 5,
        epochs: 2,
        batchSize: 32,
        createModel,
        onProgress: (p) => events.push(p),
      },
    );
    const h1 = r.history[0]!.meanLosses;
    expect(r.history[0]!.tau).toBe(1);
    const e2 = events.filter((e) => e.kind === 'step' && e.epoch === 2).map((e) => e.tau);
    for (const t of e2) expect(t).toBeCloseTo(Math.exp(-1 / (h1.hl + h1.sp1 + h1.sp2)), 12);
    await r.model.release();
  });

  it('is deterministic for a seed: two runs give identical losses and state', async () => {
    const run = () =>
      trainModel(
        { train, validation },
        { config: linearConfig(), seed: 9, epochs: 2, batchSize: 32, createModel },
      );
    const [a, b] = [await run(), await run()];
    expect(a.history.map((h) => h.meanLosses)).toEqual(b.history.map((h) => h.meanLosses));
    expect(a.model.state()).toEqual(b.model.state());
    const c = await trainModel(
      { train, validation },
      { config: linearConfig(), seed: 10, epochs: 2, batchSize: 32, createModel },
    );
    expect(c.history[0]!.meanLosses).not.toEqual(a.history[0]!.meanLosses);
  });

  it('stops early after `patience` epochs without a better validation mAP', async () => {
    // lrHash 0 freezes the model: epoch 1 is the best, the next two are no better.
    const config = { ...linearConfig(), lrHash: 0 };
    const r = await trainModel(
      { train, validation },
      { config, seed: 1, epochs: 10, batchSize: 64, patience: 2, createModel },
    );
    expect(r.epochsRun).toBe(3);
    expect(r.stoppedEarly).toBe(true);
    expect(r.bestEpoch).toBe(1);
  });

  it('checkpoints every epoch; resuming continues exactly where the uninterrupted run would be', async () => {
    const opts = { config: linearConfig(), seed: 4, batchSize: 32, createModel };
    const full = await trainModel(
      { train, validation },
      { ...opts, epochs: 5, checkpoint: join(root, 'full.ckpt') },
    );
    const path = join(root, 'part.ckpt');
    await trainModel({ train, validation }, { ...opts, epochs: 2, checkpoint: path });
    expect(readCheckpoint<unknown, unknown, TrainerState>(path).trainer.done).toBe(2);
    const resumed = await trainModel(
      { train, validation },
      { ...opts, epochs: 5, checkpoint: path, resume: true },
    );
    expect(resumed.resumedFrom).toBe(2);
    expect(resumed.history).toHaveLength(5);
    expect(resumed.history.map((h) => h.meanLosses)).toEqual(full.history.map((h) => h.meanLosses));
    expect(readCheckpoint(path).model).toEqual(readCheckpoint(join(root, 'full.ckpt')).model);
    expect(resumed.model.state()).toEqual(full.model.state());
  });
});

describe('training worker (a worker thread serving the linear JS model)', () => {
  const job = (extra: Partial<TrainJob> = {}): TrainJob => ({
    data: { train, validation },
    config: linearConfig(),
    seed: 4,
    epochs: 5,
    batchSize: 32,
    returnState: true,
    ...extra,
  });
  /** A job on a fresh worker thread whose model factory is the linear test model's. */
  const linearRun = (j: TrainJob, handlers: TrainHandlers = {}): TrainRun =>
    new TrainRun(j, handlers, new Worker(new URL('./linear-train-worker.ts', import.meta.url)));

  it('streams progress, evaluates the best model with the LSH baseline row, and returns the result', async () => {
    const events: TrainProgress[] = [];
    // Phases and progress cross the worker boundary in the order they happened.
    const order: string[] = [];
    const r = await linearRun(job({ epochs: 2, evaluate: { baseline: true, fisherPairs: [50] } }), {
      onProgress: (p) => {
        events.push(p);
        if (p.kind === 'epoch') order.push(`epoch ${p.epoch}`);
      },
      onPhase: (p) => order.push(p.message),
    }).result;
    expect(events.filter((e) => e.kind === 'epoch')).toHaveLength(2);
    expect(order).toEqual([
      'Compiling the training step',
      'Checking epoch 1 of 2 on your held-back photos',
      'epoch 1',
      'Checking epoch 2 of 2 on your held-back photos',
      'epoch 2',
    ]);
    expect(r.epochsRun).toBe(2);
    expect(r.provider).toBe('cpu');
    expect(r.evaluation!.it.map).toBeGreaterThan(r.baseline!.it.map);
    expect(r.evaluation!.it.fisher[0]!.pairs).toBe(50);
    expect(r.state).toBeDefined();
  });

  it('cancel stops the run between steps with a "cancelled" error', async () => {
    const run = linearRun(job({ epochs: 1000 }), {
      onProgress: (p) => p.step === 3 && run.cancel(),
    });
    await expect(run.result).rejects.toMatchObject({ code: 'cancelled' });
  });

  it('a worker terminated mid-run resumes from its checkpoint to the uninterrupted final state', async () => {
    const full = await linearRun(job({ checkpoint: join(root, 'w-full.ckpt') })).result;
    const path = join(root, 'w-part.ckpt');
    let killed = false;
    const run = linearRun(job({ checkpoint: path }), {
      onProgress: (p) => {
        if (p.kind === 'step' && p.epoch === 3 && p.step === 2 && !killed) {
          killed = true;
          void run.terminate();
        }
      },
    });
    await expect(run.result).rejects.toThrow();
    expect(readCheckpoint<unknown, unknown, TrainerState>(path).trainer.done).toBe(2);
    const resumed = await linearRun(job({ checkpoint: path, resume: true })).result;
    expect(resumed.resumedFrom).toBe(2);
    expect(resumed.history.map((h) => h.meanLosses)).toEqual(full.history.map((h) => h.meanLosses));
    expect(resumed.state).toEqual(full.state);
  });
});
