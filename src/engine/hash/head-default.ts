/**
 * The training-free default hash head:
 *   code_m = tanh(s · (normalize(e) − μ_m) · W)
 * W is a fixed seeded D×K matrix with orthonormal columns (Gram–Schmidt of a seeded Gaussian),
 * shared by both modalities; μ_m is a per-modality centring vector (zeros unless the engine fits
 * means from cached embeddings); s is a scale, √D by default.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { GlintError } from '../errors.ts';
import { GraphBuilder } from '../onnx/graph-builder.ts';
import { createRng } from '../onnx/random.ts';
import { CODE_BITS, type CodeBits } from '../types.ts';
import { HEAD_INPUT, HEAD_OUTPUT, writeHeadMeta, type HeadMeta } from './head-format.ts';

/** Options for the default head. */
export interface DefaultHeadOptions {
  bits: CodeBits;
  /** The CLIP model whose embeddings the head takes. */
  modelId: string;
  embeddingDim?: number;
  seed: number;
  /** Head id (default `default-<bits>-s<seed>`). */
  id?: string;
  /** Centring vector for image embeddings (length D; default zeros). */
  imageMean?: ArrayLike<number>;
  /** Centring vector for text embeddings (length D; default zeros). */
  textMean?: ArrayLike<number>;
  /** Scale s before tanh (default √D). */
  scale?: number;
  /** Clock for createdAt. */
  now?: () => Date;
}

// NOTE: ‖normalize(e) − μ‖ ≤ ~1, so each projection onto a unit column is ~N(0, 1/D) for
// isotropic data; s = √D brings that to unit variance, where tanh is neither linear nor saturated.
const defaultScale = (d: number): number => Math.sqrt(d);

/**
 * A d×k matrix (row-major, float64) with orthonormal columns: modified Gram–Schmidt, applied
 * twice for accuracy, over a seeded standard Gaussian matrix.
 */
export function orthonormalColumns(d: number, k: number, seed: number): Float64Array {
  if (k > d) throw new Error(`cannot have ${k} orthonormal columns in dimension ${d}`);
  const rng = createRng(seed, 'default-head-W');
  const cols: Float64Array[] = [];
  for (let j = 0; j < k; j++) {
    const v = rng.fillNormal(new Float64Array(d));
    for (let pass = 0; pass < 2; pass++) {
      for (const c of cols) {
        let dot = 0;
        for (let i = 0; i < d; i++) dot += v[i]! * c[i]!;
        for (let i = 0; i < d; i++) v[i]! -= dot * c[i]!;
      }
    }
    let norm = 0;
    for (let i = 0; i < d; i++) norm += v[i]! * v[i]!;
    norm = Math.sqrt(norm);
    for (let i = 0; i < d; i++) v[i]! /= norm;
    cols.push(v);
  }
  const w = new Float64Array(d * k);
  cols.forEach((c, j) => c.forEach((x, i) => (w[i * k + j] = x)));
  return w;
}

/** The ONNX graph of one modality's default head. */
export function buildDefaultHeadGraph(
  w: Float64Array,
  mean: ArrayLike<number>,
  scale: number,
  d: number,
  k: number,
): GraphBuilder {
  const g = new GraphBuilder({ name: 'glint_default_head', docString: 'tanh(s · (normalize(e) − μ) · W)' });
  const e = g.input(HEAD_INPUT, 'float32', ['batch', d]);
  const mu = g.initializer('mean', 'float32', [d], Float32Array.from(mean));
  const W = g.initializer('W', 'float32', [d, k], Float32Array.from(w));
  const centred = g.sub(g.l2Normalize(e, -1, 1e-12), mu);
  const code = g.tanh(g.mul(g.matMul(centred, W), scale));
  g.output(code, HEAD_OUTPUT, ['batch', k]);
  return g;
}

/** Writes the default head to `dir` (head.json, image.onnx, text.onnx); returns its metadata. */
export async function writeDefaultHead(dir: string, opts: DefaultHeadOptions): Promise<HeadMeta> {
  const d = opts.embeddingDim ?? 512;
  const k = opts.bits;
  if (!(CODE_BITS as readonly number[]).includes(k))
    throw new GlintError('head-invalid', `unsupported code length ${k}; use ${CODE_BITS.join(', ')}`);
  if (k > d)
    throw new GlintError(
      'head-invalid',
      `a ${k}-bit default head needs embeddings of at least ${k} dimensions (got ${d})`,
    );
  const zeros = new Float64Array(d);
  const means = { image: opts.imageMean ?? zeros, text: opts.textMean ?? zeros };
  for (const [m, v] of Object.entries(means)) {
    if (v.length !== d)
      throw new GlintError('head-invalid', `${m} mean has ${v.length} values, expected ${d}`);
  }
  const scale = opts.scale ?? defaultScale(d);
  const w = orthonormalColumns(d, k, opts.seed);
  await mkdir(dir, { recursive: true });
  const files = { image: 'image.onnx', text: 'text.onnx' };
  await buildDefaultHeadGraph(w, means.image, scale, d, k).writeFile(join(dir, files.image));
  await buildDefaultHeadGraph(w, means.text, scale, d, k).writeFile(join(dir, files.text));
  const meta: HeadMeta = {
    id: opts.id ?? `default-${k}-s${opts.seed}`,
    kind: 'default',
    bits: k,
    embeddingDim: d,
    modelId: opts.modelId,
    createdAt: (opts.now ?? (() => new Date()))().toISOString(),
    files,
    params: {
      formula: 'tanh(s * (normalize(e) - mean_m) @ W)',
      seed: opts.seed,
      scale,
      centred: { image: opts.imageMean !== undefined, text: opts.textMean !== undefined },
    },
  };
  await writeHeadMeta(dir, meta);
  return meta;
}
