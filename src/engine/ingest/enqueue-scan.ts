import { basename, dirname } from 'node:path';
import { statFile } from './file-hash.ts';
import { scanFolder } from './scan.ts';
import { sidecarCandidates } from './xmp-sidecar.ts';
import { confirmAbsent, type FolderListing, type KeptReason } from './absence.ts';
import type { GlintError } from '../errors.ts';
import {
  clearErrors,
  enqueueJob,
  recordError,
  setFolderState,
  type Folder,
  type FolderState,
  type Store,
} from '../store/index.ts';
import { knownFilesUnder, setFileDevs, type KnownFile } from '../store/scan-state.ts';

/** What a folder scan found and queued. */
export interface ScanSummary {
  /** Photos and notes found on disk. */
  seen: number;
  /** Ingest jobs queued (new, changed, or missing embeddings for the current model). */
  queued: number;
  /** Removal jobs queued for indexed files confirmed gone from disk. */
  removed: number;
  /** Indexed files not seen but kept, because where they live could not be read. */
  kept: number;
  /** Problems met while walking (link loops, unreadable folders, broken links). */
  scanErrors: number;
}

/** What one folder's scan found, with the state it leaves the folder in. */
export interface FolderScan extends ScanSummary {
  state: FolderState;
  reason: string | null;
}

/**
 * Whether an XMP sidecar of the photo at `path` was modified after `since` (ms epoch). `names`, the
 * photo's folder listing when the caller has it, says which sidecars exist, so a photo without one
 * costs no stat.
 */
export async function sidecarNewer(
  path: string,
  since: number,
  names?: ReadonlySet<string>,
): Promise<boolean> {
  for (const sidecar of sidecarCandidates(path)) {
    if (names !== undefined && !names.has(basename(sidecar))) continue;
    const st = await statFile(sidecar).catch(() => null);
    if (st && st.mtimeMs > since) return true;
  }
  return false;
}

async function unchanged(
  known: KnownFile | undefined,
  file: { path: string; kind: string; size: number; mtimeMs: number },
  listing: FolderListing | undefined,
): Promise<boolean> {
  if (!known || !known.complete || known.reread) return false;
  if (known.size !== file.size || known.mtimeMs !== file.mtimeMs) return false;
  if (file.kind !== 'photo') return true;
  const names = typeof listing === 'object' ? listing.names : undefined;
  return !(await sidecarNewer(file.path, known.indexedAt ?? 0, names));
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The folder's state after a scan, in words a photographer understands. */
function folderState(
  folder: Folder,
  rootError: GlintError | undefined,
  unreadable: readonly string[],
  keptBy: ReadonlyMap<KeptReason, number>,
): { state: FolderState; reason: string | null } {
  if (rootError) {
    const denied = rootError.code === 'file-unreadable';
    return denied
      ? {
          state: 'unreadable',
          reason: `Glint may not read ${folder.path} (permission denied). Its photos stay in the library; fix the folder's permissions.`,
        }
      : {
          state: 'offline',
          reason: `${folder.path} cannot be found: is its drive plugged in, or was the folder moved or renamed? Its photos stay in the library until you remove the folder.`,
        };
  }
  const other = keptBy.get('other-device') ?? 0;
  if (other > 0)
    return {
      state: 'offline',
      reason: `${plural(other, 'file')} in ${folder.path} ${other === 1 ? 'is' : 'are'} on a drive that is not mounted now (or another drive is mounted there). They stay in the library.`,
    };
  if (unreadable.length > 0)
    return {
      state: 'unreadable',
      reason: `${plural(unreadable.length, 'subfolder')} could not be read (first: ${unreadable[0]}). ${
        (keptBy.get('unreadable') ?? 0) > 0 ? 'The photos in it stay in the library.' : ''
      }`.trim(),
    };
  return { state: 'ok', reason: null };
}

/**
 * Walks a library folder and queues ingest jobs for photos and notes that are new, changed (size,
 * mtime or XMP sidecar), lack embeddings for `modelId` or were read by an older reader, and removal jobs only for indexed files
 * confirmed gone (see `confirmAbsent`). Records the folder's state: ok, offline or unreadable.
 */
export async function enqueueFolderScan(
  store: Store,
  folder: Folder,
  modelId: string,
  onError: (path: string, message: string) => void,
): Promise<FolderScan> {
  const root = folder.path;
  const known = knownFilesUnder(store, root, modelId);
  const summary: ScanSummary = { seen: 0, queued: 0, removed: 0, kept: 0, scanErrors: 0 };
  const found = new Set<string>();
  const toQueue: string[] = [];
  const devMoves: Array<{ id: number; dev: number }> = [];
  const listings = new Map<string, FolderListing>();
  const unreadable: string[] = [];
  let rootError: GlintError | undefined;
  for await (const file of scanFolder(root, {
    onError: (path, err) => {
      // A root that cannot be read is the folder's state (offline, unreadable), not a file's error.
      if (path === root) return;
      summary.scanErrors++;
      recordError(store, { path, stage: 'scan', code: err.code, message: err.message });
      onError(path, err.message);
    },
    onFolderRead: (path, dev, names) => listings.set(path, { dev, names }),
    onFolderError: (path, err) => {
      listings.set(path, 'unreadable');
      if (path === root) rootError = err;
      else unreadable.push(path);
    },
  })) {
    if (file.kind === 'sidecar') continue;
    summary.seen++;
    found.add(file.path);
    const k = known.get(file.path);
    if (k && k.dev !== file.dev) devMoves.push({ id: k.id, dev: file.dev });
    if (!(await unchanged(k, file, listings.get(dirname(file.path))))) toQueue.push(file.path);
  }
  const gone: string[] = [];
  const keptBy = new Map<KeptReason, number>();
  for (const [path, k] of known) {
    if (found.has(path)) continue;
    const verdict = rootError
      ? 'root-missing'
      : await confirmAbsent(path, k.dev, root, (dir) => listings.get(dir) ?? 'missing');
    if (verdict === true) gone.push(path);
    else keptBy.set(verdict, (keptBy.get(verdict) ?? 0) + 1);
  }
  summary.kept = [...keptBy.values()].reduce((a, b) => a + b, 0);
  const { state, reason } = folderState(folder, rootError, unreadable, keptBy);
  store.tx(() => {
    if (!rootError) clearErrors(store, root, 'scan');
    for (const path of toQueue) if (enqueueJob(store, 'ingest', path).created) summary.queued++;
    for (const path of gone) if (enqueueJob(store, 'remove', path).created) summary.removed++;
    setFileDevs(store, devMoves);
    setFolderState(store, folder.id, state, reason);
  });
  return { ...summary, state, reason };
}
