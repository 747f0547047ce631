import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp, { type Sharp } from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePreprocessConfig, type PreprocessConfig } from '../../../src/engine/clip/preprocess-config.ts';
import { rgbToClipTensor } from '../../../src/engine/image/clip-tensor.ts';
import {
  decodeForIndex,
  describeImageError,
  makeThumbnail,
  MAX_INPUT_PIXELS,
  preprocessForClip,
  probeImage,
} from '../../../src/engine/image/sharp-image.ts';

const PHOTOS = fileURLToPath(new URL('../../../../shared/data/photos/', import.meta.url));
const havePhotos = existsSync(PHOTOS);
if (!havePhotos) console.warn(`real-photo image tests skipped: ${PHOTOS} not found`);

const CLIP = parsePreprocessConfig({});
/** Keeps the decoded, oriented, sRGB pixels: no resize, no crop, values 0..255. */
const RAW: PreprocessConfig = parsePreprocessConfig({
  do_resize: false,
  do_center_crop: false,
  do_rescale: false,
  do_normalize: false,
});
const MEAN = [0.48145466, 0.4578275, 0.40821073];
const STD = [0.26862954, 0.26130258, 0.27577711];

/** Back from a normalised CLIP value to a 0..255 level. */
const level = (v: number, c: number): number => (v * STD[c]! + MEAN[c]!) * 255;

function solid(width: number, height: number, rgb: [number, number, number]): Sharp {
  return sharp({ create: { width, height, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } });
}

