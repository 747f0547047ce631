/**
 * Step-time benchmark of the DGHDGH model (not a test): B = 128 rows at 64 bits, per phase, for the full
 * model and the no-RGP / no-DGS variants (their differences show what the GT and the synthesis cost).
 * Usage: node test/engine/train/dghdgh/bench-step.ts [clip|wiki] [cpu|cuda] [threads] [steps]
 */
import { applyAblation, defaultConfig } from '../../../../src/engine/train/dghdgh/config.ts';
import { measureStepTimes } from '../../../../training/step-time.ts';
import { tinyBatch } from './fixtures.ts';

const shape = process.argv[2] === 'wiki' ? 'wiki' : 'clip';
const device = process.argv[3] === 'cuda' ? 'cuda' : 'cpu';
const threads = Number(process.argv[4] ?? 2);
const steps = Number(process.argv[5] ?? 5);
const base = defaultConfig(
  shape === 'wiki'
    ? { bits: 64, dims: { image: 128, text: 10 }, classes: 10 }
    : { bits: 64, dims: { image: 512, text: 512 }, classes: 24 },
);
const rows = await measureStepTimes({
  configs: [
    ['full', base],
    ['no-rgp', applyAblation(base, 'no-rgp')],
    ['no-dgs', applyAblation(base, 'no-dgs')],
  ],
  batch: tinyBatch(base, 128, 1),
  steps,
  device,
  threads,
});
for (const r of rows) {
  console.log(
    `${shape} ${r.variant} B=128 K=64 d_g=${base.gtWidth} d_e=${base.edgeWidth} ${r.provider} threads=${threads}: ` +
      `per step (median of ${steps}): sample+feeds ${r.sampleMs.toFixed(1)} ms, phase1 ${r.phase1Ms.toFixed(1)} ms, ` +
      `phase2 ${r.phase2Ms.toFixed(1)} ms; triplets ${r.triplets}`,
  );
}
