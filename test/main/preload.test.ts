import { describe, expect, it, vi } from 'vitest';
import { EVENT_CHANNEL, METHODS, channelOf, type GlintApi, type GlintEvent } from '../../src/contract/api.ts';
import { exposed, ipcRenderer } from './electron-mock.ts';

vi.mock('electron', () => import('./electron-mock.ts'));

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
});
