import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { APP_CSP, META_CSP } from '../../src/contract/csp.ts';
import { registerCsp } from '../../src/main/csp.ts';
import { requestSingleInstance } from '../../src/main/single-instance.ts';
import { hardenWebContents, secureWindowOptions } from '../../src/main/window-options.ts';
import { clampToDisplays, loadWindowState, saveWindowState } from '../../src/main/window-state.ts';
import { BrowserWindow } from './electron-mock.ts';

vi.mock('electron', () => import('./electron-mock.ts'));

describe('window security', () => {
  it('creates windows isolated, sandboxed, without Node and with web security', () => {
    const o = secureWindowOptions('/app/preload/index.cjs', { x: 10, y: 20, width: 900, height: 700 });
    expect(o.webPreferences).toMatchObject({
      preload: '/app/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(o).toMatchObject({ x: 10, y: 20, width: 900, height: 700, show: false });
  });

  it('denies new windows, navigation, redirects and webviews', () => {
    const win = new BrowserWindow();
    const contents = win.webContents;
    hardenWebContents(contents as never);
    expect(contents.openHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const event = { preventDefault: vi.fn() };
      contents.emit(name, event, 'https://example.com');
      expect(event.preventDefault, name).toHaveBeenCalledOnce();
    }
  });

  it('sends a strict CSP header on every response and denies permission requests', () => {
    let headers: ((d: unknown, cb: (r: unknown) => void) => void) | undefined;
    let permissions: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
    registerCsp({
      webRequest: { onHeadersReceived: (fn: typeof headers) => (headers = fn) },
      setPermissionRequestHandler: (fn: typeof permissions) => (permissions = fn),
    } as never);
    let answer: unknown;
    headers!({ responseHeaders: { 'X-A': ['1'] } }, (r) => (answer = r));
    expect(answer).toEqual({ responseHeaders: { 'X-A': ['1'], 'Content-Security-Policy': [APP_CSP] } });
    expect(APP_CSP).toMatch(/default-src 'self'/);
    expect(APP_CSP).toMatch(/object-src 'none'/);
    expect(APP_CSP).not.toMatch(/unsafe-eval|https?:/);
    const granted: boolean[] = [];
    permissions!(null, 'media', (ok) => granted.push(ok));
    expect(granted).toEqual([false]);
  });
});

describe('single instance', () => {
  it('quits a second launch and focuses the first window', () => {
    expect(
      requestSingleInstance({ requestSingleInstanceLock: () => false, on: vi.fn() } as never, () => null),
    ).toBe(false);
    const app = new EventEmitter() as EventEmitter & { requestSingleInstanceLock: () => boolean };
    app.requestSingleInstanceLock = () => true;
    const win = new BrowserWindow();
    expect(requestSingleInstance(app as never, () => win as never)).toBe(true);
    app.emit('second-instance');
    expect(win.focused).toBe(1);
    expect(win.minimized).toBe(false);
  });
});

describe('window state', () => {
  const primary = { x: 0, y: 0, width: 1920, height: 1080 };
  const right = { x: 1920, y: 0, width: 1280, height: 1024 };

  it('keeps bounds that are on a display', () => {
    expect(clampToDisplays({ x: 100, y: 50, width: 1200, height: 800 }, [primary, right])).toEqual({
      x: 100,
      y: 50,
      width: 1200,
      height: 800,
    });
    expect(clampToDisplays({ x: 2000, y: 10, width: 800, height: 600 }, [primary, right]).x).toBe(2000);
  });

  it('re-centres a window whose display is gone, and shrinks one larger than its display', () => {
    expect(clampToDisplays({ x: 2000, y: 10, width: 800, height: 600 }, [primary])).toEqual({
      x: 560,
      y: 240,
      width: 800,
      height: 600,
    });
    const big = clampToDisplays({ x: -50, y: -50, width: 5000, height: 3000 }, [primary]);
    expect(big).toEqual({ x: 0, y: 0, width: 1920, height: 1080 });
  });

  it('saves and loads the state, and ignores a broken file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'glint-winstate-'));
    const file = join(dir, 'sub', 'window-state.json');
    expect(loadWindowState(file)).toBeNull();
    saveWindowState(file, { bounds: { x: 1, y: 2, width: 3, height: 4 }, maximized: true });
    expect(loadWindowState(file)).toEqual({ bounds: { x: 1, y: 2, width: 3, height: 4 }, maximized: true });
    expect(JSON.parse(readFileSync(file, 'utf8')).maximized).toBe(true);
    writeFileSync(file, '{"bounds": {"x": "a"}}');
    expect(loadWindowState(file)).toBeNull();
    writeFileSync(file, 'not json');
    expect(loadWindowState(file)).toBeNull();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('one Content-Security-Policy', () => {
  it("index.html's meta tag says what the contract's policy says", () => {
    const html = readFileSync('src/renderer/index.html', 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(META_CSP);
    expect(APP_CSP.startsWith(META_CSP.slice(0, META_CSP.indexOf('img-src')))).toBe(true);
  });
});
