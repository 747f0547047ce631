/**
 * Turns decoder failures (libvips/sharp messages, fs errors) into stable codes and messages a user
 * can act on. Kept free of sharp so callers in other threads can use it.
 */
import { GlintError, errorMessage } from '../errors.ts';

/** Stable codes for images that cannot be used. */
export type ImageErrorCode =
  | 'image-empty'
  | 'image-corrupt'
  | 'image-unsupported'
  | 'image-too-large'
  | 'image-unreadable'
  | 'image-decode-failed';

/** A readable image failure: `code` for scripts and the store, `message` for the user. */
export interface ImageError {
  code: ImageErrorCode;
  message: string;
}

const RULES: Array<[RegExp, ImageErrorCode, string]> = [
  [
    /buffer is empty|zero-byte|file is empty/i,
    'image-empty',
    'the file is empty (0 bytes); re-copy it from its source',
  ],
  [
    /exceeds pixel limit/i,
    'image-too-large',
    'the image is too large to decode safely (more pixels than the limit); downscale it to under 100 megapixels',
  ],
  [
    /compression format has not been built in|unsupported codec|hevc/i,
    'image-unsupported',
    'this HEIC/HEIF photo uses HEVC compression, which this build cannot decode; export it as JPEG',
  ],
  [
    /unsupported image format|not a known file format|unsupported file format/i,
    'image-unsupported',
    'the file is not in an image format Glint can read (JPEG, PNG, WebP, AVIF, GIF, TIFF)',
  ],
  [
    /premature end|truncated|corrupt|invalid|bad seek|unexpected end|crc error|read error|not a jpeg|damaged|incomplete|bogus|huffman|out of order/i,
    'image-corrupt',
    'the image data is damaged or incomplete',
  ],
];

/** Maps any thrown value from decoding an image to a readable {code, message}. */
export function describeImageError(err: unknown): ImageError {
  if (err instanceof GlintError && err.code.startsWith('image-')) {
    return { code: err.code as ImageErrorCode, message: err.message };
  }
  const fsCode = (err as NodeJS.ErrnoException | undefined)?.code;
  const detail = mainLine(errorMessage(err));
  if (typeof fsCode === 'string' && /^E[A-Z]+$/.test(fsCode)) {
    return { code: 'image-unreadable', message: `the file cannot be read (${detail})` };
  }
  if (/input file is missing/i.test(detail)) {
    return { code: 'image-unreadable', message: `the file cannot be read (${detail})` };
  }
  for (const [pattern, code, message] of RULES) {
    if (pattern.test(errorMessage(err))) return { code, message: `${message} (${detail})` };
  }
  return { code: 'image-decode-failed', message: `the image could not be decoded (${detail})` };
}

/** Same as {@link describeImageError}, under the name the ingest brief uses. */
export const decodeError = describeImageError;

/** Wraps a decoder failure in a GlintError carrying the readable code and message. */
export function imageError(err: unknown): GlintError {
  const { code, message } = describeImageError(err);
  return err instanceof GlintError && err.code === code ? err : new GlintError(code, message, { cause: err });
}

// libheif prefixes its message with one "source: bad seek" line per probe; the last line says why.
function mainLine(message: string): string {
  const lines = message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^source: bad seek/.test(l));
  return lines.at(-1) ?? message.trim();
}
