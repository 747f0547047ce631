/** Synthetic cross-modal data and tiny configs for the trainer tests. */
import { defaultConfig, type DghdghConfig } from '../../../src/engine/train/dghdgh/config.ts';
import type { PairedSet } from '../../../src/engine/train/evaluate.ts';
import { createRng } from '../../../src/engine/onnx/random.ts';

/**
 * n paired rows in `classes` classes: image and text features are a per-class centre (different random
 * centres per modality) plus Gaussian noise, one-hot labels. Seeded.
 */
export function syntheticSet(
  n: number,
  dims: { image: number; text: number },
  classes: number,
  seed: number,
): PairedSet {
  const rng = createRng(seed, 'synthetic');
  const centres = {
    image: createRng(7, 'centres-image').fillNormal(new Float32Array(classes * dims.image)),
    text: createRng(7, 'centres-text').fillNormal(new Float32Array(classes * dims.text)),
  };
  const set = {
    n,
    image: new Float32Array(n * dims.image),
    text: new Float32Array(n * dims.text),
    labels: new Uint8Array(n * classes),
  };
  for (let r = 0; r < n; r++) {
    const c = Math.floor(rng.next() * classes);
    set.labels[r * classes + c] = 1;
    for (const m of ['image', 'text'] as const) {
      const d = dims[m];
      for (let j = 0; j < d; j++) set[m][r * d + j] = (centres[m][c * d + j] as number) + 0.6 * rng.normal();
    }
  }
  return set;
}

/** A config for the linear test model (only bits, dims, classes, lrHash, alpha, beta, ablation matter to it). */
export function linearConfig(bits = 16, dims = { image: 12, text: 8 }, classes = 3): DghdghConfig {
  return {
    ...defaultConfig({ bits, dims, classes }),
    tripletsPerAnchor: 8,
    lrHash: 0.05,
    lrGt: 1e-5,
    weightDecay: 0,
  };
}
