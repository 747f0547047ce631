import { describe, expect, it } from 'vitest';
import { DiffGraph } from '../../../../src/engine/onnx/autodiff.ts';
import { checkGradients, type CheckInput } from '../../../../src/engine/onnx/grad-check.ts';
import { createRng } from '../../../../src/engine/onnx/random.ts';
import { createSession, readF64, runSession, tensorF64 } from '../../../../src/engine/onnx/runtime.ts';
import { TrainStep } from '../../../../src/engine/onnx/train-step.ts';
import { attentionMask, maskedAttention } from '../../../../src/engine/train/dghdgh/gt.ts';
import {
  phase1Spec,
  phase2Spec,
  synWeights,
  synthesize,
  tripletLoss,
  violatorMean,
} from '../../../../src/engine/train/dghdgh/graphs.ts';
import { l2Normalize } from '../../../../src/engine/train/dghdgh/layers.ts';
import type { TensorRef } from '../../../../src/engine/onnx/graph-builder.ts';
import { DghdghModel } from '../../../../src/engine/train/dghdgh/model.ts';
import type { DghdghConfig } from '../../../../src/engine/train/dghdgh/config.ts';
import { tinyBatch, tinyConfig } from './fixtures.ts';

const SCHEDULE = { tau: 0.6, gammaSyn: 0.4, lr: 1 };

/**
 * Whole-graph gradient of one phase's loss (float64, outputGradients) against central differences of the
 * same session's loss, at `per` random entries of every trainable tensor.
 */
async function checkPhase(
  c: DghdghConfig,
  phase: 1 | 2,
  per = 3,
): Promise<{ maxErr: number; checked: number }> {
  const model = await DghdghModel.create(c, { seed: 5, threads: 1, dtype: 'float64' });
  const batch = tinyBatch(c, 7, 11);
  // A few steps first, so LayerNorm / attention parameters are off their symmetric initial values.
  for (let i = 0; i < 3; i++) await model.step(batch, SCHEDULE);
  const trips = model.sampleTriplets(batch);
  // NOTE: phase 1 takes λ as a constant (stop-gradient) while finite differences would see λ move with the
  // codes, so its whole-graph check runs with γ_syn = 0; L_syn's own gradient is checked separately below.
  const feeds = model.feeds(batch, { ...SCHEDULE, gammaSyn: phase === 1 ? 0 : SCHEDULE.gammaSyn }, trips)[
    phase === 1 ? 'phase1' : 'phase2'
  ];
  const spec = phase === 1 ? phase1Spec(c, 'float64') : phase2Spec(c, 'float64');
  const base = model.phase1.state;
  const state = {
    params: base.params.slice(),
    m: base.m.slice(),
    v: base.v.slice(),
    steps: base.steps.slice(),
  };
  const ts = await TrainStep.create({ ...spec, outputGradients: true }, { state, threads: 1 });
  const p0 = Float64Array.from(state.params);
  // NOTE: CL1 reads detached codes, so the hash layers' analytic gradient is that of loss − L_sp1 (whose
  // finite difference still sees L_sp1 move with the codes); CL1's own gradient is that of the whole loss.
  let sp1Moves = 0;
  const lossAt = async (p: Float64Array): Promise<{ loss: number; sp1: number }> => {
    ts.state.params = Float64Array.from(p);
    const r = await ts.step(feeds, 0); // lr 0: no update, no decay
    return { loss: r.loss, sp1: phase === 1 ? (r.metrics.sp1 as number) : 0 };
  };
  await lossAt(p0);
  const grads = ts.lastGradients as Float64Array;
  const frozen = new Set(spec.frozen ?? []);
  const rng = createRng(9, `fd-${phase}`);
  const eps = 1e-6;
  let maxErr = 0;
  let checked = 0;
  let nonzero = 0;
  for (const e of ts.layout.entries) {
    if (frozen.has(e.name)) continue;
    for (let k = 0; k < Math.min(per, e.size); k++) {
      const i = e.offset + Math.floor(rng.next() * e.size);
      const up = Float64Array.from(p0);
      up[i] = (up[i] as number) + eps;
      const dn = Float64Array.from(p0);
      dn[i] = (dn[i] as number) - eps;
      const u = await lossAt(up);
      const d = await lossAt(dn);
      const hash = e.name.startsWith('hash.');
      const num = (hash ? u.loss - u.sp1 - (d.loss - d.sp1) : u.loss - d.loss) / (2 * eps);
      if (hash && Math.abs((u.sp1 - d.sp1) / (2 * eps)) > 1e-4) sp1Moves++;
      const a = grads[i] as number;
      maxErr = Math.max(maxErr, Math.abs(a - num) / Math.max(1e-3, Math.abs(num)));
      if (Math.abs(num) > 1e-6) nonzero++;
      checked++;
    }
  }
  await ts.release();
  await model.release();
  expect(nonzero).toBeGreaterThan(checked / 3);
  // The check above is only meaningful if L_sp1 does depend on the codes numerically (it is detached, not constant).
  if (phase === 1) expect(sp1Moves).toBeGreaterThan(0);
  return { maxErr, checked };
}

