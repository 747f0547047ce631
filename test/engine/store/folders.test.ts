import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as S from '../../../src/engine/store/index.ts';
import { count, library, open, seed, tempDir } from './helpers.ts';

describe('store/folders', () => {
  it('add is idempotent, list, remove cascades to everything below', () => {
    const s = library();
    const { folder } = seed(s);
    expect(S.addFolder(s, '/lib')).toEqual(folder);
    S.addFolder(s, '/other');
    expect(S.listFolders(s).map((f) => f.path)).toEqual(['/lib', '/other']);
    expect(S.getFolder(s, '/lib')?.id).toBe(folder.id);
    expect(S.removeFolder(s, '/lib')).toBe(true);
    expect(S.removeFolder(s, '/lib')).toBe(false);
    for (const t of ['files', 'items', 'embeddings', 'codes', 'item_tags']) expect(count(s, t)).toBe(0);
    expect(count(s, 'heads')).toBe(1);
  });

  it('a new folder is ok, not removed, stamped with the store clock', () => {
    const s = open(join(tempDir(), 'glint.db'), { now: () => 77 });
    expect(S.addFolder(s, '/p')).toEqual({
      id: expect.any(Number),
      path: '/p',
      addedAt: 77,
      state: 'ok',
      stateReason: null,
      stateSince: null,
      removedAt: null,
    });
    expect(S.getFolder(s, '/q')).toBeUndefined();
  });

  it('records offline with its reason and since when, keeping the first time; ok clears it', () => {
    const now = { t: 1_000 };
    const s = open(join(tempDir(), 'glint.db'), { now: () => now.t });
    const folder = S.addFolder(s, '/photos');
    S.setFolderState(s, folder.id, 'offline', 'the drive is unplugged');
    now.t = 2_000;
    S.setFolderState(s, folder.id, 'offline', 'still unplugged');
    expect(S.getFolder(s, '/photos')).toMatchObject({
      state: 'offline',
      stateReason: 'still unplugged',
      stateSince: 1_000,
    });
    // A change of state (offline → unreadable) restarts the clock.
    now.t = 3_000;
    S.setFolderState(s, folder.id, 'unreadable', 'permission denied');
    expect(S.getFolder(s, '/photos')).toMatchObject({ state: 'unreadable', stateSince: 3_000 });
    S.setFolderState(s, folder.id, 'ok', null);
    expect(S.getFolder(s, '/photos')).toMatchObject({
      state: 'ok',
      stateReason: null,
      stateSince: null,
    });
  });

  it('hides a removed folder, restores it, and lists the removed ones whose undo time is over', () => {
    const now = { t: 1_000 };
    const s = open(join(tempDir(), 'glint.db'), { now: () => now.t });
    const a = S.addFolder(s, '/a');
    const b = S.addFolder(s, '/b');
    expect(S.markFolderRemoved(s, a.id)).toBe(true);
    expect(S.markFolderRemoved(s, a.id)).toBe(false); // already removed: keeps the first time
    now.t = 2_000;
    expect(S.markFolderRemoved(s, b.id)).toBe(true);
    expect(S.listFolders(s)).toEqual([]);
    expect(S.getFolder(s, '/a')?.removedAt).toBe(1_000);
    expect(S.listRemovedFolders(s, 1_999).map((f) => f.path)).toEqual(['/a']);
    expect(S.listRemovedFolders(s).map((f) => f.path)).toEqual(['/a', '/b']);
    expect(S.restoreFolder(s, a.id)).toBe(true);
    expect(S.restoreFolder(s, a.id)).toBe(false);
    expect(S.listFolders(s).map((f) => f.path)).toEqual(['/a']);
    // Adding a removed folder again also restores it, keeping its id and added time.
    expect(S.addFolder(s, '/b')).toMatchObject({ id: b.id, addedAt: 1_000, removedAt: null });
    expect(S.markFolderRemoved(s, 999)).toBe(false);
  });
});
