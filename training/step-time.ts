/** Step-time measurement of DGHDGH models: per phase, medians over timed steps after one warm-up step. */
import { performance } from 'node:perf_hooks';
import type { Device } from '../src/engine/onnx/runtime.ts';
import type { DghdghConfig } from '../src/engine/train/dghdgh/config.ts';
import { DghdghModel, type DghdghBatch } from '../src/engine/train/dghdgh/model.ts';

/** Step time of one configuration (milliseconds, medians). */
export interface StepTime {
  variant: string;
  phase1Ms: number;
  phase2Ms: number;
  /** CPU time of this process per phase (all threads; robust to other load on a shared machine). */
  phase1CpuMs?: number;
  phase2CpuMs?: number;
  sampleMs: number;
  triplets: number;
  provider: string;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/**
 * Times `steps` steps of each named configuration on one batch (schedule τ = γ_syn = 0.5), the configurations
 * stepped round-robin (the order rotating each round) so that load from other jobs on a shared machine hits them
 * alike and their ratios hold within one run.
 */
export async function measureStepTimes(p: {
  configs: Array<[string, DghdghConfig]>;
  batch: DghdghBatch;
  steps: number;
  device?: Device;
  threads?: number;
}): Promise<StepTime[]> {
  const schedule = { tau: 0.5, gammaSyn: 0.5, lr: 1 };
  const cpu = (): number => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const models: DghdghModel[] = [];
  try {
    for (const [, config] of p.configs)
      models.push(
        await DghdghModel.create(config, {
          seed: 0,
          device: p.device ?? 'cpu',
          ...(p.threads ? { threads: p.threads } : {}),
        }),
      );
    const times = models.map(() => ({
      t1: [] as number[],
      t2: [] as number[],
      c1: [] as number[],
      c2: [] as number[],
      ts: [] as number[],
      triplets: 0,
    }));
    for (let s = 0; s <= p.steps; s++) {
      for (let k = 0; k < models.length; k++) {
        const i = (k + s) % models.length;
        const m = models[i] as DghdghModel;
        const t = times[i]!;
        const a = performance.now();
        const trips = m.sampleTriplets(p.batch);
        const f = m.feeds(p.batch, schedule, trips);
        const b = performance.now();
        const cb = cpu();
        await m.phase1.step(f.phase1, 1);
        const c = performance.now();
        const cc = cpu();
        if (m.phase2) await m.phase2.step(f.phase2, 1);
        const d = performance.now();
        const cd = cpu();
        t.triplets = Object.values(trips).reduce((sum, x) => sum + x.a.length, 0);
        if (s === 0) continue; // warm-up: the first run of a session pays for allocation
        t.ts.push(b - a);
        t.t1.push(c - b);
        t.t2.push(d - c);
        t.c1.push(cc - cb);
        t.c2.push(cd - cc);
      }
    }
    return p.configs.map(([variant], i) => {
      const t = times[i]!;
      return {
        variant,
        phase1Ms: median(t.t1),
        phase2Ms: median(t.t2),
        phase1CpuMs: median(t.c1),
        phase2CpuMs: median(t.c2),
        sampleMs: median(t.ts),
        triplets: t.triplets,
        provider: (models[i] as DghdghModel).provider,
      };
    });
  } finally {
    await Promise.all(models.map((m) => m.release()));
  }
}
