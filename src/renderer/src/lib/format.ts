/** Human-readable numbers and dates for the UI (locale-aware, no libraries). */
import type { TakenSource } from '../../../contract/api.ts';

/** A capture date like "12 Mar 2021, 14:05", or an em dash when unknown. */
export function formatDate(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** A short date without time. */
export function formatDay(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  return new Date(ms).toLocaleDateString(undefined, { dateStyle: 'medium' });
}

/** Seconds left as "about 3 min" / "12 s" / "1 h 05 min". */
export function formatEta(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return 'estimating…';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.round(s / 60)} min`;
  const h = Math.floor(s / 3600);
  return `${h} h ${String(Math.round((s % 3600) / 60)).padStart(2, '0')} min`;
}

/** A byte count as "1.2 MB". */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  // NOTE: decimal units (1000), as file managers on every platform now show sizes.
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${v < 10 && u > 0 ? v.toFixed(1) : Math.round(v)} ${units[u]}`;
}

/** Latitude and longitude as "48.8584° N, 2.2945° E". */
export function formatPlace(lat: number | undefined, lon: number | undefined): string {
  if (lat === undefined || lon === undefined) return '—';
  const ns = lat >= 0 ? 'N' : 'S';
  const ew = lon >= 0 ? 'E' : 'W';
  return `${Math.abs(lat).toFixed(4)}° ${ns}, ${Math.abs(lon).toFixed(4)}° ${ew}`;
}

/** A count with its noun, pluralised the English way: "1 photo", "3 photos". */
export function plural(n: number, noun: string, many = `${noun}s`): string {
  return `${n.toLocaleString()} ${n === 1 ? noun : many}`;
}

/** The last path segment, for labels. */
export function baseName(path: string): string {
  const parts = path.split(/[\\/]/);
  return parts[parts.length - 1] || path;
}

/** Where a photo's date came from, as the lightbox says it after the date. */
export function takenSourceLabel(source: TakenSource | undefined): string {
  switch (source) {
    case 'exif':
      return 'from the camera (EXIF)';
    case 'xmp':
      return 'from XMP metadata';
    case 'filename':
      return 'from the file name';
    case 'mtime':
      return 'from the file’s modified time';
    default:
      return '';
  }
}

/** A photo's date with where it came from: "14 July 2019, 15:30 · from the file name"; an em dash when unknown. */
export function formatTaken(ms: number | undefined, source: TakenSource | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return '—';
  const date = new Date(ms).toLocaleString(undefined, { dateStyle: 'long', timeStyle: 'short' });
  const from = takenSourceLabel(source);
  return from ? `${date} · ${from}` : date;
}

/** A month header such as "July 2019" (month 1–12). */
export function formatMonth(year: number, month: number): string {
  return new Date(year, month - 1, 1).toLocaleDateString(undefined, { month: 'long', year: 'numeric' });
}

/** A short month name such as "Jul" (month 1–12), for the timeline scrubber. */
export function shortMonth(month: number): string {
  return new Date(2000, month - 1, 1).toLocaleDateString(undefined, { month: 'short' });
}
