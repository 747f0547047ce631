import { describe, expect, it } from 'vitest';
import * as S from '../../../src/engine/store/index.ts';
import { library, seed } from './helpers.ts';

describe('store/status', () => {
  it('counts items by kind, files, errors, jobs and embeddings per model', () => {
    const s = library();
    seed(s);
    S.recordError(s, { path: '/x', stage: 'read', message: 'm' });
    S.enqueueJob(s, 'ingest', '/q1');
    S.enqueueJob(s, 'ingest', '/q2');
    S.claimNextJob(s);
    expect(S.statusCounts(s)).toEqual({
      folders: 1,
      files: 2,
      photos: 1,
      noteChunks: 2,
      captions: 1,
      errors: 1,
      queuedJobs: 1,
      runningJobs: 1,
      failedJobs: 0,
      embeddings: { clip: 4 },
    });
  });

  it('is all zeros for an empty library', () => {
    expect(S.statusCounts(library())).toEqual({
      folders: 0,
      files: 0,
      photos: 0,
      noteChunks: 0,
      captions: 0,
      errors: 0,
      queuedJobs: 0,
      runningJobs: 0,
      failedJobs: 0,
      embeddings: {},
    });
  });

  it('leaves a removed folder and its items out but counts files outside any folder; counts failed jobs', () => {
    const s = library();
    const { folder } = seed(s);
    const loose = S.upsertFile(s, { path: '/loose.jpg', kind: 'photo' });
    S.replaceFileItems(s, loose, [{ kind: 'photo', modality: 'image' }]);
    const job = S.enqueueJob(s, 'ingest', '/bad');
    S.claimNextJob(s);
    S.failJob(s, job.id, 'broken');
    S.markFolderRemoved(s, folder.id);
    expect(S.statusCounts(s)).toMatchObject({
      folders: 0,
      files: 1,
      photos: 1,
      noteChunks: 0,
      captions: 0,
      failedJobs: 1,
      queuedJobs: 0,
    });
  });
});
