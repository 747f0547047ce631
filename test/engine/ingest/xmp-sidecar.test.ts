import { describe, expect, it } from 'vitest';
import { photoNamesForSidecar, sidecarCandidates } from '../../../src/engine/ingest/xmp-sidecar.ts';

describe('XMP sidecar names', () => {
  it('lists both naming conventions, less specific first', () => {
    expect(sidecarCandidates('/p/IMG_1.jpg')).toEqual([
      '/p/IMG_1.xmp',
      '/p/IMG_1.XMP',
      '/p/IMG_1.jpg.xmp',
      '/p/IMG_1.jpg.XMP',
    ]);
  });

  it('keeps the photo name’s case and strips only its last extension', () => {
    expect(sidecarCandidates('/p/My.Trip.HEIC')).toEqual([
      '/p/My.Trip.xmp',
      '/p/My.Trip.XMP',
      '/p/My.Trip.HEIC.xmp',
      '/p/My.Trip.HEIC.XMP',
    ]);
    expect(sidecarCandidates('relative/a.png')[0]).toBe('relative/a.xmp');
  });

  it('maps a sidecar back to its photos', () => {
    const names = ['IMG_1.jpg', 'IMG_1.heic', 'IMG_1.xmp', 'IMG_10.jpg', 'IMG_1.md', 'IMG_2.png'];
    expect(photoNamesForSidecar('IMG_1.xmp', names)).toEqual(['IMG_1.jpg', 'IMG_1.heic']);
    expect(photoNamesForSidecar('IMG_1.jpg.xmp', names)).toEqual(['IMG_1.jpg']);
    expect(photoNamesForSidecar('IMG_9.jpg.xmp', names)).toEqual([]);
    expect(photoNamesForSidecar('IMG_2.XMP', names)).toEqual(['IMG_2.png']);
  });

  it('matches a photo-named sidecar exactly (no case folding) and never maps to notes or sidecars', () => {
    const names = ['a.JPG', 'a.txt', 'a.xmp', 'b.jpg', 'b.jpg.xmp'];
    expect(photoNamesForSidecar('a.JPG.xmp', names)).toEqual(['a.JPG']);
    expect(photoNamesForSidecar('a.jpg.xmp', names)).toEqual([]);
    expect(photoNamesForSidecar('a.xmp', names)).toEqual(['a.JPG']);
    expect(photoNamesForSidecar('b.jpg.xmp', names)).toEqual(['b.jpg']);
    expect(photoNamesForSidecar('c.xmp', names)).toEqual([]);
  });

  it('every candidate of a photo maps back to that photo', () => {
    const names = ['IMG_7.webp', 'IMG_7.xmp'];
    for (const candidate of sidecarCandidates('/x/IMG_7.webp')) {
      const name = candidate.slice('/x/'.length);
      expect(photoNamesForSidecar(name, names)).toEqual(['IMG_7.webp']);
    }
  });
});
