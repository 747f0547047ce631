import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GlintError } from '../../../src/engine/errors.ts';
import { codeToWords } from '../../../src/engine/hash/bits.ts';
import { bitsOf } from '../../helpers/code-bits.ts';
import { loadHead } from '../../../src/engine/hash/head.ts';
import {
  buildDefaultHeadGraph,
  orthonormalColumns,
  writeDefaultHead,
} from '../../../src/engine/hash/head-default.ts';
import { HEAD_FILE, readHeadMeta } from '../../../src/engine/hash/head-format.ts';
import { parseModel, readModelFile, tensorProtoData } from '../../../src/engine/onnx/model-reader.ts';
import { createRng } from '../../../src/engine/onnx/random.ts';

const D = 512;

/** Plain-JS default head: tanh(s · (e/‖e‖ − μ) · W), in float64. */
function reference(
  e: Float32Array,
  n: number,
  w: ArrayLike<number>,
  mu: ArrayLike<number>,
  s: number,
  k: number,
): Float64Array {
  const out = new Float64Array(n * k);
  for (let r = 0; r < n; r++) {
    let norm = 0;
    for (let i = 0; i < D; i++) norm += e[r * D + i]! ** 2;
    norm = Math.sqrt(norm);
    for (let j = 0; j < k; j++) {
      let acc = 0;
      for (let i = 0; i < D; i++) acc += (e[r * D + i]! / norm - mu[i]!) * w[i * k + j]!;
      out[r * k + j] = Math.tanh(s * acc);
    }
  }
  return out;
}

function checkOrthonormal(w: ArrayLike<number>, d: number, k: number, tol: number): void {
  let worst = 0;
  for (let a = 0; a < k; a++) {
    for (let b = a; b < k; b++) {
      let dot = 0;
      for (let i = 0; i < d; i++) dot += w[i * k + a]! * w[i * k + b]!;
      worst = Math.max(worst, Math.abs(dot - (a === b ? 1 : 0)));
    }
  }
  expect(worst).toBeLessThan(tol);
}

function embeddings(n: number, seed: number): Float32Array {
  return createRng(seed, 'emb').fillNormal(new Float32Array(n * D));
}

