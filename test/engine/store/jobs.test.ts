import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as S from '../../../src/engine/store/index.ts';
import { open, tempDir, ticking } from './helpers.ts';

const WORKER = fileURLToPath(new URL('./fixtures/queue-worker.ts', import.meta.url));

describe('job queue', () => {
  it('dedups queued jobs, claims FIFO, completes and fails only running jobs', () => {
    const s = open(join(tempDir(), 'library.db'), { now: ticking() });
    const a = S.enqueueJob(s, 'ingest', '/a');
    expect(a.created).toBe(true);
    expect(S.enqueueJob(s, 'ingest', '/a')).toEqual({ id: a.id, created: false });
    const b = S.enqueueJob(s, 'remove', '/a'); // another kind is another job
    const c = S.enqueueJob(s, 'ingest', '/c');
    expect(b.created && c.created).toBe(true);
    expect(S.jobCounts(s)).toEqual({ queued: 3, running: 0, done: 0, failed: 0 });

    const j1 = S.claimNextJob(s);
    expect(j1).toMatchObject({ id: a.id, kind: 'ingest', path: '/a', state: 'running', attempts: 1 });
    // '/a' is running, so its queued 'remove' waits and '/c' goes next.
    expect(S.claimNextJob(s)?.id).toBe(c.id);
    expect(S.claimNextJob(s)).toBeUndefined();
    // A change while '/a' runs queues exactly one follow-up.
    const follow = S.enqueueJob(s, 'ingest', '/a');
    expect(follow.created).toBe(true);
    expect(S.enqueueJob(s, 'ingest', '/a')).toEqual({ id: follow.id, created: false });

    expect(S.completeJob(s, a.id)).toBe(true);
    expect(S.completeJob(s, a.id)).toBe(false);
    expect(S.failJob(s, c.id, 'decode failed')).toBe(true);
    expect(S.getJob(s, c.id)).toMatchObject({ state: 'failed', lastError: 'decode failed' });
    expect(S.claimNextJob(s, 'ingest')?.id).toBe(follow.id);
    expect(S.claimNextJob(s, 'ingest')).toBeUndefined();
    expect(S.jobCounts(s)).toEqual({ queued: 1, running: 1, done: 1, failed: 1 });

    expect(S.retryFailedJobs(s)).toBe(1);
    expect(S.getJob(s, c.id)?.state).toBe('queued');
    expect(S.listJobs(s, 'queued').map((j) => j.id)).toEqual([b.id, c.id]);
    expect(S.pruneFinishedJobs(s)).toBe(1);
    expect(S.getJob(s, a.id)).toBeUndefined();
  });

  it('requeueStale: running jobs go back to the queue, merging into a queued follow-up', () => {
    const s = open(join(tempDir(), 'library.db'));
    const a = S.enqueueJob(s, 'ingest', '/a');
    S.enqueueJob(s, 'ingest', '/b');
    S.claimNextJob(s);
    S.claimNextJob(s);
    const follow = S.enqueueJob(s, 'ingest', '/a');
    expect(S.requeueStaleJobs(s)).toBe(2);
    expect(S.jobCounts(s)).toEqual({ queued: 2, running: 0, done: 0, failed: 0 });
    expect(S.getJob(s, a.id)).toBeUndefined();
    expect(S.getJob(s, follow.id)?.state).toBe('queued');
    expect(S.requeueStaleJobs(s)).toBe(0);
  });

  it('survives kill -9 mid-job: every job completes exactly once after requeueStale', async () => {
    const file = join(tempDir(), 'library.db');
    const s = open(file);
    s.db.exec('CREATE TABLE work_log(job_id INTEGER NOT NULL, path TEXT NOT NULL)');
    const N = 40;
    for (let i = 0; i < N; i++) S.enqueueJob(s, 'ingest', `/photos/${i}.jpg`);
    S.enqueueJob(s, 'ingest', '/photos/0.jpg'); // duplicate while queued: no new row

    // First worker: killed with SIGKILL inside the transaction of its 6th job.
    const killedJob = await new Promise<number>((resolve, reject) => {
      const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', WORKER, file, '100'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let done = 0;
      let buf = '';
      let stderr = '';
      let victim = -1;
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.on('data', (d: Buffer) => {
        buf += d.toString();
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const [what, id] = buf.slice(0, nl).split(' ');
          buf = buf.slice(nl + 1);
          if (what === 'done') done++;
          if (what === 'inside' && done >= 5 && victim < 0) {
            victim = Number(id);
            child.kill('SIGKILL');
          }
        }
      });
      child.on('exit', (code, signal) => {
        if (signal === 'SIGKILL' && victim > 0) resolve(victim);
        else reject(new Error(`worker exited ${code ?? signal} before it could be killed: ${stderr}`));
      });
    });

    // The killed job is left running, its uncommitted work rolled back.
    expect(S.getJob(s, killedJob)).toMatchObject({ state: 'running', attempts: 1 });
    expect(s.db.prepare('SELECT count(*) FROM work_log WHERE job_id = ?').pluck().get(killedJob)).toBe(0);
    const before = S.jobCounts(s);
    expect(before.running).toBe(1);
    expect(before.done).toBeGreaterThanOrEqual(5);

    expect(S.requeueStaleJobs(s)).toBe(1);

    // Second worker runs the rest to completion.
    const out = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', WORKER, file, '0'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('exit', (code) =>
        code === 0 ? resolve(stdout) : reject(new Error(`worker failed: ${stderr}`)),
      );
    });
    expect(out.trim().endsWith('idle')).toBe(true);

    expect(S.jobCounts(s)).toEqual({ queued: 0, running: 0, done: N, failed: 0 });
    const jobs = S.listJobs(s);
    expect(jobs).toHaveLength(N);
    expect(new Set(jobs.map((j) => j.path)).size).toBe(N);
    const log = s.db.prepare('SELECT job_id, count(*) AS n FROM work_log GROUP BY job_id').all() as Array<{
      job_id: number;
      n: number;
    }>;
    expect(log).toHaveLength(N);
    expect(log.every((r) => r.n === 1)).toBe(true);
    expect(s.db.prepare('SELECT count(*) FROM work_log').pluck().get()).toBe(N);
    expect(S.getJob(s, killedJob)).toMatchObject({ state: 'done', attempts: 2 });
    expect(jobs.filter((j) => j.attempts !== 1).map((j) => j.id)).toEqual([killedJob]);
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
