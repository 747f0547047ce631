/**
 * Writing a photo's user tags to its XMP sidecar: merged into what the sidecar holds, never over a version
 * Glint has not read, atomically, only beside the photo, never into the photo itself.
 */
import { createHash } from 'node:crypto';
import { lstat, readFile } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { GlintError } from '../errors.ts';
import { readPhotoMetadata } from '../ingest/metadata.ts';
import { keywordsBySource } from '../ingest/photo-tags.ts';
import type { Store } from '../store/db.ts';
import {
  getSidecarState,
  markSidecarIndexed,
  photoItemIdOf,
  photoPathsWithPrefix,
  setSidecarState,
  userTagsOfPaths,
} from '../store/sidecars.ts';
import { setItemTags } from '../store/tags.ts';
import { mergeSidecarXml } from './xmp-merge.ts';
import { termsOfTags } from './xmp-terms.ts';

/** Which sidecar a photo's tags go to: `photo.jpg.xmp` (darktable, digiKam) or `photo.xmp` (Lightroom). */
export type SidecarStyle = 'photo.jpg.xmp' | 'photo.xmp';

/** What writing one sidecar did. */
export interface SidecarWrite {
  sidecar: string;
  /** 'written': new bytes on disk; 'unchanged': it already held the tags. */
  outcome: 'written' | 'unchanged';
  /** Whether it had changed outside Glint since Glint last read it (its tags were read in first). */
  changedOutside: boolean;
}

/** The sidecar `photoPath`'s tags go to in `style`; an existing `.XMP` spelling is kept. */
export async function sidecarPathFor(photoPath: string, style: SidecarStyle): Promise<string> {
  const dir = dirname(photoPath);
  const name = basename(photoPath);
  const base = style === 'photo.xmp' ? name.slice(0, name.length - extname(name).length) : name;
  const upper = join(dir, `${base}.XMP`);
  const exists = await lstat(upper).then(
    () => true,
    () => false,
  );
  // NOTE: on a case-insensitive disk both spellings name one file; the lower-case one is then used as is.
  const lower = join(dir, `${base}.xmp`);
  const lowerExists = await lstat(lower).then(
    () => true,
    () => false,
  );
  return exists && !lowerExists ? upper : lower;
}

/** The photos whose sidecar `sidecar` is in `style` (a Lightroom `photo.xmp` is shared by photo.jpg and photo.cr2). */
export function photosOfSidecar(
  store: Store,
  sidecar: string,
  style: SidecarStyle,
  photoPath: string,
): string[] {
  if (style === 'photo.jpg.xmp') return [photoPath];
  const stem = basename(sidecar).slice(0, -'.xmp'.length);
  const prefix = join(dirname(sidecar), `${stem}.`);
  const found = photoPathsWithPrefix(store, prefix).filter((p) => !p.slice(prefix.length).includes('.'));
  return found.includes(photoPath) ? found : [photoPath, ...found];
}

/**
 * Writes the user tags of `photos` (the photos sharing `sidecar`) into it. A sidecar that differs from what
 * Glint last read or wrote was edited elsewhere: its tags are read into the library first and the write
 * merges into that version. Throws GlintError with a message naming the photo and what to do.
 */
export async function writeSidecar(
  store: Store,
  sidecar: string,
  photos: readonly string[],
): Promise<SidecarWrite> {
  const photoName = basename(photos[0] ?? sidecar);
  for (const photo of photos) {
    // Never a file outside the photo's folder, and never the photo itself.
    if (dirname(photo) !== dirname(sidecar) || photo === sidecar || extname(sidecar).toLowerCase() !== '.xmp')
      throw new Error(`sidecar ${sidecar} is not beside ${photo}`);
  }
  try {
    for (let attempt = 0; ; attempt++) {
      const current = await readSidecar(sidecar);
      const state = getSidecarState(store, sidecar);
      const changedOutside = current !== undefined && (state === undefined || state.hash !== current.hash);
      if (changedOutside) await refreshSidecarTags(store, photos);
      const merged = mergeSidecarXml(
        current?.text,
        termsOfTags(userTagsOfPaths(store, photos)),
        state?.owned ?? { subjects: [], hierarchical: [] },
      );
      if (current !== undefined && merged.xml === current.text) {
        setSidecarState(store, sidecar, { ...current, owned: merged.owned });
        return { sidecar, outcome: 'unchanged', changedOutside };
      }
      // Another app may have saved it while this merge ran: merge into that version instead.
      const again = await readSidecar(sidecar);
      if (again?.hash !== current?.hash && attempt < 3) continue;
      // write-file-atomic: a temporary file beside the sidecar, fsynced, then renamed over it, with the old
      // file's mode and owner kept. It does not flush the folder; a rename lost to a power cut leaves the
      // old sidecar, whose hash then differs from the one stored below, so the next write re-reads and merges.
      await writeFileAtomic(sidecar, merged.xml);
      const written = await readSidecar(sidecar);
      if (!written) throw new Error(`${sidecar} vanished right after it was written`);
      setSidecarState(store, sidecar, { ...written, owned: merged.owned });
      await refreshSidecarTags(store, photos);
      for (const photo of photos) markSidecarIndexed(store, photo, current?.mtimeMs ?? 0, written.mtimeMs);
      return { sidecar, outcome: 'written', changedOutside };
    }
  } catch (err) {
    throw sidecarError(err, photoName, sidecar);
  }
}

/** The sidecar's text, size, mtime and hash; undefined when there is none. Refuses a link. */
async function readSidecar(
  path: string,
): Promise<{ text: string; size: number; mtimeMs: number; hash: string } | undefined> {
  let st;
  try {
    st = await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  if (!st.isFile())
    throw new GlintError('sidecar-not-file', `${basename(path)} is a link or a folder, not a file`);
  const bytes = await readFile(path);
  return {
    text: bytes.toString('utf8'),
    size: bytes.length,
    mtimeMs: st.mtimeMs,
    hash: createHash('sha256').update(bytes).digest('hex'),
  };
}

/** Reads the photos' XMP keywords again, through the same reader indexing uses, so none are lost. */
async function refreshSidecarTags(store: Store, photos: readonly string[]): Promise<void> {
  for (const photo of photos) {
    const id = photoItemIdOf(store, photo);
    if (id === undefined) continue;
    const meta = await readPhotoMetadata(photo);
    setItemTags(store, id, 'xmp', keywordsBySource(meta).xmp);
  }
}

/** A failure in words a photographer understands, naming the photo. */
function sidecarError(err: unknown, photoName: string, sidecar: string): GlintError {
  const lead = `Could not write the sidecar for ${photoName}`;
  if (err instanceof GlintError && err.code === 'sidecar-invalid')
    return new GlintError(
      'sidecar-invalid',
      `${lead}: ${basename(sidecar)} ${err.message}. Glint left it as it is; fix or move it and tag again.`,
      { cause: err },
    );
  if (err instanceof GlintError) return new GlintError(err.code, `${lead}: ${err.message}.`, { cause: err });
  const code = (err as NodeJS.ErrnoException).code;
  const why =
    code === 'EACCES' || code === 'EPERM' || code === 'EROFS'
      ? 'the folder is read-only'
      : code === 'ENOSPC'
        ? 'the disk is full'
        : code === 'ENOENT'
          ? 'its folder is not there any more'
          : `${(err as Error).message ?? String(err)}`;
  return new GlintError('sidecar-write', `${lead}: ${why}.`, { cause: err });
}
