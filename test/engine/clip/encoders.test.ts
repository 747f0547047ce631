import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClipEncoders } from '../../../src/engine/clip/encoders.ts';
import { resolveModelFolder, type ModelFolder } from '../../../src/engine/clip/model-folder.ts';
import { GlintError } from '../../../src/engine/errors.ts';
import { GraphBuilder } from '../../../src/engine/onnx/graph-builder.ts';
import { createRng } from '../../../src/engine/onnx/random.ts';
import {
  createSession,
  readF32,
  runSession,
  tensorF32,
  tensorI64,
  type Session,
} from '../../../src/engine/onnx/runtime.ts';
import { HAS_SHARED_DATA } from '../../helpers/shared-data.ts';
import { tinyModels } from '../../helpers/standin-models.ts';

const D = 512;
const PIXELS = 3 * 224 * 224;

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe.skipIf(!HAS_SHARED_DATA)('ClipEncoders (tiny stand-in, real tokenizer)', () => {
  let root: string;
  let folder: ModelFolder;
  let enc: ClipEncoders;
  let text: Session;
  let vision: Session;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'glint-encoders-'));
    folder = resolveModelFolder(await tinyModels(join(root, 'models'), 4));
    enc = await ClipEncoders.load(folder);
    // The reference: the same graphs run directly, fed by hand.
    text = (await createSession(folder.text)).session;
    vision = (await createSession(folder.vision)).session;
  }, 60_000);
  afterAll(async () => {
    await text?.release();
    await vision?.release();
    await rm(root, { recursive: true, force: true });
  });

  it('loads the tokenizer at once and no ONNX session until one is used', async () => {
    const lazy = await ClipEncoders.load(folder);
    expect(lazy.tokenizer.encode('a photo of a cat')).toEqual([49406, 320, 1125, 539, 320, 2368, 49407]);
    expect(await lazy.providers()).toEqual({ vision: undefined, text: undefined });
    await lazy.encodeTexts(['x']);
    expect(await lazy.providers()).toEqual({ vision: undefined, text: 'cpu' });
    expect(lazy.notices).toEqual([]);
  });

  it('embeds texts as the text graph does for CLIP’s 77-token window of the tokenized text', async () => {
    const texts = ['a photo of a cat', 'a dog on the beach'];
    const got = await enc.encodeTexts(texts);
    expect(got).toHaveLength(2 * D);
    const ids = new Array<number>(2 * 77).fill(49407); // padded with <|endoftext|>
    [[49406, 320, 1125, 539, 320, 2368, 49407], enc.tokenizer.encode(texts[1]!)].forEach((row, r) =>
      row.forEach((t, j) => (ids[r * 77 + j] = t)),
    );
    const want = readF32(await runSession(text, { input_ids: tensorI64(ids, [2, 77]) }), 'text_embeds').data;
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-5);
    // Rows do not depend on the batch.
    const alone = await enc.encodeTexts([texts[1]!]);
    expect(maxAbsDiff(alone, got.subarray(D))).toBeLessThan(1e-5);
  });

  it('truncates a text longer than the window instead of failing', async () => {
    const long = Array.from({ length: 200 }, (_, i) => `word${i}`).join(' ');
    const got = await enc.encodeTexts([long]);
    expect(got).toHaveLength(D);
    expect(got.every(Number.isFinite)).toBe(true);
  });

  it('runs a batch over a window fitted to its longest text, giving the full window’s embeddings', async () => {
    const texts = ['cat', 'a dog running on a sandy beach at sunset with a red ball'];
    expect(enc.fittedWindow(texts)).toBe(enc.tokenizer.encode(texts[1]!).length);
    expect(enc.fittedWindow(['word '.repeat(200)])).toBe(77);
    const got = await enc.encodeTexts(texts);
    const ids = new Array<number>(2 * 77).fill(49407);
    texts.forEach((t, r) => enc.tokenizer.encode(t).forEach((id, j) => (ids[r * 77 + j] = id)));
    const want = readF32(await runSession(text, { input_ids: tensorI64(ids, [2, 77]) }), 'text_embeds').data;
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-5);
  });

  it('keeps the full window for a text graph whose output depends on the padding', async () => {
    // Mean-pooled over every position, padding included: cutting the window would change the embedding.
    const g = new GraphBuilder({ name: 'mean_pooled_text' });
    const ids = g.input('input_ids', 'int64', ['batch_size', 'sequence_length']);
    const table = g.initializer('emb', 'float32', [49408, D], () =>
      createRng(3, 'emb').fillNormal(new Float32Array(49408 * D), 1),
    );
    g.output(g.reduceMean(g.gather(table, ids, 0), [1], false), 'text_embeds', ['batch_size', D]);
    const meanText = join(root, 'mean-text.onnx');
    await g.writeFile(meanText);
    const pooled = await ClipEncoders.load({ ...folder, text: meanText });
    const got = await pooled.encodeTexts(['a photo of a cat']);
    const row = new Array<number>(77).fill(49407);
    [49406, 320, 1125, 539, 320, 2368, 49407].forEach((t, j) => (row[j] = t));
    const ref = (await createSession(meanText)).session;
    const want = readF32(await runSession(ref, { input_ids: tensorI64(row, [1, 77]) }), 'text_embeds').data;
    await ref.release();
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-5);
  });

  it('embeds preprocessed images as the vision graph does, one row per image', async () => {
    const n = 3;
    const rng = createRng(8);
    const px = new Float32Array(n * PIXELS);
    for (let i = 0; i < px.length; i++) px[i] = rng.normal();
    const got = await enc.encodePixels(px, n);
    expect(got).toHaveLength(n * D);
    const want = readF32(
      await runSession(vision, { pixel_values: tensorF32(px, [n, 3, 224, 224]) }),
      'image_embeds',
    ).data;
    expect(maxAbsDiff(got, want)).toBeLessThan(1e-5);
    const second = await enc.encodePixels(px.slice(PIXELS, 2 * PIXELS), 1);
    expect(maxAbsDiff(second, got.subarray(D, 2 * D))).toBeLessThan(1e-4);
    expect(await enc.providers()).toMatchObject({ vision: 'cpu' });
  });

  it('gives empty output for empty input without starting a session', async () => {
    const lazy = await ClipEncoders.load(folder);
    expect(await lazy.encodeTexts([])).toEqual(new Float32Array(0));
    expect(await lazy.encodePixels(new Float32Array(0), 0)).toEqual(new Float32Array(0));
    expect(await lazy.providers()).toEqual({ vision: undefined, text: undefined });
  });

  it('reports a damaged model file as models-invalid on first use, naming the file', async () => {
    const broken = join(root, 'broken.onnx');
    await writeFile(broken, 'not an onnx model');
    const bad = await ClipEncoders.load({ ...folder, vision: broken });
    const err = await bad.encodePixels(new Float32Array(PIXELS), 1).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(GlintError);
    expect((err as GlintError).code).toBe('models-invalid');
    expect((err as GlintError).message).toContain(`Could not load the CLIP vision encoder ${broken}`);
    expect((err as GlintError).message).toContain('glint models pull');
    // The text side is unaffected.
    expect(await bad.encodeTexts(['fine'])).toHaveLength(D);
  });
});
