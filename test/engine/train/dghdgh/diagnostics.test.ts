import { describe, expect, it } from 'vitest';
import { TrainStep } from '../../../../src/engine/onnx/train-step.ts';
import { phase1Spec } from '../../../../src/engine/train/dghdgh/graphs.ts';
import { DghdghModel } from '../../../../src/engine/train/dghdgh/model.ts';
import { hashParamNames } from '../../../../src/engine/train/dghdgh/params.ts';
import { relevance, sampleAll } from '../../../../src/engine/train/dghdgh/triplets.ts';
import { trainModel } from '../../../../src/engine/train/trainer.ts';
import { syntheticSet } from '../trainer-fixtures.ts';
import { tinyBatch, tinyConfig } from './fixtures.ts';

const SCHEDULE = { tau: 0.6, gammaSyn: 0.4, lr: 1 };

describe('DGHDGH diagnostics graph (real ORT sessions)', () => {
  it('exports the synthetic negatives phase 1 trains on, changes nothing, and CL1 puts no gradient on the hash layers', async () => {
    const c = tinyConfig();
    const model = await DghdghModel.create(c, { seed: 3, threads: 1, dtype: 'float64' });
    const batch = tinyBatch(c, 7, 2);
    for (let i = 0; i < 2; i++) await model.step(batch, SCHEDULE);
    const before = model.state();
    const { raw, gradNorms } = await model.diagnose(batch, SCHEDULE, true, { state: 77 });
    expect(model.state()).toEqual(before);
    const K = c.bits;
    const T = raw.w.length;
    expect(raw.ha.length).toBe(T * K);
    expect(raw.lambda.length).toBe(T * K);
    // h′ is the DGS formula of the exported codes and λ (Eq. 6–7), row by row.
    let interpolated = 0;
    for (let t = 0; t < T; t++) {
      const d = (u: Float64Array) =>
        Math.sqrt(
          Array.from({ length: K }, (_, k) => (raw.ha[t * K + k]! - u[t * K + k]!) ** 2).reduce(
            (a, b) => a + b,
          ) + 1e-12,
        );
      const dap = d(raw.hp);
      const dan = d(raw.hn);
      if (dap < dan) interpolated++;
      for (let k = 0; k < K; k++) {
        const i = t * K + k;
        const r = (dap + raw.lambda[i]! * SCHEDULE.tau * (dan - dap)) / dan;
        const want = dap < dan ? raw.ha[i]! + r * (raw.hn[i]! - raw.ha[i]!) : raw.hn[i]!;
        expect(raw.hs[i]).toBeCloseTo(want, 10);
      }
    }
    expect(interpolated).toBeGreaterThan(0);
    expect(gradNorms?.sp1).toBe(0);
    expect(gradNorms?.real).toBeGreaterThan(0);
    expect(gradNorms?.syn).toBeGreaterThan(0);
    expect(gradNorms?.sp2).toBeGreaterThan(0);
    await model.release();
  }, 60_000);

  it('without RGP and with γ_syn = 0, the L_real norm equals the norm of phase 1’s whole hash-layer gradient', async () => {
    const c = tinyConfig();
    c.ablation = { ...c.ablation, rgp: false };
    const model = await DghdghModel.create(c, { seed: 4, threads: 1, dtype: 'float64' });
    const batch = tinyBatch(c, 8, 5);
    await model.step(batch, SCHEDULE);
    const schedule = { ...SCHEDULE, gammaSyn: 0 };
    const rng = { state: 9 };
    const { gradNorms } = await model.diagnose(batch, schedule, true, { ...rng });
    expect(gradNorms?.sp2).toBeUndefined();
    // The same triplets through phase 1 with gradients out (lr 0: nothing moves).
    const same = sampleAll(relevance(batch.labels, batch.n, c.classes), batch.n, c.tripletsPerAnchor, {
      ...rng,
    });
    const s = model.phase1.state;
    const ts = await TrainStep.create(
      { ...phase1Spec(c, 'float64'), outputGradients: true },
      {
        state: { params: s.params.slice(), m: s.m.slice(), v: s.v.slice(), steps: s.steps.slice() },
        threads: 1,
      },
    );
    await ts.step(model.feeds(batch, schedule, same).phase1, 0);
    const grads = ts.lastGradients!;
    const hash = new Set([...hashParamNames(c, 'image'), ...hashParamNames(c, 'text')]);
    let sq = 0;
    for (const e of ts.layout.entries)
      if (hash.has(e.name)) for (let i = e.offset; i < e.offset + e.size; i++) sq += grads[i]! ** 2;
    expect(gradNorms?.real).toBeCloseTo(Math.sqrt(sq), 10);
    await ts.release();
    await model.release();
  }, 60_000);

  it('every epoch of a DGHDGH run carries diagnostics; gradient norms at the chosen epochs; training is unchanged by them', async () => {
    const c = tinyConfig();
    const train = syntheticSet(60, c.dims, c.classes, 1);
    const validation = syntheticSet(20, c.dims, c.classes, 2);
    const opts = { config: c, seed: 1, epochs: 3, batchSize: 16, threads: 1 };
    const on = await trainModel(
      { train, validation },
      { ...opts, diagnostics: { batches: 2, gradEpochs: [2] } },
    );
    const off = await trainModel({ train, validation }, { ...opts, diagnostics: false });
    expect(on.history.map((h) => h.meanLosses)).toEqual(off.history.map((h) => h.meanLosses));
    expect(off.history.every((h) => h.diagnostics === undefined)).toBe(true);
    for (const h of on.history) {
      const d = h.diagnostics!;
      expect(d.batches).toBe(2);
      expect(d.triplets).toBeGreaterThan(0);
      expect(d.tau).toBe(h.tauLast);
      expect(d.lReal).toBe(h.meanLosses.real);
      expect(d.gammaLSyn).toBeCloseTo(h.gammaSyn * h.meanLosses.syn, 12);
      expect(d.lambdaMean).toBeGreaterThan(0);
      expect(d.lambdaMean).toBeLessThan(1);
      expect(d.realViolating).toBeGreaterThanOrEqual(0);
      expect(d.gradNorms === undefined).toBe(h.epoch === 1);
    }
    expect(on.history[2]!.diagnostics!.gradNorms!.sp1).toBe(0);
    await on.model.release();
    await off.model.release();
  }, 120_000);
});
