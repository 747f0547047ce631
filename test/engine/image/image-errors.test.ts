import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp, { type SharpOptions } from 'sharp';
import { describe, expect, it } from 'vitest';
import { GlintError } from '../../../src/engine/errors.ts';
import { decodeError, describeImageError, imageError } from '../../../src/engine/image/image-errors.ts';

/** What sharp really throws (synchronously or not) when asked to decode `input`. */
async function sharpFailure(input: Buffer | string, opts?: SharpOptions): Promise<unknown> {
  try {
    await sharp(input, opts).raw().toBuffer();
  } catch (err) {
    return err;
  }
  throw new Error('expected sharp to fail');
}

describe('describeImageError', () => {
  it('maps sharp’s own failures: empty input, unknown format, a truncated JPEG', async () => {
    expect(describeImageError(await sharpFailure(Buffer.alloc(0))).code).toBe('image-empty');
    const random = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    const unknown = describeImageError(await sharpFailure(random));
    expect(unknown.code).toBe('image-unsupported');
    expect(unknown.message).toMatch(
      /^the file is not in an image format Glint can read \(JPEG, PNG.*\(.+\)$/,
    );
    const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#336699' } })
      .jpeg()
      .toBuffer();
    const truncated = describeImageError(
      await sharpFailure(jpeg.subarray(0, jpeg.length >> 1), { failOn: 'truncated' }),
    );
    expect(truncated.code).toBe('image-corrupt');
  });

  it('calls a missing or unreadable file unreadable, with the system’s reason', async () => {
    const missing = join(tmpdir(), 'glint-surely-missing.jpg');
    const fsErr = await readFile(missing).catch((e: unknown) => e);
    expect(describeImageError(fsErr)).toEqual({
      code: 'image-unreadable',
      message: `the file cannot be read (ENOENT: no such file or directory, open '${missing}')`,
    });
    expect(describeImageError(await sharpFailure(missing))).toMatchObject({ code: 'image-unreadable' });
  });

  it('matches each rule on its words, case-insensitively, and keeps the detail', () => {
    const cases: Array<[string, string]> = [
      ['Input buffer is empty', 'image-empty'],
      ['Input image exceeds pixel limit', 'image-too-large'],
      ['Compression format has not been built in', 'image-unsupported'],
      ['heif: Unsupported codec', 'image-unsupported'],
      ['Input file contains unsupported image format', 'image-unsupported'],
      ['VipsJpeg: Premature end of JPEG file', 'image-corrupt'],
      ['pngload: CRC error', 'image-corrupt'],
      ['Huffman table 0x00 was not defined', 'image-corrupt'],
      ['something nobody expected', 'image-decode-failed'],
    ];
    for (const [message, code] of cases) {
      const d = describeImageError(new Error(message));
      expect(d.code, message).toBe(code);
      expect(d.message.endsWith(`(${message})`), d.message).toBe(true);
    }
    expect(describeImageError('a string was thrown')).toEqual({
      code: 'image-decode-failed',
      message: 'the image could not be decoded (a string was thrown)',
    });
  });

  it('shows libheif’s last line as the detail, dropping its "source: bad seek" probes', () => {
    const err = new Error('source: bad seek to 1234\nsource: bad seek to 99\n  heif: Unsupported codec  \n');
    expect(describeImageError(err)).toEqual({
      code: 'image-unsupported',
      message:
        'this HEIC/HEIF photo uses HEVC compression, which this build cannot decode; export it as JPEG (heif: Unsupported codec)',
    });
  });

  it('passes an image GlintError through and is the same function as decodeError', () => {
    const e = new GlintError('image-too-large', 'too big');
    expect(describeImageError(e)).toEqual({ code: 'image-too-large', message: 'too big' });
    // A GlintError of another kind is described by its message like any error.
    expect(describeImageError(new GlintError('db-locked', 'corrupt thing')).code).toBe('image-corrupt');
    expect(decodeError).toBe(describeImageError);
  });
});

describe('imageError', () => {
  it('wraps a decoder failure in a GlintError with the cause kept', () => {
    const cause = new Error('Input buffer is empty');
    const e = imageError(cause);
    expect(e).toBeInstanceOf(GlintError);
    expect(e.code).toBe('image-empty');
    expect(e.message).toBe('the file is empty (0 bytes); re-copy it from its source (Input buffer is empty)');
    expect(e.cause).toBe(cause);
  });

  it('returns an image GlintError as it is instead of wrapping it again', () => {
    const once = imageError(new Error('bogus marker'));
    expect(imageError(once)).toBe(once);
  });
});
