import type { Dirent, Stats } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { GlintError } from '../errors.ts';
import { fileError } from './file-hash.ts';
import { fileKind, isHiddenOrJunk, type FileKind } from './file-kinds.ts';

/** One file the scan found: absolute path (as reached, symlinks not resolved), kind, size and mtime. */
export interface ScannedFile {
  path: string;
  kind: FileKind;
  size: number;
  mtimeMs: number;
  /** The device the file is on. */
  dev: number;
}

/** Options of `scanFolder`. */
export interface ScanOptions {
  /** Called once per problem (unreadable folder, broken link, link loop, special file); the walk goes on. */
  onError?: (path: string, error: GlintError) => void;
  /**
   * Called once for every folder whose listing was read, with its device and the names it holds
   * (before any filtering): what lets the caller tell a file that is gone from one it could not see.
   */
  onFolderRead?: (path: string, dev: number, names: ReadonlySet<string>) => void;
  /** Called (besides `onError`) for a folder, the root included, whose listing could not be read. */
  onFolderError?: (path: string, error: GlintError) => void;
}

interface PendingDir {
  path: string;
  key: string;
  dev: number;
  /** dev:ino keys of this folder and its ancestors, to tell a link loop from a second link to one folder. */
  ancestors: ReadonlySet<string>;
}

const keyOf = (s: Stats): string => `${s.dev}:${s.ino}`;

/**
 * Walks `root` recursively and yields every photo, note and XMP sidecar (kind 'sidecar') below it,
 * in a stable order: a folder's files, then its subfolders, each by name. Symlinks are followed; a folder already walked is not walked again,
 * and a link back to one of its own ancestors is reported once through `onError` as a loop. Dot
 * files and folders and OS junk are skipped; unreadable folders, broken links and special files
 * (FIFOs, sockets, devices) are reported through `onError` and skipped. Never throws for the tree's
 * contents; a missing or non-folder root is reported through `onError` too.
 */
export async function* scanFolder(root: string, options: ScanOptions = {}): AsyncIterable<ScannedFile> {
  const report = (path: string, error: GlintError): void => options.onError?.(path, error);
  const top = resolve(root);
  let topStat: Stats;
  try {
    topStat = await stat(top);
  } catch (err) {
    const error = fileError(err, top);
    report(top, error);
    options.onFolderError?.(top, error);
    return;
  }
  if (!topStat.isDirectory()) {
    const error = new GlintError(
      'scan-not-a-folder',
      `${top} is not a folder; choose a folder to add to Glint.`,
    );
    report(top, error);
    options.onFolderError?.(top, error);
    return;
  }
  const walked = new Set<string>();
  const stack: PendingDir[] = [
    { path: top, key: keyOf(topStat), dev: topStat.dev, ancestors: new Set([keyOf(topStat)]) },
  ];
  while (stack.length > 0) {
    const dir = stack.pop() as PendingDir;
    // NOTE: marked when walked, not when found, so a folder reached by its own path and by a link
    // elsewhere is walked under whichever path comes first in the walk order.
    if (walked.has(dir.key)) continue;
    walked.add(dir.key);
    let entries: Dirent[];
    try {
      entries = await readdir(dir.path, { withFileTypes: true });
    } catch (err) {
      const error = fileError(err, dir.path);
      report(dir.path, error);
      options.onFolderError?.(dir.path, error);
      continue;
    }
    options.onFolderRead?.(dir.path, dir.dev, new Set(entries.map((e) => e.name)));
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: PendingDir[] = [];
    for (const entry of entries) {
      if (isHiddenOrJunk(entry.name)) continue;
      const path = join(dir.path, entry.name);
      // NOTE: plain files of an ignored kind are skipped without a stat; everything else needs one.
      if (entry.isFile() && fileKind(path) === null) continue;
      let s: Stats;
      try {
        s = await stat(path);
      } catch (err) {
        report(path, await describeStatFailure(err, path));
        continue;
      }
      if (s.isDirectory()) {
        const key = keyOf(s);
        if (dir.ancestors.has(key)) {
          const target = await realpath(path).catch(() => '?');
          report(
            path,
            new GlintError(
              'file-symlink-loop',
              `${path} links back to ${target}, a folder that contains it (a link loop); Glint skipped it.`,
            ),
          );
        } else if (!walked.has(key)) {
          subdirs.push({ path, key, dev: s.dev, ancestors: new Set([...dir.ancestors, key]) });
        }
        continue;
      }
      const kind = fileKind(path);
      if (kind === null) continue;
      if (!s.isFile()) {
        report(
          path,
          new GlintError(
            'scan-special-file',
            `${path} is not a regular file (a pipe, socket or device); Glint skipped it.`,
          ),
        );
        continue;
      }
      yield { path, kind, size: s.size, mtimeMs: s.mtimeMs, dev: s.dev };
    }
    // Depth-first in name order: push in reverse so the first name is walked first.
    for (let i = subdirs.length - 1; i >= 0; i--) stack.push(subdirs[i] as PendingDir);
  }
}

/** A stat failure, with a broken symlink told apart from a file that vanished. */
async function describeStatFailure(err: unknown, path: string): Promise<GlintError> {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') {
    const isLink = await lstat(path).then(
      (l) => l.isSymbolicLink(),
      () => false,
    );
    if (isLink) {
      return new GlintError(
        'file-broken-link',
        `${path} is a broken symbolic link (its target is missing); Glint skipped it.`,
        {
          cause: err,
        },
      );
    }
  }
  return fileError(err, path);
}
