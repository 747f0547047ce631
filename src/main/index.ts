import { join } from 'node:path';
import { app, BrowserWindow, ipcMain } from 'electron';
import { channelOf, type ApiResult, type AppInfo } from '../preload/contract.ts';
import { secureWindowOptions } from './window-options.ts';

// Wiring only: features export handlers; nothing Electron runs at import time of those modules.
function createWindow(): void {
  const win = new BrowserWindow(secureWindowOptions(join(import.meta.dirname, '../preload/index.cjs')));
  win.once('ready-to-show', () => win.show());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  const devUrl = process.env['ELECTRON_RENDERER_URL'];
  if (devUrl) void win.loadURL(devUrl);
  else void win.loadFile(join(import.meta.dirname, '../renderer/index.html'));
}

void app.whenReady().then(() => {
  ipcMain.handle(channelOf('appInfo'), (): ApiResult<AppInfo> => ({
    ok: true,
    value: { name: app.getName(), version: app.getVersion(), platform: process.platform, shell: 'electron' },
  }));
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
