/**
 * Absence is not deletion: a file leaves the index only when a folder above it was read and the file
 * (or the subfolder leading to it) was not in that listing, on the same device the file was indexed on.
 * A folder that could not be read, a library root that is missing and a mount point whose drive is
 * not mounted all keep their files.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname } from 'node:path';

/** What listing a folder gave: its device and entry names, or why there is none. */
export type FolderListing = { dev: number; names: ReadonlySet<string> } | 'missing' | 'unreadable';

/** Why an indexed file is kept although the scan did not see it. */
export type KeptReason = 'unreadable' | 'other-device' | 'root-missing' | 'present';

/**
 * Whether the file at `path` (indexed on device `fileDev`) is confirmed gone: the nearest folder above it
 * that exists was listed, does not hold the next path segment, and is on the file's device. Returns
 * true, or the reason it is kept. Never looks above `root`.
 */
export async function confirmAbsent(
  path: string,
  fileDev: number | null,
  root: string,
  list: (dir: string) => FolderListing | Promise<FolderListing>,
): Promise<true | KeptReason> {
  let child = path;
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const listing = await list(dir);
    if (listing === 'unreadable') return 'unreadable';
    if (listing !== 'missing') {
      if (listing.names.has(basename(child))) return 'present';
      return fileDev === null || listing.dev === fileDev ? true : 'other-device';
    }
    if (dir === root || dir === dirname(dir) || !dir.startsWith(root)) return 'root-missing';
    child = dir;
  }
}

/** Lists a folder on disk now (for a removal reported by the watcher). */
export async function listFolderNow(dir: string): Promise<FolderListing> {
  try {
    const st = await stat(dir);
    if (!st.isDirectory()) return 'missing';
    return { dev: st.dev, names: new Set(await readdir(dir)) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'unreadable';
  }
}
