/**
 * Everything Glint does with pixels through sharp (libvips): probing, CLIP preprocessing and
 * thumbnails. This is the only module that imports sharp.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import sharp, { type KernelEnum, type Metadata, type Sharp } from 'sharp';
import type { PreprocessConfig, Resample } from '../clip/preprocess-config.ts';
import { GlintError } from '../errors.ts';
import { resizeTarget, rgbToClipTensor } from './clip-tensor.ts';
import { imageError } from './image-errors.ts';

export { describeImageError, decodeError, type ImageError, type ImageErrorCode } from './image-errors.ts';

/** A file path or the encoded bytes of an image. */
export type ImageInput = string | Buffer;

/** What the header says about an image. */
export interface ImageProbe {
  /** Width as displayed, i.e. after the EXIF orientation is applied. */
  width: number;
  /** Height as displayed, i.e. after the EXIF orientation is applied. */
  height: number;
  /** sharp's format name: jpeg, png, webp, heif (HEIC and AVIF), gif, tiff, ... */
  format: string;
  /** EXIF orientation 1–8 (1 when absent). */
  orientation: number;
  hasAlpha: boolean;
  /** Colour space interpretation: srgb, b-w, cmyk, rgb16, grey16, ... */
  space: string;
  /** Frames or pages (GIF, WebP animation, multi-page TIFF); only the first is used. */
  pages: number;
}

/** Result of {@link makeThumbnail}. */
export interface ThumbnailInfo {
  /** Thumbnail size. */
  width: number;
  height: number;
  /** Size of the source image as displayed (orientation applied). */
  sourceWidth: number;
  sourceHeight: number;
}

/**
 * Largest image decoded, in pixels. Measured here (sharp 0.35 / libvips 8.18): a 10000×10000 (100 MP)
 * JPEG of noise (55 MB) preprocesses in 1.5 s with peak RSS +56 MB, a 100 MP PNG in 1.4 s with +32 MB,
 * and with EXIF orientation 6 a 100 MP JPEG still stays flat in memory: libvips streams and
 * shrinks on load. So 100 MP is accepted; past 200 MP (sharp's own default is 268 MP) an image is
 * refused with 'image-too-large', before any pixel is decoded (the header is trusted for the size).
 */
export const MAX_INPUT_PIXELS = 200_000_000;

const SHARP_KERNEL: Record<Resample, keyof KernelEnum> = {
  nearest: 'nearest',
  bilinear: 'linear',
  // NOTE: sharp's 'cubic' is Catmull-Rom (Keys a = −0.5), PIL's BICUBIC; on real 640×480 photos
  // downscaled to 224 it differs from PIL by 0.2 levels on average (max 3–6 of 255). Upscaling
  // (short side < 224) goes through libvips' bicubic interpolator: about 1 level mean, max 3 on
  // smooth content.
  bicubic: 'cubic',
  lanczos: 'lanczos3',
};

const WHITE = { r: 255, g: 255, b: 255 };

function open(input: ImageInput): Sharp {
  // failOn 'warning' (sharp's strictest, and its default) makes a truncated JPEG an error instead
  // of a silently grey-filled picture; autoOrient applies the EXIF orientation before anything else.
  return sharp(input, { failOn: 'warning', limitInputPixels: MAX_INPUT_PIXELS, autoOrient: true });
}

async function checkNotEmpty(input: ImageInput): Promise<void> {
  const size = typeof input === 'string' ? (await stat(input)).size : input.length;
  if (size === 0)
    throw new GlintError('image-empty', 'the file is empty (0 bytes); re-copy it from its source');
}

async function readHeader(input: ImageInput): Promise<Metadata> {
  try {
    await checkNotEmpty(input);
    const meta = await open(input).metadata();
    // The prebuilt libvips has no HEVC decoder: say so now instead of failing mid-decode.
    if (meta.format === 'heif' && meta.compression === 'hevc') {
      throw new GlintError(
        'image-unsupported',
        'this HEIC/HEIF photo uses HEVC compression, which this build cannot decode; export it as JPEG',
      );
    }
    if (meta.width * meta.height > MAX_INPUT_PIXELS) {
      throw new Error(`Input image exceeds pixel limit (${meta.width}×${meta.height})`);
    }
    return meta;
  } catch (err) {
    throw imageError(err);
  }
}

/** Reads an image's header: displayed size, format, orientation, alpha, colour space, pages. */
export async function probeImage(input: ImageInput): Promise<ImageProbe> {
  const meta = await readHeader(input);
  return {
    width: meta.autoOrient.width,
    height: meta.autoOrient.height,
    format: meta.format,
    orientation: meta.orientation ?? 1,
    hasAlpha: meta.hasAlpha,
    space: meta.space,
    pages: meta.pages ?? 1,
  };
}

/**
 * Decodes an image to the CLIP vision input: a 3×H×W float32 tensor (CHW), following `config`.
 * Steps: EXIF orientation; first frame only; alpha flattened onto white; any colour space or bit
 * depth (grey, CMYK, 16-bit) converted to 8-bit sRGB; resize (HF sizes, {@link resizeTarget});
 * centre crop, rescale and normalise ({@link rgbToClipTensor}).
 *
 * NOTE: alpha is flattened onto white, where HF's `convert("RGB")` just drops it: the colour under
 * transparent pixels is arbitrary (often black), while white is what viewers and Glint's own
 * thumbnails show, so the embedding describes the picture the user sees.
 */
