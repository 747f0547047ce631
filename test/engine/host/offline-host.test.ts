import { describe, expect, it } from 'vitest';
import type { GlintEvent } from '../../../src/contract/api.ts';
import { GLINT_VERSION } from '../../../src/contract/limits.ts';
import { createOfflineHost } from '../../../src/engine/host/offline-host.ts';

const missing = {
  code: 'models-missing',
  message: 'The CLIP models are missing: download them in Settings.',
};

describe('offline host (the engine could not open)', () => {
  it('says what the app is and why, and answers everything else with the opening error', async () => {
    const host = createOfflineHost(missing, {
      shell: 'electron',
      modelsDir: '/models',
      bytesToDownload: 600,
    });
    expect(await host.call('appInfo', undefined)).toEqual({
      ok: true,
      value: { name: 'Glint', version: GLINT_VERSION, platform: process.platform, shell: 'electron' },
    });
    expect(await host.call('modelsStatus', undefined)).toEqual({
      ok: true,
      value: { dir: '/models', state: 'absent', bytesToDownload: 600 },
    });
    expect(await host.call('search', { text: 'a dog', target: 'photos' })).toEqual({
      ok: false,
      error: missing,
    });
    expect(host.media('thumb', 1)).toBeNull();
  });

  it('downloads the models once at a time, with progress and the outcome as events', async () => {
    let finish: () => void = () => {};
    const into: string[] = [];
    const host = createOfflineHost(missing, {
      shell: 'browser',
      modelsDir: '/models',
      modelsPuller: async (onProgress, dir) => {
        into.push(dir);
        onProgress({ file: 'text_model.onnx', bytes: 10, total: 100, rate: 5 });
        await new Promise<void>((resolve) => (finish = resolve));
      },
    });
    const events: GlintEvent[] = [];
    host.onEvent((e) => events.push(e));
    expect(await host.call('pullModels', undefined)).toEqual({ ok: true, value: { started: true } });
    expect(await host.call('pullModels', undefined)).toMatchObject({ ok: false, error: { code: 'busy' } });
    finish();
    await new Promise((r) => setTimeout(r, 0));
    expect(events).toEqual([
      { type: 'models-progress', file: 'text_model.onnx', bytes: 10, total: 100, rate: 5 },
      { type: 'notice', message: 'The models are downloaded into /models: restart Glint to use them.' },
    ]);
    // The download fills the folder the host was opened on (the one chosen in Settings), not the default.
    expect(into).toEqual(['/models']);
  });

  it('without a puller, says how to download from a terminal', async () => {
    const host = createOfflineHost(missing, { shell: 'browser', modelsDir: '/models' });
    expect(await host.call('pullModels', undefined)).toMatchObject({
      ok: false,
      error: { code: 'not-available', message: expect.stringContaining('glint models pull') },
    });
  });
});
