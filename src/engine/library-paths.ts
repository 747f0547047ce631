import { join, resolve } from 'node:path';
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