export async function preprocessForClip(input: ImageInput, config: PreprocessConfig): Promise<Float32Array> {
  const meta = await readHeader(input);
  const target = resizeTarget(config, meta.autoOrient.width, meta.autoOrient.height);
  try {
    let pipeline = open(input).flatten({ background: WHITE }).toColourspace('srgb');
    if (config.resize !== null) {
      pipeline = pipeline.resize(target.width, target.height, {
        fit: 'fill',
        kernel: SHARP_KERNEL[config.resample],
        // NOTE: full shrink-on-load (JPEG DCT scaling) is off: on a 4000×2637 JPEG it moves the
        // result from 0.5 to 2.2 levels mean difference vs PIL, for about a third less time.
        fastShrinkOnLoad: false,
      });
    }
    const { data, info } = await pipeline
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3)
      throw new Error(`expected 3 channels after sRGB conversion, got ${info.channels}`);
    return rgbToClipTensor({ data, width: info.width, height: info.height }, config);
  } catch (err) {
    throw imageError(err);
  }
}

/**
 * Above this many pixels a photo is decoded twice (CLIP tensor and thumbnail, each streamed and shrunk
 * on load) instead of once into memory: 40 MP of 8-bit RGB is 120 MB, about what two streaming decodes
 * of a 100 MP image peak at together.
 */
export const ONE_DECODE_MAX_PIXELS = 40_000_000;

/** What decoding a photo for the index gives: its CLIP tensor and the size it is displayed at. */
export interface IndexedImage {
  tensor: Float32Array;
  width: number;
  height: number;
}

/**
 * Decodes a photo's bytes ONCE (orientation applied, alpha flattened onto white, 8-bit sRGB) and makes
 * both the CLIP tensor and the WebP thumbnail at `thumbPath` from those pixels. The tensor is computed
 * exactly as `preprocessForClip` computes it (same resize kernel, from the same full-size pixels).
 */
export async function decodeForIndex(
  bytes: Buffer,
  config: PreprocessConfig,
  thumbPath: string,
  { size = 320 }: { size?: number } = {},
): Promise<IndexedImage> {
  const meta = await readHeader(bytes);
  const width = meta.autoOrient.width;
  const height = meta.autoOrient.height;
  if (width * height > ONE_DECODE_MAX_PIXELS) {
    const [tensor] = await Promise.all([
      preprocessForClip(bytes, config),
      makeThumbnail(bytes, thumbPath, { size }),
    ]);
    return { tensor, width, height };
  }
  let rgb: { data: Buffer; info: { width: number; height: number; channels: number } };
  try {
    rgb = await open(bytes)
      .flatten({ background: WHITE })
      .toColourspace('srgb')
      .removeAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (err) {
    throw imageError(err);
  }
  const raw = { raw: { width: rgb.info.width, height: rgb.info.height, channels: 3 as const } };
  const target = resizeTarget(config, width, height);
  const clip = async (): Promise<Float32Array> => {
    let pipeline = sharp(rgb.data, raw);
    if (config.resize !== null) {
      pipeline = pipeline.resize(target.width, target.height, {
        fit: 'fill',
        kernel: SHARP_KERNEL[config.resample],
      });
    }
    const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    return rgbToClipTensor({ data, width: info.width, height: info.height }, config);
  };
  const [tensor] = await Promise.all([clip(), writeWebp(sharp(rgb.data, raw), thumbPath, size)]);
  return { tensor, width, height };
}

/** Resizes into size×size (never upscaled) and writes WebP atomically: a temporary file, then a rename. */
async function writeWebp(
  image: Sharp,
  outPath: string,
  size: number,
): Promise<{ width: number; height: number }> {
  await mkdir(path.dirname(outPath), { recursive: true });
  const tmp = `${outPath}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const info = await image
      .resize(size, size, { fit: 'inside', withoutEnlargement: true })
      // NOTE: effort 2 (of 0–6) against the default 4, measured on the shared photos: 4.7 ms instead of 9.0 ms
      // per 320 px thumbnail, for files 3 % larger at the same quality setting.
      .webp({ quality: 80, effort: 2 })
      .toFile(tmp);
    await rename(tmp, outPath);
    return { width: info.width, height: info.height };
  } catch (err) {
    await unlink(tmp).catch(() => undefined);
    if (isDiskFull(err))
      throw new GlintError(
        'disk-full',
        `The disk holding the library is full, so the thumbnail could not be saved (${path.dirname(path.dirname(outPath))}). Free some space; Glint will read this photo again.`,
        { cause: err },
      );
    throw imageError(err);
  }
}

/** Whether a write failed for want of space (an fs error, or libvips' own message for one). */
function isDiskFull(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return (
    code === 'ENOSPC' || code === 'EDQUOT' || /no space left on device|disk quota exceeded/i.test(String(err))
  );
}

/**
 * Writes a WebP thumbnail that fits in size×size (orientation applied, never upscaled) to
 * `outPath`, atomically: a temporary file in the same folder, then a rename.
 */
export async function makeThumbnail(
  input: ImageInput,
  outPath: string,
  { size = 320 }: { size?: number } = {},
): Promise<ThumbnailInfo> {
  const meta = await readHeader(input);
  const info = await writeWebp(open(input), outPath, size);
  return { ...info, sourceWidth: meta.autoOrient.width, sourceHeight: meta.autoOrient.height };
}