describe('default hash head', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'glint-head-'));
  });
  afterAll(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it('W has orthonormal columns (in float64 and as stored in float32)', async () => {
    checkOrthonormal(orthonormalColumns(D, 128, 1), D, 128, 1e-10);
    const dir = join(root, 'ortho');
    await writeDefaultHead(dir, { bits: 128, modelId: 'm', seed: 1 });
    const model = await readModelFile(join(dir, 'image.onnx'));
    const w = model.graph?.initializer?.find((t) => t.name === 'W');
    expect(w?.dims).toEqual([D, 128]);
    checkOrthonormal(tensorProtoData(w!) as Float32Array, D, 128, 1e-5);
  });

  it('ONNX codes equal the plain-JS formula within 1e-5, per modality mean', async () => {
    const dir = join(root, 'formula');
    const rng = createRng(4, 'means');
    const imageMean = Array.from({ length: D }, () => 0.02 * rng.normal());
    const textMean = Array.from({ length: D }, () => 0.02 * rng.normal());
    const meta = await writeDefaultHead(dir, { bits: 64, modelId: 'clip-x', seed: 9, imageMean, textMean });
    expect(meta).toMatchObject({ kind: 'default', bits: 64, embeddingDim: D, modelId: 'clip-x' });
    const head = await loadHead(dir);
    try {
      const n = 7;
      const e = embeddings(n, 2);
      const w = orthonormalColumns(D, 64, 9);
      const s = Math.sqrt(D);
      for (const [modality, mu] of [
        ['image', imageMean],
        ['text', textMean],
      ] as const) {
        const got = await head.encode(modality, e, n);
        const want = reference(e, n, w, mu, s, 64);
        expect(got.length).toBe(n * 64);
        let worst = 0;
        for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i]! - want[i]!));
        expect(worst).toBeLessThan(1e-5);
        // Not saturated: codes spread over (−1, 1), both signs present.
        expect(got.some((v) => Math.abs(v) < 0.9)).toBe(true);
        expect(got.some((v) => v > 0) && got.some((v) => v < 0)).toBe(true);
      }
      const a = await head.encode('image', e, n);
      const b = await head.encode('text', e, n);
      expect(a).not.toEqual(b);
      expect(await head.encode('image', new Float32Array(0), 0)).toHaveLength(0);
      await expect(head.encode('image', new Float32Array(10), 1)).rejects.toThrow(/dimension 512/);
    } finally {
      await head.release();
    }
  });

  it('is the same for the same seed, and codeToWords packs the signs', async () => {
    const d1 = join(root, 's1');
    const d2 = join(root, 's2');
    const now = () => new Date('2026-11-23T00:00:00Z');
    await writeDefaultHead(d1, { bits: 128, modelId: 'm', seed: 3, now });
    await writeDefaultHead(d2, { bits: 128, modelId: 'm', seed: 3, now });
    expect(Buffer.compare(await readFile(join(d1, 'text.onnx')), await readFile(join(d2, 'text.onnx')))).toBe(
      0,
    );
    expect(await readFile(join(d1, HEAD_FILE), 'utf8')).toBe(await readFile(join(d2, HEAD_FILE), 'utf8'));
    const head = await loadHead(d1);
    try {
      expect(head.bits).toBe(128);
      const n = 3;
      const codes = await head.encode('text', embeddings(n, 8), n);
      for (let r = 0; r < n; r++) {
        const words = codeToWords(codes, 128, r);
        expect(words).toHaveLength(2);
        const bits = bitsOf(words, 128);
        for (let j = 0; j < 128; j++) expect(bits[j]).toBe(codes[r * 128 + j]! > 0 ? 1 : 0);
      }
    } finally {
      await head.release();
    }
  });

  it('rejects bad options', async () => {
    await expect(
      writeDefaultHead(join(root, 'bad'), { bits: 24 as 16, modelId: 'm', seed: 1 }),
    ).rejects.toThrow(GlintError);
    await expect(
      writeDefaultHead(join(root, 'bad'), { bits: 16, modelId: 'm', seed: 1, imageMean: [1, 2] }),
    ).rejects.toThrow(/expected 512/);
  });

  it('writes the metadata it returns: default id, clock, √D scale, which modalities are centred', async () => {
    const dir = join(root, 'meta');
    const meta = await writeDefaultHead(dir, {
      bits: 32,
      modelId: 'clip-b32',
      seed: 5,
      textMean: new Float64Array(D),
      now: () => new Date('2026-01-02T03:04:05Z'),
    });
    expect(meta).toEqual({
      id: 'default-32-s5',
      kind: 'default',
      bits: 32,
      embeddingDim: D,
      modelId: 'clip-b32',
      createdAt: '2026-01-02T03:04:05.000Z',
      files: { image: 'image.onnx', text: 'text.onnx' },
      params: {
        formula: 'tanh(s * (normalize(e) - mean_m) @ W)',
        seed: 5,
        scale: Math.sqrt(D),
        centred: { image: false, text: true },
      },
    });
    expect(await readHeadMeta(dir)).toEqual(meta);
  });

  it('honours a small embedding size, a given id and scale (codes by hand-checked formula)', async () => {
    const dir = join(root, 'small');
    const d = 16;
    await writeDefaultHead(dir, { bits: 16, modelId: 'm', seed: 2, embeddingDim: d, id: 'mine', scale: 0.5 });
    const head = await loadHead(dir);
    try {
      expect(head.meta.id).toBe('mine');
      // e = 3·(unit vector 0): normalize → unit vector 0, so code_j = tanh(0.5 · W[0, j]).
      const e = new Float32Array(d);
      e[0] = 3;
      const w = orthonormalColumns(d, 16, 2);
      const got = await head.encode('image', e, 1);
      for (let j = 0; j < 16; j++) expect(got[j]).toBeCloseTo(Math.tanh(0.5 * w[j]!), 5);
    } finally {
      await head.release();
    }
  });

  it('orthonormalColumns: square case is orthogonal, seeds differ, too many columns are refused', () => {
    checkOrthonormal(orthonormalColumns(16, 16, 3), 16, 16, 1e-10);
    expect(orthonormalColumns(8, 4, 3)).toEqual(orthonormalColumns(8, 4, 3));
    expect(orthonormalColumns(8, 4, 3)).not.toEqual(orthonormalColumns(8, 4, 4));
    // The first column of a longer W is the first column of a shorter one (columns come in order).
    const w2 = orthonormalColumns(8, 2, 3);
    const w4 = orthonormalColumns(8, 4, 3);
    for (let i = 0; i < 8; i++) expect(w4[i * 4]).toBeCloseTo(w2[i * 2]!, 12);
    expect(() => orthonormalColumns(3, 4, 1)).toThrow(/cannot have 4 orthonormal columns in dimension 3/);
  });

  it('refuses a code longer than the embedding, and a text mean of the wrong length', async () => {
    await expect(
      writeDefaultHead(join(root, 'bad2'), { bits: 64, modelId: 'm', seed: 1, embeddingDim: 32 }),
    ).rejects.toThrow(/at least 64 dimensions \(got 32\)/);
    await expect(
      writeDefaultHead(join(root, 'bad3'), {
        bits: 16,
        modelId: 'm',
        seed: 1,
        textMean: new Float64Array(3),
      }),
    ).rejects.toThrow(/text mean has 3 values, expected 512/);
  });

  it('buildDefaultHeadGraph names its input and output as the head format says', () => {
    const g = buildDefaultHeadGraph(orthonormalColumns(4, 2, 1), [0.5, 0, 0, 0], 2, 4, 2);
    const model = parseModel(g.toBytes());
    expect(model.graph?.input?.map((v) => v.name)).toEqual(['embedding']);
    expect(model.graph?.output?.map((v) => v.name)).toEqual(['code']);
    const init = (name: string) => model.graph?.initializer?.find((t) => t.name === name);
    expect(init('W')?.dims).toEqual([4, 2]);
    expect(init('mean')?.dims).toEqual([4]);
    expect(tensorProtoData(init('mean')!)).toEqual(Float32Array.of(0.5, 0, 0, 0));
    expect(tensorProtoData(init('W')!)).toEqual(Float32Array.from(orthonormalColumns(4, 2, 1)));
  });
});
