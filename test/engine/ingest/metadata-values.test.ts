import { describe, expect, it } from 'vitest';
import {
  cleanDescription,
  decodeHtmlText,
  decodeIptcText,
  decodeXmpText,
  hierarchyPath,
  langAltText,
  mapStrings,
  parseExifDate,
  parseIptcDate,
  parseOffset,
  parseXmpCoordinate,
  parseXmpDate,
  stringList,
  validPosition,
} from '../../../src/engine/ingest/metadata-values.ts';

const utc = (...a: [number, number, number, number?, number?, number?, number?]): number =>
  Date.UTC(a[0], a[1] - 1, a[2], a[3] ?? 0, a[4] ?? 0, a[5] ?? 0, a[6] ?? 0);

describe('dates', () => {
  it('parses offsets', () => {
    expect(parseOffset('+05:30')).toBe(330);
    expect(parseOffset('-0800')).toBe(-480);
    expect(parseOffset('Z')).toBe(0);
    expect(parseOffset('   ')).toBeUndefined();
    expect(parseOffset('+25:00')).toBeUndefined();
    expect(parseOffset(undefined)).toBeUndefined();
  });

  it('reads EXIF dates with and without an offset', () => {
    expect(parseExifDate('2020:01:02 03:04:05', '+05:30', 'local')).toBe(utc(2020, 1, 1, 21, 34, 5));
    expect(parseExifDate('2020:01:02 03:04:05', undefined, 'utc')).toBe(utc(2020, 1, 2, 3, 4, 5));
    expect(parseExifDate('2020:01:02 03:04:05', undefined, 'local')).toBe(
      new Date(2020, 0, 2, 3, 4, 5).getTime(),
    );
    expect(parseExifDate('2020-01-02 03:04:05.250', undefined, 'utc')).toBe(utc(2020, 1, 2, 3, 4, 5, 250));
    expect(parseExifDate('2020:01:02 03:04:05\0', undefined, 'utc')).toBe(utc(2020, 1, 2, 3, 4, 5));
  });

  it('rejects the placeholders and impossible dates cameras write', () => {
    for (const bad of [
      '0000:00:00 00:00:00',
      '    :  :     :  :  ',
      '2021:02:30 10:00:00',
      '2021:13:01 10:00:00',
      'yesterday',
      '',
    ])
      expect(parseExifDate(bad, undefined, 'utc')).toBeUndefined();
  });

  it('reads XMP dates of every precision', () => {
    expect(parseXmpDate('2021-05-04T10:11:12+02:00', 'local')).toBe(utc(2021, 5, 4, 8, 11, 12));
    expect(parseXmpDate('2021-05-04T10:11:12.5Z', 'local')).toBe(utc(2021, 5, 4, 10, 11, 12, 500));
    expect(parseXmpDate('2021-05-04T10:11', 'utc')).toBe(utc(2021, 5, 4, 10, 11));
    expect(parseXmpDate('2021-05-04', 'utc')).toBe(utc(2021, 5, 4));
    expect(parseXmpDate('2021-05', 'utc')).toBe(utc(2021, 5, 1));
    expect(parseXmpDate('2021', 'utc')).toBe(utc(2021, 1, 1));
    expect(parseXmpDate('2021-05-04T10:11:12', 'local')).toBe(new Date(2021, 4, 4, 10, 11, 12).getTime());
    expect(parseXmpDate('May 4th', 'utc')).toBeUndefined();
  });

  it('reads IPTC dates', () => {
    expect(parseIptcDate('20190708', '091011+0100', 'local')).toBe(utc(2019, 7, 8, 8, 10, 11));
    expect(parseIptcDate('20190708', undefined, 'utc')).toBe(utc(2019, 7, 8));
    expect(parseIptcDate('2019-07-08', undefined, 'utc')).toBeUndefined();
  });
});

describe('GPS', () => {
  it('reads XMP coordinates', () => {
    expect(parseXmpCoordinate('48,51.5N')).toBeCloseTo(48 + 51.5 / 60, 10);
    expect(parseXmpCoordinate('2,17,24W')).toBeCloseTo(-(2 + 17 / 60 + 24 / 3600), 10);
    expect(parseXmpCoordinate('-33.86')).toBeCloseTo(-33.86, 10);
    expect(parseXmpCoordinate('north')).toBeUndefined();
    expect(parseXmpCoordinate(undefined)).toBeUndefined();
  });
  it('drops out-of-range positions and the (0, 0) no-fix placeholder', () => {
    expect(validPosition(10, 20)).toEqual({ lat: 10, lon: 20 });
    expect(validPosition(0, 0)).toBeUndefined();
    expect(validPosition(91, 0)).toBeUndefined();
    expect(validPosition(Number.NaN, 3)).toBeUndefined();
    expect(validPosition('1', 2)).toBeUndefined();
  });
});

