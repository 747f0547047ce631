import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClipEncoders } from '../../../src/engine/clip/encoders.ts';
import { resolveModelFolder } from '../../../src/engine/clip/model-folder.ts';
import { loadPreprocessConfig } from '../../../src/engine/clip/preprocess-config.ts';
import { GlintError } from '../../../src/engine/errors.ts';
import { loadHead, type HashHead } from '../../../src/engine/hash/head.ts';
import { writeDefaultHead } from '../../../src/engine/hash/head-default.ts';
import { preprocessForClip } from '../../../src/engine/image/sharp-image.ts';
import { EncoderClient } from '../../../src/engine/worker/encoder-client.ts';
import { HAS_SHARED_DATA, PHOTOS_DIR, photoManifest } from '../../helpers/shared-data.ts';
import { tinyModels } from '../../helpers/standin-models.ts';

const D = 512;
const BITS = 16;

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Error);
  return err as Error;
}

describe.skipIf(!HAS_SHARED_DATA)('EncoderClient (real worker, tiny stand-in models)', () => {
  let root: string;
  let models: string;
  let headDir: string;
  let client: EncoderClient;
  let reference: ClipEncoders;
  let head: HashHead;
  const notices: string[] = [];

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'glint-encoder-client-'));
    models = await tinyModels(join(root, 'models'), 4);
    headDir = join(root, 'heads', 'default');
    await writeDefaultHead(headDir, { bits: BITS, modelId: 'standin-tiny-seed4', seed: 1 });
    client = new EncoderClient();
    client.onNotice = (line) => notices.push(line);
    reference = await ClipEncoders.load(resolveModelFolder(models));
    head = await loadHead(headDir);
  }, 60_000);
  afterAll(async () => {
    await client?.close();
    await head?.release();
    await rm(root, { recursive: true, force: true });
  });

  it('refuses work before init with a plain error (a bug, not a user failure)', async () => {
    const early = new EncoderClient();
    try {
      const err = await rejection(early.texts(['x']));
      expect(err).not.toBeInstanceOf(GlintError);
      expect(err.message).toBe('encoder worker used before init');
    } finally {
      await early.close();
    }
  });

  it('reports a models folder without models as models-missing', async () => {
    const other = new EncoderClient();
    try {
      const err = await rejection(other.init(join(root, 'no-models'), 'cpu'));
      expect(err).toBeInstanceOf(GlintError);
      expect((err as GlintError).code).toBe('models-missing');
    } finally {
      await other.close();
    }
  });

  it('loads the models and says which they are', async () => {
    expect(await client.init(models, 'cpu', 1)).toEqual({
      modelId: 'standin-tiny-seed4',
      standin: true,
      notices: [],
    });
  });

  it('embeds texts as the encoders do, and hashes them with a head when asked', async () => {
    const texts = ['a photo of a cat', 'two dogs playing in the snow'];
    const plain = await client.texts(texts);
    expect(plain.codes).toBeUndefined();
    const want = await reference.encodeTexts(texts);
    expect(maxAbsDiff(plain.embeddings, want)).toBeLessThan(1e-5);
    const hashed = await client.texts(texts, headDir);
    expect(maxAbsDiff(hashed.codes!, await head.encode('text', want, 2))).toBeLessThan(1e-5);
    expect(await client.texts([], headDir)).toEqual({ embeddings: new Float32Array(0) });
  });

  it('runs a head over embeddings of either modality', async () => {
    const e = Float32Array.from({ length: 2 * D }, (_, i) => Math.sin(i));
    for (const modality of ['image', 'text'] as const) {
      const got = await client.hash(headDir, modality, e, 2);
      expect(got.bits).toBe(BITS);
      expect(maxAbsDiff(got.codes, await head.encode(modality, e, 2))).toBeLessThan(1e-6);
    }
  });

  it('decodes, thumbnails, embeds and hashes photos, reporting a bad one on its own', async () => {
    const [a, b] = photoManifest().slice(0, 2);
    const paths = [join(PHOTOS_DIR, a!.file), join(PHOTOS_DIR, b!.file)];
    const thumbs = [
      join(root, 'thumbs', 'a.webp'),
      join(root, 'thumbs', 'bad.webp'),
      join(root, 'thumbs', 'b.webp'),
    ];
    const garbage = Buffer.from(Array.from({ length: 2048 }, (_, i) => (i * 31 + 7) % 256));
    const { results } = await client.photos(
      [
        { bytes: readFileSync(paths[0]!), thumbPath: thumbs[0]! },
        { bytes: garbage, thumbPath: thumbs[1]! },
        { bytes: readFileSync(paths[1]!), thumbPath: thumbs[2]! },
      ],
      headDir,
    );
    expect(results.map((r) => r.ok)).toEqual([true, false, true]);
    expect(results[1]).toMatchObject({ ok: false, code: 'image-unsupported' });
    expect(existsSync(thumbs[0]!) && existsSync(thumbs[2]!)).toBe(true);
    expect(existsSync(thumbs[1]!)).toBe(false);
    const preprocess = await loadPreprocessConfig(models);
    for (const [slot, path] of [
      [0, paths[0]!],
      [2, paths[1]!],
    ] as const) {
      const r = results[slot]!;
      if (!r.ok) throw new Error('expected a result');
      const meta = await sharp(path).metadata();
      expect([r.width, r.height]).toEqual([meta.width, meta.height]);
      const want = await reference.encodePixels(await preprocessForClip(readFileSync(path), preprocess), 1);
      expect(maxAbsDiff(r.embedding, want)).toBeLessThan(1e-4);
      expect(maxAbsDiff(r.code, await head.encode('image', want, 1))).toBeLessThan(1e-4);
    }
    // A query image is embedded the same way, without a thumbnail.
    const query = await client.imageQuery(paths[0]!);
    expect(maxAbsDiff(query.embedding, (results[0] as { embedding: Float32Array }).embedding)).toBeLessThan(
      1e-5,
    );
  });

  it('moves a buffer that owns its memory to the worker, and copies one from the shared pool', async () => {
    const owned = new Uint8Array(readFileSync(join(PHOTOS_DIR, photoManifest()[0]!.file)));
    const pooled = Buffer.from('tiny'); // small Buffers live in Node's shared pool
    expect(pooled.byteLength).toBeLessThan(pooled.buffer.byteLength);
    const { results } = await client.photos(
      [
        { bytes: owned, thumbPath: join(root, 'thumbs', 'owned.webp') },
        { bytes: pooled, thumbPath: join(root, 'thumbs', 'pooled.webp') },
      ],
      headDir,
    );
    expect(results.map((r) => r.ok)).toEqual([true, false]);
    expect(owned.byteLength).toBe(0); // transferred
    expect(pooled.toString()).toBe('tiny'); // still usable here
  });

  it('turns a missing query image into file-vanished', async () => {
    const err = await rejection(client.imageQuery(join(root, 'gone.jpg')));
    expect(err).toBeInstanceOf(GlintError);
    expect((err as GlintError).code).toBe('file-vanished');
  });

  it('fails calls made after close, even when the worker never came online', async () => {
    const short = new EncoderClient();
    await short.close();
    const err = await rejection(short.texts(['x']));
    expect(err.message).toBe('encoder worker stopped');
  }, 10_000);

  it('fails a call still running at close, and every call after it', async () => {
    const other = new EncoderClient();
    await other.init(models, 'cpu', 1);
    const running = rejection(other.texts(['a long enough text to still be running']));
    await other.close();
    expect((await running).message).toMatch(/^encoder worker (exited with code 1|stopped)$/);
    expect((await rejection(other.hash(headDir, 'text', new Float32Array(D), 1))).message).toMatch(
      /^encoder worker (exited with code 1|stopped)$/,
    );
    expect(notices).toEqual([]);
  }, 30_000);
});
