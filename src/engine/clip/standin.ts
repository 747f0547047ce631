/**
 * CLIP-shaped stand-in models with seeded random weights, built with Glint's own ONNX writer.
 * They have the same input/output names, dtypes and shapes as the public
 * Xenova/clip-vit-base-patch32 ONNX export (an optimum export of CLIPVisionModelWithProjection /
 * CLIPTextModelWithProjection), and the real CLIP architecture, so the engine, its tests and
 * benchmarks run end to end without pretrained weights. Their embeddings mean nothing.
 *
 * Interface of the real export (optimum's CLIP ONNX configs):
 * - vision_model.onnx: `pixel_values` float32 [batch_size, num_channels, height, width]
 *   → `image_embeds` [batch_size, 512], `last_hidden_state` [batch_size, sequence_length, 768]
 * - text_model.onnx: `input_ids` int64 [batch_size, sequence_length] (no attention_mask input)
 *   → `text_embeds` [batch_size, 512], `last_hidden_state` [batch_size, sequence_length, 512]
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GraphBuilder, numel } from '../onnx/graph-builder.ts';
import type { TensorRef } from '../onnx/graph-builder.ts';
import { createRng } from '../onnx/random.ts';

/** One transformer tower's sizes. */
export interface TowerConfig {
  width: number;
  layers: number;
  heads: number;
  mlp: number;
}

/** Sizes of a stand-in CLIP model. */
export interface StandinConfig {
  vision: TowerConfig;
  text: TowerConfig;
  imageSize: number;
  patchSize: number;
  vocabSize: number;
  contextLength: number;
  projectionDim: number;
}

/** Stand-in sizes: `tiny` for tests, `vit-b-32` with the real ViT-B/32 shapes (for benchmarks). */
export const STANDIN_SIZES = {
  tiny: {
    vision: { width: 32, layers: 2, heads: 2, mlp: 128 },
    text: { width: 32, layers: 2, heads: 2, mlp: 128 },
    imageSize: 224,
    patchSize: 32,
    vocabSize: 49408,
    contextLength: 77,
    projectionDim: 512,
  },
  'vit-b-32': {
    vision: { width: 768, layers: 12, heads: 12, mlp: 3072 },
    text: { width: 512, layers: 12, heads: 8, mlp: 2048 },
    imageSize: 224,
    patchSize: 32,
    vocabSize: 49408,
    contextLength: 77,
    projectionDim: 512,
  },
} as const satisfies Record<string, StandinConfig>;

/** A stand-in size name. */
export type StandinSize = keyof typeof STANDIN_SIZES;

/** What `writeStandinClip` records in `glint-standin.json`. */
export interface StandinInfo {
  standin: true;
  size: StandinSize;
  seed: number;
  note: string;
}

const LN_EPS = 1e-5;
// NOTE: CLIP's causal mask uses the most negative float; −1e9 gives the same softmax (exp → 0)
// without risking −Infinity − Infinity in a sum.
const MASK_VALUE = -1e9;

/** Helpers that add seeded weights to a graph; each tensor has its own stream, so order does not matter. */
class Weights {
  private readonly g: GraphBuilder;
  private readonly seed: number;
  constructor(g: GraphBuilder, seed: number) {
    this.g = g;
    this.seed = seed;
  }

  normal(name: string, dims: number[], std: number): TensorRef {
    const seed = this.seed;
    return this.g.initializer(name, 'float32', dims, () =>
      createRng(seed, name).fillNormal(new Float32Array(numel(dims)), std),
    );
  }

  fill(name: string, dims: number[], value: number): TensorRef {
    return this.g.initializer(name, 'float32', dims, () => new Float32Array(numel(dims)).fill(value));
  }

  /** A linear layer x·W + b with W [in, out] ~ N(0, 1/in): activations stay O(1) through the tower. */
  linear(x: TensorRef, prefix: string, fanIn: number, fanOut: number): TensorRef {
    const w = this.normal(`${prefix}.weight`, [fanIn, fanOut], 1 / Math.sqrt(fanIn));
    const b = this.normal(`${prefix}.bias`, [fanOut], 0.02);
    return this.g.linear(x, w, b);
  }

