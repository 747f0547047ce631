import { describe, expect, it } from 'vitest';
import {
  extensionOf,
  fileKind,
  hasHiddenSegment,
  isHiddenOrJunk,
} from '../../../src/engine/ingest/file-kinds.ts';

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

describe('extensionOf', () => {
  it('gives the last extension in lower case, without its dot', () => {
    expect(extensionOf('/a/B.JPG')).toBe('jpg');
    expect(extensionOf('x.tar.GZ')).toBe('gz');
    expect(extensionOf('Makefile')).toBe('');
    expect(extensionOf('.bashrc')).toBe('');
    expect(extensionOf('/dir.v2/file')).toBe('');
  });
});
