/** A dropped or pasted file as an image query: which files count as images, and the chip's preview. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { MAX_IMAGE_BYTES } from '../../../src/contract/limits.ts';
import {
  MAX_DROP_BYTES,
  firstImage,
  isImageFile,
  previewOf,
} from '../../../src/renderer/src/lib/dropped-image.ts';

const file = (name: string, type = ''): File => new File([new Uint8Array([1, 2, 3])], name, { type });

describe('isImageFile / firstImage', () => {
  it('takes the MIME type when there is one, else the extension', () => {
    expect(isImageFile(file('x', 'image/png'))).toBe(true);
    expect(isImageFile(file('IMG_1.HEIC'))).toBe(true);
    expect(isImageFile(file('scan.tif'))).toBe(true);
    expect(isImageFile(file('a.jpeg'))).toBe(true);
    expect(isImageFile(file('notes.md'))).toBe(false);
    expect(isImageFile(file('photo.jpg.txt'))).toBe(false);
    // A type the OS did give wins over the name.
    expect(isImageFile(file('photo.jpg', 'text/plain'))).toBe(false);
  });

  it('picks the first image among the files, or none', () => {
    const img = file('b.webp');
    expect(firstImage([file('a.txt'), img, file('c.png')])).toBe(img);
    expect(firstImage([file('a.txt')])).toBeNull();
    expect(firstImage([])).toBeNull();
    expect(firstImage(null)).toBeNull();
    expect(firstImage(undefined)).toBeNull();
  });

  it('refuses what the host would refuse', () => {
    expect(MAX_DROP_BYTES).toBe(MAX_IMAGE_BYTES);
  });
});

describe('previewOf', () => {
  afterEach(() => void vi.unstubAllGlobals());

  /** A canvas that records its size and what was drawn on it. */
  function stubCanvas(bitmap: { width: number; height: number }) {
    const drawn: unknown[][] = [];
    const canvas = {
      width: 0,
      height: 0,
      getContext: () => ({ drawImage: (...args: unknown[]) => void drawn.push(args) }),
      toDataURL: (type: string, quality: number) =>
        `data:${type};q=${quality};${canvas.width}x${canvas.height}`,
    };
    const close = vi.fn();
    const decoded = { ...bitmap, close };
    vi.stubGlobal(
      'createImageBitmap',
      vi.fn(async () => decoded),
    );
    vi.stubGlobal('document', { createElement: (tag: string) => (tag === 'canvas' ? canvas : null) });
    return { canvas, drawn, close, decoded };
  }

  it('scales a large image down to 96 px on its long edge as a JPEG data: URL', async () => {
    const { drawn, close, decoded } = stubCanvas({ width: 4000, height: 3000 });
    expect(await previewOf(new Blob([]))).toBe('data:image/jpeg;q=0.8;96x72');
    expect(drawn).toEqual([[decoded, 0, 0, 96, 72]]);
    expect(close).toHaveBeenCalledOnce();
  });

  it('never enlarges a small image, and keeps a sliver at least one pixel wide', async () => {
    stubCanvas({ width: 40, height: 20 });
    expect(await previewOf(new Blob([]))).toBe('data:image/jpeg;q=0.8;40x20');
    stubCanvas({ width: 10_000, height: 2 });
    expect(await previewOf(new Blob([]))).toBe('data:image/jpeg;q=0.8;96x1');
  });

  it('gives no preview when the browser cannot decode the image', async () => {
    vi.stubGlobal(
      'createImageBitmap',
      vi.fn(async () => Promise.reject(new DOMException('bad', 'InvalidStateError'))),
    );
    expect(await previewOf(new Blob([]))).toBe('');
  });
});
