import { join, resolve } from 'node:path';
import { defaultAppDataDir } from '../library-paths.ts';

/** Where `resolveModelsDir` looks, in order. */
export interface ModelsDirOptions {
  /** An explicit folder (a --models flag or a setting): used as is. */
  dir?: string;
  /** Environment to read GLINT_MODELS_DIR from (default: process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The models root folder: `dir` if given, else $GLINT_MODELS_DIR, else `models` under the OS
 * app-data folder (`~/.local/share/Glint/models` on Linux, `~/Library/Application Support/Glint/models`
 * on macOS, `%LOCALAPPDATA%\Glint\Data\models` on Windows). Each model set lives in a subfolder
 * named by its id (`modelSetDir`).
 */
export function resolveModelsDir(options: ModelsDirOptions = {}): string {
  if (options.dir !== undefined && options.dir !== '') return resolve(options.dir);
  const fromEnv = (options.env ?? process.env).GLINT_MODELS_DIR;
  if (fromEnv !== undefined && fromEnv !== '') return resolve(fromEnv);
  return join(defaultAppDataDir(), 'models');
}

/** The folder of model set `setId` under the models root: the folder the CLIP encoders load from. */
export function modelSetDir(root: string, setId: string): string {
  return join(root, setId);
}

/** The model set `glint models pull` downloads and the engine loads by default. */
export const DEFAULT_MODEL_SET = 'clip-vit-base-patch32';

/** The default CLIP model folder: `<models root>/clip-vit-base-patch32` (see `resolveModelsDir`). */
export function defaultModelFolder(): string {
  return modelSetDir(resolveModelsDir(), DEFAULT_MODEL_SET);
}