describe('DGHDGH graphs: gradients vs finite differences (float64)', () => {
  it('phase 1 (L_hl + L_sp1 + L_sp2)', async () => {
    const r = await checkPhase(tinyConfig(), 1);
    expect(r.checked).toBeGreaterThan(100);
    expect(r.maxErr).toBeLessThan(1e-5);
  }, 180_000);

  it('phase 2 (L_go)', async () => {
    const r = await checkPhase(tinyConfig(), 2);
    expect(r.maxErr).toBeLessThan(1e-5);
  }, 180_000);

  it("phase 2 with the reference's L_syn choices: synthesis on L2-normalised codes, paper τ", async () => {
    const c = tinyConfig({ synthesis: 'normalized', synTriplets: 'harder', tau: 'paper' });
    expect((await checkPhase(c, 1)).maxErr).toBeLessThan(1e-5);
    expect((await checkPhase(c, 2)).maxErr).toBeLessThan(1e-5);
  }, 180_000);

  it('phase 1 and 2 without RGP, with an MLP hash layer and BCE labels', async () => {
    const c = { ...tinyConfig({ hashHidden: [6], labelLoss: 'bce' as const }) };
    c.ablation = { ...c.ablation, rgp: false };
    expect((await checkPhase(c, 1)).maxErr).toBeLessThan(1e-5);
    expect((await checkPhase(c, 2)).maxErr).toBeLessThan(1e-5);
  }, 180_000);
});

/** Seeded codes ha, hp, hn [T, K] in (−1, 1) and a constant λ in (0, 1), as checkGradients inputs. */
function synInputs(T: number, K: number, seed: number): CheckInput[] {
  const rng = createRng(seed, 'syn');
  const rand = (n: number) => Array.from({ length: n }, () => Math.tanh(rng.normal()));
  const lam = rand(T * K).map((x) => (x + 1) / 2);
  return [
    ...['ha', 'hp', 'hn'].map((name) => ({ name, shape: [T, K], dims: [T, K], data: rand(T * K) })),
    { name: 'lam', shape: [T, K], dims: [T, K], data: lam, constant: true },
  ];
}

