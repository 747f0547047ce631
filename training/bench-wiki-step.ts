/**
 * Step time of the Wiki configurations at 64 bits, batch 128 (the report's first 128 training rows).
 * Usage: node training/bench-wiki-step.ts [steps] [variants, comma-separated]
 */
import { resolve } from 'node:path';
import { applyAblation, type DghdghConfig } from '../src/engine/train/dghdgh/config.ts';
import { wikiConfig } from './wiki-config.ts';
import { loadWikiDataset } from './dataset-wiki.ts';
import { measureStepTimes } from './step-time.ts';

const steps = Number(process.argv[2] ?? 10);
const variants = (process.argv[3] ?? 'full,no-rgp,no-dgs').split(',');
const threads = process.argv[4] === undefined ? undefined : Number(process.argv[4]);
const ds = loadWikiDataset(resolve(import.meta.dirname, '../../shared/data/wiki/wiki_data.mat'));
const base = wikiConfig({ bits: 64, dims: ds.dims, classes: ds.classes });
const n = 128;
const rows = await measureStepTimes({
  configs: variants.map((v): [string, DghdghConfig] => [v, v === 'full' ? base : applyAblation(base, v)]),
  batch: {
    n,
    image: ds.train.image.slice(0, n * ds.dims.image),
    text: ds.train.text.slice(0, n * ds.dims.text),
    labels: Float32Array.from(ds.train.labels.subarray(0, n * ds.classes)),
  },
  steps,
  ...(threads === undefined ? {} : { threads }),
});
for (const r of rows)
  console.log(
    `${r.variant}: phase1 ${r.phase1Ms.toFixed(1)} ms (cpu ${r.phase1CpuMs?.toFixed(1)}), phase2 ${r.phase2Ms.toFixed(1)} ms (cpu ${r.phase2CpuMs?.toFixed(1)}), sample+feeds ${r.sampleMs.toFixed(1)} ms, triplets ${r.triplets}`,
  );
