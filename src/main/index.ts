import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  net,
  protocol,
  screen,
  session,
  shell,
  utilityProcess,
} from 'electron';
import { EVENT_CHANNEL } from '../contract/api.ts';
import { registerCsp } from './csp.ts';
import { startEngineProcess } from './start-engine-process.ts';
import { appUrlMatcher, registerIpc, type TrustedPage } from './ipc.ts';
import { MEDIA_SCHEME_PRIVILEGES, mediaHandler, registerMediaProtocol } from './media-protocol.ts';
import { electronShellActions } from './shell-actions.ts';
import { requestSingleInstance } from './single-instance.ts';
import { hardenWebContents, secureWindowOptions } from './window-options.ts';
import { clampToDisplays, loadWindowState, trackWindowState } from './window-state.ts';

// Wiring only: every feature lives in its own module as plain handlers plus a register function.
let win: BrowserWindow | null = null;
const window = (): BrowserWindow | null => win;
const rendererIndex = join(import.meta.dirname, '../renderer/index.html');
const devUrl = process.env['ELECTRON_RENDERER_URL'];
const page: TrustedPage = { window, isAppUrl: appUrlMatcher(pathToFileURL(rendererIndex).href, devUrl) };

if (!requestSingleInstance(app, window)) app.quit();
else {
  protocol.registerSchemesAsPrivileged([MEDIA_SCHEME_PRIVILEGES]);
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents));
  void app.whenReady().then(() => {
    registerCsp(session.defaultSession);
    const { client, child } = startEngineProcess(
      (entry, args, options) => utilityProcess.fork(entry, args, options),
      join(import.meta.dirname, 'engine-process.js'),
      electronShellActions(shell, dialog, window),
      (event) => win?.webContents.send(EVENT_CHANNEL, event),
      {
        ...process.env,
        GLINT_APP_VERSION: app.getVersion(),
        GLINT_MODEL_MANIFEST: app.isPackaged
          ? join(process.resourcesPath, 'models', 'manifest.json')
          : join(app.getAppPath(), 'resources', 'models', 'manifest.json'),
      },
    );
    registerIpc(ipcMain, page, (method, payload) => client.call(method, payload));
    registerMediaProtocol(
      protocol,
      mediaHandler(
        (kind, id) => client.media(kind, id),
        (path) => net.fetch(pathToFileURL(path).href),
      ),
    );
    createWindow();
    app.on('activate', () => win ?? createWindow());
    app.on('will-quit', () => child.kill());
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}

function createWindow(): void {
  const stateFile = join(app.getPath('userData'), 'window-state.json');
  const saved = loadWindowState(stateFile);
  const bounds = saved
    ? clampToDisplays(saved.bounds, [
        screen.getPrimaryDisplay().workArea,
        ...screen.getAllDisplays().map((d) => d.workArea),
      ])
    : undefined;
  win = new BrowserWindow(secureWindowOptions(join(import.meta.dirname, '../preload/index.cjs'), bounds));
  trackWindowState(win, stateFile);
  win.once('ready-to-show', () => {
    if (saved?.maximized) win?.maximize();
    win?.show();
  });
  win.on('closed', () => (win = null));
  if (devUrl) void win.loadURL(devUrl);
  else void win.loadFile(rendererIndex);
}
