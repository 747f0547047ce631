/**
 * Step-time benchmark of the DGHDGH model (not a test): B rows, K bits, per phase, for the full model and
 * the no-RGP / no-DGS variants (their differences show what the GT and the synthesis cost).
 * Usage: node test/engine/train/dghdgh/bench-step.ts [clip|wiki] [cpu|cuda] [threads] [steps]
 */
import { performance } from 'node:perf_hooks';
import { applyAblation, defaultConfig } from '../../../../src/engine/train/dghdgh/config.ts';
import { DghdghModel } from '../../../../src/engine/train/dghdgh/model.ts';
import { tinyBatch } from './fixtures.ts';

const shape = process.argv[2] === 'wiki' ? 'wiki' : 'clip';
const device = process.argv[3] === 'cuda' ? 'cuda' : 'cpu';
const threads = Number(process.argv[4] ?? 2);
const steps = Number(process.argv[5] ?? 5);
const B = 128;
const base = defaultConfig(
  shape === 'wiki'
    ? { bits: 64, dims: { image: 128, text: 10 }, classes: 10 }
    : { bits: 64, dims: { image: 512, text: 512 }, classes: 24 },
);
const batch = tinyBatch(base, B, 1);
const schedule = { tau: 0.5, gammaSyn: 0.5, lr: 1 };
for (const [name, c] of [
  ['full', base],
  ['no-rgp', applyAblation(base, 'no-rgp')],
  ['no-dgs', applyAblation(base, 'no-dgs')],
] as const) {
  const t0 = performance.now();
  const m = await DghdghModel.create(c, { seed: 1, device, threads });
  const createMs = performance.now() - t0;
  const trips = m.sampleTriplets(batch);
  const f = m.feeds(batch, schedule, trips);
  await m.phase1.step(f.phase1, 1);
  if (m.phase2) await m.phase2.step(f.phase2, 1);
  let p1 = 0;
  let p2 = 0;
  let sample = 0;
  for (let s = 0; s < steps; s++) {
    const a = performance.now();
    const t = m.sampleTriplets(batch);
    const ff = m.feeds(batch, schedule, t);
    const b = performance.now();
    await m.phase1.step(ff.phase1, 1);
    const c2 = performance.now();
    if (m.phase2) await m.phase2.step(ff.phase2, 1);
    const d = performance.now();
    sample += b - a;
    p1 += c2 - b;
    p2 += d - c2;
  }
  const T = Object.values(trips).reduce((s, x) => s + x.a.length, 0);
  console.log(
    `${shape} ${name} B=${B} K=${c.bits} d_g=${c.gtWidth} ${m.provider} threads=${threads}: ` +
      `create ${createMs.toFixed(0)} ms; per step: sample+feeds ${(sample / steps).toFixed(1)} ms, ` +
      `phase1 ${(p1 / steps).toFixed(1)} ms, phase2 ${(p2 / steps).toFixed(1)} ms; triplets ${T}`,
  );
  await m.release();
}
