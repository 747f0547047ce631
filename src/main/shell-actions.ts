import type { BrowserWindow, Dialog, Shell } from 'electron';
import type { ShellActions } from './engine-rpc.ts';

/** Reveal, open and the folder dialog with Electron's shell and dialog (paths come from the engine, by id). */
export function electronShellActions(
  shell: Pick<Shell, 'showItemInFolder' | 'openPath'>,
  dialog: Pick<Dialog, 'showOpenDialog'>,
  window: () => BrowserWindow | null,
): ShellActions {
  return {
    reveal: (path) => shell.showItemInFolder(path),
    async open(path) {
      const error = await shell.openPath(path);
      if (error) throw new Error(error);
    },
    async pick() {
      const win = window();
      const options = { title: 'Add a folder to Glint', properties: ['openDirectory' as const] };
      const result = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  };
}
