/**
 * The durable ingest queue. Every state change is one SQLite statement or transaction, so the queue
 * survives a crash or `kill -9`: a job that was running when the process died is requeued by
 * `requeueStaleJobs` at the next start.
 *
 * Semantics: a (kind, path) has at most one queued job (enqueueing again is a no-op) and at most one
 * running job. Enqueueing while a job for the path runs adds ONE follow-up job, so a change that
 * arrives mid-ingest is not lost; `claimNextJob` never hands out a path that already has a running
 * job (of any kind), so one path is never processed twice at the same time.
 */
import type { Store } from './db.ts';

/** What a job does to its path. */
export type JobKind = 'ingest' | 'remove';

/** A job's lifecycle state. */
export type JobState = 'queued' | 'running' | 'done' | 'failed';

/** One job. */
export interface Job {
  id: number;
  kind: JobKind;
  path: string;
  state: JobState;
  attempts: number;
  createdAt: number;
  updatedAt: number;
  lastError: string | null;
}

/** Jobs per state. */
export interface JobCounts {
  queued: number;
  running: number;
  done: number;
  failed: number;
}

interface JobRow {
  id: number;
  kind: JobKind;
  path: string;
  state: JobState;
  attempts: number;
  created_at: number;
  updated_at: number;
  last_error: string | null;
}

const COLS = 'id, kind, path, state, attempts, created_at, updated_at, last_error';

function toJob(r: JobRow): Job {
  return {
    id: r.id,
    kind: r.kind,
    path: r.path,
    state: r.state,
    attempts: r.attempts,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    lastError: r.last_error,
  };
}

/** Queues a job unless one for the same kind and path is already queued; returns the queued job's id. */
export function enqueueJob(store: Store, kind: JobKind, path: string): { id: number; created: boolean } {
  return store.tx(() => {
    const now = store.now();
    const r = store
      .stmt(
        `INSERT INTO jobs(kind, path, state, attempts, created_at, updated_at) VALUES (?, ?, 'queued', 0, ?, ?)
         ON CONFLICT DO NOTHING RETURNING id`,
      )
      .get(kind, path, now, now) as { id: number } | undefined;
    if (r) return { id: r.id, created: true };
    const id = store
      .stmt("SELECT id FROM jobs WHERE kind = ? AND path = ? AND state = 'queued'")
      .pluck()
      .get(kind, path) as number;
    return { id, created: false };
  });
}

/**
 * Atomically moves the oldest queued job whose path has no running job to `running`, counts the
 * attempt and returns it; undefined when nothing can be claimed. Only jobs of `kind` when given.
 */
export function claimNextJob(store: Store, kind?: JobKind): Job | undefined {
  const pick = `SELECT q.id FROM jobs q WHERE q.state = 'queued' ${kind ? 'AND q.kind = ?' : ''}
    AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.path = q.path AND r.state = 'running')
    ORDER BY q.id LIMIT 1`;
  const sql = `UPDATE jobs SET state = 'running', attempts = attempts + 1, updated_at = ?
    WHERE id = (${pick}) RETURNING ${COLS}`;
  const now = store.now();
  const r = store.tx(() => (kind ? store.stmt(sql).get(now, kind) : store.stmt(sql).get(now))) as
    JobRow | undefined;
  return r && toJob(r);
}

/** Marks a running job done; false if it was not running (e.g. already completed). */
export function completeJob(store: Store, id: number): boolean {
  return store.tx(
    () =>
      store
        .stmt(
          "UPDATE jobs SET state = 'done', updated_at = ?, last_error = NULL WHERE id = ? AND state = 'running'",
        )
        .run(store.now(), id).changes > 0,
  );
}

/**
 * Puts a running job back in the queue to be tried again (its attempts are kept); a job whose path
 * already has a queued follow-up is merged into it. False if it was not running.
 */
export function requeueJob(store: Store, id: number): boolean {
  return store.tx(() => {
    const job = store.stmt("SELECT kind, path FROM jobs WHERE id = ? AND state = 'running'").get(id) as
      { kind: JobKind; path: string } | undefined;
    if (!job) return false;
    const followUp = store
      .stmt("SELECT 1 FROM jobs WHERE kind = ? AND path = ? AND state = 'queued'")
      .get(job.kind, job.path);
    if (followUp) store.stmt('DELETE FROM jobs WHERE id = ?').run(id);
    else store.stmt("UPDATE jobs SET state = 'queued', updated_at = ? WHERE id = ?").run(store.now(), id);
    return true;
  });
}

/** Marks a running job failed with a message; false if it was not running. */
export function failJob(store: Store, id: number, message: string): boolean {
  return store.tx(
    () =>
      store
        .stmt(
          "UPDATE jobs SET state = 'failed', updated_at = ?, last_error = ? WHERE id = ? AND state = 'running'",
        )
        .run(store.now(), message, id).changes > 0,
  );
}