  layerNorm(x: TensorRef, prefix: string, width: number): TensorRef {
    return this.g.layerNorm(
      x,
      this.fill(`${prefix}.weight`, [width], 1),
      this.fill(`${prefix}.bias`, [width], 0),
      {
        epsilon: LN_EPS,
      },
    );
  }
}

/** Splits [B, S, W] into heads: [B, H, S, Dh], or [B, H, Dh, S] when `transposed` (for keys). */
function heads(g: GraphBuilder, x: TensorRef, h: number, dh: number, transposed: boolean): TensorRef {
  const split = g.reshape(x, [0, -1, h, dh]);
  return g.transpose(split, transposed ? [0, 2, 3, 1] : [0, 2, 1, 3]);
}

/** One pre-LN CLIP encoder layer (self-attention + quick_gelu MLP), with an optional additive mask. */
function encoderLayer(
  g: GraphBuilder,
  w: Weights,
  x: TensorRef,
  t: TowerConfig,
  prefix: string,
  mask?: TensorRef,
): TensorRef {
  const dh = t.width / t.heads;
  const h = w.layerNorm(x, `${prefix}.layer_norm1`, t.width);
  // NOTE: CLIP scales the queries by head_dim^−0.5 before the product, as here.
  const q = g.mul(w.linear(h, `${prefix}.self_attn.q_proj`, t.width, t.width), 1 / Math.sqrt(dh));
  const k = w.linear(h, `${prefix}.self_attn.k_proj`, t.width, t.width);
  const v = w.linear(h, `${prefix}.self_attn.v_proj`, t.width, t.width);
  let scores = g.matMul(heads(g, q, t.heads, dh, false), heads(g, k, t.heads, dh, true));
  if (mask) scores = g.add(scores, mask);
  const attn = g.matMul(g.softmax(scores, -1), heads(g, v, t.heads, dh, false));
  const merged = g.reshape(g.transpose(attn, [0, 2, 1, 3]), [0, -1, t.width]);
  const x1 = g.add(x, w.linear(merged, `${prefix}.self_attn.out_proj`, t.width, t.width));
  const h2 = w.layerNorm(x1, `${prefix}.layer_norm2`, t.width);
  const m = w.linear(
    g.quickGelu(w.linear(h2, `${prefix}.mlp.fc1`, t.width, t.mlp)),
    `${prefix}.mlp.fc2`,
    t.mlp,
    t.width,
  );
  return g.add(x1, m);
}

const DOC =
  'Glint stand-in CLIP: random weights with the real architecture and interface; not for real search.';

/** The vision tower graph (CLIPVisionModelWithProjection) with seeded random weights. */
export function buildStandinVision(config: StandinConfig, seed: number): GraphBuilder {
  const g = new GraphBuilder({ name: 'clip_vision_standin', docString: DOC });
  const w = new Weights(g, seed);
  const t = config.vision;
  const p = config.patchSize;
  const tokens = (config.imageSize / p) ** 2 + 1;
  const px = g.input('pixel_values', 'float32', ['batch_size', 'num_channels', 'height', 'width']);

  const patchW = w.normal('vision_model.embeddings.patch_embedding.weight', [t.width, 3, p, p], 0.02);
  const patches = g.conv(px, patchW, null, { kernelShape: [p, p], strides: [p, p] });
  const seq = g.transpose(g.reshape(patches, [0, t.width, -1]), [0, 2, 1]);
  const cls = g.reshape(w.normal('vision_model.embeddings.class_embedding', [t.width], t.width ** -0.5), [
    1,
    1,
    t.width,
  ]);
  const clsB = g.expand(cls, g.concat([g.dimOf(px, 0), g.ints([1, t.width])], 0));
  const pos = w.normal('vision_model.embeddings.position_embedding.weight', [tokens, t.width], 0.02);
  let x = g.add(g.concat([clsB, seq], 1), pos);

  x = w.layerNorm(x, 'vision_model.pre_layrnorm', t.width);
  for (let i = 0; i < t.layers; i++) x = encoderLayer(g, w, x, t, `vision_model.encoder.layers.${i}`);
  g.output(x, 'last_hidden_state', ['batch_size', 'sequence_length', t.width]);

  const cls0 = g.gather(x, g.constant('int64', [], [0]), 1);
  const pooled = w.layerNorm(cls0, 'vision_model.post_layernorm', t.width);
  const proj = w.normal('visual_projection.weight', [t.width, config.projectionDim], t.width ** -0.5);
  g.output(g.matMul(pooled, proj), 'image_embeds', ['batch_size', config.projectionDim]);
  return g;
}

