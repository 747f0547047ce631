/** Content types of the files the media endpoints serve (photos, thumbnails and notes). */
import { extname } from 'node:path';

const TYPES: Record<string, string> = {
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.avif': 'image/avif',
  '.heic': 'image/heic',
  '.heif': 'image/heif',
  '.md': 'text/markdown; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

/** The content type for a file by its extension (octet-stream when unknown, so nothing is sniffed as HTML). */
export function contentTypeOf(path: string): string {
  return TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** The extension to give a dropped image's temp file: its own when it is a known image type, else none. */
export function imageExtension(name: string): string {
  const ext = extname(name).toLowerCase();
  return TYPES[ext]?.startsWith('image/') ? ext : '';
}

/** A media request's item id, from a URL path segment: digits only, a positive safe integer. */
export function parseMediaId(segment: string): number | null {
  if (!/^[1-9][0-9]{0,15}$/.test(segment)) return null;
  const n = Number(segment);
  return Number.isSafeInteger(n) ? n : null;
}