/** RGB at (x, y) of a 3×H×W tensor. */
function pixel(t: Float32Array, width: number, height: number, x: number, y: number): number[] {
  return [0, 1, 2].map((c) => t[c * width * height + y * width + x]!);
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'glint-img-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('preprocessForClip', () => {
  it('matches sharp resize + the plain centre-crop/normalise reference on a synthetic image', async () => {
    const width = 301;
    const height = 257;
    const data = Buffer.alloc(width * height * 3);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = (y * width + x) * 3;
        data[i] = (x * 5 + y) % 256;
        data[i + 1] = (y * 3) % 256;
        data[i + 2] = (x * y) % 256;
      }
    }
    const png = await sharp(data, { raw: { width, height, channels: 3 } })
      .png()
      .toBuffer();
    const got = await preprocessForClip(png, CLIP);
    expect(got.length).toBe(3 * 224 * 224);
    // Independent route: shortest edge 257 → 224, long side int(224 * 301 / 257) = 262, bicubic.
    const resized = await sharp(data, { raw: { width, height, channels: 3 } })
      .resize(262, 224, { fit: 'fill', kernel: 'cubic' })
      .raw()
      .toBuffer();
    const top = Math.floor((224 - 224) / 2);
    const left = Math.floor((262 - 224) / 2); // 19
    for (const [x, y] of [
      [0, 0],
      [223, 223],
      [100, 37],
      [5, 200],
    ] as const) {
      const src = ((top + y) * 262 + left + x) * 3;
      const want = [0, 1, 2].map((c) => (resized[src + c]! / 255 - MEAN[c]!) / STD[c]!);
      pixel(got, 224, 224, x, y).forEach((v, c) => expect(v).toBeCloseTo(want[c]!, 5));
    }
    expect(got).toEqual(rgbToClipTensor({ data: resized, width: 262, height: 224 }, CLIP));
  });

  it('applies EXIF orientation 6 first (the stored top row becomes the right column)', async () => {
    // Stored 40×20: left half red, right half blue. Orientation 6 = rotate 90° clockwise to display.
    const left = await solid(20, 20, [255, 0, 0]).png().toBuffer();
    const file = path.join(dir, 'orient6.jpg');
    await solid(40, 20, [0, 0, 255])
      .composite([{ input: left, left: 0, top: 0 }])
      .withMetadata({ orientation: 6 })
      .jpeg({ quality: 95 })
      .toFile(file);
    expect(await probeImage(file)).toMatchObject({ width: 20, height: 40, orientation: 6, format: 'jpeg' });
    const t = await preprocessForClip(file, RAW);
    expect(t.length).toBe(3 * 20 * 40);
    const top = pixel(t, 20, 40, 10, 5);
    const bottom = pixel(t, 20, 40, 10, 35);
    expect(top[0]).toBeGreaterThan(200); // red on top
    expect(top[2]).toBeLessThan(60);
    expect(bottom[2]).toBeGreaterThan(200); // blue below
    expect(bottom[0]).toBeLessThan(60);
  });

  it('converts greyscale to RGB with equal channels', async () => {
    const file = path.join(dir, 'grey.png');
    await solid(30, 30, [90, 90, 90]).toColourspace('b-w').png().toFile(file);
    expect(await probeImage(file)).toMatchObject({ space: 'b-w' });
    const t = await preprocessForClip(file, CLIP);
    pixel(t, 224, 224, 100, 100).forEach((v, c) => expect(level(v, c)).toBeCloseTo(90, 3));
  });

  it('converts CMYK JPEG to sRGB', async () => {
    const file = path.join(dir, 'cmyk.jpg');
    await solid(30, 30, [220, 30, 30]).toColourspace('cmyk').jpeg().toFile(file);
    expect(await probeImage(file)).toMatchObject({ space: 'cmyk' });
    const [r, g, b] = pixel(await preprocessForClip(file, CLIP), 224, 224, 50, 50).map(level);
    expect(r).toBeGreaterThan(200);
    expect(g).toBeLessThan(60);
    expect(b).toBeLessThan(60);
  });

  it('flattens alpha onto white', async () => {
    const file = path.join(dir, 'alpha.png');
    // Left half fully transparent black, right half opaque green.
    const rgba = Buffer.alloc(20 * 10 * 4);
    for (let i = 0; i < 200; i++) {
      if (i % 20 >= 10) rgba.set([0, 200, 0, 255], i * 4);
    }
    await sharp(rgba, { raw: { width: 20, height: 10, channels: 4 } })
      .png()
      .toFile(file);
    expect(await probeImage(file)).toMatchObject({ hasAlpha: true });
    const t = await preprocessForClip(file, RAW);
    expect(pixel(t, 20, 10, 2, 5)).toEqual([255, 255, 255]);
    expect(pixel(t, 20, 10, 17, 5)).toEqual([0, 200, 0]);
  });

  it('reduces 16-bit PNG to 8-bit sRGB', async () => {
    const file = path.join(dir, 'deep.png');
    await solid(8, 8, [200, 100, 50]).toColourspace('rgb16').png().toFile(file);
    expect(await probeImage(file)).toMatchObject({ space: 'rgb16' });
    expect(pixel(await preprocessForClip(file, RAW), 8, 8, 3, 3)).toEqual([200, 100, 50]);
  });

  it('upscales a 1×1 image to a uniform 224×224', async () => {
    const t = await preprocessForClip(await solid(1, 1, [10, 20, 30]).png().toBuffer(), CLIP);
    expect(t.length).toBe(3 * 224 * 224);
    for (const [x, y] of [
      [0, 0],
      [223, 223],
      [111, 57],
    ] as const) {
      pixel(t, 224, 224, x, y).forEach((v, c) => expect(level(v, c)).toBeCloseTo([10, 20, 30][c]!, 3));
    }
  });

  it('handles a very wide panorama (4000×50) by cropping its centre', async () => {
    const left = await solid(2000, 50, [255, 0, 0]).png().toBuffer();
    const pano = await solid(4000, 50, [0, 0, 255])
      .composite([{ input: left, left: 0, top: 0 }])
      .png()
      .toBuffer();
    const t = await preprocessForClip(pano, CLIP);
    expect(t.length).toBe(3 * 224 * 224);
    // Centre crop straddles the red|blue border at the middle.
    expect(level(pixel(t, 224, 224, 5, 100)[0]!, 0)).toBeGreaterThan(200);
    expect(level(pixel(t, 224, 224, 218, 100)[2]!, 2)).toBeGreaterThan(200);
  });

  it('decodes GIF (first frame), TIFF, WebP and AVIF', async () => {
    const red = await solid(16, 12, [230, 20, 20]).png().toBuffer();
    const blue = await solid(16, 12, [20, 20, 230]).png().toBuffer();
    const gif = await sharp([red, blue], { join: { animated: true } })
      .gif()
      .toBuffer();
    expect(await probeImage(gif)).toMatchObject({ format: 'gif', pages: 2, width: 16, height: 12 });
    const [r, , b] = pixel(await preprocessForClip(gif, RAW), 16, 12, 8, 6);
    expect(r).toBeGreaterThan(200);
    expect(b).toBeLessThan(60);
    for (const [format, bytes] of [
      ['tiff', await sharp(red).tiff().toBuffer()],
      ['webp', await sharp(red).webp({ quality: 95 }).toBuffer()],
      ['heif', await sharp(red).avif({ quality: 90 }).toBuffer()],
    ] as const) {
      expect((await probeImage(bytes)).format).toBe(format);
      const [pr, pg] = pixel(await preprocessForClip(bytes, RAW), 16, 12, 8, 6);
      expect(pr, format).toBeGreaterThan(190);
      expect(pg, format).toBeLessThan(60);
    }
  });

  it.runIf(havePhotos)('preprocesses real photos into finite CLIP-range tensors', async () => {
    const files = readdirSync(PHOTOS)
      .filter((f) => f.endsWith('.jpg'))
      .slice(0, 6);
    for (const f of files) {
      const t = await preprocessForClip(path.join(PHOTOS, f), CLIP);
      expect(t.length).toBe(3 * 224 * 224);
      let lo = Infinity;
      let hi = -Infinity;
      for (const v of t) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
      }
      expect(lo).toBeGreaterThanOrEqual(-1.8);
      expect(hi).toBeLessThanOrEqual(2.2);
    }
  });

  it('decodes a 100-megapixel image within memory', async () => {
    const file = path.join(dir, 'big.jpg');
    await solid(10_000, 10_000, [40, 120, 200]).jpeg().toFile(file);
    const before = process.memoryUsage().rss;
    const t = await preprocessForClip(file, CLIP);
    expect(process.memoryUsage().rss - before).toBeLessThan(600e6);
    expect(level(pixel(t, 224, 224, 100, 100)[2]!, 2)).toBeCloseTo(200, -1);
  });
});

