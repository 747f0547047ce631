import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadPreprocessConfig, parsePreprocessConfig } from '../../../src/engine/clip/preprocess-config.ts';

/** openai/clip-vit-base-patch32's preprocessor_config.json, as shipped. */
const CLIP_B32 = {
  crop_size: { height: 224, width: 224 },
  do_center_crop: true,
  do_convert_rgb: true,
  do_normalize: true,
  do_rescale: true,
  do_resize: true,
  image_mean: [0.48145466, 0.4578275, 0.40821073],
  image_processor_type: 'CLIPImageProcessor',
  image_std: [0.26862954, 0.26130258, 0.27577711],
  resample: 3,
  rescale_factor: 0.00392156862745098,
  size: { shortest_edge: 224 },
};

describe('preprocessor_config.json', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'glint-pre-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('parses the CLIP ViT-B/32 config', () => {
    expect(parsePreprocessConfig(CLIP_B32)).toEqual({
      resize: { shortestEdge: 224 },
      resample: 'bicubic',
      crop: { width: 224, height: 224 },
      rescale: 1 / 255,
      normalize: { mean: CLIP_B32.image_mean, std: CLIP_B32.image_std },
    });
  });

  it('accepts the older integer forms of size and crop_size, and an exact size', () => {
    const c = parsePreprocessConfig({ ...CLIP_B32, size: 336, crop_size: 336 });
    expect(c.resize).toEqual({ shortestEdge: 336 });
    expect(c.crop).toEqual({ width: 336, height: 336 });
    expect(parsePreprocessConfig({ size: { height: 256, width: 192 } }).resize).toEqual({
      height: 256,
      width: 192,
    });
  });

  it("turns do_* = false into skipped steps and fills absent keys with CLIPImageProcessor's defaults", () => {
    const off = parsePreprocessConfig({
      do_resize: false,
      do_center_crop: false,
      do_rescale: false,
      do_normalize: false,
    });
    expect(off).toMatchObject({ resize: null, crop: null, rescale: null, normalize: null });
    expect(parsePreprocessConfig({})).toEqual(parsePreprocessConfig(CLIP_B32));
    expect(parsePreprocessConfig({ resample: 2 }).resample).toBe('bilinear');
  });

  it('names every malformed field', () => {
    const bad = {
      ...CLIP_B32,
      size: { longest_edge: 224 },
      image_mean: [0.5, 0.5],
      resample: 9,
      image_std: [1, 0, 1],
    };
    let message = '';
    try {
      parsePreprocessConfig(bad, 'cfg.json');
    } catch (err) {
      expect(err).toMatchObject({ code: 'preprocess-config-invalid' });
      message = (err as Error).message;
    }
    expect(message).toMatch(/^cfg\.json is malformed/);
    for (const field of ['size', 'image_mean', 'resample', 'image_std']) expect(message).toContain(field);
    expect(message).toContain('re-download the model');
  });

  it('loads from a models folder, with clear errors for a missing or broken file', async () => {
    await expect(loadPreprocessConfig(dir)).rejects.toMatchObject({
      code: 'preprocess-config-missing',
      message: expect.stringContaining('preprocessor_config.json is missing'),
    });
    await writeFile(path.join(dir, 'preprocessor_config.json'), '{ "size": ');
    await expect(loadPreprocessConfig(dir)).rejects.toMatchObject({ code: 'preprocess-config-invalid' });
    await writeFile(path.join(dir, 'preprocessor_config.json'), JSON.stringify(CLIP_B32));
    expect(await loadPreprocessConfig(dir)).toEqual(parsePreprocessConfig(CLIP_B32));
  });
});
