import { statFile } from './file-hash.ts';
import { scanFolder } from './scan.ts';
import { sidecarCandidates } from './xmp-sidecar.ts';
import { enqueueJob, recordError, type Store } from '../store/index.ts';
import { knownFilesUnder, type KnownFile } from '../store/scan-state.ts';

/** What a folder scan found and queued. */
export interface ScanSummary {
  /** Photos and notes found on disk. */
  seen: number;
  /** Ingest jobs queued (new, changed, or missing embeddings for the current model). */
  queued: number;
  /** Removal jobs queued for indexed files that are gone from disk. */
  removed: number;
  /** Problems met while walking (link loops, unreadable folders, broken links). */
  scanErrors: number;
}

/** Whether an XMP sidecar of the photo at `path` was modified after `since` (ms epoch). */
export async function sidecarNewer(path: string, since: number): Promise<boolean> {
  for (const sidecar of sidecarCandidates(path)) {
    const st = await statFile(sidecar).catch(() => null);
    if (st && st.mtimeMs > since) return true;
  }
  return false;
}

async function unchanged(
  known: KnownFile | undefined,
  file: { path: string; kind: string; size: number; mtimeMs: number },
): Promise<boolean> {
  if (!known || !known.complete || known.size !== file.size || known.mtimeMs !== file.mtimeMs) return false;
  return file.kind !== 'photo' || !(await sidecarNewer(file.path, known.indexedAt ?? 0));
}

/**
 * Walks `root` and queues ingest jobs for photos and notes that are new, changed (size, mtime or
 * XMP sidecar) or lack embeddings for `modelId`, and removal jobs for indexed files no longer there.
 */
export async function enqueueFolderScan(
  store: Store,
  root: string,
  modelId: string,
  onError: (path: string, message: string) => void,
): Promise<ScanSummary> {
  const known = knownFilesUnder(store, root, modelId);
  const summary: ScanSummary = { seen: 0, queued: 0, removed: 0, scanErrors: 0 };
  const found = new Set<string>();
  const toQueue: string[] = [];
  for await (const file of scanFolder(root, {
    onError: (path, err) => {
      summary.scanErrors++;
      recordError(store, { path, stage: 'scan', code: err.code, message: err.message });
      onError(path, err.message);
    },
  })) {
    if (file.kind === 'sidecar') continue;
    summary.seen++;
    found.add(file.path);
    if (!(await unchanged(known.get(file.path), file))) toQueue.push(file.path);
  }
  store.tx(() => {
    for (const path of toQueue) if (enqueueJob(store, 'ingest', path).created) summary.queued++;
    for (const path of known.keys()) {
      if (!found.has(path) && enqueueJob(store, 'remove', path).created) summary.removed++;
    }
  });
  return summary;
}