describe('decode errors', () => {
  const expectCode = async (input: string | Buffer, code: string, text?: RegExp): Promise<void> => {
    let caught: unknown;
    await preprocessForClip(input, CLIP).catch((err: unknown) => (caught = err));
    expect(caught, `expected ${code}`).toBeDefined();
    const described = describeImageError(caught);
    expect(described.code).toBe(code);
    if (text) expect(described.message).toMatch(text);
    await expect(makeThumbnail(input, path.join(dir, `never-${code}.webp`))).rejects.toMatchObject({ code });
  };

  it.runIf(havePhotos)('refuses a truncated JPEG (first 30%) instead of decoding it half-grey', async () => {
    const photo = readFileSync(
      path.join(
        PHOTOS,
        readdirSync(PHOTOS).find((f) => f.endsWith('.jpg'))!,
      ),
    );
    const file = path.join(dir, 'truncated.jpg');
    await writeFile(file, photo.subarray(0, Math.floor(photo.length * 0.3)));
    await expectCode(file, 'image-corrupt', /^the image data is damaged or incomplete \(.*premature end/i);
  });

  it('calls random bytes named .jpg unsupported', async () => {
    const file = path.join(dir, 'random.jpg');
    await writeFile(file, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256)));
    await expectCode(file, 'image-unsupported', /not in an image format Glint can read/);
  });

  it('calls a zero-byte file empty', async () => {
    const file = path.join(dir, 'empty.jpg');
    await writeFile(file, '');
    await expectCode(file, 'image-empty', /empty \(0 bytes\)/);
    await expectCode(Buffer.alloc(0), 'image-empty');
  });

  it('says a HEVC-coded HEIC cannot be decoded by this build', async () => {
    const file = path.join(dir, 'photo.heic');
    await writeFile(file, fakeHeic(await solid(64, 48, [255, 0, 0]).avif().toBuffer()));
    expect(await probeImage(readFileSync(file)).catch((e: unknown) => describeImageError(e).code)).toBe(
      'image-unsupported',
    );
    await expectCode(file, 'image-unsupported', /HEVC/);
  });

  it('refuses an image whose header claims more than the pixel limit', async () => {
    const jpeg = Buffer.from(await solid(16, 16, [1, 2, 3]).jpeg().toBuffer());
    const sof = jpeg.indexOf(Buffer.from([0xff, 0xc0]));
    jpeg.writeUInt16BE(30_000, sof + 5); // height
    jpeg.writeUInt16BE(30_000, sof + 7); // width: 900 MP
    expect(30_000 * 30_000).toBeGreaterThan(MAX_INPUT_PIXELS);
    await expectCode(jpeg, 'image-too-large', /too large/);
  });

  it('reports a missing file as unreadable', async () => {
    await expectCode(path.join(dir, 'nope.jpg'), 'image-unreadable');
  });
});

