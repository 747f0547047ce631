import { describe, expect, it } from 'vitest';
import { dateFromFileName } from '../../../src/engine/ingest/filename-date.ts';

const local = (y: number, mo: number, d: number, h = 0, mi = 0, s = 0, ms = 0): number =>
  new Date(y, mo - 1, d, h, mi, s, ms).getTime();
const utc = { zoneless: 'utc' as const };

describe('dateFromFileName', () => {
  it.each([
    ['IMG_20190714_153012.jpg', local(2019, 7, 14, 15, 30, 12)],
    ['IMG_20190714_153012_HDR.jpg', local(2019, 7, 14, 15, 30, 12)],
    ['PXL_20190714_153012345.jpg', local(2019, 7, 14, 15, 30, 12, 345)],
    ['PXL_20190714_153012345.MP.jpg', local(2019, 7, 14, 15, 30, 12, 345)],
    ['VID_20190714_153012.mp4', local(2019, 7, 14, 15, 30, 12)],
    ['20190714_153012.jpg', local(2019, 7, 14, 15, 30, 12)],
    ['20190714153012.jpg', local(2019, 7, 14, 15, 30, 12)],
    ['2019-07-14 15.30.12.jpg', local(2019, 7, 14, 15, 30, 12)],
    ['2019-07-14 15:30:12.jpg', local(2019, 7, 14, 15, 30, 12)],
    ['2019-07-14_15-30-12.jpg', local(2019, 7, 14, 15, 30, 12)],
    ['2019-07-14T15:30:12.png', local(2019, 7, 14, 15, 30, 12)],
    ['Screenshot_2019-07-14-15-30-12.png', local(2019, 7, 14, 15, 30, 12)],
    ['Screenshot_2019-07-14-15-30-12-123_com.android.chrome.png', local(2019, 7, 14, 15, 30, 12)],
    ['Screenshot from 2019-07-14 15-30-12.png', local(2019, 7, 14, 15, 30, 12)],
    ['WhatsApp Image 2019-07-14 at 15.30.12.jpeg', local(2019, 7, 14, 15, 30, 12)],
    ['IMG-20190714-WA0001.jpg', local(2019, 7, 14)],
    ['VID-20190714-WA0003.mp4', local(2019, 7, 14)],
    ['2019-07-14.jpg', local(2019, 7, 14)],
    ['Holiday 2019-07-14 beach.jpg', local(2019, 7, 14)],
    ['2019_07_14 party.jpg', local(2019, 7, 14)],
    ['2019.07.14.jpg', local(2019, 7, 14)],
    ['signal-2019-07-14-153012.jpg', local(2019, 7, 14, 15, 30, 12)],
    ['1987-03-02 scan.tif', local(1987, 3, 2)],
    ['2020-02-29 leap day.jpg', local(2020, 2, 29)],
    ['/photos/2018/IMG_20190714_153012.jpg', local(2019, 7, 14, 15, 30, 12)],
  ])('%s', (name, expected) => {
    expect(dateFromFileName(name)).toBe(expected);
  });

  it.each([
    'IMG_1234.JPG',
    'DSC01234.jpg',
    '000000062554.jpg',
    'photo.jpg',
    'holiday 2019.jpg',
    '2019-13-01.jpg', // month 13
    '2019-00-10.jpg', // month 0
    '2019-02-30.jpg', // 30 February
    '2019-02-29.jpg', // not a leap year
    '2019-04-31.jpg', // 31 April
    '2019-07-00.jpg', // day 0
    'IMG_20191332_120000.jpg', // month 13, day 32
    '1850-01-01 old.jpg', // before photography Glint expects
    '2150-01-01.jpg', // after 2099
    '19650101.jpg', // a bare 8-digit date before 1970 is more likely a counter
    '12345678.jpg',
  ])('refuses %s', (name) => {
    expect(dateFromFileName(name)).toBeUndefined();
  });

  it('keeps the date of a name whose time is impossible only when another valid date follows', () => {
    expect(dateFromFileName('IMG_20190714_253012.jpg')).toBeUndefined(); // 25 o'clock
    expect(dateFromFileName('IMG_20190714_156012.jpg')).toBeUndefined(); // minute 60
    expect(dateFromFileName('IMG_20190714_153060.jpg')).toBeUndefined(); // second 60
    expect(dateFromFileName('x_20191301_y_2019-07-14.jpg')).toBe(local(2019, 7, 14));
  });

  it('reads the wall clock as UTC when asked', () => {
    expect(dateFromFileName('IMG_20190714_153012.jpg', utc)).toBe(Date.UTC(2019, 6, 14, 15, 30, 12));
  });

  it('refuses dates after the clock (plus a day)', () => {
    const now = Date.UTC(2020, 0, 1);
    expect(dateFromFileName('2020-01-01.jpg', { now, zoneless: 'utc' })).toBe(now);
    expect(dateFromFileName('2020-01-03.jpg', { now, zoneless: 'utc' })).toBeUndefined();
  });
});
