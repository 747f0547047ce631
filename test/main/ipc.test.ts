/**
 * IPC: one handler per contract method, answering only our window's main frame showing our page;
 * and, into a real host, malformed payloads answered as values before they reach the engine.
 */
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApiHost, type ApiHost } from '../../src/engine/host/api-host.ts';
import {
  FOREIGN_SENDER,
  appUrlMatcher,
  ipcHandler,
  isTrustedSender,
  registerIpc,
  type TrustedPage,
} from '../../src/main/ipc.ts';
import { METHODS, channelOf, type ApiResult } from '../../src/contract/api.ts';
import { HAS_SHARED_DATA } from '../helpers/shared-data.ts';
import { openHostFixture, type HostFixture } from '../engine/host/host-fixture.ts';
import { BrowserWindow, FakeFrame, handled } from './electron-mock.ts';

vi.mock('electron', () => import('./electron-mock.ts'));

const INDEX = pathToFileURL('/opt/Glint/resources/app.asar/out/renderer/index.html').href;

function trustedPage(win: BrowserWindow | null): TrustedPage {
  return { window: () => win as never, isAppUrl: appUrlMatcher(INDEX) };
}

describe('IPC sender checks', () => {
  const win = new BrowserWindow(INDEX);
  const calls: Array<[string, unknown]> = [];
  registerIpc(
    { handle: (c: string, fn: never) => void handled.set(c, fn) } as never,
    trustedPage(win),
    async (m, p) => {
      calls.push([m, p]);
      return { ok: true, value: m };
    },
  );
  const invoke = (method: string, event: unknown, payload?: unknown): Promise<ApiResult<unknown>> =>
    handled.get(channelOf(method as never))!(event, payload) as Promise<ApiResult<unknown>>;

  it('registers one handler per contract method', () => {
    for (const m of METHODS) expect(handled.has(channelOf(m)), m).toBe(true);
  });

  it('answers our window’s main frame and passes the payload on untouched', async () => {
    const payload = { text: 'x', target: 'photos', extra: 1 };
    const r = await invoke(
      'search',
      { sender: win.webContents, senderFrame: win.webContents.mainFrame },
      payload,
    );
    expect(r).toEqual({ ok: true, value: 'search' });
    expect(calls.at(-1)).toEqual(['search', payload]);
  });

  it('rejects other windows, subframes, foreign pages and missing frames before the host', async () => {
    calls.length = 0;
    const other = new BrowserWindow(INDEX);
    const evil = new BrowserWindow('https://evil.example/');
    const foreign = [
      { sender: other.webContents, senderFrame: other.webContents.mainFrame },
      { sender: win.webContents, senderFrame: new FakeFrame(INDEX) },
      { sender: win.webContents, senderFrame: null },
      { sender: evil.webContents, senderFrame: evil.webContents.mainFrame },
    ];
    for (const event of foreign) expect(await invoke('status', event)).toEqual(FOREIGN_SENDER);
    win.webContents.mainFrame.url = 'file:///tmp/other.html';
    expect(
      await invoke('status', { sender: win.webContents, senderFrame: win.webContents.mainFrame }),
    ).toEqual(FOREIGN_SENDER);
    win.webContents.mainFrame.url = INDEX;
    expect(calls).toEqual([]);
  });

  it('matches the app page: the built file, or the dev server origin', () => {
    expect(appUrlMatcher(INDEX)(`${INDEX}#/library`)).toBe(true);
    expect(appUrlMatcher(INDEX)('file:///etc/passwd')).toBe(false);
    expect(appUrlMatcher(INDEX)('not a url')).toBe(false);
    const dev = appUrlMatcher(INDEX, 'http://localhost:5173/');
    expect(dev('http://localhost:5173/index.html')).toBe(true);
    expect(dev('http://localhost:5174/')).toBe(false);
    expect(dev(INDEX)).toBe(false);
    // The built page's query and hash do not matter; another file beside it, or a remote page, does.
    expect(appUrlMatcher(INDEX)(`${INDEX}?x=1`)).toBe(true);
    expect(appUrlMatcher(INDEX)(INDEX.replace('index.html', 'other.html'))).toBe(false);
    expect(appUrlMatcher(INDEX)(INDEX.replace('file:', 'https:'))).toBe(false);
  });

  it('answers nothing before the window exists or after it was destroyed', async () => {
    const gone = new BrowserWindow(INDEX);
    const event = { sender: gone.webContents, senderFrame: gone.webContents.mainFrame } as never;
    expect(isTrustedSender(event, trustedPage(null))).toBe(false);
    expect(isTrustedSender(event, trustedPage(gone))).toBe(true);
    gone.destroyed = true;
    expect(isTrustedSender(event, trustedPage(gone))).toBe(false);
    let called = false;
    const handler = ipcHandler('status', trustedPage(gone), async () => {
      called = true;
      return { ok: true, value: null };
    });
    expect(await handler(event, undefined)).toEqual(FOREIGN_SENDER);
    expect(called).toBe(false);
  });
});

describe.skipIf(!HAS_SHARED_DATA)('IPC into a real host: malformed payloads never reach the engine', () => {
  let fx: HostFixture;
  let host: ApiHost;
  const win = new BrowserWindow(INDEX);
  const engineCalls: string[] = [];

  beforeAll(async () => {
    fx = await openHostFixture(2);
    const observed = new Proxy(fx.engine, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver) as unknown;
        if (typeof v !== 'function') return v;
        return (...args: unknown[]) => {
          engineCalls.push(String(prop));
          return (v as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    host = createApiHost(observed, { shell: 'electron' });
    registerIpc(
      { handle: (c: string, fn: never) => void handled.set(c, fn) } as never,
      trustedPage(win),
      host.call,
    );
  });
  afterAll(async () => {
    await host?.close();
    await fx?.cleanup();
  });

  it('answers ok:false for wrong types, extra keys, huge strings, negative ids and NaN', async () => {
    const event = { sender: win.webContents, senderFrame: win.webContents.mainFrame };
    const send = (m: string, p: unknown): Promise<ApiResult<unknown>> =>
      handled.get(channelOf(m as never))!(event, p) as Promise<ApiResult<unknown>>;
    engineCalls.length = 0;
    for (const [m, p] of [
      ['search', { text: ['x'], target: 'photos' }],
      ['search', { text: 'x', target: 'photos', __proto__: { polluted: true }, extra: true }],
      ['search', { text: 'x'.repeat(10_000), target: 'photos' }],
      ['item', { id: -3 }],
      ['item', { id: Number.NaN }],
      ['item', { id: Infinity }],
      ['reveal', { id: 1, path: '/etc/passwd' }],
      ['tagItems', { ids: [1, 'x'], tag: 'a' }],
      ['search', { images: [{ bytes: new Uint8Array(0), name: 'x' }] }],
      ['addFolder', 'path'],
    ] as Array<[string, unknown]>) {
      expect(await send(m, p), `${m} ${String(JSON.stringify(p))}`).toMatchObject({
        ok: false,
        error: { code: 'invalid-request' },
      });
    }
    expect(engineCalls).toEqual([]);
    expect(await send('status', undefined)).toMatchObject({ ok: true, value: { photos: 2 } });
  });
});
