/**
 * A/B step time of two source trees in one process: this tree's DghdghModel against the one in `base` (e.g. an
 * earlier commit unpacked with `git archive <commit> | tar -x -C /tmp/base`, node_modules linked), full DGHDGH
 * and the plain head (no-DGS) of each, stepped round-robin on the same batch (Wiki, 64 bits, batch 128) so that
 * load from other jobs on a shared machine hits all four alike. Prints medians (wall, process CPU) and ratios.
 * Usage: node training/bench-ab.ts <base-dir> [rounds] [threads]
 */
import { performance } from 'node:perf_hooks';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { applyAblation } from '../src/engine/train/dghdgh/config.ts';
import { wikiConfig } from './wiki-config.ts';
import { DghdghModel } from '../src/engine/train/dghdgh/model.ts';
import { loadWikiDataset } from './dataset-wiki.ts';

const baseDir = resolve(process.argv[2] ?? '');
const rounds = Number(process.argv[3] ?? 15);
const threads = process.argv[4] === undefined ? undefined : Number(process.argv[4]);
const Base = (
  (await import(pathToFileURL(resolve(baseDir, 'src/engine/train/dghdgh/model.ts')).href)) as {
    DghdghModel: typeof DghdghModel;
  }
).DghdghModel;
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
const opts = { seed: 0, ...(threads === undefined ? {} : { threads }) };
const runs: Array<[string, DghdghModel]> = [
  ['base full', await Base.create(full, opts)],
  ['this full', await DghdghModel.create(full, opts)],
  ['base plain', await Base.create(plain, opts)],
  ['this plain', await DghdghModel.create(plain, opts)],
];
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
    const m = (runs[i] as [string, DghdghModel])[1];
    const a = performance.now();
    const ca = cpu();
    await m.step(batch, schedule);
    if (r === 0) continue;
    wall[i]!.push(performance.now() - a);
    cpuMs[i]!.push(cpu() - ca);
  }
}
const median = (xs: number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};
const med = runs.map(([name], i) => ({ name, wall: median(wall[i]!), cpu: median(cpuMs[i]!) }));
for (const x of med)
  console.log(
    `${x.name.padEnd(11)} ${x.wall.toFixed(1).padStart(7)} ms wall  ${x.cpu.toFixed(1).padStart(7)} ms cpu`,
  );
const [bf, tf, bp, tp] = med as [(typeof med)[0], (typeof med)[0], (typeof med)[0], (typeof med)[0]];
console.log(
  `full/plain: base ${(bf.wall / bp.wall).toFixed(2)}x wall ${(bf.cpu / bp.cpu).toFixed(2)}x cpu; ` +
    `this ${(tf.wall / tp.wall).toFixed(2)}x wall ${(tf.cpu / tp.cpu).toFixed(2)}x cpu; ` +
    `this/base full ${(tf.wall / bf.wall).toFixed(2)} wall ${(tf.cpu / bf.cpu).toFixed(2)} cpu (${rounds} rounds, threads ${threads ?? 'ORT default'})`,
);
await Promise.all(runs.map(([, m]) => m.release()));
