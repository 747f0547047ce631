/**
 * The sharp-free half of CLIP image preprocessing: the resize arithmetic and the centre-crop /
 * rescale / normalise step from 8-bit RGB to a float32 CHW tensor, exactly as Hugging Face's
 * CLIPImageProcessor does them.
 */
import type { PreprocessConfig } from '../clip/preprocess-config.ts';

/** Interleaved 8-bit RGB pixels, row-major. */
export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * The size an image of width×height is resized to. For a shortest-edge resize this is HF's
 * `get_resize_output_image_size(default_to_square=False)`: the short side becomes `shortestEdge`
 * and the long side `int(shortestEdge * long / short)` (truncated, not rounded).
 */
export function resizeTarget(
  config: PreprocessConfig,
  width: number,
  height: number,
): { width: number; height: number } {
  const resize = config.resize;
  if (resize === null) return { width, height };
  if (!('shortestEdge' in resize)) return { width: resize.width, height: resize.height };
  const edge = resize.shortestEdge;
  // NOTE: same double-precision expression as Python's int(size * long / short).
  if (width <= height) return { width: edge, height: Math.trunc((edge * height) / width) };
  return { width: Math.trunc((edge * width) / height), height: edge };
}

/** The H×W of the tensor for an image that was resized to width×height (the crop size, if any). */
export function tensorSize(
  config: PreprocessConfig,
  width: number,
  height: number,
): { width: number; height: number } {
  return config.crop ?? { width, height };
}

/**
 * Centre-crops, rescales and normalises an RGB image into a 3×H×W float32 tensor (CHW).
 * Crop offsets follow HF's `center_crop`: top = (h − crop_h) // 2, left = (w − crop_w) // 2 (floor);
 * where the image is smaller than the crop it is zero-padded around the centre, the extra pixel
 * going before (top_pad = ceil(d / 2)) — the same floor((h − crop_h) / 2) offset, negative.
 */
export function rgbToClipTensor(image: RgbImage, config: PreprocessConfig): Float32Array {
  const { width: outW, height: outH } = tensorSize(config, image.width, image.height);
  const top = Math.floor((image.height - outH) / 2);
  const left = Math.floor((image.width - outW) / 2);
  const plane = outW * outH;
  const out = new Float32Array(3 * plane);
  // NOTE: HF rescales to float32 and normalises in float32 (mean/std cast to the image dtype);
  // Math.fround after each step reproduces those roundings bit for bit.
  const scale = config.rescale ?? 1;
  const mean = (config.normalize?.mean ?? [0, 0, 0]).map(Math.fround);
  const std = (config.normalize?.std ?? [1, 1, 1]).map(Math.fround);
  const value = new Float32Array(256 * 3);
  for (let c = 0; c < 3; c++) {
    for (let v = 0; v < 256; v++) {
      const rescaled = Math.fround(v * scale);
      value[c * 256 + v] = config.normalize
        ? Math.fround(Math.fround(rescaled - (mean[c] as number)) / (std[c] as number))
        : rescaled;
    }
  }
  for (let y = 0; y < outH; y++) {
    const sy = y + top;
    for (let x = 0; x < outW; x++) {
      const sx = x + left;
      const inside = sy >= 0 && sy < image.height && sx >= 0 && sx < image.width;
      const src = (sy * image.width + sx) * 3;
      for (let c = 0; c < 3; c++) {
        const v = inside ? (image.data[src + c] as number) : 0;
        out[c * plane + y * outW + x] = value[c * 256 + v] as number;
      }
    }
  }
  return out;
}