/**
 * At startup: jobs left `running` by a process that died go back to `queued` (a running job whose
 * path already has a queued follow-up is merged into it). Returns how many were requeued or merged.
 */
export function requeueStaleJobs(store: Store): number {
  return store.tx(() => {
    const now = store.now();
    const merged = store
      .stmt(
        `DELETE FROM jobs WHERE state = 'running' AND EXISTS
           (SELECT 1 FROM jobs q WHERE q.kind = jobs.kind AND q.path = jobs.path AND q.state = 'queued')`,
      )
      .run().changes;
    const requeued = store
      .stmt("UPDATE jobs SET state = 'queued', updated_at = ? WHERE state = 'running'")
      .run(now).changes;
    return merged + requeued;
  });
}

/** Puts failed jobs back in the queue (skipping paths that already have a queued job); returns how many. */
export function retryFailedJobs(store: Store): number {
  return store.tx(() => {
    const r = store
      .stmt(
        `UPDATE OR IGNORE jobs SET state = 'queued', updated_at = ? WHERE state = 'failed'
           AND NOT EXISTS (SELECT 1 FROM jobs q WHERE q.kind = jobs.kind AND q.path = jobs.path AND q.state = 'queued')`,
      )
      .run(store.now());
    return r.changes;
  });
}

/**
 * Deletes every finished job (done or failed): what the user needs of a failure lives in the errors
 * table, so the queue keeps only work still to do. Returns how many rows went.
 */
export function pruneFinishedJobs(store: Store): number {
  return store.tx(() => store.stmt("DELETE FROM jobs WHERE state IN ('done', 'failed')").run().changes);
}

/**
 * Claims up to `limit` queued removal jobs created at or before `readyBefore`, oldest first, in one
 * statement (the `jobs_state` index makes this linear in what is claimed, not in the queue's length).
 */
export function claimRemovals(store: Store, readyBefore: number, limit: number): Job[] {
  const rows = store.tx(
    () =>
      store
        .stmt(
          `UPDATE jobs SET state = 'running', attempts = attempts + 1, updated_at = ?
           WHERE id IN (SELECT q.id FROM jobs q WHERE q.state = 'queued' AND q.kind = 'remove' AND q.created_at <= ?
             AND NOT EXISTS (SELECT 1 FROM jobs r WHERE r.path = q.path AND r.state = 'running')
             ORDER BY q.id LIMIT ?)
           RETURNING ${COLS}`,
        )
        .all(store.now(), readyBefore, limit) as JobRow[],
  );
  return rows.map(toJob).sort((a, b) => a.id - b.id);
}

/** When the oldest queued removal job was created, or undefined when none is queued. */
export function oldestQueuedRemoval(store: Store): number | undefined {
  return (
    (store
      .stmt("SELECT min(created_at) FROM jobs WHERE state = 'queued' AND kind = 'remove'")
      .pluck()
      .get() as number | undefined) ?? undefined
  );
}

/** Drops the queued jobs of paths at or below `root` (its folder was removed); returns how many. */
export function clearQueuedJobsUnder(store: Store, root: string): number {
  return store.tx(
    () =>
      store
        .stmt(
          "DELETE FROM jobs WHERE state = 'queued' AND (path = @root OR (path >= @root || '/' AND path < @root || '0'))",
        )
        .run({ root }).changes,
  );
}

/** Drops every queued job (indexing cancelled); returns how many. */
export function clearQueuedJobs(store: Store): number {
  return store.tx(() => store.stmt("DELETE FROM jobs WHERE state = 'queued'").run().changes);
}

/** A job by id, if it still exists. */
export function getJob(store: Store, id: number): Job | undefined {
  const r = store.stmt(`SELECT ${COLS} FROM jobs WHERE id = ?`).get(id) as JobRow | undefined;
  return r && toJob(r);
}

/** Jobs in a state (all when omitted), oldest first. */
export function listJobs(store: Store, state?: JobState, limit = -1): Job[] {
  const rows =
    state === undefined
      ? store.stmt(`SELECT ${COLS} FROM jobs ORDER BY id LIMIT ?`).all(limit)
      : store.stmt(`SELECT ${COLS} FROM jobs WHERE state = ? ORDER BY id LIMIT ?`).all(state, limit);
  return (rows as JobRow[]).map(toJob);
}

/** Number of jobs in each state. */
export function jobCounts(store: Store): JobCounts {
  const counts: JobCounts = { queued: 0, running: 0, done: 0, failed: 0 };
  const rows = store.stmt('SELECT state, count(*) AS n FROM jobs GROUP BY state').all() as Array<{
    state: JobState;
    n: number;
  }>;
  for (const r of rows) counts[r.state] = r.n;
  return counts;
}
