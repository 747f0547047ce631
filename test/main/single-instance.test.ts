/** One Glint at a time: a second launch quits and brings the first window forward. */
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { requestSingleInstance } from '../../src/main/single-instance.ts';
import { BrowserWindow } from './electron-mock.ts';

vi.mock('electron', () => import('./electron-mock.ts'));

/** An app whose lock is `locked`, emitting 'second-instance' on demand. */
function fakeApp(gotLock: boolean) {
  const app = new EventEmitter() as EventEmitter & { requestSingleInstanceLock: () => boolean };
  app.requestSingleInstanceLock = () => gotLock;
  return app;
}

describe('requestSingleInstance', () => {
  it('tells a second launch to quit, listening for nothing', () => {
    const app = fakeApp(false);
    expect(requestSingleInstance(app as never, () => null)).toBe(false);
    expect(app.listenerCount('second-instance')).toBe(0);
  });

  it('restores, shows and focuses the first window when Glint is launched again', () => {
    const app = fakeApp(true);
    const win = new BrowserWindow();
    const show = vi.spyOn(win, 'show');
    expect(requestSingleInstance(app as never, () => win as never)).toBe(true);
    app.emit('second-instance');
    expect(win.minimized).toBe(false);
    expect(show).toHaveBeenCalledOnce();
    expect(win.focused).toBe(1);
  });

  it('does not restore a window that is not minimised, and copes with no window yet', () => {
    const app = fakeApp(true);
    const win = new BrowserWindow();
    win.minimized = false;
    const restore = vi.spyOn(win, 'restore');
    let current: BrowserWindow | null = null;
    requestSingleInstance(app as never, () => current as never);
    expect(() => app.emit('second-instance')).not.toThrow();
    current = win;
    app.emit('second-instance');
    expect(restore).not.toHaveBeenCalled();
    expect(win.focused).toBe(1);
  });
});
