/** Numbers, sizes, places and dates in the UI's words. */
import { describe, expect, it } from 'vitest';
import {
  baseName,
  formatBytes,
  formatDate,
  formatDay,
  formatEta,
  formatMonth,
  formatPlace,
  formatTaken,
  plural,
  shortMonth,
  takenSourceLabel,
} from '../../../src/renderer/src/lib/format.ts';

describe('format', () => {
  it('writes ETAs in seconds, minutes or hours', () => {
    expect(formatEta(null)).toBe('estimating…');
    expect(formatEta(undefined)).toBe('estimating…');
    expect(formatEta(Number.POSITIVE_INFINITY)).toBe('estimating…');
    expect(formatEta(-3)).toBe('0 s');
    expect(formatEta(42.4)).toBe('42 s');
    expect(formatEta(59.6)).toBe('1 min');
    expect(formatEta(150)).toBe('3 min');
    expect(formatEta(3900)).toBe('1 h 05 min');
    expect(formatEta(2 * 3600 + 45 * 60)).toBe('2 h 45 min');
  });

  it('writes sizes in decimal units, places with hemispheres, counts with plurals', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1000)).toBe('1.0 KB');
    expect(formatBytes(1_500_000)).toBe('1.5 MB');
    expect(formatBytes(605_000_000)).toBe('605 MB');
    expect(formatBytes(3e15)).toBe('3000 TB');
    expect(formatPlace(48.85837, -2.294481)).toBe('48.8584° N, 2.2945° W');
    expect(formatPlace(-33.8568, 151.2153)).toBe('33.8568° S, 151.2153° E');
    expect(formatPlace(undefined, 3)).toBe('—');
    expect(formatPlace(3, undefined)).toBe('—');
    expect(plural(1, 'photo')).toBe('1 photo');
    expect(plural(2, 'photo')).toBe('2 photos');
    expect(plural(0, 'photo')).toBe('0 photos');
    expect(plural(3, 'index', 'indexes')).toBe('3 indexes');
    expect(plural(12_345, 'note')).toBe(`${(12_345).toLocaleString()} notes`);
    expect(baseName('/a/b/c.jpg')).toBe('c.jpg');
    expect(baseName('C:\\x\\y.txt')).toBe('y.txt');
    expect(baseName('/trailing/')).toBe('/trailing/');
  });

  it('writes dates in the user’s locale, and an em dash when unknown', () => {
    const ms = new Date(2021, 2, 12, 14, 5).getTime();
    expect(formatDate(ms)).toBe(
      new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' }),
    );
    expect(formatDate(ms)).toMatch(/2021/);
    expect(formatDay(ms)).toBe(new Date(ms).toLocaleDateString(undefined, { dateStyle: 'medium' }));
    expect(formatDay(ms)).not.toBe(formatDate(ms));
    for (const unknown of [undefined, Number.NaN]) {
      expect(formatDate(unknown)).toBe('—');
      expect(formatDay(unknown)).toBe('—');
    }
  });

  it('says where a photo’s date came from after the date, and names months', () => {
    const t = new Date(2019, 6, 14, 15, 30).getTime();
    const date = new Date(t).toLocaleString(undefined, { dateStyle: 'long', timeStyle: 'short' });
    expect(formatTaken(t, 'filename')).toBe(`${date} · from the file name`);
    expect(formatTaken(t, undefined)).toBe(date);
    expect(formatTaken(undefined, 'mtime')).toBe('—');
    expect(takenSourceLabel('exif')).toBe('from the camera (EXIF)');
    expect(takenSourceLabel('xmp')).toBe('from XMP metadata');
    expect(takenSourceLabel('mtime')).toBe('from the file’s modified time');
    expect(formatMonth(2019, 7)).toBe(
      new Date(2019, 6, 1).toLocaleDateString(undefined, { month: 'long', year: 'numeric' }),
    );
    expect(shortMonth(1)).toBe(new Date(2000, 0, 1).toLocaleDateString(undefined, { month: 'short' }));
  });
});
