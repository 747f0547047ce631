import { describe, expect, it } from 'vitest';
import { DiffGraph } from '../../../../src/engine/onnx/autodiff.ts';
import { createRng } from '../../../../src/engine/onnx/random.ts';
import { createSession, readF64, runSession, tensorF64 } from '../../../../src/engine/onnx/runtime.ts';
import { defaultConfig, type DghdghConfig } from '../../../../src/engine/train/dghdgh/config.ts';
import { labelLoss } from '../../../../src/engine/train/dghdgh/layers.ts';
import { lshEncoder, validationMap, type PairedSet } from '../../../../src/engine/train/evaluate.ts';
import { LIBRARY_LABEL_LOSS } from '../../../../src/engine/train/library-training.ts';
import { trainModel } from '../../../../src/engine/train/trainer.ts';

/**
 * A multi-label set with planted structure, like a photo library's tags: 8 tags in 4 pairs that tend to occur
 * together (a photo has 1–3 tags: one, often its pair partner, sometimes an unrelated one), and image / text
 * features that are the sum of their tags' centres (different per modality) plus noise.
 */
function plantedSet(n: number, seed: number, dims = { image: 24, text: 16 }): PairedSet {
  const C = 8;
  const rng = createRng(seed, 'planted');
  const centres = {
    image: createRng(1, 'planted-image').fillNormal(new Float32Array(C * dims.image)),
    text: createRng(1, 'planted-text').fillNormal(new Float32Array(C * dims.text)),
  };
  const set = {
    n,
    image: new Float32Array(n * dims.image),
    text: new Float32Array(n * dims.text),
    labels: new Uint8Array(n * C),
  };
  for (let r = 0; r < n; r++) {
    const t = Math.floor(rng.next() * C);
    set.labels[r * C + t] = 1;
    if (rng.next() < 0.6) set.labels[r * C + (t ^ 1)] = 1; // its pair partner
    if (rng.next() < 0.25) set.labels[r * C + Math.floor(rng.next() * C)] = 1;
    for (const m of ['image', 'text'] as const) {
      const d = dims[m];
      for (let c = 0; c < C; c++) {
        if (!set.labels[r * C + c]) continue;
        for (let j = 0; j < d; j++)
          set[m][r * d + j] = (set[m][r * d + j] as number) + (centres[m][c * d + j] as number);
      }
      for (let j = 0; j < d; j++) set[m][r * d + j] = (set[m][r * d + j] as number) + 0.8 * rng.normal();
    }
  }
  return set;
}

describe('label loss on multi-label data', () => {
  it('both forms on a hand-computed multi-label row', async () => {
    // logits (1, 0, −1), labels (1, 1, 0):
    //   softmax-ce against (½, ½, 0): −½(log p₀ + log p₁), p = softmax(1, 0, −1)
    //   bce: mean over classes of softplus(z) − y·z = (log(1+e) − 1 + log 2 + log(1+e⁻¹)) / 3
    const z = [1, 0, -1];
    const lse = Math.log(Math.exp(1) + 1 + Math.exp(-1));
    const ce = -0.5 * (1 - lse + (0 - lse));
    const bce = (Math.log(1 + Math.E) - 1 + Math.log(2) + Math.log(1 + Math.exp(-1))) / 3;
    for (const [kind, want] of [
      ['softmax-ce', ce],
      ['bce', bce],
    ] as const) {
      const g = new DiffGraph();
      const x = g.input('z', 'float64', [1, 3]);
      const y = g.input('y', 'float64', [1, 3]);
      g.output(labelLoss(g, kind, x, y), 'l');
      const { session } = await createSession(g.toBytes(), { threads: 1 });
      const out = readF64(
        await runSession(session, { z: tensorF64(z, [1, 3]), y: tensorF64([1, 1, 0], [1, 3]) }),
        'l',
      );
      expect(out.data[0]).toBeCloseTo(want, 12);
      await session.release();
    }
  });

  it('planted structure: DGHDGH learns it with either form; the library uses per-class BCE, which is not worse', async () => {
    const train = plantedSet(192, 1);
    const validation = plantedSet(64, 2);
    const base: DghdghConfig = {
      ...defaultConfig({ bits: 16, dims: { image: 24, text: 16 }, classes: 8 }),
      tripletsPerAnchor: 8,
    };
    const maps: Record<string, number[]> = { 'softmax-ce': [], bce: [] };
    for (const seed of [0, 1])
      for (const kind of ['softmax-ce', 'bce'] as const) {
        const r = await trainModel(
          { train, validation },
          {
            config: { ...base, labelLoss: kind },
            seed,
            epochs: 8,
            batchSize: 64,
            threads: 1,
            diagnostics: false,
          },
        );
        maps[kind]!.push(r.bestValMap);
        await r.model.release();
      }
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const lsh = await validationMap(lshEncoder(train, 16, 0), validation, 8, 16);
    console.info(
      `label loss on planted multi-label data (val mAP, 8 epochs, seeds 0/1): softmax-ce ${maps['softmax-ce']!.map((m) => (100 * m).toFixed(2)).join('/')}, ` +
        `bce ${maps.bce!.map((m) => (100 * m).toFixed(2)).join('/')}, untrained LSH ${(100 * lsh.map).toFixed(2)}`,
    );
    for (const m of Object.values(maps).flat()) expect(m).toBeGreaterThan(lsh.map + 0.1);
    expect(LIBRARY_LABEL_LOSS).toBe('bce');
    expect(mean(maps.bce!)).toBeGreaterThanOrEqual(mean(maps['softmax-ce']!) - 0.01);
  }, 240_000);
});
