/** Tiny configurations and batches for the DGHDGH model tests. */
import { createRng } from '../../../../src/engine/onnx/random.ts';
import { defaultConfig, type DghdghConfig } from '../../../../src/engine/train/dghdgh/config.ts';
import type { DghdghBatch } from '../../../../src/engine/train/dghdgh/model.ts';

/** A tiny configuration: K = 4, d_g = 8, 2 heads, 2 blocks, 3 classes, 5-d image / 4-d text. */
export function tinyConfig(over: Partial<DghdghConfig> = {}): DghdghConfig {
  return {
    ...defaultConfig({ bits: 4, dims: { image: 5, text: 4 }, classes: 3 }),
    gtWidth: 8,
    gtHeads: 2,
    edgeWidth: 4,
    edgeMlpRatio: 2,
    tripletsPerAnchor: 4,
    ...over,
  };
}

/** A seeded batch of n rows: class centres + noise per modality, one or two labels per row. */
export function tinyBatch(c: DghdghConfig, n: number, seed: number, multi = true): DghdghBatch {
  const rng = createRng(seed, 'batch');
  const C = c.classes;
  const centres = {
    image: createRng(3, 'ci').fillNormal(new Float32Array(C * c.dims.image)),
    text: createRng(3, 'ct').fillNormal(new Float32Array(C * c.dims.text)),
  };
  const b: DghdghBatch = {
    n,
    image: new Float32Array(n * c.dims.image),
    text: new Float32Array(n * c.dims.text),
    labels: new Float32Array(n * C),
  };
  for (let r = 0; r < n; r++) {
    const k = r % C;
    b.labels[r * C + k] = 1;
    if (multi && rng.next() < 0.25) b.labels[r * C + ((k + 1) % C)] = 1;
    for (const m of ['image', 'text'] as const) {
      const d = c.dims[m];
      for (let j = 0; j < d; j++) b[m][r * d + j] = (centres[m][k * d + j] as number) + 0.5 * rng.normal();
    }
  }
  return b;
}
