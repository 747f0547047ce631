import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  STANDIN_SIZES,
  buildStandinText,
  buildStandinVision,
  writeStandinClip,
} from '../../../src/engine/clip/standin.ts';
import { modelSignature, readModelFile } from '../../../src/engine/onnx/model-reader.ts';
import { createRng } from '../../../src/engine/onnx/random.ts';
import {
  createSession,
  readF32,
  runSession,
  tensorF32,
  tensorI64,
  type Session,
} from '../../../src/engine/onnx/runtime.ts';

const SOT = 49406;
const EOT = 49407;

function cosine(e: Float32Array, a: number, b: number, d = 512): number {
  let s = 0;
  let na = 0;
  let nb = 0;
  for (let k = 0; k < d; k++) {
    const x = e[a * d + k] as number;
    const y = e[b * d + k] as number;
    s += x * y;
    na += x * x;
    nb += y * y;
  }
  return s / Math.sqrt(na * nb);
}

/** Rows of token ids padded with 0 to `len`. */
function idsTensor(rows: number[][], len: number) {
  const ids = new Array<number>(rows.length * len).fill(0);
  rows.forEach((r, i) => r.forEach((t, j) => (ids[i * len + j] = t)));
  return tensorI64(ids, [rows.length, len]);
}

describe('stand-in CLIP (tiny)', () => {
  let dir: string;
  let vision: Session;
  let text: Session;
  let loadMs = 0;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'glint-standin-'));
    const messages: string[] = [];
    await writeStandinClip(dir, 'tiny', { seed: 3, onProgress: (m) => messages.push(m) });
    expect(messages.length).toBeGreaterThan(0);
    const t0 = performance.now();
    vision = (await createSession(join(dir, 'onnx', 'vision_model.onnx'))).session;
    text = (await createSession(join(dir, 'onnx', 'text_model.onnx'))).session;
    loadMs = performance.now() - t0;
  });
  afterAll(async () => {
    await vision?.release();
    await text?.release();
    await rm(dir, { recursive: true, force: true });
  });

  it('declares the Xenova/clip-vit-base-patch32 export interface', async () => {
    const v = modelSignature(await readModelFile(join(dir, 'onnx', 'vision_model.onnx')));
    expect(v.inputs).toEqual([
      { name: 'pixel_values', dtype: 'float32', shape: ['batch_size', 'num_channels', 'height', 'width'] },
    ]);
    expect(v.outputs).toContainEqual({ name: 'image_embeds', dtype: 'float32', shape: ['batch_size', 512] });
    expect(v.outputs.map((o) => o.name).sort()).toEqual(['image_embeds', 'last_hidden_state']);
    const t = modelSignature(await readModelFile(join(dir, 'onnx', 'text_model.onnx')));
    expect(t.inputs).toEqual([
      { name: 'input_ids', dtype: 'int64', shape: ['batch_size', 'sequence_length'] },
    ]);
    expect(t.outputs).toContainEqual({ name: 'text_embeds', dtype: 'float32', shape: ['batch_size', 512] });
    expect(t.outputs.map((o) => o.name).sort()).toEqual(['last_hidden_state', 'text_embeds']);
    expect(vision.inputNames).toEqual(['pixel_values']);
    expect(text.inputNames).toEqual(['input_ids']);
  });

  it('writes glint-standin.json and no tokenizer files', async () => {
    const info = JSON.parse(await readFile(join(dir, 'glint-standin.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(info).toMatchObject({ standin: true, size: 'tiny', seed: 3 });
    expect(String(info['note'])).toMatch(/random weights/);
    await expect(readFile(join(dir, 'vocab.json'))).rejects.toThrow();
  });

  it('loads and runs in well under a second, with finite embeddings that vary with the image', async () => {
    const n = 3;
    const size = 3 * 224 * 224;
    const px = new Float32Array(n * size);
    const rng = createRng(11);
    for (let i = 0; i < size; i++) {
      px[i] = rng.normal();
      px[size + i] = rng.normal();
      px[2 * size + i] = ((i % 224) / 112 - 1) * 1.5;
    }
    const t0 = performance.now();
    const out = await runSession(vision, { pixel_values: tensorF32(px, [n, 3, 224, 224]) });
    expect(loadMs + performance.now() - t0).toBeLessThan(1000);
    const e = readF32(out, 'image_embeds');
    expect(e.dims).toEqual([n, 512]);
    expect(e.data.every(Number.isFinite)).toBe(true);
    expect(readF32(out, 'last_hidden_state').dims).toEqual([n, 50, 32]);
    expect(cosine(e.data, 0, 1)).toBeLessThan(0.999);
    expect(cosine(e.data, 0, 2)).toBeLessThan(0.99);
  });

  it('pools text at the end-of-text token behind a causal mask', async () => {
    const cat = [SOT, 320, 1125, 539, 320, 2368, EOT];
    const dog = [SOT, 320, 1125, 539, 320, 1929, EOT];
    const run = async (rows: number[][], len: number) =>
      readF32(await runSession(text, { input_ids: idsTensor(rows, len) }), 'text_embeds');
    const short = await run([cat, dog], 7);
    expect(short.dims).toEqual([2, 512]);
    expect(short.data.every(Number.isFinite)).toBe(true);
    expect(cosine(short.data, 0, 1)).toBeLessThan(0.999);
    // Padding after EOT cannot reach the EOT position through a causal mask: same embedding.
    const padded = await run([cat, [...cat, 0, 5, 9]], 77);
    for (let k = 0; k < 512; k++) {
      expect(padded.data[k]).toBeCloseTo(short.data[k] as number, 4);
      expect(padded.data[512 + k]).toBeCloseTo(short.data[k] as number, 4);
    }
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const c = STANDIN_SIZES.tiny;
    const a = buildStandinVision(c, 5).toBytes();
    const b = buildStandinVision(c, 5).toBytes();
    const d = buildStandinVision(c, 6).toBytes();
    expect(Buffer.compare(a, b)).toBe(0);
    expect(a.length).toBe(d.length);
    expect(Buffer.compare(a, d)).not.toBe(0);
  });
});

describe('stand-in CLIP (vit-b-32 shape, not written)', () => {
  // Parameter counts of openai/clip-vit-base-patch32 as CLIPVisionModelWithProjection and
  // CLIPTextModelWithProjection (Hugging Face; with logit_scale they make CLIPModel's 151,277,313),
  // and the size of Xenova's vision_model.onnx.
  const REAL_VISION_PARAMS = 87_849_216;
  const REAL_TEXT_PARAMS = 63_428_096;
  const REAL_VISION_FILE_BYTES = 351_685_709;

  it('has the real parameter counts and file size within 1%', () => {
    const c = STANDIN_SIZES['vit-b-32'];
    const v = buildStandinVision(c, 0);
    const t = buildStandinText(c, 0);
    expect(Math.abs(v.paramCount() / REAL_VISION_PARAMS - 1)).toBeLessThan(0.01);
    expect(Math.abs(t.paramCount() / REAL_TEXT_PARAMS - 1)).toBeLessThan(0.01);
    expect(Math.abs(v.byteSize() / REAL_VISION_FILE_BYTES - 1)).toBeLessThan(0.01);
  });
});
