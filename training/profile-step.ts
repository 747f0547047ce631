/**
 * Per-node profile of the two DGHDGH train-step graphs (Wiki, 64 bits, batch 128) from ORT's profiler:
 * total kernel time by op type and the slowest nodes, per phase, over `steps` steps after one warm-up.
 * Usage: node training/profile-step.ts [steps] [out-dir] [threads]
 */
import { mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TrainStep } from '../src/engine/onnx/train-step.ts';
import { wikiConfig } from './wiki-config.ts';
import { phase1Spec, phase2Spec } from '../src/engine/train/dghdgh/graphs.ts';
import { DghdghModel } from '../src/engine/train/dghdgh/model.ts';
import { loadWikiDataset } from './dataset-wiki.ts';
import { bySize, summarizeProfile, type ProfileEvent } from './profile-summary.ts';

const steps = Number(process.argv[2] ?? 5);
const out = resolve(process.argv[3] ?? '/tmp/glint-profile');
const threads = process.argv[4] === undefined ? undefined : Number(process.argv[4]);
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const ds = loadWikiDataset(resolve(import.meta.dirname, '../../shared/data/wiki/wiki_data.mat'));
const c = wikiConfig({ bits: 64, dims: ds.dims, classes: ds.classes });
const n = 128;
const batch = {
  n,
  image: ds.train.image.slice(0, n * ds.dims.image),
  text: ds.train.text.slice(0, n * ds.dims.text),
  labels: Float32Array.from(ds.train.labels.subarray(0, n * ds.classes)),
};
const model = await DghdghModel.create(c, { seed: 0 });
const schedule = { tau: 0.5, gammaSyn: 0.5, lr: 1 };
const f = model.feeds(batch, schedule, model.sampleTriplets(batch));
for (const [phase, spec, feeds] of [
  ['phase1', phase1Spec(c, 'float32'), f.phase1],
  ['phase2', phase2Spec(c, 'float32'), f.phase2],
] as const) {
  const ts = await TrainStep.create(spec, {
    state: model.phase1.state,
    profileFilePrefix: join(out, phase),
    ...(threads === undefined ? {} : { threads }),
  });
  await ts.step(feeds, 0);
  for (let s = 0; s < steps; s++) await ts.step(feeds, 0);
  ts.endProfiling();
  await ts.release();
  const file = readdirSync(out).find((x) => x.startsWith(phase) && x.endsWith('.json'));
  if (!file) throw new Error(`no profile written for ${phase}`);
  const events = JSON.parse(readFileSync(join(out, file), 'utf8')) as ProfileEvent[];
  const s = summarizeProfile(events, steps + 1);
  console.log(
    `\n== ${phase}: ${s.runMs.toFixed(1)} ms per run (model_run), kernels ${s.kernelMs.toFixed(1)} ms, ${s.nodes} nodes`,
  );
  for (const r of s.byOp.slice(0, 18))
    console.log(`  ${r.key.padEnd(24)} ${r.ms.toFixed(2).padStart(8)} ms  ×${r.count}`);
  console.log('  by output size:');
  for (const r of bySize(events, steps + 1))
    console.log(`  ${r.key.padEnd(24)} ${r.ms.toFixed(2).padStart(8)} ms  ×${Math.round(r.count)}`);
  console.log('  slowest nodes:');
  for (const r of s.byNode.slice(0, 25))
    console.log(`  ${r.key.slice(0, 70).padEnd(70)} ${r.ms.toFixed(2).padStart(8)} ms  ${r.op} ${r.shape}`);
}
await model.release();