/** The text tower graph (CLIPTextModelWithProjection) with seeded random weights. */
export function buildStandinText(config: StandinConfig, seed: number): GraphBuilder {
  const g = new GraphBuilder({ name: 'clip_text_standin', docString: DOC });
  const w = new Weights(g, seed);
  const t = config.text;
  const ids = g.input('input_ids', 'int64', ['batch_size', 'sequence_length']);

  const tokEmb = w.normal('text_model.embeddings.token_embedding.weight', [config.vocabSize, t.width], 0.02);
  const posEmb = w.normal(
    'text_model.embeddings.position_embedding.weight',
    [config.contextLength, t.width],
    0.01,
  );
  const seqLen = g.dimOf(ids, 1);
  const pos = g.slice(posEmb, g.ints([0]), seqLen, [0]);
  let x = g.add(g.gather(tokEmb, ids, 0), pos);

  // Causal mask [S, S]: position i may attend to j ≤ i.
  const ar = g.range(g.constant('int64', [], [0]), g.squeeze(seqLen, [0]), g.constant('int64', [], [1]));
  const future = g.greater(g.unsqueeze(ar, [0]), g.unsqueeze(ar, [1]));
  const mask = g.where(future, g.scalar(MASK_VALUE), g.scalar(0));

  for (let i = 0; i < t.layers; i++) x = encoderLayer(g, w, x, t, `text_model.encoder.layers.${i}`, mask);
  x = w.layerNorm(x, 'text_model.final_layer_norm', t.width);
  g.output(x, 'last_hidden_state', ['batch_size', 'sequence_length', t.width]);

  // NOTE: CLIP pools at the end-of-text token, which has the largest id (49407) in each row:
  // argmax over the ids, as the original model does (cast to int32 as the HF export does).
  const eos = g.unsqueeze(g.argMax(g.cast(ids, 'int32'), -1, false), [1]);
  const pooled = g.gatherND(x, eos, 1, ['batch_size', t.width]);
  const proj = w.normal('text_projection.weight', [t.width, config.projectionDim], t.width ** -0.5);
  g.output(g.matMul(pooled, proj), 'text_embeds', ['batch_size', config.projectionDim]);
  return g;
}

/** Options for writing stand-in models. */
export interface StandinOptions {
  seed?: number;
  onProgress?: (msg: string) => void;
}

/**
 * Writes `dir/onnx/vision_model.onnx`, `dir/onnx/text_model.onnx` and `dir/glint-standin.json`.
 * Weights are generated while streaming, one tensor at a time. No tokenizer files are written.
 */
export async function writeStandinClip(
  dir: string,
  size: StandinSize,
  opts: StandinOptions = {},
): Promise<{ vision: string; text: string; bytes: number }> {
  const seed = opts.seed ?? 0;
  const config = STANDIN_SIZES[size];
  const progress = opts.onProgress ?? (() => {});
  await mkdir(join(dir, 'onnx'), { recursive: true });
  const vision = join(dir, 'onnx', 'vision_model.onnx');
  const text = join(dir, 'onnx', 'text_model.onnx');
  let bytes = 0;
  for (const [file, build, label] of [
    [vision, buildStandinVision, 'vision'],
    [text, buildStandinText, 'text'],
  ] as const) {
    const g = build(config, seed);
    progress(`writing ${label} model (${(g.byteSize() / 1e6).toFixed(1)} MB, ${g.paramCount()} parameters)`);
    bytes += await g.writeFile(file);
  }
  const info: StandinInfo = {
    standin: true,
    size,
    seed,
    note: 'random weights: CLIP-shaped stand-in built by Glint for tests and benchmarks; not for real search',
  };
  await writeFile(join(dir, 'glint-standin.json'), `${JSON.stringify(info, null, 2)}\n`);
  progress(`stand-in CLIP (${size}, seed ${seed}) written to ${dir}`);
  return { vision, text, bytes };
}
