/**
 * getApi: Electron's preload bridge when there is one, else `glint serve` over HTTP with the token
 * from the URL (then hidden) or this tab's storage, else a NoApiError that says what to open.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { GlintApi } from '../../../src/contract/api.ts';
import { NoApiError, getApi } from '../../../src/renderer/src/api/get-api.ts';
import { memoryStorage } from '../state/fake-api.ts';

describe('getApi', () => {
  let storage: Storage;
  let replaced: unknown[][];
  const fetched: Array<[string, RequestInit | undefined]> = [];

  function page(search: string, glint?: GlintApi): void {
    vi.stubGlobal('window', glint ? { glint } : {});
    vi.stubGlobal('location', { search, pathname: '/search', hash: '#top' });
    vi.stubGlobal('history', { replaceState: (...args: unknown[]) => void replaced.push(args) });
    vi.stubGlobal('sessionStorage', storage);
    vi.stubGlobal('EventSource', class {});
  }

  beforeEach(() => {
    storage = memoryStorage();
    replaced = [];
    fetched.length = 0;
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string, init?: RequestInit) => {
        fetched.push([url, init]);
        return new Response(JSON.stringify({ ok: true, value: null }));
      }),
    );
  });
  afterEach(() => void vi.unstubAllGlobals());

  it('uses the preload bridge in Electron', () => {
    const bridged = { mediaUrl: () => 'glint-media://thumb/1' } as unknown as GlintApi;
    page('?token=ignored', bridged);
    expect(getApi()).toBe(bridged);
    expect(replaced).toEqual([]);
  });

  it('talks HTTP to this origin with the URL’s token, and hides the token from the address bar', async () => {
    page('?token=abc');
    const api = getApi();
    expect(replaced).toEqual([[null, '', '/search#top']]);
    expect(storage.getItem('glint.token')).toBe('abc');
    expect(api.mediaUrl('thumb', 3)).toBe('/media/thumb/3?token=abc');
    await api.status();
    expect(fetched[0]?.[0]).toBe('/api/status');
    expect(fetched[0]?.[1]?.headers).toMatchObject({ authorization: 'Bearer abc' });
  });

  it('finds the token again after a reload from this tab’s storage', () => {
    storage.setItem('glint.token', 'kept');
    page('');
    expect(getApi().mediaUrl('original', 1)).toBe('/media/original/1?token=kept');
  });

  it('says which URL to open when the page has no token', () => {
    page('');
    expect(() => getApi()).toThrow(NoApiError);
    expect(() => getApi()).toThrow(
      'This page needs its access token. Open the full URL that `glint serve` printed.',
    );
  });
});
