import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadHead } from '../../../../src/engine/hash/head.ts';
import { ABLATIONS, applyAblation, defaultConfig } from '../../../../src/engine/train/dghdgh/config.ts';
import { DghdghModel } from '../../../../src/engine/train/dghdgh/model.ts';
import { edgeBlockNames, namedParams } from '../../../../src/engine/train/dghdgh/params.ts';
import { int64Of, relevance, sampleTriplets } from '../../../../src/engine/train/dghdgh/triplets.ts';
import { validationMap } from '../../../../src/engine/train/evaluate.ts';
import { tinyBatch, tinyConfig } from './fixtures.ts';

const SCHEDULE = { tau: 0.6, gammaSyn: 0.4, lr: 1 };
const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('DGHDGH config', () => {
  it('defaults, and each ablation switches exactly its component off', () => {
    const c = defaultConfig({ bits: 16, dims: { image: 512, text: 512 }, classes: 24 });
    expect(c.gtWidth).toBe(64);
    expect(defaultConfig({ bits: 128, dims: { image: 1, text: 1 }, classes: 2 }).gtWidth).toBe(128);
    for (const a of ABLATIONS) {
      const d = applyAblation(c, a);
      const off = Object.entries(d.ablation)
        .filter(([, on]) => !on)
        .map(([k]) => k);
      expect(off).toEqual([a.slice(3)]);
      expect(c.ablation[a.slice(3) as keyof typeof c.ablation]).toBe(true);
    }
    expect(() => applyAblation(c, 'no-foo')).toThrow(/unknown ablation/);
  });
});

describe('DGHDGH triplets', () => {
  it('int64Of writes the same int64 values as a BigInt per element', () => {
    const xs = [0, 1, 127, 128 * 128 - 1, 2 ** 31 - 1, 65_537];
    expect(Array.from(int64Of(xs))).toEqual(xs.map((x) => BigInt(x)));
  });

  it('samples only valid triplets, bounded per anchor, deterministically from the generator state', () => {
    const c = tinyConfig();
    const b = tinyBatch(c, 9, 3);
    const rel = relevance(b.labels, b.n, c.classes);
    for (const same of [true, false]) {
      const rng = { state: 42 };
      const t = sampleTriplets(rel, b.n, same, 4, rng);
      expect(t.a.length).toBeGreaterThan(b.n);
      const perAnchor = new Map<number, number>();
      t.a.forEach((a, k) => {
        const p = t.p[k] as number;
        const n = t.n[k] as number;
        expect(rel[a * b.n + p]).toBe(1);
        expect(rel[a * b.n + n]).toBe(0);
        if (same) expect(p).not.toBe(a);
        perAnchor.set(a, (perAnchor.get(a) ?? 0) + 1);
      });
      for (const v of perAnchor.values()) expect(v).toBeLessThanOrEqual(4);
      if (!same) expect(t.p.some((p, k) => p === t.a[k])).toBe(true); // own pair is a cross-modal positive
      expect(sampleTriplets(rel, b.n, same, 4, { state: 42 })).toEqual(t);
    }
  });
});

