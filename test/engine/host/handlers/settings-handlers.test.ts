/**
 * Settings that apply, through the real API host over a real engine (tiny stand-in CLIP, shared photos): saving
 * 16 bits switches search to a 16-bit head with re-hash progress; a models folder that does not exist is refused
 * with the reason and nothing of the patch is saved; the device is used, and CUDA's fallback is shown.
 */
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  ApiResult,
  GlintEvent,
  HeadView,
  ModelsStatus,
  SearchResponse,
  Settings,
} from '../../../../src/contract/api.ts';
import { createApiHost, type ApiHost } from '../../../../src/engine/host/api-host.ts';
import { cudaProviderLibrary, cudaSupport } from '../../../../src/engine/onnx/runtime.ts';
import { HAS_SHARED_DATA } from '../../../helpers/shared-data.ts';
import { openHostFixture, type HostFixture } from '../host-fixture.ts';

function value<T>(r: ApiResult<unknown>): T {
  if (!r.ok) throw new Error(`expected ok, got ${r.error.code}: ${r.error.message}`);
  return r.value as T;
}

describe.runIf(HAS_SHARED_DATA)('settings handlers (real host, real engine)', () => {
  let fx: HostFixture;
  let host: ApiHost;
  const events: GlintEvent[] = [];
  beforeAll(async () => {
    fx = await openHostFixture(4);
    host = createApiHost(fx.engine, { shell: 'browser' });
    host.onEvent((e) => events.push(e));
  }, 120_000);
  afterAll(async () => {
    await host?.close();
    await fx?.cleanup();
  });

  const notices = (): string[] => events.flatMap((e) => (e.type === 'notice' ? [e.message] : []));

  it('saving 16 bits re-hashes the library with progress, and the heads and search then use 16 bits', async () => {
    const before = value<Settings>(await host.handlers.getSettings());
    expect(before.bits).toBe(64);
    events.length = 0;
    const saved = value<Settings>(await host.handlers.setSettings({ ...before, bits: 16 }));
    expect(saved).toEqual({ ...before, bits: 16 });
    const progress = events.filter((e) => e.type === 'rehash-progress');
    expect(progress.length).toBeGreaterThan(0);
    const last = progress.at(-1)!;
    expect(last).toMatchObject({ bits: 16 });
    expect(last.done).toBe(last.total);
    expect(last.total).toBeGreaterThanOrEqual(4);
    expect(notices()).toEqual([
      'Search now uses 16-bit codes (a new untrained head; retrain to teach it your tags).',
    ]);

    const heads = value<HeadView[]>(await host.handlers.listHeads());
    expect(heads.filter((h) => h.active)).toMatchObject([{ kind: 'default', bits: 16 }]);
    expect(heads.some((h) => h.bits === 64)).toBe(true);
    expect(value<Settings>(await host.handlers.getSettings()).bits).toBe(16);
    const found = value<SearchResponse>(await host.handlers.search({ text: 'a dog', limit: 4 }));
    expect(found.bits).toBe(16);
    expect(found.photos.length).toBeGreaterThan(0);
    expect(found.photos.every((p) => p.distance <= 16)).toBe(true);
  });

  it('refuses a models folder that does not exist with the reason, and saves nothing of the patch', async () => {
    const before = value<Settings>(await host.handlers.getSettings());
    const nowhere = join(fx.root, 'not-there');
    events.length = 0;
    const refused = await host.handlers.setSettings({ modelsDir: nowhere, bits: 32, theme: 'dark' });
    expect(refused).toEqual({
      ok: false,
      error: { code: 'models-missing', message: expect.stringContaining(`There is no folder ${nowhere}.`) },
    });
    expect(value<Settings>(await host.handlers.getSettings())).toEqual(before);
    expect(fx.engine.heads.active.bits).toBe(16);
    expect(events).toEqual([]);
  });

  it('uses a good models folder at once and says it is the one in use, with no restart', async () => {
    const moved = join(fx.root, 'moved-models');
    cpSync(fx.engine.modelsDir, moved, { recursive: true });
    events.length = 0;
    const saved = value<Settings>(await host.handlers.setSettings({ modelsDir: moved }));
    expect(saved.modelsDir).toBe(moved);
    expect(value<ModelsStatus>(await host.handlers.modelsStatus())).toMatchObject({
      dir: moved,
      runsOn: 'cpu',
    });
    expect(notices().filter((m) => /restart/i.test(m))).toEqual([]);
    expect(
      value<SearchResponse>(await host.handlers.search({ text: 'a cat', limit: 2 })).photos,
    ).toHaveLength(2);
  });

  it('uses the chosen device; without CUDA the Settings card and a notice say the CPU is used', async () => {
    events.length = 0;
    const saved = value<Settings>(await host.handlers.setSettings({ device: 'cuda' }));
    expect(saved.device).toBe('cuda');
    const status = value<ModelsStatus>(await host.handlers.modelsStatus());
    if (!cudaSupport().compiled || !cudaProviderLibrary()?.present) {
      expect(status.runsOn).toBe('cpu');
      expect(status.deviceNotice).toMatch(/^CUDA is not available on this computer; using the CPU/);
      expect(notices()).toEqual([status.deviceNotice]);
    } else expect(status.runsOn).toBe('cuda');
    value(await host.handlers.setSettings({ device: 'cpu' }));
    expect(value<ModelsStatus>(await host.handlers.modelsStatus()).deviceNotice).toBeUndefined();
  });
});
