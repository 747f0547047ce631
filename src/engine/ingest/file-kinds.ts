import { basename, extname, isAbsolute, relative } from 'node:path';

/** What Glint does with a file, judged by its extension: index it as a photo or a note, or read it as a photo's XMP sidecar. */
export type FileKind = 'photo' | 'note' | 'sidecar';

/** Photo extensions Glint indexes (lower case, no dot). */
export const PHOTO_EXTENSIONS: ReadonlySet<string> = new Set([
  'jpg',
  'jpeg',
  'png',
  'webp',
  'gif',
  'tiff',
  'tif',
  'avif',
  'heic',
  'heif',
]);

/** Note extensions Glint indexes (lower case, no dot). */
export const NOTE_EXTENSIONS: ReadonlySet<string> = new Set(['md', 'markdown', 'txt']);

/** OS junk files that are never indexed, whatever their extension (compared case-insensitively). */
const JUNK_NAMES: ReadonlySet<string> = new Set(['.ds_store', 'thumbs.db', 'desktop.ini', 'icon\r']);

/** The lower-case extension of `path` without its dot ('' when it has none). */
export function extensionOf(path: string): string {
  return extname(path).slice(1).toLowerCase();
}

/** The kind of file at `path` by extension, case-insensitively; null for files Glint ignores. */
export function fileKind(path: string): FileKind | null {
  const ext = extensionOf(path);
  if (PHOTO_EXTENSIONS.has(ext)) return 'photo';
  if (NOTE_EXTENSIONS.has(ext)) return 'note';
  if (ext === 'xmp') return 'sidecar';
  return null;
}

/** True for names the scanner and watcher skip: dot files/folders and OS junk (`.DS_Store`, `Thumbs.db`). */
export function isHiddenOrJunk(name: string): boolean {
  return name.startsWith('.') || JUNK_NAMES.has(name.toLowerCase());
}

/** True when any segment of `path` below `root` is hidden or junk (the root itself may live anywhere). */
export function hasHiddenSegment(path: string, root: string): boolean {
  let rel = relative(root, path);
  if (rel.startsWith('..') || isAbsolute(rel)) rel = basename(path);
  return rel.split(/[\\/]/).some((segment) => segment !== '' && isHiddenOrJunk(segment));
}