describe('DGHDGH model', () => {
  it('every ablation (and BCE / an MLP hash layer) builds and runs a step with finite losses', async () => {
    const base = tinyConfig();
    const variants = [
      base,
      tinyConfig({ labelLoss: 'bce', hashHidden: [6] }),
      ...ABLATIONS.map((a) => applyAblation(base, a)),
    ];
    const b = tinyBatch(base, 8, 1);
    for (const c of variants) {
      const m = await DghdghModel.create(c, { seed: 1, threads: 1 });
      const l = await m.step(b, SCHEDULE);
      for (const [k, v] of Object.entries(l)) expect(Number.isFinite(v), `${k} finite`).toBe(true);
      expect(l.real).toBeGreaterThan(0);
      expect(l.sp1).toBeGreaterThan(0);
      if (c.ablation.dgs) expect(l.go).toBeGreaterThan(0);
      else expect([l.syn, l.go, l.sp2]).toEqual([0, 0, 0]);
      if (!c.ablation.rgp) expect(l.sp2).toBe(0);
      await m.release();
    }
  }, 180_000);

  it('phase 1 leaves the generator alone, phase 2 leaves hash layers, CL1 and CL2 alone', async () => {
    const c = tinyConfig();
    const m = await DghdghModel.create(c, { seed: 2, threads: 1 });
    const b = tinyBatch(c, 8, 4);
    const f = m.feeds(b, SCHEDULE, m.sampleTriplets(b));
    const snap = () =>
      Object.fromEntries(m.phase1.layout.entries.map((e) => [e.name, m.phase1.param(e.name)]));
    const changed = (a: Record<string, ArrayLike<number>>, z: Record<string, ArrayLike<number>>, n: string) =>
      Array.from(a[n]!).some((x, i) => x !== z[n]![i]);
    const s0 = snap();
    await m.phase1.step(f.phase1, 1);
    const s1 = snap();
    for (const n of ['fc.w', 'fc.b', ...edgeBlockNames(c.gtBlocks - 1)])
      expect(changed(s0, s1, n), n).toBe(false);
    for (const n of ['hash.image.w0', 'hash.text.w0', 'cl1.w', 'gt.0.n_q.w', 'gt.0.e_q.w', 'cl2.w'])
      expect(changed(s0, s1, n), n).toBe(true);
    await m.phase2!.step(f.phase2, 1);
    const s2 = snap();
    for (const n of Object.keys(s2).filter((x) => /^(hash|cl1|cl2)\./.test(x)))
      expect(changed(s1, s2, n), n).toBe(false);
    for (const n of ['fc.w', 'gt.1.e_q.w', 'gt.0.n_q.w']) expect(changed(s1, s2, n), n).toBe(true);
    await m.release();
  }, 180_000);

  it('the exported head, loaded by the engine, gives the same codes as encode', async () => {
    const c = tinyConfig({ bits: 16, hashHidden: [6] });
    const m = await DghdghModel.create(c, { seed: 3, threads: 1 });
    const b = tinyBatch(c, 8, 5);
    await m.step(b, SCHEDULE);
    const dir = await mkdtemp(join(tmpdir(), 'dghdgh-head-'));
    dirs.push(dir);
    await m.exportHead(dir, { id: 'h1', modelId: 'test', createdAt: 0, metrics: { map: 0.5 } });
    const head = await loadHead(dir);
    expect(head.meta.embeddingDims).toEqual(c.dims);
    expect(head.meta.metrics).toEqual({ map: 0.5 });
    for (const mod of ['image', 'text'] as const) {
      const want = await m.encode(mod, b[mod], b.n);
      const got = await head.encode(mod, b[mod], b.n);
      expect(got.length).toBe(b.n * 16);
      for (let i = 0; i < got.length; i++)
        expect(Math.abs((got[i] as number) - (want[i] as number))).toBeLessThan(1e-5);
    }
    await head.release();
    await m.release();
  }, 180_000);

  it('init replaces the seeded values of the named tensors only', async () => {
    const c = tinyConfig();
    const w = Float64Array.from({ length: c.dims.image * c.bits }, (_, i) => i / 100);
    const a = await DghdghModel.create(c, { seed: 2, threads: 1, init: { 'hash.image.w0': w } });
    const b = await DghdghModel.create(c, { seed: 2, threads: 1 });
    expect(Array.from(a.phase1.param('hash.image.w0'))).toEqual(Array.from(Float32Array.from(w)));
    expect(a.phase1.param('hash.text.w0')).toEqual(b.phase1.param('hash.text.w0'));
    expect(a.phase1.param('gt.node_in.w')).toEqual(b.phase1.param('gt.node_in.w'));
    const named = namedParams(c, a.state().params)!;
    expect(Array.from(named['hash.image.w0']!)).toEqual(Array.from(Float32Array.from(w)));
    expect(namedParams(c, new Float32Array(3))).toBeNull();
    await a.release();
    await b.release();
  });

  it('a model created from state() continues exactly (same codes, same next losses)', async () => {
    const c = tinyConfig();
    const b = tinyBatch(c, 8, 6);
    const a = await DghdghModel.create(c, { seed: 7, threads: 1 });
    await a.step(b, SCHEDULE);
    const saved = structuredClone(a.state());
    const la = await a.step(b, SCHEDULE);
    const r = await DghdghModel.create(c, { seed: 999, threads: 1, state: saved });
    const lr = await r.step(b, SCHEDULE);
    expect(lr).toEqual(la);
    expect(await r.encode('text', b.text, b.n)).toEqual(await a.encode('text', b.text, b.n));
    await a.release();
    await r.release();
  }, 180_000);

  it('a short run on a tiny 3-class problem lowers L_hl and lifts mAP well above chance', async () => {
    const c = tinyConfig({ bits: 16, lrHash: 3e-2, lrGt: 1e-3, weightDecay: 0, tripletsPerAnchor: 8 });
    const m = await DghdghModel.create(c, { seed: 11, threads: 1 });
    const val = tinyBatch(c, 30, 99, false);
    const probe = tinyBatch(c, 24, 98);
    const trips = m.sampleTriplets(probe);
    // NOTE: L_hl averages over the triplets that still violate the margin, so per-batch values are noisy;
    // compare it on one fixed probe batch and triplet set, with lr 0 (no update).
    const probeHl = async () => (await m.stepWith(probe, { ...SCHEDULE, lr: 0 }, trips)).hl;
    const hl0 = await probeHl();
    const before = await validationMap((mod, x, n) => m.encode(mod, x, n), val, c.classes, c.bits);
    for (let s = 0; s < 60; s++) await m.step(tinyBatch(c, 12, 100 + s), SCHEDULE);
    const after = await validationMap((mod, x, n) => m.encode(mod, x, n), val, c.classes, c.bits);
    expect(await probeHl()).toBeLessThan(0.8 * hl0);
    // NOTE: chance mAP with 3 balanced classes is about 1/3.
    expect(after.map).toBeGreaterThan(0.8);
    expect(after.map).toBeGreaterThan(before.map + 0.3);
    await m.release();
  }, 180_000);
});
