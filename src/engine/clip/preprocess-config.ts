/**
 * The image preprocessing a CLIP export declares in `preprocessor_config.json` (Hugging Face
 * CLIPImageProcessor), validated and turned into one explicit, typed description.
 */
import path from 'node:path';
import { z } from 'zod';
import { GlintError, errorMessage } from '../errors.ts';
import { readJsonFile } from '../json-file.ts';

/** Resampling filters, named after PIL's (`resample` 0 nearest, 1 lanczos, 2 bilinear, 3 bicubic). */
export type Resample = 'nearest' | 'lanczos' | 'bilinear' | 'bicubic';

/** An RGB triple (per-channel mean or std). */
export type Rgb = readonly [number, number, number];

/** What to do to an image before the vision encoder; null steps are skipped. */
export interface PreprocessConfig {
  /** Shortest edge → `shortestEdge` px keeping the aspect ratio, or an exact size. */
  resize: { shortestEdge: number } | { width: number; height: number } | null;
  resample: Resample;
  /** Centre crop to this size. */
  crop: { width: number; height: number } | null;
  /** Multiply 0..255 values by this (1/255 for CLIP). */
  rescale: number | null;
  /** Then (value − mean) / std per channel. */
  normalize: { mean: Rgb; std: Rgb } | null;
}

const PIL_RESAMPLE: Record<number, Resample> = { 0: 'nearest', 1: 'lanczos', 2: 'bilinear', 3: 'bicubic' };

const positiveInt = z.number().int().positive();
const rgb = z.tuple([z.number(), z.number(), z.number()]);
// NOTE: absent keys take CLIPImageProcessor's defaults (shortest edge 224, bicubic, crop 224,
// 1/255, OpenAI's mean/std), as transformers does; present keys must have the right shape.
const OPENAI_MEAN: Rgb = [0.48145466, 0.4578275, 0.40821073];
const OPENAI_STD: Rgb = [0.26862954, 0.26130258, 0.27577711];
const schema = z.object({
  do_resize: z.boolean().default(true),
  size: z
    .union([
      positiveInt.transform((n) => ({ shortestEdge: n })),
      z.object({ shortest_edge: positiveInt }).transform((s) => ({ shortestEdge: s.shortest_edge })),
      z.object({ height: positiveInt, width: positiveInt }),
    ])
    .default({ shortestEdge: 224 }),
  resample: z
    .number()
    .int()
    .refine((n) => n in PIL_RESAMPLE, {
      message: 'resample must be 0 (nearest), 1 (lanczos), 2 (bilinear) or 3 (bicubic)',
    })
    .default(3),
  do_center_crop: z.boolean().default(true),
  crop_size: z
    .union([
      positiveInt.transform((n) => ({ height: n, width: n })),
      z.object({ height: positiveInt, width: positiveInt }),
    ])
    .default({ height: 224, width: 224 }),
  do_rescale: z.boolean().default(true),
  rescale_factor: z
    .number()
    .positive()
    .default(1 / 255),
  do_normalize: z.boolean().default(true),
  image_mean: rgb.default([...OPENAI_MEAN]),
  image_std: rgb
    .refine((std) => std.every((s) => s > 0), { message: 'every image_std value must be > 0' })
    .default([...OPENAI_STD]),
});

/** Validates a parsed preprocessor_config.json; `source` names it in the error. */
export function parsePreprocessConfig(json: unknown, source = 'preprocessor_config.json'): PreprocessConfig {
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw new GlintError(
      'preprocess-config-invalid',
      `${source} is malformed (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}); ` +
        're-download the model',
    );
  }
  const c = parsed.data;
  return {
    resize: c.do_resize ? c.size : null,
    resample: PIL_RESAMPLE[c.resample] as Resample,
    crop: c.do_center_crop ? { width: c.crop_size.width, height: c.crop_size.height } : null,
    rescale: c.do_rescale ? c.rescale_factor : null,
    normalize: c.do_normalize ? { mean: c.image_mean, std: c.image_std } : null,
  };
}

/** Reads and validates `preprocessor_config.json` from a models folder. */
export async function loadPreprocessConfig(dir: string): Promise<PreprocessConfig> {
  const file = path.join(dir, 'preprocessor_config.json');
  const json = await readJsonFile(file, {
    unreadable: (err) => {
      const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
      return new GlintError(
        missing ? 'preprocess-config-missing' : 'preprocess-config-unreadable',
        missing
          ? `${file} is missing: the CLIP model folder is incomplete; re-download the model`
          : `cannot read ${file}: ${errorMessage(err)}`,
        { cause: err },
      );
    },
    invalid: (err) =>
      new GlintError(
        'preprocess-config-invalid',
        `${file} is not valid JSON (${errorMessage(err)}); re-download the model`,
      ),
  });
  return parsePreprocessConfig(json, file);
}
