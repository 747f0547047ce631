/** Turning a dropped or pasted file into an image query: its bytes, its name and a small preview. */

import { MAX_IMAGE_BYTES } from '../../../contract/limits.ts';

/** The host refuses dropped images over this size; checking here saves sending them. */
export const MAX_DROP_BYTES = MAX_IMAGE_BYTES;
const PREVIEW_PX = 96;
const IMAGE_EXT = /\.(jpe?g|png|webp|gif|avif|tiff?|heic|heif|bmp)$/i;

/** Whether a file looks like an image (by MIME type, or by extension when the OS gives none). */
export function isImageFile(file: Pick<File, 'type' | 'name'>): boolean {
  return file.type.startsWith('image/') || (!file.type && IMAGE_EXT.test(file.name));
}

/** The first image among dropped or pasted files. */
export function firstImage(files: ArrayLike<File> | null | undefined): File | null {
  if (!files) return null;
  for (let i = 0; i < files.length; i++) {
    const f = files[i];
    if (f && isImageFile(f)) return f;
  }
  return null;
}

/** A small JPEG data: URL of the image for the query chip, or '' when the browser cannot decode it. */
export async function previewOf(file: Blob): Promise<string> {
  try {
    const bitmap = await createImageBitmap(file);
    const scale = PREVIEW_PX / Math.max(bitmap.width, bitmap.height, 1);
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(bitmap.width * Math.min(1, scale)));
    canvas.height = Math.max(1, Math.round(bitmap.height * Math.min(1, scale)));
    canvas.getContext('2d')?.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    bitmap.close();
    return canvas.toDataURL('image/jpeg', 0.8);
  } catch {
    return '';
  }
}
