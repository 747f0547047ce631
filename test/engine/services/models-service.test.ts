/**
 * The models folder and device chosen in Settings, on a real engine (tiny stand-in CLIP, real ONNX Runtime,
 * real SQLite): a folder is checked before anything changes and refused with the reason, a good one reopens the
 * encoders at once and is saved in the library for the next launch, and CUDA falls back to the CPU visibly.
 */
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent } from '../../../src/engine/engine.ts';
import { Engine } from '../../../src/engine/engine.ts';
import { cudaProviderLibrary, cudaSupport } from '../../../src/engine/onnx/runtime.ts';
import { savedModelsChoice } from '../../../src/engine/services/models-service.ts';
import { HAS_SHARED_DATA } from '../../helpers/shared-data.ts';
import { tinyModels } from '../../helpers/standin-models.ts';
import { openHostFixture, type HostFixture } from '../host/host-fixture.ts';

describe.runIf(HAS_SHARED_DATA)('ModelsService (real engine, tiny stand-in CLIP)', () => {
  let fx: HostFixture;
  let original = '';
  const library = (): string => fx.engine.paths.root;
  const search = async (): Promise<number> =>
    (await fx.engine.search.query({ terms: [{ text: 'a red bus' }], photos: 3 })).photos.length;

  beforeAll(async () => {
    fx = await openHostFixture(3);
    original = fx.engine.modelsDir;
  }, 120_000);
  afterAll(async () => {
    await fx?.cleanup();
  });

  it('refuses a folder that does not exist, or lacks files, naming the folder and what is missing', () => {
    const nowhere = join(fx.root, 'no-such-models');
    expect(() => fx.engine.models.check(nowhere)).toThrow(
      expect.objectContaining({
        code: 'models-missing',
        message: expect.stringContaining(`There is no folder ${nowhere}.`),
      }),
    );
    const partial = join(fx.root, 'partial-models');
    mkdirSync(join(partial, 'onnx'), { recursive: true });
    writeFileSync(join(partial, 'preprocessor_config.json'), '{}');
    let message = '';
    try {
      fx.engine.models.check(partial);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(partial);
    expect(message).toContain('onnx/vision_model.onnx');
    expect(message).toContain('onnx/text_model.onnx');
    expect(fx.engine.modelsDir).toBe(original);
  });

  it('refuses a folder of another model, whose embeddings this library does not have', async () => {
    const other = await tinyModels(join(fx.root, 'other-models'), 7);
    expect(() => fx.engine.models.check(other)).toThrow(
      expect.objectContaining({
        code: 'models-other',
        message: expect.stringContaining('standin-tiny-seed7'),
      }),
    );
  });

  it('a folder whose model file cannot load is refused when it is used, and nothing changes or is saved', async () => {
    const broken = join(fx.root, 'broken-models');
    cpSync(original, broken, { recursive: true });
    writeFileSync(join(broken, 'onnx', 'vision_model.onnx'), 'not an onnx model');
    await expect(fx.engine.models.use({ dir: broken, device: 'cpu' })).rejects.toMatchObject({
      code: 'models-invalid',
      message: expect.stringContaining(join(broken, 'onnx', 'vision_model.onnx')),
    });
    expect(fx.engine.models.inUse).toMatchObject({ dir: original, device: 'cpu' });
    expect(savedModelsChoice(library())).toEqual({});
    expect(await search()).toBe(3);
  });

  it('switches to a good folder at once, searches with it, and saves it for the next launch', async () => {
    const moved = join(fx.root, 'moved-models');
    cpSync(original, moved, { recursive: true });
    const inUse = await fx.engine.models.use({ dir: moved, device: 'cpu' });
    expect(inUse).toEqual({ dir: moved, device: 'cpu', runsOn: 'cpu' });
    expect(fx.engine.modelsDir).toBe(moved);
    expect(fx.engine.status().models).toBe(moved);
    expect(await search()).toBe(3);
    expect(savedModelsChoice(library())).toEqual({ dir: moved, device: 'cpu' });
    expect(Engine.savedModels(library())).toEqual({ dir: moved, device: 'cpu' });
    expect(savedModelsChoice(join(fx.root, 'no-library'))).toEqual({});
  });

  it('uses the CUDA device when asked, and where it cannot, says so and runs on the CPU', async () => {
    const events: EngineEvent[] = [];
    const off = fx.engine.on((e) => events.push(e));
    const inUse = await fx.engine.models.use({ dir: fx.engine.modelsDir, device: 'cuda' });
    off();
    expect(inUse.device).toBe('cuda');
    const support = cudaSupport();
    if (!support.compiled || !cudaProviderLibrary()?.present) {
      expect(inUse.runsOn).toBe('cpu');
      expect(inUse.fallback).toMatch(/^CUDA is not available on this computer; using the CPU \(/);
      const notices = events.filter((e) => e.type === 'notice');
      expect(notices).toEqual([{ type: 'notice', message: inUse.fallback }]);
    } else {
      expect(inUse.runsOn).toBe('cuda');
    }
    expect(await search()).toBe(3);
    expect(savedModelsChoice(library()).device).toBe('cuda');
    await fx.engine.models.use({ dir: fx.engine.modelsDir, device: 'cpu' });
    expect(fx.engine.models.inUse).toEqual({ dir: fx.engine.modelsDir, device: 'cpu', runsOn: 'cpu' });
  });
});
