import type { App, BrowserWindow } from 'electron';

/**
 * Takes the single-instance lock: false when another Glint already runs (this one should quit); a
 * second launch focuses the existing window instead.
 */
export function requestSingleInstance(
  app: Pick<App, 'requestSingleInstanceLock' | 'on'>,
  window: () => BrowserWindow | null,
): boolean {
  if (!app.requestSingleInstanceLock()) return false;
  app.on('second-instance', () => {
    const win = window();
    if (!win) return;
    if (win.isMinimized()) win.restore();
    win.show();
    win.focus();
  });
  return true;
}