describe('DGHDGH graphs: building blocks', () => {
  it('L_syn with λ constant: gradient into the codes vs finite differences (float64)', async () => {
    const r = await checkGradients({
      inputs: synInputs(6, 4, 8),
      build: (g, [ha, hp, hn, lam]) => {
        const hs = synthesize(g, ha!, hp!, hn!, lam!, g.scalar(0.7, 'float64'));
        return tripletLoss(g, 0.25, ha!, hp!, hs);
      },
    });
    expect(r.maxError).toBeLessThan(1e-6);
    expect(r.analytic[0]!.some((x) => Math.abs(x) > 1e-3)).toBe(true);
  });

  it("L_syn with the reference's choices (normalised codes, only synthetic negatives harder than the positive) vs finite differences", async () => {
    const T = 8;
    const c = tinyConfig({ synthesis: 'normalized', synTriplets: 'harder' });
    const r = await checkGradients({
      inputs: synInputs(T, 4, 12),
      build: (g, [ha, hp, hn, lam]) => {
        const [a, p, n] = [ha!, hp!, hn!].map((x) => l2Normalize(g, x)) as [TensorRef, TensorRef, TensorRef];
        const hs = synthesize(g, a, p, n, lam!, g.scalar(0.9, 'float64'));
        const unit = (x: TensorRef) => l2Normalize(g, x);
        const trip = { ha: a, hp: p, hn: n, hs, ua: unit(a), up: unit(p), us: unit(hs) };
        const w = synWeights(
          g,
          c,
          { ii: trip, it: trip, ti: trip, tt: trip },
          g.constant('float64', [4 * T], new Array<number>(4 * T).fill(1)),
        );
        return violatorMean(
          g,
          g.concat(
            [0, 1, 2, 3].map(() => tripletLoss(g, 0.25, a, p, hs)),
            0,
          ),
          w,
        );
      },
    });
    expect(r.maxError).toBeLessThan(1e-6);
    expect(r.analytic[0]!.some((x) => Math.abs(x) > 1e-3)).toBe(true);
  });

  it('DGS: h′ equals the plain-JS formula, including the d_ap ≥ d_an branch', async () => {
    const T = 5;
    const K = 4;
    const rng = createRng(2, 'dgs');
    const rand = (n: number) => Array.from({ length: n }, () => Math.tanh(rng.normal()));
    const ha = rand(T * K);
    const hp = rand(T * K);
    const hn = rand(T * K);
    const lam = Array.from({ length: T * K }, () => rng.next());
    // Row 4: the positive farther than the negative (already hard) → h′ = h̃_n.
    for (let k = 0; k < K; k++) {
      hp[4 * K + k] = -(ha[4 * K + k] as number);
      hn[4 * K + k] = (ha[4 * K + k] as number) * 0.9;
    }
    const tau = 0.7;
    const g = new DiffGraph();
    const x = ['ha', 'hp', 'hn', 'lam'].map((n) => g.input(n, 'float64', [T, K]));
    const t = g.input('tau', 'float64', []);
    g.output(synthesize(g, x[0]!, x[1]!, x[2]!, x[3]!, t), 'h');
    const { session } = await createSession(g.toBytes(), { threads: 1 });
    const out = readF64(
      await runSession(session, {
        ha: tensorF64(ha, [T, K]),
        hp: tensorF64(hp, [T, K]),
        hn: tensorF64(hn, [T, K]),
        lam: tensorF64(lam, [T, K]),
        tau: tensorF64([tau], []),
      }),
      'h',
    ).data;
    let branches = 0;
    for (let r = 0; r < T; r++) {
      const d = (u: number[]) =>
        Math.sqrt(
          Array.from(
            { length: K },
            (_, k) => ((ha[r * K + k] as number) - (u[r * K + k] as number)) ** 2,
          ).reduce((s, v) => s + v, 0),
        );
      const dap = d(hp);
      const dan = d(hn);
      if (dap >= dan) branches++;
      for (let k = 0; k < K; k++) {
        const i = r * K + k;
        const rr = (dap + (lam[i] as number) * tau * (dan - dap)) / dan;
        const want = dap < dan ? (1 - rr) * (ha[i] as number) + rr * (hn[i] as number) : (hn[i] as number);
        expect(out[i]).toBeCloseTo(want, 12);
      }
    }
    expect(branches).toBeGreaterThanOrEqual(1);
    expect(branches).toBeLessThan(T);
    await session.release();
  });

  it('masked attention: weights over positives are exactly 0; a row without negatives gives 0, not NaN', async () => {
    const B = 4;
    const dg = 4;
    const H = 2;
    // Row 0 relevant to 1; row 3 relevant to everyone (no negatives).
    const rel = [1, 1, 0, 1, 1, 1, 0, 1, 0, 0, 1, 1, 1, 1, 1, 1];
    const g = new DiffGraph();
    const v = g.input('v', 'float64', [B, dg]);
    const r = g.input('rel', 'float64', [B, B]);
    const p: Record<string, ReturnType<DiffGraph['input']>> = {};
    const rng = createRng(4, 'attn');
    const feeds: Record<string, ReturnType<typeof tensorF64>> = {
      v: tensorF64(
        Array.from({ length: B * dg }, () => rng.normal()),
        [B, dg],
      ),
      rel: tensorF64(rel, [B, B]),
    };
    for (const n of ['n_q', 'n_k', 'n_v', 'n_o']) {
      p[`x.${n}.w`] = g.input(`${n}_w`, 'float64', [dg, dg]);
      p[`x.${n}.b`] = g.input(`${n}_b`, 'float64', [dg]);
      feeds[`${n}_w`] = tensorF64(
        Array.from({ length: dg * dg }, () => rng.normal()),
        [dg, dg],
      );
      feeds[`${n}_b`] = tensorF64(
        Array.from({ length: dg }, () => rng.normal()),
        [dg],
      );
    }
    const { out, weights } = maskedAttention(g, p, 'x', H, v, v, attentionMask(g, r));
    g.output(out, 'out');
    g.output(weights, 'w');
    const { session } = await createSession(g.toBytes(), { threads: 1 });
    const res = await runSession(session, feeds);
    const w = readF64(res, 'w').data;
    const o = readF64(res, 'out').data;
    for (let h = 0; h < H; h++)
      for (let i = 0; i < 3; i++) {
        let sum = 0;
        for (let j = 0; j < B; j++) {
          const x = w[h * B * B + i * B + j] as number;
          if (rel[i * B + j]) expect(x).toBe(0);
          else expect(x).toBeGreaterThan(0);
          sum += x;
        }
        expect(sum).toBeCloseTo(1, 12);
      }
    for (let k = 0; k < dg; k++) {
      expect(Math.abs(o[3 * dg + k] as number)).toBe(0);
      expect(Number.isFinite(o[k])).toBe(true);
      expect(o[k]).not.toBe(0);
    }
    await session.release();
  });
});
