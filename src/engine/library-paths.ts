import { rm } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import envPaths from 'env-paths';

/** The files and folders that make up one Glint library on disk. */
export interface LibraryPaths {
  root: string;
  db: string;
  thumbs: string;
  heads: string;
}

/** The OS's per-user app-data folder for Glint (e.g. ~/.local/share/Glint on Linux). */
export function defaultAppDataDir(): string {
  return envPaths('Glint', { suffix: '' }).data;
}

/** The library folder: $GLINT_LIBRARY if set, else `library` inside the app-data folder. */
export function defaultLibraryDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return env['GLINT_LIBRARY'] || join(defaultAppDataDir(), 'library');
}

/** Resolves the layout of the library at `dir`. */
export function libraryPaths(dir: string): LibraryPaths {
  const root = resolve(dir);
  return { root, db: join(root, 'glint.db'), thumbs: join(root, 'thumbs'), heads: join(root, 'heads') };
}

/** Where the thumbnail of content `hash` lives: sharded by its first two hex digits. */
export function thumbnailPath(paths: LibraryPaths, hash: string): string {
  return join(paths.thumbs, hash.slice(0, 2), `${hash}.webp`);
}

/** Whether `path` lies strictly inside the library folder (the folder itself does not count). */
export function insideLibrary(paths: LibraryPaths, path: string): boolean {
  const rel = relative(paths.root, resolve(path));
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

/**
 * Deletes a folder of the library's own (a head, a checkpoint). A path outside the library folder is
 * left alone and reported as false: a library never deletes what is not its own, whatever its
 * database says.
 */
export async function removeLibraryFolder(paths: LibraryPaths, path: string): Promise<boolean> {
  if (!insideLibrary(paths, path)) return false;
  await rm(path, { recursive: true, force: true });
  return true;
}
