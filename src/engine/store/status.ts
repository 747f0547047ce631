/** Library-wide counts for `glint status` and the app's status bar. */
import type { Store } from './db.ts';
import { countEmbeddingsByModel } from './embeddings.ts';

/** What the library holds. */
export interface StatusCounts {
  folders: number;
  files: number;
  photos: number;
  noteChunks: number;
  captions: number;
  errors: number;
  queuedJobs: number;
  runningJobs: number;
  failedJobs: number;
  /** Stored embeddings per model id. */
  embeddings: Record<string, number>;
}

/** Counts items by kind, files, errors, jobs and embeddings per model in one read transaction. */
export function statusCounts(store: Store): StatusCounts {
  return store.db
    .transaction(() => {
      const one = (sql: string): number => store.stmt(sql).pluck().get() as number;
      // NOTE: a removed folder's items (restorable until purged) are not counted, as they are not searched.
      const kinds = store
        .stmt(
          `SELECT i.kind, count(*) AS n FROM items i JOIN files f ON f.id = i.file_id
           LEFT JOIN folders fo ON fo.id = f.folder_id WHERE fo.removed_at IS NULL GROUP BY i.kind`,
        )
        .all() as Array<{
        kind: string;
        n: number;
      }>;
      const byKind = (k: string): number => kinds.find((r) => r.kind === k)?.n ?? 0;
      const jobs = store.stmt('SELECT state, count(*) AS n FROM jobs GROUP BY state').all() as Array<{
        state: string;
        n: number;
      }>;
      const byState = (s: string): number => jobs.find((r) => r.state === s)?.n ?? 0;
      return {
        folders: one('SELECT count(*) FROM folders WHERE removed_at IS NULL'),
        files: one(
          'SELECT count(*) FROM files f LEFT JOIN folders fo ON fo.id = f.folder_id WHERE fo.removed_at IS NULL',
        ),
        photos: byKind('photo'),
        noteChunks: byKind('note_chunk'),
        captions: byKind('caption'),
        errors: one('SELECT count(*) FROM errors'),
        queuedJobs: byState('queued'),
        runningJobs: byState('running'),
        failedJobs: byState('failed'),
        embeddings: countEmbeddingsByModel(store),
      };
    })
    .deferred();
}
