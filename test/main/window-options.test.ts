/** Every Glint window: isolated, sandboxed, no Node, web security on; no new windows, navigation or webviews. */
import { describe, expect, it, vi } from 'vitest';
import { hardenWebContents, secureWindowOptions } from '../../src/main/window-options.ts';
import { BrowserWindow } from './electron-mock.ts';

vi.mock('electron', () => import('./electron-mock.ts'));

describe('secureWindowOptions', () => {
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
    expect(o).toMatchObject({ x: 10, y: 20, width: 900, height: 700, show: false, title: 'Glint' });
  });

  it('has a usable default size, a minimum, and stays hidden until its page is ready', () => {
    const o = secureWindowOptions('/p.cjs');
    expect(o).toMatchObject({ width: 1200, height: 800, minWidth: 640, minHeight: 420, show: false });
    expect(o).not.toHaveProperty('x');
  });

  it('lets saved bounds set only the geometry, never the security options or visibility', () => {
    const hostile = { width: 800, show: true, webPreferences: { nodeIntegration: true } } as never;
    const o = secureWindowOptions('/p.cjs', hostile);
    expect(o.show).toBe(false);
    expect(o.webPreferences).toMatchObject({ nodeIntegration: false, contextIsolation: true, sandbox: true });
    expect(o.width).toBe(800);
  });
});

describe('hardenWebContents', () => {
  it('denies new windows, navigation, redirects and webviews', () => {
    const win = new BrowserWindow();
    const contents = win.webContents;
    hardenWebContents(contents as never);
    for (const url of ['https://example.com', 'file:///etc/passwd', 'glint-media://thumb/1'])
      expect(contents.openHandler?.({ url }), url).toEqual({ action: 'deny' });
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const event = { preventDefault: vi.fn() };
      contents.emit(name, event, 'https://example.com');
      expect(event.preventDefault, name).toHaveBeenCalledOnce();
    }
  });
});
