/**
 * A small JS model with the DghdghModel surface, for testing the trainer's loop, checkpoints and worker
 * without the ONNX graphs: per-modality linear hash layers + tanh, trained by SGD towards a seeded ±1 target
 * code per class (mean over a row's classes), on a random subset of each batch drawn from a seeded RNG that
 * is part of the state — so resuming is only exact if the trainer restores that state.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  HEAD_INPUT,
  HEAD_OUTPUT,
  writeHeadMeta,
  type HeadMeta,
} from '../../../src/engine/hash/head-format.ts';
import { GraphBuilder } from '../../../src/engine/onnx/graph-builder.ts';
import type { DghdghConfig } from '../../../src/engine/train/dghdgh/config.ts';
import type { ModelFactory, ModelState, TrainableModel } from '../../../src/engine/train/trainer.ts';

/** mulberry32 with its state exposed. */
function nextRandom(s: { rng: number }): number {
  s.rng = (s.rng + 0x6d2b79f5) >>> 0;
  let t = s.rng;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}

interface LinearState {
  image: Float64Array;
  text: Float64Array;
  targets: Float64Array;
  rng: number;
  steps: number;
}

class LinearModel {
  readonly config: DghdghConfig;
  readonly provider = 'cpu' as const;
  readonly fallback: string | undefined = undefined;
  private s: LinearState;

  constructor(config: DghdghConfig, s: LinearState) {
    this.config = config;
    this.s = s;
  }

  private forward(m: 'image' | 'text', x: Float32Array, n: number): Float64Array {
    const d = this.config.dims[m];
    const K = this.config.bits;
    const W = this.s[m];
    const h = new Float64Array(n * K);
    for (let r = 0; r < n; r++)
      for (let k = 0; k < K; k++) {
        let z = 0;
        for (let c = 0; c < d; c++) z += (x[r * d + c] as number) * (W[c * K + k] as number);
        h[r * K + k] = Math.tanh(z);
      }
    return h;
  }

  step(
    batch: { n: number; image: Float32Array; text: Float32Array; labels: Float32Array },
    schedule: { tau: number; gammaSyn: number; lr: number },
  ) {
    const K = this.config.bits;
    const C = this.config.classes;
    let loss = 0;
    for (const m of ['image', 'text'] as const) {
      const d = this.config.dims[m];
      const x = batch[m];
      const h = this.forward(m, x, batch.n);
      const W = this.s[m];
      for (let r = 0; r < batch.n; r++) {
        // NOTE: each row is used with probability 1/2, drawn from the model's own RNG.
        if (nextRandom(this.s) < 0.5) continue;
        let nl = 0;
        for (let c = 0; c < C; c++) nl += batch.labels[r * C + c] as number;
        for (let k = 0; k < K; k++) {
          let t = 0;
          for (let c = 0; c < C; c++)
            t +=
              ((batch.labels[r * C + c] as number) * (this.s.targets[c * K + k] as number)) / Math.max(1, nl);
          const hk = h[r * K + k] as number;
          loss += (hk - t) ** 2 / batch.n;
          const g = (2 * (hk - t) * (1 - hk * hk) * this.config.lrHash * schedule.lr) / batch.n;
          for (let c = 0; c < d; c++) W[c * K + k] = (W[c * K + k] as number) - g * (x[r * d + c] as number);
        }
      }
    }
    this.s.steps++;
    const tauTerm = schedule.tau * 1e-3 + schedule.gammaSyn * 1e-3;
    return Promise.resolve({
      hl: loss + tauTerm,
      real: loss,
      syn: 0,
      sp1: 0,
      sp2: 0,
      go: loss / 2,
      is: 0,
      sp: 0,
      cd: 0,
    });
  }

  encode(m: 'image' | 'text', x: Float32Array, n: number): Promise<Float32Array> {
    return Promise.resolve(Float32Array.from(this.forward(m, x, n)));
  }

  state(): ModelState {
    return structuredClone(this.s) as unknown as ModelState;
  }

  /** Writes an engine-format head: tanh(x · W_m) per modality (needs equal image/text dims). */
  async exportHead(dir: string, meta: { id: string; modelId: string; createdAt?: number }): Promise<unknown> {
    const K = this.config.bits;
    await mkdir(dir, { recursive: true });
    for (const m of ['image', 'text'] as const) {
      const d = this.config.dims[m];
      const g = new GraphBuilder({ name: `linear_${m}` });
      const x = g.input(HEAD_INPUT, 'float32', ['batch', d]);
      const W = g.initializer('W', 'float32', [d, K], Float32Array.from(this.s[m]));
      g.output(g.tanh(g.matMul(x, W)), HEAD_OUTPUT, ['batch', K]);
      await g.writeFile(join(dir, `${m}.onnx`));
    }
    const head: HeadMeta = {
      id: meta.id,
      kind: 'dghdgh',
      bits: K,
      embeddingDim: this.config.dims.image,
      modelId: meta.modelId,
      createdAt: new Date(meta.createdAt ?? 0).toISOString(),
      files: { image: 'image.onnx', text: 'text.onnx' },
    };
    await writeHeadMeta(dir, head);
    return head;
  }

  release(): Promise<void> {
    return Promise.resolve();
  }
}

/** Factory with the ModelFactory signature. */
export const createModel: ModelFactory = (config, opts) => {
  if (opts.state)
    return Promise.resolve(
      new LinearModel(
        config,
        structuredClone(opts.state) as unknown as LinearState,
      ) as unknown as TrainableModel,
    );
  const s: LinearState = {
    image: new Float64Array(config.dims.image * config.bits),
    text: new Float64Array(config.dims.text * config.bits),
    targets: new Float64Array(config.classes * config.bits),
    rng: opts.seed >>> 0,
    steps: 0,
  };
  for (const a of [s.image, s.text]) for (let i = 0; i < a.length; i++) a[i] = (nextRandom(s) - 0.5) * 0.2;
  for (let i = 0; i < s.targets.length; i++) s.targets[i] = nextRandom(s) < 0.5 ? -1 : 1;
  return Promise.resolve(new LinearModel(config, s) as unknown as TrainableModel);
};
