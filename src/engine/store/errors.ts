/** The ingest error log: the latest error per (file, stage), cleared when that file later succeeds. */
import type { ErrorStage } from '../types.ts';
import type { Store } from './db.ts';

/** One logged error. */
export interface ErrorRecord {
  id: number;
  path: string;
  stage: ErrorStage;
  code: string | null;
  message: string;
  at: number;
}

/** What `recordError` writes. */
export interface ErrorInput {
  path: string;
  stage: ErrorStage;
  code?: string | null;
  message: string;
}

/** Records (or replaces) the error for a file at a stage, stamped with the store's clock. */
export function recordError(store: Store, e: ErrorInput): void {
  store.tx(() =>
    store
      .stmt(
        `INSERT INTO errors(path, stage, code, message, at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(path, stage) DO UPDATE SET code = excluded.code, message = excluded.message, at = excluded.at`,
      )
      .run(e.path, e.stage, e.code ?? null, e.message, store.now()),
  );
}

/** Clears a file's errors (at one stage, or all); returns how many were removed. */
export function clearErrors(store: Store, path: string, stage?: ErrorStage): number {
  return store.tx(() =>
    stage === undefined
      ? store.stmt('DELETE FROM errors WHERE path = ?').run(path).changes
      : store.stmt('DELETE FROM errors WHERE path = ? AND stage = ?').run(path, stage).changes,
  );
}

/** Clears errors of every file under a folder prefix (e.g. when the folder is removed). */
export function clearErrorsUnder(store: Store, dirPath: string): number {
  const prefix = dirPath.endsWith('/') || dirPath.endsWith('\\') ? dirPath : `${dirPath}/`;
  return store.tx(
    () => store.stmt('DELETE FROM errors WHERE substr(path, 1, length(?)) = ?').run(prefix, prefix).changes,
  );
}

/** Logged errors, newest first. */
export function listErrors(store: Store, opts: { limit?: number; offset?: number } = {}): ErrorRecord[] {
  return store
    .stmt('SELECT id, path, stage, code, message, at FROM errors ORDER BY at DESC, id DESC LIMIT ? OFFSET ?')
    .all(opts.limit ?? -1, opts.offset ?? 0) as ErrorRecord[];
}

/** Number of logged errors. */
export function countErrors(store: Store): number {
  return store.stmt('SELECT count(*) FROM errors').pluck().get() as number;
}
