import { describe, expect, it } from 'vitest';
import { fileKind, hasHiddenSegment, isHiddenOrJunk } from '../../../src/engine/ingest/file-kinds.ts';
import { photoNamesForSidecar, sidecarCandidates } from '../../../src/engine/ingest/xmp-sidecar.ts';

describe('fileKind', () => {
  it('recognises every photo extension, case-insensitively', () => {
    for (const ext of ['jpg', 'jpeg', 'png', 'webp', 'gif', 'tiff', 'tif', 'avif', 'heic', 'heif']) {
      expect(fileKind(`/a/b.${ext}`)).toBe('photo');
      expect(fileKind(`/a/b.${ext.toUpperCase()}`)).toBe('photo');
    }
    expect(fileKind('IMG_0001.JpG')).toBe('photo');
  });
  it('recognises notes and sidecars', () => {
    expect(fileKind('notes/today.md')).toBe('note');
    expect(fileKind('x.Markdown')).toBe('note');
    expect(fileKind('x.TXT')).toBe('note');
    expect(fileKind('IMG_1.xmp')).toBe('sidecar');
    expect(fileKind('IMG_1.jpg.XMP')).toBe('sidecar');
  });
  it('ignores everything else, including names without an extension', () => {
    for (const p of ['a.pdf', 'a.mov', 'a.raw', 'jpg', 'a.jpg.bak', 'Makefile', '.jpg'])
      expect(fileKind(p)).toBeNull();
  });
});

describe('hidden and junk names', () => {
  it('skips dot names and OS junk', () => {
    expect(isHiddenOrJunk('.git')).toBe(true);
    expect(isHiddenOrJunk('.DS_Store')).toBe(true);
    expect(isHiddenOrJunk('Thumbs.db')).toBe(true);
    expect(isHiddenOrJunk('thumbs.DB')).toBe(true);
    expect(isHiddenOrJunk('photo.jpg')).toBe(false);
  });
  it('looks only below the root', () => {
    expect(hasHiddenSegment('/home/u/.photos/a/b.jpg', '/home/u/.photos')).toBe(false);
    expect(hasHiddenSegment('/home/u/.photos/.cache/b.jpg', '/home/u/.photos')).toBe(true);
    expect(hasHiddenSegment('/r/a/.b.jpg', '/r')).toBe(true);
    expect(hasHiddenSegment('/r/a/b.jpg', '/r')).toBe(false);
  });
});

describe('XMP sidecar names', () => {
  it('lists both naming conventions, less specific first', () => {
    expect(sidecarCandidates('/p/IMG_1.jpg')).toEqual([
      '/p/IMG_1.xmp',
      '/p/IMG_1.XMP',
      '/p/IMG_1.jpg.xmp',
      '/p/IMG_1.jpg.XMP',
    ]);
  });
  it('maps a sidecar back to its photos', () => {
    const names = ['IMG_1.jpg', 'IMG_1.heic', 'IMG_1.xmp', 'IMG_10.jpg', 'IMG_1.md', 'IMG_2.png'];
    expect(photoNamesForSidecar('IMG_1.xmp', names)).toEqual(['IMG_1.jpg', 'IMG_1.heic']);
    expect(photoNamesForSidecar('IMG_1.jpg.xmp', names)).toEqual(['IMG_1.jpg']);
    expect(photoNamesForSidecar('IMG_9.jpg.xmp', names)).toEqual([]);
    expect(photoNamesForSidecar('IMG_2.XMP', names)).toEqual(['IMG_2.png']);
  });
});
