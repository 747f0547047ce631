import { basename, dirname, extname, join } from 'node:path';
import { PHOTO_EXTENSIONS, extensionOf, fileKind } from './file-kinds.ts';

/**
 * The sidecar files that may sit beside `photoPath`, least specific first: `photo.xmp` (Lightroom,
 * Capture One), then `photo.jpg.xmp` (darktable, digiKam). Each comes in `.xmp` and `.XMP` spellings;
 * callers read the ones that exist, and a later one wins where they disagree.
 */
export function sidecarCandidates(photoPath: string): string[] {
  const dir = dirname(photoPath);
  const name = basename(photoPath);
  const stem = name.slice(0, name.length - extname(name).length);
  return [
    join(dir, `${stem}.xmp`),
    join(dir, `${stem}.XMP`),
    join(dir, `${name}.xmp`),
    join(dir, `${name}.XMP`),
  ];
}

/**
 * The photos among `dirNames` (names in the sidecar's folder) that the sidecar named `sidecarName`
 * belongs to: `photo.jpg.xmp` → `photo.jpg`; `photo.xmp` → every photo named `photo.<ext>`.
 */
export function photoNamesForSidecar(sidecarName: string, dirNames: readonly string[]): string[] {
  const stem = sidecarName.slice(0, sidecarName.length - extname(sidecarName).length);
  if (PHOTO_EXTENSIONS.has(extensionOf(stem))) return dirNames.includes(stem) ? [stem] : [];
  return dirNames.filter((n) => fileKind(n) === 'photo' && n.slice(0, n.length - extname(n).length) === stem);
}