describe('text', () => {
  it('decodes IPTC text as UTF-8 when it is, else as Latin-1', () => {
    const utf8AsLatin1 = Buffer.from('Zürich Straße', 'utf8').toString('latin1');
    expect(decodeIptcText(utf8AsLatin1)).toBe('Zürich Straße');
    const latin1 = Buffer.from('Zürich Straße', 'latin1').toString('latin1');
    expect(decodeIptcText(latin1)).toBe('Zürich Straße');
    expect(decodeIptcText('plain')).toBe('plain');
  });
  it('normalises lists, lang-alt and hierarchies', () => {
    expect(stringList('solo')).toEqual(['solo']);
    expect(stringList([' a ', '', 'b', 3, null])).toEqual(['a', 'b', '3']);
    expect(stringList(undefined)).toEqual([]);
    expect(
      langAltText([
        { lang: 'de', value: 'Hund' },
        { lang: 'x-default', value: 'Dog' },
      ]),
    ).toBe('Dog');
    expect(langAltText({ lang: 'fr', value: 'Chien' })).toBe('Chien');
    expect(langAltText({ lang: 'x-default' })).toBeUndefined();
    expect(langAltText('plain')).toBe('plain');
    expect(hierarchyPath('Animals|Dogs|Rex', '|')).toBe('Animals/Dogs/Rex');
    expect(hierarchyPath(' Places | Lisbon |', '|')).toBe('Places/Lisbon');
    expect(hierarchyPath('Music|AC/DC', '|')).toBe('Music/AC DC');
    expect(hierarchyPath('Animals/Dogs/Rex', '/')).toBe('Animals/Dogs/Rex');
    expect(hierarchyPath('|', '|')).toBeUndefined();
  });
  it('drops camera boilerplate and blank descriptions', () => {
    for (const junk of [
      'OLYMPUS DIGITAL CAMERA',
      '  SONY DSC  ',
      'KODAK Digital Still Camera',
      'NIKON DIGITAL CAMERA',
      '   ',
      '\0\0',
    ])
      expect(cleanDescription(junk)).toBeUndefined();
    expect(cleanDescription('  Rex on the beach ')).toBe('Rex on the beach');
    expect(cleanDescription(42)).toBeUndefined();
  });
  it('drops AppleMark and other placeholders', () => {
    expect(cleanDescription('AppleMark')).toBeUndefined();
    expect(cleanDescription('DCIM\\108GOPRO\\GOPR2137.JPG')).toBeUndefined();
    expect(cleanDescription('AppleMark Kitchen')).toBe('AppleMark Kitchen');
  });
  it('decodes XML references in XMP text and HTML references (strictly) in IPTC/EXIF text', () => {
    expect(decodeXmpText('Grandma&#39;s kitchen &amp; garden')).toBe("Grandma's kitchen & garden");
    expect(decodeXmpText('&lt;b&gt; &quot;q&quot; &apos;a&apos; &#x1F415;')).toBe('<b> "q" \'a\' 🐕');
    // XML knows five named entities only; an HTML name is left as written.
    expect(decodeXmpText('caf&eacute;')).toBe('caf&eacute;');
    // Decoded once: an escaped reference stays a reference, as the writer meant.
    expect(decodeXmpText('&amp;#39;')).toBe('&#39;');
    expect(decodeHtmlText('caf&eacute; &amp; Grandma&#39;s')).toBe("café & Grandma's");
    // Strict: without its ";" nothing is a reference, so plain ampersands survive.
    expect(decodeHtmlText('AT&T, Fish &notes, Q&A &amp')).toBe('AT&T, Fish &notes, Q&A &amp');
    expect(decodeHtmlText('no references')).toBe('no references');
  });
  it('maps every string in nested arrays and objects, leaving other values alone', () => {
    const up = (s: string): string => s.toUpperCase();
    const buf = new Uint8Array([1]);
    expect(mapStrings({ a: 'x', b: ['y', { lang: 'z', value: 'w' }], n: 3, buf }, up)).toEqual({
      a: 'X',
      b: ['Y', { lang: 'Z', value: 'W' }],
      n: 3,
      buf,
    });
    expect(mapStrings('s', up)).toBe('S');
  });
});
