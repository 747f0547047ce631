/**
 * The on-disk format of a hash head: a directory with `head.json` and one ONNX graph per
 * modality, input `embedding` float32 [batch, D] → output `code` float32 [batch, K] in (−1, 1).
 * The training-free default head and trained DGHDGH heads share it.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { GlintError } from '../errors.ts';
import { readJsonFile } from '../json-file.ts';
import { CODE_BITS } from '../types.ts';

/** Name of the metadata file inside a head directory. */
export const HEAD_FILE = 'head.json';

/** Graph input name of a head model. */
export const HEAD_INPUT = 'embedding';

/** Graph output name of a head model. */
export const HEAD_OUTPUT = 'code';

const fileName = z
  .string()
  .min(1)
  .refine(
    (s) => !/[\\/]/.test(s) && s !== '.' && s !== '..',
    'must be a file name inside the head directory',
  );

/** Schema of head.json. */
export const headMetaSchema = z.object({
  id: z.string().min(1),
  kind: z.enum(['default', 'dghdgh']),
  bits: z
    .number()
    .int()
    .refine((b) => (CODE_BITS as readonly number[]).includes(b), `must be one of ${CODE_BITS.join(', ')}`),
  embeddingDim: z.number().int().positive(),
  /** Per-modality input dimensions when they differ (e.g. Wiki's 128-d image / 10-d text features); else embeddingDim for both. */
  embeddingDims: z
    .object({ image: z.number().int().positive(), text: z.number().int().positive() })
    .optional(),
  modelId: z.string().min(1),
  createdAt: z.string().min(1),
  files: z.object({ image: fileName, text: fileName }),
  metrics: z.record(z.string(), z.unknown()).optional(),
  params: z.record(z.string(), z.unknown()).optional(),
});

/** Parsed head.json. */
export type HeadMeta = z.infer<typeof headMetaSchema>;

/** Reads and validates `dir/head.json`; throws GlintError('head-invalid') saying what is wrong. */
export async function readHeadMeta(dir: string): Promise<HeadMeta> {
  const path = join(dir, HEAD_FILE);
  const json = await readJsonFile(path, {
    unreadable: (err) =>
      new GlintError(
        'head-invalid',
        `No hash head at ${dir}: ${HEAD_FILE} cannot be read. Recreate the head (retrain, or reset to the default head).`,
        { cause: err },
      ),
    invalid: (err) =>
      new GlintError('head-invalid', `${path} is not valid JSON; recreate the head.`, { cause: err }),
  });
  const parsed = headMetaSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new GlintError('head-invalid', `${path} is malformed (${issues}); recreate the head.`);
  }
  return parsed.data;
}

/** Writes `dir/head.json` (validated first, so a bad head is never written). */
export async function writeHeadMeta(dir: string, meta: HeadMeta): Promise<void> {
  const checked = headMetaSchema.parse(meta);
  await writeFile(join(dir, HEAD_FILE), `${JSON.stringify(checked, null, 2)}\n`);
}
