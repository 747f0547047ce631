import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GlintError } from '../errors.ts';

/** The files of a CLIP model folder in the layout of the public ONNX exports of CLIP ViT-B/32. */
export const MODEL_FILES = {
  vision: 'onnx/vision_model.onnx',
  text: 'onnx/text_model.onnx',
  preprocessor: 'preprocessor_config.json',
} as const;

/** A CLIP model folder that has everything the encoders need. */
export interface ModelFolder {
  dir: string;
  /** Identifies the weights: embeddings are stored per model id, so a new model re-encodes. */
  modelId: string;
  /** True for the random-weight stand-ins written by `glint models make-standin`. */
  standin: boolean;
  vision: string;
  text: string;
}

const TOKENIZER_CHOICES = [['vocab.json', 'merges.txt'], ['tokenizer.json']];

/** Checks a models folder and names what is missing, with the commands that fix it. */
export function resolveModelFolder(dir: string): ModelFolder {
  const missing: string[] = [MODEL_FILES.vision, MODEL_FILES.text, MODEL_FILES.preprocessor].filter(
    (f) => !existsSync(join(dir, f)),
  );
  if (!TOKENIZER_CHOICES.some((set) => set.every((f) => existsSync(join(dir, f))))) {
    missing.push('vocab.json + merges.txt (or tokenizer.json)');
  }
  if (missing.length > 0) {
    throw new GlintError(
      'models-missing',
      `The CLIP models folder ${dir} is missing ${missing.join(', ')}. ` +
        'Run `glint models pull` to download CLIP ViT-B/32, or choose a folder that holds a complete set ' +
        '(Settings → Models folder in the app, --models on the command line).',
    );
  }
  const standinFile = join(dir, 'glint-standin.json');
  let modelId = 'clip-vit-base-patch32';
  let standin = false;
  if (existsSync(standinFile)) {
    let info: { size?: string; seed?: number };
    try {
      info = JSON.parse(readFileSync(standinFile, 'utf8')) as { size?: string; seed?: number };
    } catch (err) {
      throw new GlintError(
        'models-invalid',
        `${standinFile} is damaged (${err instanceof Error ? err.message : String(err)}); ` +
          'make the stand-in again with `glint models make-standin`.',
        { cause: err },
      );
    }
    modelId = `standin-${info.size ?? 'unknown'}-seed${info.seed ?? 0}`;
    standin = true;
  }
  return { dir, modelId, standin, vision: join(dir, MODEL_FILES.vision), text: join(dir, MODEL_FILES.text) };
}
