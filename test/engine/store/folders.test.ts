import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as S from '../../../src/engine/store/index.ts';
import { purgeRemovedFolders, removalPreview } from '../../../src/engine/store/folder-removal.ts';
import { open, tempDir } from './helpers.ts';

/** A library with one folder holding a tagged photo and a note. */
function seeded(now: { t: number }) {
  const s = open(join(tempDir(), 'glint.db'), { now: () => now.t });
  const folder = S.addFolder(s, '/photos');
  const photoFile = S.upsertFile(s, {
    path: '/photos/a.jpg',
    kind: 'photo',
    hash: 'h-a',
    folderId: folder.id,
  });
  const noteFile = S.upsertFile(s, { path: '/photos/n.txt', kind: 'note', hash: 'h-n', folderId: folder.id });
  const [photo] = S.replaceFileItems(s, photoFile, [{ kind: 'photo', modality: 'image' }]);
  S.replaceFileItems(s, noteFile, [{ kind: 'note_chunk', modality: 'text', text: 'hi', charStart: 0 }]);
  S.addItemTag(s, photo as number, 'Max', 'user');
  S.addItemTag(s, photo as number, 'Dog', 'user');
  S.addItemTag(s, photo as number, 'beach', 'xmp');
  return { s, folder, photo: photo as number };
}

describe('folders: state, removal with undo, purge', () => {
  it('records offline with its reason and since when, keeping the first time; ok clears it', () => {
    const now = { t: 1_000 };
    const { s, folder } = seeded(now);
    S.setFolderState(s, folder.id, 'offline', 'the drive is unplugged');
    now.t = 2_000;
    S.setFolderState(s, folder.id, 'offline', 'still unplugged');
    expect(S.getFolder(s, '/photos')).toMatchObject({
      state: 'offline',
      stateReason: 'still unplugged',
      stateSince: 1_000,
    });
    S.setFolderState(s, folder.id, 'ok', null);
    expect(S.getFolder(s, '/photos')).toMatchObject({
      state: 'ok',
      stateReason: null,
      stateSince: null,
    });
  });

  it('says what a removal takes, hides a removed folder, restores it, and purges it keeping user tags', () => {
    const now = { t: 1_000 };
    const { s, folder } = seeded(now);
    expect(removalPreview(s, folder.id)).toEqual({ files: 2, photos: 1, notes: 1, userTags: 2 });
    expect(S.markFolderRemoved(s, folder.id)).toBe(true);
    expect(S.listFolders(s)).toEqual([]);
    expect(S.restoreFolder(s, folder.id)).toBe(true);
    expect(S.listFolders(s).map((f) => f.path)).toEqual(['/photos']);
    // Adding a removed folder again also restores it.
    S.markFolderRemoved(s, folder.id);
    expect(S.addFolder(s, '/photos')).toMatchObject({ id: folder.id, removedAt: null });

    S.markFolderRemoved(s, folder.id);
    expect(purgeRemovedFolders(s, 999)).toBe(0);
    expect(purgeRemovedFolders(s, 1_000)).toBe(1);
    expect(S.getFolder(s, '/photos')).toBeUndefined();
    expect(s.db.prepare('SELECT count(*) FROM items').pluck().get()).toBe(0);
    expect(S.keptTagCounts(s)).toEqual({ tags: 2, photos: 1, oldest: 1_000 });
    expect(S.takeKeptTags(s, 'h-a').sort()).toEqual(['Dog', 'Max']);
    expect(S.takeKeptTags(s, 'h-a')).toEqual([]);
  });

  it('forgets kept tags after the retention period only', () => {
    const now = { t: 0 };
    const { s } = seeded(now);
    S.keepUserTags(s, [S.getFileByPath(s, '/photos/a.jpg')!.id]);
    now.t = 179 * 86_400_000;
    expect(S.pruneKeptTags(s, 180)).toBe(0);
    now.t = 181 * 86_400_000;
    expect(S.pruneKeptTags(s, 180)).toBe(2);
  });
});

describe('heads are stored relative to the library folder', () => {
  it('hands out absolute folders under the library, wherever the library now is', () => {
    const dir = tempDir();
    const s = open(join(dir, 'glint.db'));
    S.putHead(s, { id: 'h', kind: 'default', bits: 64, modelId: 'm', dir: join(dir, 'heads', 'h') });
    expect(s.db.prepare("SELECT dir FROM heads WHERE id = 'h'").pluck().get()).toBe(join('heads', 'h'));
    expect(S.getHead(s, 'h')?.dir).toBe(join(dir, 'heads', 'h'));
  });
});

describe('job queue: batched removals and pruning', () => {
  it('claims removals by age in batches, requeues a changing file, and prunes finished rows', () => {
    const now = { t: 100 };
    const s = open(join(tempDir(), 'glint.db'), { now: () => now.t });
    for (let i = 0; i < 5; i++) S.enqueueJob(s, 'remove', `/old/${i}`);
    now.t = 200;
    S.enqueueJob(s, 'remove', '/new/0');
    expect(S.oldestQueuedRemoval(s)).toBe(100);
    const first = S.claimRemovals(s, 150, 3);
    expect(first.map((j) => j.path)).toEqual(['/old/0', '/old/1', '/old/2']);
    expect(S.claimRemovals(s, 150, 10).map((j) => j.path)).toEqual(['/old/3', '/old/4']);
    for (const j of first) S.completeJob(s, j.id);

    const ingest = S.enqueueJob(s, 'ingest', '/a.jpg');
    const claimed = S.claimNextJob(s, 'ingest')!;
    expect(claimed.id).toBe(ingest.id);
    expect(S.requeueJob(s, claimed.id)).toBe(true);
    expect(S.claimNextJob(s, 'ingest')).toMatchObject({ id: ingest.id, attempts: 2 });
    expect(S.pruneFinishedJobs(s)).toBe(3);
    expect(S.clearQueuedJobs(s)).toBe(1);
    expect(S.jobCounts(s)).toEqual({ queued: 0, running: 3, done: 0, failed: 0 });
  });
});
