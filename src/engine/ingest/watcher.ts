import { readdir } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { GlintError, errorMessage } from '../errors.ts';
import { fileError } from './file-hash.ts';
import { fileKind, hasHiddenSegment } from './file-kinds.ts';
import { photoNamesForSidecar } from './xmp-sidecar.ts';

/** The kinds of file the watcher reports (sidecars are reported as a change of their photo). */
export type WatchedKind = 'photo' | 'note';

/** Callbacks of `watchFolders`; each gets an absolute path. */
export interface WatchHandlers {
  /** A new photo or note, reported once its size has stopped changing. */
  onAdd?: (path: string, kind: WatchedKind) => void;
  /** A photo or note whose content changed, or a photo whose XMP sidecar was added, changed or removed. */
  onChange?: (path: string, kind: WatchedKind) => void;
  /** A photo or note that was deleted or moved away (a rename is an unlink then an add). */
  onUnlink?: (path: string, kind: WatchedKind) => void;
  /** A problem the watcher hit (a link loop, an unreadable folder, the OS watch limit); watching goes on. */
  onError?: (error: GlintError) => void;
  /** The watcher has set up its watches on the roots given so far. */
  onReady?: () => void;
}

/** Timing knobs of `watchFolders` (defaults suit local disks and slow copies alike). */
export interface WatchOptions {
  /**
   * How long (ms) a new or changed file's size must stay the same before it is reported. Default 2000:
   * a copy that stalls for longer than this is reported early and then again as a change.
   */
  writeFinishMs?: number;
  /** How often (ms) a file being written is polled for its size. Default 100. */
  writeFinishPollMs?: number;
}

/** A running watcher: roots can be added and removed; `close` stops it for good. */
export interface FolderWatcher {
  add(root: string): void;
  remove(root: string): void;
  close(): Promise<void>;
}

/**
 * Watches `roots` recursively for photos and notes being added, changed and removed. Files already
 * there when watching starts are not reported (the scanner covers them). Hidden files and folders,
 * OS junk and unsupported extensions are ignored; an XMP sidecar (`photo.jpg.xmp` or `photo.xmp`)
 * is reported as a change of each photo beside it that it belongs to. Adds and changes wait until
 * the file's size has settled, so a slow copy is reported once, when complete. Symlinks are
 * followed; link loops are reported through `onError`, never walked forever.
 */
export function watchFolders(
  roots: readonly string[],
  handlers: WatchHandlers,
  options: WatchOptions = {},
): FolderWatcher {
  const rootSet = new Set(roots.map((r) => resolve(r)));
  const ignored = (path: string, stats?: { isFile(): boolean }): boolean => {
    const abs = resolve(path);
    const root = [...rootSet].find((r) => abs === r || abs.startsWith(r + '/') || abs.startsWith(r + '\\'));
    if (root === undefined) return false; // a folder above a root: chokidar needs it
    if (abs !== root && hasHiddenSegment(abs, root)) return true;
    return stats?.isFile() === true && fileKind(abs) === null;
  };
  const watcher: FSWatcher = watch([...rootSet], {
    ignored,
    ignoreInitial: true,
    followSymlinks: true,
    awaitWriteFinish: {
      stabilityThreshold: options.writeFinishMs ?? 2000,
      pollInterval: options.writeFinishPollMs ?? 100,
    },
  });

  const report = (err: unknown): void => handlers.onError?.(toWatchError(err));
  const sidecarChanged = (xmpPath: string): void => {
    photosForSidecar(xmpPath).then(
      (photos) => photos.forEach((p) => handlers.onChange?.(p, 'photo')),
      report,
    );
  };
  const dispatch = (event: 'add' | 'change' | 'unlink', path: string): void => {
    const abs = resolve(path);
    const kind = fileKind(abs);
    if (kind === null) return;
    if (kind === 'sidecar') return sidecarChanged(abs);
    if (event === 'add') handlers.onAdd?.(abs, kind);
    else if (event === 'change') handlers.onChange?.(abs, kind);
    else handlers.onUnlink?.(abs, kind);
  };
  watcher.on('add', (p) => dispatch('add', p));
  watcher.on('change', (p) => dispatch('change', p));
  watcher.on('unlink', (p) => dispatch('unlink', p));
  watcher.on('error', report);
  watcher.on('ready', () => handlers.onReady?.());

  return {
    add(root: string): void {
      const abs = resolve(root);
      rootSet.add(abs);
      watcher.add(abs);
    },
    remove(root: string): void {
      const abs = resolve(root);
      rootSet.delete(abs);
      watcher.unwatch(abs);
    },
    close: () => watcher.close(),
  };
}

/** The photos beside `xmpPath` that it is the sidecar of (those that exist now). */
async function photosForSidecar(xmpPath: string): Promise<string[]> {
  const dir = dirname(xmpPath);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw fileError(err, dir);
  }
  const wanted = photoNamesForSidecar(basename(xmpPath), names);
  return wanted.map((name) => join(dir, name));
}

/** A chokidar/fs error as a GlintError that says what to do. */
function toWatchError(err: unknown): GlintError {
  if (err instanceof GlintError) return err;
  const e = err as NodeJS.ErrnoException;
  const path = typeof e?.path === 'string' ? e.path : undefined;
  if (e?.code === 'ENOSPC') {
    return new GlintError(
      'watch-limit',
      'The system limit on watched folders was reached, so Glint cannot see new changes. Raise fs.inotify.max_user_watches or watch fewer folders.',
      { cause: err },
    );
  }
  if (e?.code === 'EMFILE') {
    return new GlintError(
      'watch-limit',
      'Too many open files to watch every folder. Raise the open-file limit (ulimit -n) or watch fewer folders.',
      {
        cause: err,
      },
    );
  }
  if (path !== undefined && typeof e.code === 'string') return fileError(err, path);
  return new GlintError('watch-error', `Watching folders failed: ${errorMessage(err)}`, { cause: err });
}
