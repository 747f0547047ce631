import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultAppDataDir } from '../../../src/engine/library-paths.ts';
import {
  DEFAULT_MODEL_SET,
  defaultModelFolder,
  modelSetDir,
  resolveModelsDir,
} from '../../../src/engine/models/paths.ts';

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('resolveModelsDir', () => {
  it('prefers an explicit folder, then $GLINT_MODELS_DIR, then the app-data folder', () => {
    expect(resolveModelsDir({ dir: '/x/models', env: { GLINT_MODELS_DIR: '/y' } })).toBe('/x/models');
    expect(resolveModelsDir({ env: { GLINT_MODELS_DIR: '/y/m' } })).toBe('/y/m');
    const fallback = resolveModelsDir({ env: {} });
    expect(fallback).toMatch(/Glint[\\/](Data[\\/])?models$/);
    expect(fallback).toBe(join(defaultAppDataDir(), 'models'));
  });

  it('treats empty values as unset and makes relative folders absolute', () => {
    expect(resolveModelsDir({ dir: '', env: { GLINT_MODELS_DIR: '' } })).toBe(
      join(defaultAppDataDir(), 'models'),
    );
    expect(resolveModelsDir({ dir: 'rel/models' })).toBe(resolve('rel/models'));
    expect(resolveModelsDir({ env: { GLINT_MODELS_DIR: 'env-rel' } })).toBe(resolve('env-rel'));
  });

  it('reads process.env when no environment is given', () => {
    vi.stubEnv('GLINT_MODELS_DIR', '/from/process/env');
    expect(resolveModelsDir()).toBe('/from/process/env');
  });
});

describe('model set folders', () => {
  it('puts each set in a subfolder named by its id; the default is CLIP ViT-B/32', () => {
    expect(modelSetDir('/models', 'clip-x')).toBe(join('/models', 'clip-x'));
    expect(DEFAULT_MODEL_SET).toBe('clip-vit-base-patch32');
    vi.stubEnv('GLINT_MODELS_DIR', '/m');
    expect(defaultModelFolder()).toBe(join('/m', 'clip-vit-base-patch32'));
  });
});
