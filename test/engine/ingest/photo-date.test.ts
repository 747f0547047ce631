import { describe, expect, it } from 'vitest';
import { photoDate } from '../../../src/engine/ingest/photo-date.ts';

describe('photoDate', () => {
  const mtime = Date.UTC(2024, 4, 1);

  it('takes the metadata date first, with its source', () => {
    expect(photoDate({ takenAt: 5, takenSource: 'xmp' }, '/p/IMG_20190714_153012.jpg', mtime)).toEqual({
      takenAt: 5,
      takenSource: 'xmp',
    });
    expect(photoDate({ takenAt: 5 }, '/p/a.jpg', mtime)).toEqual({ takenAt: 5, takenSource: 'exif' });
  });

  it('then a date in the file name, then the modification time', () => {
    expect(photoDate({}, '/p/IMG_20190714_153012.jpg', mtime)).toEqual({
      takenAt: new Date(2019, 6, 14, 15, 30, 12).getTime(),
      takenSource: 'filename',
    });
    expect(photoDate({ takenAt: null }, '/p/000000062554.jpg', mtime)).toEqual({
      takenAt: mtime,
      takenSource: 'mtime',
    });
  });

  it('has no date without any of them, and refuses file-name dates in the future', () => {
    expect(photoDate({}, '/p/a.jpg', null)).toBeUndefined();
    expect(photoDate({}, '/p/2030-01-01.jpg', mtime, Date.UTC(2025, 0, 1))).toEqual({
      takenAt: mtime,
      takenSource: 'mtime',
    });
  });
});
