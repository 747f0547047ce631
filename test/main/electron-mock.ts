/**
 * The one stand-in for the `electron` module in tests (`vi.mock('electron', () => import('./electron-mock.ts'))`):
 * records what main and preload register, and fakes windows, web contents and frames.
 */
import { EventEmitter } from 'node:events';

/** Handlers registered with ipcMain.handle, by channel. */
export const handled = new Map<string, (...args: unknown[]) => unknown>();
/** What preload exposed with contextBridge, by key. */
export const exposed = new Map<string, unknown>();

export const ipcMain = {
  handle: (channel: string, fn: (...args: unknown[]) => unknown) => void handled.set(channel, fn),
};

const rendererBus = new EventEmitter();
export const ipcRenderer = {
  invoke: async (channel: string, payload: unknown) => ({ channel, payload }),
  on: (channel: string, fn: (...args: unknown[]) => void) => void rendererBus.on(channel, fn),
  removeListener: (channel: string, fn: (...args: unknown[]) => void) =>
    void rendererBus.removeListener(channel, fn),
  /** Test helper: main sends on a channel. */
  emit: (channel: string, payload: unknown) => rendererBus.emit(channel, {}, payload),
  listenerCount: (channel: string) => rendererBus.listenerCount(channel),
};

export const contextBridge = {
  exposeInMainWorld: (key: string, api: unknown) => void exposed.set(key, api),
};

/** A fake frame. */
export class FakeFrame {
  url: string;
  constructor(url: string) {
    this.url = url;
  }
}

/** A fake WebContents: an EventEmitter that records its window-open handler. */
export class FakeWebContents extends EventEmitter {
  mainFrame: FakeFrame;
  openHandler: ((details: { url: string }) => { action: string }) | undefined;
  constructor(url: string) {
    super();
    this.mainFrame = new FakeFrame(url);
  }
  setWindowOpenHandler(fn: (details: { url: string }) => { action: string }): void {
    this.openHandler = fn;
  }
}

/** A fake BrowserWindow. */
export class BrowserWindow {
  webContents: FakeWebContents;
  destroyed = false;
  focused = 0;
  minimized = true;
  constructor(url = 'file:///app/out/renderer/index.html') {
    this.webContents = new FakeWebContents(url);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  restore(): void {
    this.minimized = false;
  }
  show(): void {}
  focus(): void {
    this.focused++;
  }
}

export const app = {};
export const shell = {};
export const dialog = {};
export const protocol = {};
export const session = {};
export const net = {};
export const screen = {};
export const utilityProcess = {};
export default {
  ipcMain,
  ipcRenderer,
  contextBridge,
  BrowserWindow,
  app,
  shell,
  dialog,
  protocol,
  session,
  net,
  screen,
  utilityProcess,
};
