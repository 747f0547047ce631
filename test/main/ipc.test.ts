import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApiHost, type ApiHost } from '../../src/engine/host/api-host.ts';
import {
  createEngineClient,
  createEngineServer,
  type FromEngine,
  type ToEngine,
} from '../../src/main/engine-rpc.ts';
import { FOREIGN_SENDER, appUrlMatcher, registerIpc, type TrustedPage } from '../../src/main/ipc.ts';
import { mediaHandler, parseMediaUrl } from '../../src/main/media-protocol.ts';
import { METHODS, channelOf, type ApiResult, type GlintEvent } from '../../src/contract/api.ts';
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
  });
});

describe('glint-media protocol', () => {
  const dir = mkdtempSync(join(tmpdir(), 'glint-media-'));
  const file = join(dir, 'a.webp');
  writeFileSync(file, Buffer.from('RIFF0000WEBP'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const asked: Array<[string, number]> = [];
  const handler = mediaHandler(
    async (kind, id) => {
      asked.push([kind, id]);
      return id === 7 ? { path: file, contentType: 'image/webp' } : null;
    },
    async (path) => new Response(await readFile(path)),
  );

  it('serves a known id with its content type', async () => {
    const res = await handler(new Request('glint-media://thumb/7'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/webp');
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe('RIFF0000WEBP');
  });

  it('refuses unknown ids, traversal, encoded traversal and non-numeric ids', async () => {
    expect((await handler(new Request('glint-media://thumb/8'))).status).toBe(404);
    asked.length = 0;
    for (const url of [
      'glint-media://thumb/../../etc/passwd',
      'glint-media://thumb/..%2F..%2Fetc%2Fpasswd',
      'glint-media://thumb/%2e%2e',
      'glint-media://thumb/7.0',
      'glint-media://thumb/07',
      'glint-media://thumb/-7',
      'glint-media://thumb/abc',
      'glint-media://thumb/7?x=1',
      'glint-media://file/7',
      'glint-media:///etc/passwd',
    ]) {
      expect(parseMediaUrl(url), url).toBeNull();
      expect((await handler(new Request(url))).status, url).toBe(404);
    }
    expect(asked).toEqual([]);
    // A dot segment is refused in the raw URL (Chromium would normalise it to the plain id before the handler).
    expect(parseMediaUrl('glint-media://original/7/../7')).toBeNull();
    expect(parseMediaUrl('glint-media://original/12')).toEqual({ kind: 'original', id: 12 });
  });
});

describe('engine process RPC', () => {
  it('carries calls, media, events and shell requests between main and the engine process', async () => {
    const toEngine: ToEngine[] = [];
    const events: GlintEvent[] = [];
    const picked: string[] = [];
    const server = createEngineServer((m: FromEngine) => queueMicrotask(() => client.receive(m)));
    const client = createEngineClient(
      (m) => queueMicrotask(() => server.serve(fakeHost, m)),
      {
        reveal: (p) => void picked.push(`reveal:${p}`),
        open: async (p) => void picked.push(`open:${p}`),
        pick: async () => '/chosen',
      },
      (e) => events.push(e),
    );
    const fakeHost = {
      call: async (method: string, payload: unknown): Promise<ApiResult<unknown>> => {
        toEngine.push({ type: 'call', id: 0, method, payload });
        if (method === 'pickFolder') return { ok: true, value: { path: await server.shell.pick() } };
        if (method === 'boom') throw new Error('bug');
        return { ok: true, value: payload };
      },
      media: (kind: string, id: unknown) =>
        id === 3 ? { path: `/lib/${kind}`, contentType: 'image/webp' } : null,
    };
    expect(await client.call('search', { text: 'x' })).toEqual({ ok: true, value: { text: 'x' } });
    expect(await client.call('pickFolder', undefined)).toEqual({ ok: true, value: { path: '/chosen' } });
    await server.shell.reveal('/p.jpg');
    expect(picked).toEqual(['reveal:/p.jpg']);
    expect(await client.media('thumb', 3)).toEqual({ path: '/lib/thumb', contentType: 'image/webp' });
    expect(await client.media('thumb', 4)).toBeNull();
    await expect(client.call('boom', null)).rejects.toThrow('bug');
    client.receive({ type: 'event', event: { type: 'index-idle' } });
    expect(events).toEqual([{ type: 'index-idle' }]);
    const hanging = createEngineClient(
      () => {},
      { reveal: () => {}, open: async () => {}, pick: async () => null },
      () => {},
    );
    const pending = hanging.call('status', undefined);
    hanging.fail('The Glint engine stopped');
    await expect(pending).rejects.toThrow('stopped');
    await expect(hanging.call('status', undefined)).rejects.toThrow('stopped');
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
