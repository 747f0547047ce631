/**
 * Full DGHDGH against the plain head (no-DGS), measured interleaved in one process so that load from other
 * jobs on a shared machine hits both alike: Wiki, 64 bits, batch 128, the report's first 128 training rows.
 * Each round runs one whole step (sampling + feeds + both phases) of each model, alternating which goes
 * first; prints medians (wall and process CPU time) and the full / plain ratio.
 * Usage: node training/bench-interleaved.ts [rounds] [threads] [variants: full,no-dgs]
 */
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { applyAblation, type DghdghConfig } from '../src/engine/train/dghdgh/config.ts';
import { wikiConfig } from './wiki-config.ts';
import { DghdghModel } from '../src/engine/train/dghdgh/model.ts';
import { loadWikiDataset } from './dataset-wiki.ts';

const rounds = Number(process.argv[2] ?? 15);
const threads =
  process.argv[3] === undefined || process.argv[3] === '-' ? undefined : Number(process.argv[3]);
const variants = (process.argv[4] ?? 'full,no-dgs').split(',');
const ds = loadWikiDataset(resolve(import.meta.dirname, '../../shared/data/wiki/wiki_data.mat'));
const base = wikiConfig({ bits: 64, dims: ds.dims, classes: ds.classes });
const n = 128;
const batch = {
  n,
  image: ds.train.image.slice(0, n * ds.dims.image),
  text: ds.train.text.slice(0, n * ds.dims.text),
  labels: Float32Array.from(ds.train.labels.subarray(0, n * ds.classes)),
};
const schedule = { tau: 0.5, gammaSyn: 0.5, lr: 1 };
const config = (v: string): DghdghConfig => (v === 'full' ? base : applyAblation(base, v));
const models = await Promise.all(
  variants.map((v) =>
    DghdghModel.create(config(v), { seed: 0, ...(threads === undefined ? {} : { threads }) }),
  ),
);
const cpu = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const wall: number[][] = variants.map(() => []);
const cpuMs: number[][] = variants.map(() => []);
for (let r = 0; r <= rounds; r++) {
  const order = r % 2 === 0 ? models.map((_, i) => i) : models.map((_, i) => models.length - 1 - i);
  for (const i of order) {
    const m = models[i] as DghdghModel;
    const a = performance.now();
    const ca = cpu();
    await m.step(batch, schedule);
    const b = performance.now();
    const cb = cpu();
    // NOTE: round 0 is a warm-up (the first run of a session pays for its allocations).
    if (r === 0) continue;
    wall[i]!.push(b - a);
    cpuMs[i]!.push(cb - ca);
  }
}
const median = (xs: number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const med = variants.map((v, i) => ({ v, wall: median(wall[i]!), cpu: median(cpuMs[i]!) }));
for (const x of med)
  console.log(`${x.v}: step ${x.wall.toFixed(1)} ms wall (cpu ${x.cpu.toFixed(1)} ms), median of ${rounds}`);
if (med.length >= 2) {
  const [f, p] = med as [(typeof med)[0], (typeof med)[0]];
  console.log(
    `ratio ${f.v}/${p.v}: wall ${(f.wall / p.wall).toFixed(2)}x, cpu ${(f.cpu / p.cpu).toFixed(2)}x (threads ${threads ?? 'ORT default'})`,
  );
}
await Promise.all(models.map((m) => m.release()));
