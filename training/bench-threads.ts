/**
 * ORT intra-op thread settings for the train steps, measured interleaved in one process: full DGHDGH and the plain
 * head (no-DGS) under 1 thread, 2 spinning threads (ORT's default on 2 cores) and 2 threads without spinning, stepped
 * round-robin on the same batch (Wiki, 64 bits, batch 128) so that load from other jobs hits all alike. Prints
 * medians (wall, process CPU), each setting's full / plain ratio and its speed against 1 thread.
 * Usage: node training/bench-threads.ts [rounds]
 */
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { applyAblation } from '../src/engine/train/dghdgh/config.ts';
import { DghdghModel } from '../src/engine/train/dghdgh/model.ts';
import { loadWikiDataset } from './dataset-wiki.ts';
import { wikiConfig } from './wiki-config.ts';

const rounds = Number(process.argv[2] ?? 15);
const ds = loadWikiDataset(resolve(import.meta.dirname, '../../shared/data/wiki/wiki_data.mat'));
const full = wikiConfig({ bits: 64, dims: ds.dims, classes: ds.classes });
const plain = applyAblation(full, 'no-dgs');
const n = 128;
const batch = {
  n,
  image: ds.train.image.slice(0, n * ds.dims.image),
  text: ds.train.text.slice(0, n * ds.dims.text),
  labels: Float32Array.from(ds.train.labels.subarray(0, n * ds.classes)),
};
const schedule = { tau: 0.5, gammaSyn: 0.5, lr: 1 };
const settings = [
  ['1 thread', { threads: 1 }],
  ['2 threads, spinning', { threads: 2, spinning: true }],
  ['2 threads, no spinning', { threads: 2, spinning: false }],
] as const;
const runs: Array<{ setting: string; variant: 'full' | 'plain'; model: DghdghModel }> = [];
for (const [setting, o] of settings)
  for (const [variant, c] of [
    ['full', full],
    ['plain', plain],
  ] as const)
    runs.push({ setting, variant, model: await DghdghModel.create(c, { seed: 0, ...o }) });
const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const wall: number[][] = runs.map(() => []);
const cpuMs: number[][] = runs.map(() => []);
for (let r = 0; r <= rounds; r++) {
  for (let k = 0; k < runs.length; k++) {
    // NOTE: rotate the order each round, so no run always follows the same one.
    const i = (k + r) % runs.length;
    const a = performance.now();
    const ca = cpu();
    await runs[i]!.model.step(batch, schedule);
    if (r === 0) continue; // warm-up: the first run of a session pays for allocation
    wall[i]!.push(performance.now() - a);
    cpuMs[i]!.push(cpu() - ca);
  }
}
const median = (xs: number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const at = (setting: string, variant: string) =>
  runs.findIndex((x) => x.setting === setting && x.variant === variant);
const oneFull = median(wall[at('1 thread', 'full')]!);
for (const [setting] of settings) {
  const f = at(setting, 'full');
  const p = at(setting, 'plain');
  const [fw, fc, pw, pc] = [median(wall[f]!), median(cpuMs[f]!), median(wall[p]!), median(cpuMs[p]!)];
  console.log(
    `${setting.padEnd(23)} full ${fw.toFixed(1).padStart(6)} ms (cpu ${fc.toFixed(1)})  plain ${pw.toFixed(1).padStart(5)} ms ` +
      `(cpu ${pc.toFixed(1)})  full/plain ${(fw / pw).toFixed(1)}x  full vs 1 thread ${(fw / oneFull).toFixed(2)}`,
  );
}
console.log(`(${rounds} rounds, medians)`);
await Promise.all(runs.map((x) => x.model.release()));
