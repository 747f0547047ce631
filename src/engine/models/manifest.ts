import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { GlintError } from '../errors.ts';
import { readJsonFile } from '../json-file.ts';

/**
 * How a downloaded file is checked: 'sha256' (size and SHA-256 pinned), 'size-only' (size pinned,
 * hash unknown), 'size-unknown' (nothing pinned: only that it downloads, and parses if JSON).
 */
export type VerifyMode = 'sha256' | 'size-only' | 'size-unknown';

const relativePath = z
  .string()
  .min(1)
  .refine(
    (p) =>
      !p.startsWith('/') &&
      !p.includes('\\') &&
      !p.split('/').some((s) => s === '' || s === '.' || s === '..'),
    {
      message: 'must be a relative path with / separators and no . or .. segments',
    },
  );

const fileSchema = z
  .object({
    path: relativePath,
    url: z.url({ protocol: /^https?$/ }),
    size: z.number().int().nonnegative().nullable(),
    sha256: z
      .string()
      .regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits')
      .nullable(),
    verify: z.enum(['sha256', 'size-only', 'size-unknown']),
    note: z.string().optional(),
  })
  .superRefine((f, ctx) => {
    const want = { sha256: [true, true], 'size-only': [true, false], 'size-unknown': [false, false] }[
      f.verify
    ];
    if ((f.size !== null) !== want[0])
      ctx.addIssue({
        code: 'custom',
        message: `verify '${f.verify}' needs size ${want[0] ? 'set' : 'null'}`,
        path: ['size'],
      });
    if ((f.sha256 !== null) !== want[1])
      ctx.addIssue({
        code: 'custom',
        message: `verify '${f.verify}' needs sha256 ${want[1] ? 'set' : 'null'}`,
        path: ['sha256'],
      });
  });

const setSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9._-]*$/, 'must be a lower-case folder name'),
  description: z.string(),
  license: z.string(),
  homepage: z.url().optional(),
  files: z
    .array(fileSchema)
    .min(1)
    .refine((files) => new Set(files.map((f) => f.path)).size === files.length, {
      message: 'file paths must be unique',
    }),
});

const manifestSchema = z.object({
  schema: z.literal(1),
  sets: z
    .array(setSchema)
    .min(1)
    .refine((sets) => new Set(sets.map((s) => s.id)).size === sets.length, {
      message: 'set ids must be unique',
    }),
});

/** One downloadable file of a model set. */
export type ModelFile = z.infer<typeof fileSchema>;
/** A set of files that together make one model folder (e.g. CLIP ViT-B/32 plus its tokenizer). */
export type ModelSet = z.infer<typeof setSchema>;
/** The model manifest: what `pullModels` downloads and `listModels` checks for. */
export type ModelManifest = z.infer<typeof manifestSchema>;

/** Validates a parsed manifest; throws GlintError('bad-manifest') naming each problem. */
export function parseManifest(value: unknown, origin = 'model manifest'): ModelManifest {
  const parsed = manifestSchema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    throw new GlintError(
      'bad-manifest',
      `The ${origin} is not valid: ${problems}. Reinstall Glint or restore the file.`,
    );
  }
  return parsed.data;
}

/** The manifest that ships with Glint, `resources/models/manifest.json`. */
export function defaultManifestPath(): string {
  return fileURLToPath(new URL('../../../resources/models/manifest.json', import.meta.url));
}

/** Reads and validates the manifest at `path` (default: the shipped one). */
export async function loadManifest(path: string = defaultManifestPath()): Promise<ModelManifest> {
  const json = await readJsonFile(path, {
    unreadable: (err) =>
      new GlintError(
        'bad-manifest',
        `The model manifest ${path} could not be read; reinstall Glint or pass a manifest that exists.`,
        { cause: err },
      ),
    invalid: (err) =>
      new GlintError(
        'bad-manifest',
        `The model manifest ${path} is not valid JSON; reinstall Glint or restore the file.`,
        {
          cause: err,
        },
      ),
  });
  return parseManifest(json, `model manifest ${path}`);
}
