/** The preload bridge: exactly the typed GlintApi as `window.glint`, over one IPC channel per method. */
import { describe, expect, it, vi } from 'vitest';
import { EVENT_CHANNEL, METHODS, channelOf, type GlintApi, type GlintEvent } from '../../src/contract/api.ts';
import { exposed, ipcRenderer } from '../main/electron-mock.ts';

vi.mock('electron', () => import('../main/electron-mock.ts'));

describe('preload bridge', () => {
  it('exposes exactly the GlintApi as window.glint, never ipcRenderer', async () => {
    await import('../../src/preload/index.ts');
    expect([...exposed.keys()]).toEqual(['glint']);
    const api = exposed.get('glint') as GlintApi;
    expect(Object.keys(api).sort()).toEqual([...METHODS, 'mediaUrl', 'onEvent'].sort());
    expect(Object.values(api).includes(ipcRenderer as never)).toBe(false);
    expect(await api.item({ id: 4 })).toEqual({ channel: channelOf('item'), payload: { id: 4 } });
    expect(api.mediaUrl('thumb', 12.7)).toBe('glint-media://thumb/12');
  });

  it('subscribes to events and unsubscribes', async () => {
    await import('../../src/preload/index.ts');
    const api = exposed.get('glint') as GlintApi;
    const got: GlintEvent[] = [];
    const off = api.onEvent((e) => got.push(e));
    ipcRenderer.emit(EVENT_CHANNEL, { type: 'index-idle' });
    off();
    ipcRenderer.emit(EVENT_CHANNEL, { type: 'library-changed' });
    expect(got).toEqual([{ type: 'index-idle' }]);
    expect(ipcRenderer.listenerCount(EVENT_CHANNEL)).toBe(0);
  });

  it('sends every method on its own channel with its request as the only argument', async () => {
    await import('../../src/preload/index.ts');
    const api = exposed.get('glint') as GlintApi;
    const call = api as unknown as Record<string, (req?: unknown) => Promise<unknown>>;
    for (const m of METHODS) {
      expect(await call[m]!({ probe: m }), m).toEqual({ channel: channelOf(m), payload: { probe: m } });
    }
    expect(await api.status()).toEqual({ channel: 'glint:status', payload: undefined });
  });

  it('builds media URLs from an integer id only', async () => {
    await import('../../src/preload/index.ts');
    const api = exposed.get('glint') as GlintApi;
    expect(api.mediaUrl('original', 3)).toBe('glint-media://original/3');
    expect(api.mediaUrl('thumb', -0.5)).toBe('glint-media://thumb/0');
  });

  it('hands listeners the event only, never the IpcRendererEvent (with its sender)', async () => {
    await import('../../src/preload/index.ts');
    const api = exposed.get('glint') as GlintApi;
    const args: unknown[][] = [];
    const off = api.onEvent((...a: unknown[]) => void args.push(a));
    ipcRenderer.emit(EVENT_CHANNEL, { type: 'notice', message: 'hi' });
    off();
    expect(args).toEqual([[{ type: 'notice', message: 'hi' }]]);
  });
});