describe('makeThumbnail', () => {
  it.runIf(havePhotos)('writes a WebP that fits 320×320 and reports the source size', async () => {
    const name = readdirSync(PHOTOS).find((f) => f.endsWith('.jpg'))!;
    const src = await sharp(path.join(PHOTOS, name)).metadata();
    const out = path.join(dir, 'thumbs', 'a.webp');
    const info = await makeThumbnail(path.join(PHOTOS, name), out);
    expect(Math.max(info.width, info.height)).toBe(320);
    expect([info.sourceWidth, info.sourceHeight]).toEqual([src.autoOrient.width, src.autoOrient.height]);
    expect(await sharp(out).metadata()).toMatchObject({
      format: 'webp',
      width: info.width,
      height: info.height,
    });
    expect(readdirSync(path.dirname(out))).toEqual(['a.webp']); // no temporary file left
  });

  it('never upscales, and applies the orientation', async () => {
    const small = path.join(dir, 'small.png');
    await solid(100, 60, [5, 5, 5]).withMetadata({ orientation: 6 }).png().toFile(small);
    const info = await makeThumbnail(small, path.join(dir, 'small.webp'), { size: 320 });
    expect(info).toEqual({ width: 60, height: 100, sourceWidth: 60, sourceHeight: 100 });
  });

  it('leaves neither the output nor a temporary file when decoding fails', async () => {
    const bad = path.join(dir, 'bad.png');
    await writeFile(bad, 'not an image at all');
    const thumbs = path.join(dir, 'bad-thumbs');
    await expect(makeThumbnail(bad, path.join(thumbs, 'x.webp'))).rejects.toMatchObject({
      code: 'image-unsupported',
    });
    expect(existsSync(thumbs) ? readdirSync(thumbs) : []).toEqual([]);
  });
});

/**
 * Turns a sharp-made AVIF into a HEIC as an iPhone writes it (brand heic, item type hvc1, an hvcC
 * configuration box): the container parses, but the HEVC payload needs a decoder this build lacks.
 */
function fakeHeic(avif: Buffer): Buffer {
  const find = (buf: Buffer, type: string): number => buf.indexOf(Buffer.from(type, 'latin1')) - 4;
  const av1c = find(avif, 'av1C');
  const av1cSize = avif.readUInt32BE(av1c);
  const hvcc = Buffer.alloc(8 + 23); // HEVCDecoderConfigurationRecord with no NAL arrays
  hvcc.writeUInt32BE(hvcc.length, 0);
  hvcc.write('hvcC', 4, 'latin1');
  hvcc[8] = 1;
  const grow = hvcc.length - av1cSize;
  const out = Buffer.concat([avif.subarray(0, av1c), hvcc, avif.subarray(av1c + av1cSize)]);
  for (const box of ['meta', 'iprp', 'ipco']) {
    const at = find(out, box);
    out.writeUInt32BE(out.readUInt32BE(at) + grow, at);
  }
  // The item location (iloc) points into mdat, which moved by `grow` bytes.
  const oldData = find(out, 'mdat') + 8 - grow;
  const iloc = find(out, 'iloc');
  const field = out
    .subarray(iloc, iloc + out.readUInt32BE(iloc))
    .indexOf(Buffer.from([0, 0, oldData >> 8, oldData & 255]));
  out.writeUInt32BE(oldData + grow, iloc + field);
  const renames: Array<[string, string]> = [
    ['avif', 'heic'],
    ['av01', 'hvc1'],
  ];
  for (const [from, to] of renames) {
    for (let i = out.indexOf(from); i >= 0; i = out.indexOf(from)) out.write(to, i, 'latin1');
  }
  return out;
}

describe('decodeForIndex (one decode for the CLIP tensor and the thumbnail)', () => {
  it.skipIf(!havePhotos)(
    'gives the tensor preprocessForClip gives, and a thumbnail, on real photos',
    async () => {
      const files = readdirSync(PHOTOS)
        .filter((f) => f.endsWith('.jpg'))
        .slice(0, 4);
      for (const f of files) {
        const bytes = readFileSync(path.join(PHOTOS, f));
        const thumb = path.join(dir, `${f}.webp`);
        const once = await decodeForIndex(bytes, CLIP, thumb);
        const reference = await preprocessForClip(bytes, CLIP);
        expect(once.tensor.length).toBe(reference.length);
        let worst = 0;
        let sum = 0;
        for (let i = 0; i < reference.length; i++) {
          const d = Math.abs(level(once.tensor[i]!, 0) - level(reference[i]!, 0));
          worst = Math.max(worst, d);
          sum += d;
        }
        // NOTE: the same kernel from the same full-size pixels; libvips may round once more in between.
        expect(sum / reference.length).toBeLessThan(0.05);
        expect(worst).toBeLessThanOrEqual(2.5);
        const probe = await probeImage(bytes);
        expect({ width: once.width, height: once.height }).toEqual({
          width: probe.width,
          height: probe.height,
        });
        const t = await sharp(thumb).metadata();
        expect(Math.max(t.width, t.height)).toBe(Math.min(320, Math.max(probe.width, probe.height)));
      }
    },
  );

  it('names a full disk as a full disk when the thumbnail cannot be written', async () => {
    const png = await solid(64, 48, [10, 200, 30]).png().toBuffer();
    // /dev/full answers every write with ENOSPC.
    await expect(decodeForIndex(png, CLIP, '/dev/full/thumb.webp')).rejects.not.toMatchObject({
      code: 'image-decode-failed',
    });
  });
});
