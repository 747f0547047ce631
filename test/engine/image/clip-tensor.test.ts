import { describe, expect, it } from 'vitest';
import { parsePreprocessConfig } from '../../../src/engine/clip/preprocess-config.ts';
import { resizeTarget, rgbToClipTensor, type RgbImage } from '../../../src/engine/image/clip-tensor.ts';

const CLIP = parsePreprocessConfig({});
const MEAN = [0.48145466, 0.4578275, 0.40821073];
const STD = [0.26862954, 0.26130258, 0.27577711];

function randomImage(width: number, height: number, seed: number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  let s = seed;
  for (let i = 0; i < data.length; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = s >>> 24;
  }
  return { data, width, height };
}

/** Plain reference, written from HF's center_crop / rescale / normalize (numpy, HWC → CHW). */
function reference(img: RgbImage, cropH: number, cropW: number): number[] {
  const pyFloorDiv = (a: number, b: number): number => Math.floor(a / b);
  const top = pyFloorDiv(img.height - cropH, 2);
  const left = pyFloorDiv(img.width - cropW, 2);
  const out: number[] = [];
  for (let c = 0; c < 3; c++) {
    for (let y = 0; y < cropH; y++) {
      for (let x = 0; x < cropW; x++) {
        const sy = top + y;
        const sx = left + x;
        const v =
          sy >= 0 && sy < img.height && sx >= 0 && sx < img.width
            ? img.data[(sy * img.width + sx) * 3 + c]!
            : 0;
        out.push((v / 255 - MEAN[c]!) / STD[c]!);
      }
    }
  }
  return out;
}

describe('resizeTarget (HF get_resize_output_image_size)', () => {
  it.each([
    [640, 422, 339, 224], // int(224 * 640 / 422) = int(339.71)
    [422, 640, 224, 339],
    [500, 375, 298, 224],
    [224, 224, 224, 224],
    [1, 1, 224, 224],
    [4000, 50, 17920, 224],
    [50, 4000, 224, 17920],
    [100, 99, 226, 224], // 226.26 → 226
  ])('%i×%i → %i×%i', (w, h, ew, eh) => {
    expect(resizeTarget(CLIP, w, h)).toEqual({ width: ew, height: eh });
  });

  it('follows exact sizes and do_resize = false', () => {
    expect(resizeTarget(parsePreprocessConfig({ size: { height: 10, width: 20 } }), 640, 480)).toEqual({
      width: 20,
      height: 10,
    });
    expect(resizeTarget(parsePreprocessConfig({ do_resize: false }), 640, 480)).toEqual({
      width: 640,
      height: 480,
    });
  });
});

describe('rgbToClipTensor', () => {
  it.each([
    [300, 260],
    [225, 224], // odd difference: left = (225 - 224) // 2 = 0
    [227, 400],
    [224, 224],
  ])('centre-crops and normalises a %i×%i image like the reference', (w, h) => {
    const img = randomImage(w, h, w * 1000 + h);
    const got = rgbToClipTensor(img, CLIP);
    const want = reference(img, 224, 224);
    expect(got.length).toBe(3 * 224 * 224);
    let maxDiff = 0;
    for (let i = 0; i < want.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got[i]! - want[i]!));
    // float32 output vs float64 reference: within float32 rounding of values up to ~2.2.
    expect(maxDiff).toBeLessThan(1e-6);
  });

  it('zero-pads an image smaller than the crop, the odd pixel going before (HF ceil(d / 2))', () => {
    const img = randomImage(7, 4, 3);
    const config = parsePreprocessConfig({ do_resize: false, crop_size: { height: 7, width: 10 } });
    const got = rgbToClipTensor(img, config);
    const want = reference(img, 7, 10);
    for (let i = 0; i < want.length; i++) expect(got[i]).toBeCloseTo(want[i]!, 6);
    // Row 0 and column 0 are padding (ceil(3 / 2) = 2 rows and ceil(3 / 2) = 2 columns before).
    expect(got[0]).toBeCloseTo(-MEAN[0]! / STD[0]!, 6);
    expect(got[2 * 10 + 2]).toBeCloseTo(img.data[0]! / 255 / STD[0]! - MEAN[0]! / STD[0]!, 5);
  });

  it('reproduces float32 arithmetic bit for bit (rescale to f32, then (x − mean) / std in f32)', () => {
    const img: RgbImage = { data: Uint8Array.of(0, 128, 255), width: 1, height: 1 };
    const config = parsePreprocessConfig({ do_resize: false, do_center_crop: false });
    const got = rgbToClipTensor(img, config);
    const f = Math.fround;
    [0, 128, 255].forEach((v, c) => expect(got[c]).toBe(f(f(f(v * (1 / 255)) - f(MEAN[c]!)) / f(STD[c]!))));
  });

  it('skips rescale and normalise when the config says so', () => {
    const img = randomImage(5, 3, 1);
    const raw = rgbToClipTensor(
      img,
      parsePreprocessConfig({
        do_resize: false,
        do_center_crop: false,
        do_rescale: false,
        do_normalize: false,
      }),
    );
    expect(raw[0]).toBe(img.data[0]);
    expect(raw[15]).toBe(img.data[1]); // channel 1 plane starts at 5 × 3
  });
});
