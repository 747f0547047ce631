/** The one rule for a photo's date: its metadata, else a date in its file name, else its modification time. */
import type { TakenSource } from '../types.ts';
import { dateFromFileName } from './filename-date.ts';

/** A photo's date and where it came from. */
export interface PhotoDate {
  takenAt: number;
  takenSource: TakenSource;
}

/**
 * The date of the photo at `path`: the capture time its metadata gave (with that source), else a date in
 * its file name, else `mtimeMs`; undefined only when none is known. `now` refuses file-name dates in the
 * future (a name such as `IMG_20990101` is a counter, not a date).
 */
export function photoDate(
  meta: { takenAt?: number | null; takenSource?: 'exif' | 'xmp' },
  path: string,
  mtimeMs: number | null | undefined,
  now?: number,
): PhotoDate | undefined {
  if (meta.takenAt !== undefined && meta.takenAt !== null)
    return { takenAt: meta.takenAt, takenSource: meta.takenSource ?? 'exif' };
  const named = dateFromFileName(path, now === undefined ? {} : { now });
  if (named !== undefined) return { takenAt: named, takenSource: 'filename' };
  if (mtimeMs !== undefined && mtimeMs !== null && Number.isFinite(mtimeMs) && mtimeMs > 0)
    return { takenAt: Math.round(mtimeMs), takenSource: 'mtime' };
  return undefined;
}
