/**
 * IPC: one `ipcMain.handle` per API method. A call is answered only when it comes from the main frame
 * of our own window showing our own page; the payload goes on as `unknown` to the engine host, which
 * validates it.
 */
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import { METHODS, channelOf, type ApiResult } from '../contract/api.ts';

/** Where the app's page may come from: its file URL, or the dev server's origin. */
export interface TrustedPage {
  /** The window whose page may call (null before it exists). */
  window: () => BrowserWindow | null;
  /** True when `url` is the app's own page. */
  isAppUrl: (url: string) => boolean;
}

/** The answer to a call from anywhere else. */
export const FOREIGN_SENDER: ApiResult<never> = {
  ok: false,
  error: { code: 'forbidden', message: 'This request did not come from the Glint window.' },
};

/** Whether an IPC event comes from the main frame of our window, showing our page. */
export function isTrustedSender(
  event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
  page: TrustedPage,
): boolean {
  const win = page.window();
  const frame = event.senderFrame;
  if (!win || win.isDestroyed() || !frame) return false;
  if (event.sender !== win.webContents || frame !== win.webContents.mainFrame) return false;
  return page.isAppUrl(frame.url);
}

/** A matcher for the app's page: the built index.html file URL, or any page of the dev server's origin. */
export function appUrlMatcher(indexFileUrl: string, devServerUrl?: string): (url: string) => boolean {
  const dev = devServerUrl ? new URL(devServerUrl).origin : null;
  const index = new URL(indexFileUrl).href;
  return (url) => {
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      return false;
    }
    if (dev) return u.origin === dev;
    // NOTE: file: URLs have an opaque origin, so the page is compared by its full URL without query or hash.
    u.hash = '';
    u.search = '';
    return u.protocol === 'file:' && u.href === index;
  };
}

/** The invoke handler of one method: trusted senders only, payload passed on unvalidated to the host. */
export function ipcHandler(
  method: string,
  page: TrustedPage,
  call: (method: string, payload: unknown) => Promise<ApiResult<unknown>>,
): (event: IpcMainInvokeEvent, payload: unknown) => Promise<ApiResult<unknown>> {
  return async (event, payload) => (isTrustedSender(event, page) ? call(method, payload) : FOREIGN_SENDER);
}

/** Registers a handler for every method of the contract. */
export function registerIpc(
  ipcMain: Pick<IpcMain, 'handle'>,
  page: TrustedPage,
  call: (method: string, payload: unknown) => Promise<ApiResult<unknown>>,
): void {
  for (const method of METHODS) ipcMain.handle(channelOf(method), ipcHandler(method, page, call));
}
