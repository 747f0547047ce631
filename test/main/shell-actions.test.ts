/** Reveal, open and the folder dialog through Electron's shell and dialog (stand-ins record the calls). */
import { describe, expect, it } from 'vitest';
import { electronShellActions } from '../../src/main/shell-actions.ts';
import { BrowserWindow } from './electron-mock.ts';

function fakes(openError = '', dialogResult = { canceled: false, filePaths: ['/photos/2024'] }) {
  const calls: unknown[][] = [];
  const shell = {
    showItemInFolder: (path: string) => void calls.push(['showItemInFolder', path]),
    openPath: async (path: string) => {
      calls.push(['openPath', path]);
      return openError;
    },
  };
  const dialog = {
    showOpenDialog: async (...args: unknown[]) => {
      calls.push(['showOpenDialog', ...args]);
      return dialogResult;
    },
  };
  return { calls, shell: shell as never, dialog: dialog as never };
}

const options = { title: 'Add a folder to Glint', properties: ['openDirectory'] };

describe('electronShellActions', () => {
  it('reveals a file in the file manager and opens it with its default app', async () => {
    const { calls, shell, dialog } = fakes();
    const actions = electronShellActions(shell, dialog, () => null);
    await actions.reveal('/photos/a.jpg');
    await actions.open('/photos/a.jpg');
    expect(calls).toEqual([
      ['showItemInFolder', '/photos/a.jpg'],
      ['openPath', '/photos/a.jpg'],
    ]);
  });

  it('turns the error string openPath answers into a rejection with that message', async () => {
    const { shell, dialog } = fakes('No application is associated with this file.');
    await expect(electronShellActions(shell, dialog, () => null).open('/x.xyz')).rejects.toThrow(
      'No application is associated with this file.',
    );
  });

  it('asks for a folder, attached to the window when there is one', async () => {
    const win = new BrowserWindow();
    const { calls, shell, dialog } = fakes();
    expect(await electronShellActions(shell, dialog, () => win as never).pick()).toBe('/photos/2024');
    expect(await electronShellActions(shell, dialog, () => null).pick()).toBe('/photos/2024');
    expect(calls).toEqual([
      ['showOpenDialog', win, options],
      ['showOpenDialog', options],
    ]);
  });

  it('answers null when the user cancels or picks nothing', async () => {
    const cancelled = fakes('', { canceled: true, filePaths: ['/ignored'] });
    expect(await electronShellActions(cancelled.shell, cancelled.dialog, () => null).pick()).toBeNull();
    const empty = fakes('', { canceled: false, filePaths: [] });
    expect(await electronShellActions(empty.shell, empty.dialog, () => null).pick()).toBeNull();
  });
});
