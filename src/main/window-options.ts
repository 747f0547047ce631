import type { BrowserWindowConstructorOptions, Rectangle, WebContents } from 'electron';

/** The secure defaults every Glint window is created with (at `bounds` when a saved state is known). */
export function secureWindowOptions(
  preloadPath: string,
  bounds?: Partial<Rectangle>,
): BrowserWindowConstructorOptions {
  return {
    width: 1200,
    height: 800,
    minWidth: 640,
    minHeight: 420,
    ...bounds,
    show: false,
    title: 'Glint',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

/** Denies new windows, navigation away from the app and webviews (the UI never needs any of them). */
export function hardenWebContents(contents: WebContents): void {
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
