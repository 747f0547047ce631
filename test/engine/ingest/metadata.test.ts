import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPhotoMetadata } from '../../../src/engine/ingest/metadata.ts';

const PHOTOS = join(import.meta.dirname, '../../../../shared/data/photos');
const dir = mkdtempSync(join(tmpdir(), 'glint-meta-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const UTC = { zoneless: 'utc' } as const;
/** Writes IPTC and TIFF tags as real tools do (Debian's libimage-exiftool-perl). */
const EXIFTOOL = '/usr/bin/exiftool';

/** An XMP packet with the given rdf:Description attributes and child elements. */
function xmpPacket(attrs: string, body: string): string {
  return `<?xpacket begin="\uFEFF" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:lr="http://ns.adobe.com/lightroom/1.0/" xmlns:digiKam="http://www.digikam.org/ns/1.0/"
 xmlns:photoshop="http://ns.adobe.com/photoshop/1.0/" xmlns:xmp="http://ns.adobe.com/xap/1.0/" xmlns:exif="http://ns.adobe.com/exif/1.0/" ${attrs}>
${body}
</rdf:Description></rdf:RDF></x:xmpmeta><?xpacket end="w"?>`;
}
const bag = (tag: string, items: string[]): string =>
  `<${tag}><rdf:Bag>${items.map((i) => `<rdf:li>${i}</rdf:li>`).join('')}</rdf:Bag></${tag}>`;
const alt = (tag: string, entries: Array<[string, string]>): string =>
  `<${tag}><rdf:Alt>${entries.map(([l, v]) => `<rdf:li xml:lang="${l}">${v}</rdf:li>`).join('')}</rdf:Alt></${tag}>`;

/** A small JPEG made by sharp, with optional EXIF and XMP. */
async function jpeg(
  opts: { exif?: Record<string, Record<string, string>>; xmp?: string; orientation?: number } = {},
): Promise<Buffer> {
  let img = sharp({ create: { width: 16, height: 12, channels: 3, background: '#3a7' } }).jpeg();
  if (opts.orientation !== undefined) img = img.withMetadata({ orientation: opts.orientation });
  if (opts.exif !== undefined) img = img.withExifMerge(opts.exif);
  if (opts.xmp !== undefined) img = img.withXmp(opts.xmp);
  return img.toBuffer();
}

/**
 * Inserts an IPTC-IIM block (Photoshop APP13 / 8BIM 0x0404) after the JPEG's SOI marker.
 * Each dataset is record 2 unless given as [record, dataset, bytes].
 */
function withIptc(jpg: Buffer, datasets: Array<[number, Buffer] | [number, number, Buffer]>): Buffer {
  const iim = Buffer.concat(
    datasets.map((d) => {
      const [rec, ds, data] = d.length === 3 ? d : [2, d[0], d[1]];
      const head = Buffer.from([0x1c, rec, ds, 0, 0]);
      head.writeUInt16BE(data.length, 3);
      return Buffer.concat([head, data]);
    }),
  );
  const padded = iim.length % 2 === 0 ? iim : Buffer.concat([iim, Buffer.from([0])]);
  const res = Buffer.concat([Buffer.from('8BIM'), Buffer.from([0x04, 0x04, 0, 0]), Buffer.alloc(4), padded]);
  res.writeUInt32BE(iim.length, 8);
  const body = Buffer.concat([Buffer.from('Photoshop 3.0\0', 'latin1'), res]);
  const seg = Buffer.concat([Buffer.from([0xff, 0xed, 0, 0]), body]);
  seg.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([jpg.subarray(0, 2), seg, jpg.subarray(2)]);
}

function write(name: string, data: Buffer | string): string {
  const path = join(dir, name);
  writeFileSync(path, data);
  return path;
}

describe('readPhotoMetadata: embedded EXIF and XMP', () => {
  let full: string;
  beforeAll(async () => {
    full = write(
      'full.jpg',
      await jpeg({
        orientation: 6,
        exif: {
          IFD0: { ImageDescription: 'OLYMPUS DIGITAL CAMERA' },
          IFD2: { DateTimeOriginal: '2020:01:02 03:04:05', OffsetTimeOriginal: '+05:30' },
          IFD3: {
            GPSLatitudeRef: 'S',
            GPSLatitude: '33/1 52/1 0/1',
            GPSLongitudeRef: 'E',
            GPSLongitude: '151/1 12/1 30/1',
          },
        },
        xmp: xmpPacket(
          'photoshop:DateCreated="1999-01-01"',
          bag('dc:subject', ['Rex', 'beach']) +
            bag('lr:hierarchicalSubject', ['Animals|Dogs|Rex', 'Places|Brittany']) +
            alt('dc:description', [
              ['de', 'Rex am Strand'],
              ['x-default', 'Rex on the beach'],
            ]) +
            alt('dc:title', [['x-default', 'Summer']]),
        ),
      }),
    );
  });

  it('reads date (with its offset), GPS, orientation, keywords, description and title', async () => {
    const m = await readPhotoMetadata(full, UTC);
    expect(m.warnings).toEqual([]);
    expect(m.takenAt).toBe(Date.UTC(2020, 0, 1, 21, 34, 5)); // 03:04:05 at +05:30
    expect(m.lat).toBeCloseTo(-(33 + 52 / 60), 9);
    expect(m.lon).toBeCloseTo(151 + 12 / 60 + 30 / 3600, 9);
    expect(m.orientation).toBe(6);
    // dc:subject, then the hierarchical keywords as paths; "Rex" is a level of one, so it is not flat too.
    expect(m.keywords).toEqual([
      { name: 'beach', source: 'xmp' },
      { name: 'Animals/Dogs/Rex', source: 'xmp' },
      { name: 'Places/Brittany', source: 'xmp' },
    ]);
    // The EXIF description is camera boilerplate; the XMP x-default entry wins.
    expect(m.description).toBe('Rex on the beach');
    expect(m.title).toBe('Summer');
  });

  it('reads a zoneless EXIF date as local time by default', async () => {
    const path = write(
      'local.jpg',
      await jpeg({ exif: { IFD2: { DateTimeOriginal: '2021:07:14 12:30:00' } } }),
    );
    expect((await readPhotoMetadata(path)).takenAt).toBe(new Date(2021, 6, 14, 12, 30, 0).getTime());
    expect((await readPhotoMetadata(path, UTC)).takenAt).toBe(Date.UTC(2021, 6, 14, 12, 30, 0));
  });

  it('falls back from DateTimeOriginal to CreateDate to XMP dates', async () => {
    const create = write(
      'create.jpg',
      await jpeg({ exif: { IFD2: { DateTimeDigitized: '2018:03:04 05:06:07' } } }),
    );
    expect(await readPhotoMetadata(create, UTC)).toMatchObject({
      takenAt: Date.UTC(2018, 2, 4, 5, 6, 7),
      takenSource: 'exif',
    });
    const xmpOnly = write(
      'xmp-date.jpg',
      await jpeg({ xmp: xmpPacket('xmp:CreateDate="2017-08-09T10:11:12-04:00"', '') }),
    );
    expect(await readPhotoMetadata(xmpOnly, UTC)).toMatchObject({
      takenAt: Date.UTC(2017, 7, 9, 14, 11, 12),
      takenSource: 'xmp',
    });
  });

  it('warns about an impossible EXIF date and uses the next source', async () => {
    const path = write(
      'bad-date.jpg',
      await jpeg({
        exif: { IFD2: { DateTimeOriginal: '2021:02:30 10:00:00' } },
        xmp: xmpPacket('photoshop:DateCreated="2021-03-01"', ''),
      }),
    );
    const m = await readPhotoMetadata(path, UTC);
    expect(m.takenAt).toBe(Date.UTC(2021, 2, 1));
    expect(m.warnings.join('\n')).toMatch(/EXIF DateTimeOriginal "2021:02:30 10:00:00"/);
  });

  it('falls back to a real EXIF description when XMP has only whitespace', async () => {
    const path = write(
      'ws.jpg',
      await jpeg({
        exif: { IFD0: { ImageDescription: 'Grandma at the lake' } },
        xmp: xmpPacket('', alt('dc:description', [['x-default', '   ']])),
      }),
    );
    expect((await readPhotoMetadata(path)).description).toBe('Grandma at the lake');
  });
});

describe('readPhotoMetadata: other containers', () => {
  it('reads EXIF from a PNG (eXIf chunk)', async () => {
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#123' } })
      .png()
      .withExifMerge({
        IFD0: { ImageDescription: 'Kitchen plan' },
        IFD2: { DateTimeOriginal: '2019:09:09 09:09:09' },
      })
      .toBuffer();
    const m = await readPhotoMetadata(write('plan.png', png), UTC);
    expect(m.warnings).toEqual([]);
    expect(m.description).toBe('Kitchen plan');
    expect(m.takenAt).toBe(Date.UTC(2019, 8, 9, 9, 9, 9));
  });
});

describe('readPhotoMetadata: IPTC', () => {
  it('reads keywords (several, UTF-8 or Latin-1) and the caption, merged with XMP keywords', async () => {
    const base = await jpeg({ xmp: xmpPacket('', bag('dc:subject', ['rex', 'Garden'])) });
    const path = write(
      'iptc.jpg',
      withIptc(base, [
        [1, 90, Buffer.from([0x1b, 0x25, 0x47])], // 1:90 "ESC % G": UTF-8
        [25, Buffer.from('Rex', 'utf8')],
        [25, Buffer.from('Zürich', 'utf8')],
        [25, Buffer.from('Café', 'latin1')], // an old writer's Latin-1
        [120, Buffer.from('Dîner au jardin', 'utf8')],
        [5, Buffer.from('Evening', 'utf8')],
      ]),
    );
    const m = await readPhotoMetadata(path);
    expect(m.warnings).toEqual([]);
    expect(m.keywords).toEqual([
      { name: 'rex', source: 'xmp' },
      { name: 'Garden', source: 'xmp' },
      { name: 'Zürich', source: 'iptc' },
      { name: 'Café', source: 'iptc' },
    ]);
    expect(m.description).toBe('Dîner au jardin');
    expect(m.title).toBe('Evening');
  });

  it('reads a single IPTC keyword (exifr gives a string, not an array)', async () => {
    const path = write('iptc1.jpg', withIptc(await jpeg(), [[25, Buffer.from('solo')]]));
    expect((await readPhotoMetadata(path)).keywords).toEqual([{ name: 'solo', source: 'iptc' }]);
  });
});

describe('readPhotoMetadata: sidecars', () => {
  it('merges photo.xmp and photo.jpg.xmp: the more specific sidecar wins the description, keywords are united', async () => {
    const path = write(
      'side.jpg',
      await jpeg({
        xmp: xmpPacket(
          '',
          bag('dc:subject', ['embedded']) + alt('dc:description', [['x-default', 'embedded text']]),
        ),
      }),
    );
    write(
      'side.xmp',
      xmpPacket(
        '',
        bag('dc:subject', ['stem-sidecar', 'Embedded']) + alt('dc:description', [['x-default', 'stem text']]),
      ),
    );
    write(
      'side.jpg.xmp',
      xmpPacket(
        '',
        bag('dc:subject', ['full-sidecar']) + alt('dc:description', [['x-default', 'full text']]),
      ),
    );
    const m = await readPhotoMetadata(path);
    expect(m.warnings).toEqual([]);
    expect(m.description).toBe('full text');
    expect(m.keywords.map((k) => k.name)).toEqual(['embedded', 'stem-sidecar', 'full-sidecar']);
  });

  it("reads digiKam's TagsList and Lightroom's hierarchicalSubject as '/' paths from a sidecar", async () => {
    const path = write('tree.jpg', await jpeg());
    write(
      'tree.jpg.xmp',
      xmpPacket(
        '',
        bag('dc:subject', ['Lisbon', 'Places', 'Anna', 'sunset']) +
          bag('digiKam:TagsList', ['Places/Portugal/Lisbon']) +
          bag('lr:hierarchicalSubject', ['People|Anna']),
      ),
    );
    const m = await readPhotoMetadata(path);
    expect(m.warnings).toEqual([]);
    expect(m.keywords).toEqual([
      { name: 'sunset', source: 'xmp' },
      { name: 'People/Anna', source: 'xmp' },
      { name: 'Places/Portugal/Lisbon', source: 'xmp' },
    ]);
  });

  it('reads a sidecar beside a real photo that carries no metadata', async () => {
    const photo = readdirSync(PHOTOS).find((n) => n.endsWith('.jpg'));
    if (photo === undefined || !existsSync(PHOTOS)) return;
    const path = join(dir, 'coco.jpg');
    copyFileSync(join(PHOTOS, photo), path);
    write(
      'coco.xmp',
      xmpPacket(
        'exif:DateTimeOriginal="2016-06-01T18:00:00Z" exif:GPSLatitude="48,51.5N" exif:GPSLongitude="2,17.4E"',
        bag('lr:hierarchicalSubject', ['People|Anna']),
      ),
    );
    const m = await readPhotoMetadata(path);
    expect(m.warnings).toEqual([]);
    expect(m.takenAt).toBe(Date.UTC(2016, 5, 1, 18));
    expect(m.lat).toBeCloseTo(48 + 51.5 / 60, 9);
    expect(m.lon).toBeCloseTo(2 + 17.4 / 60, 9);
    expect(m.keywords).toEqual([{ name: 'People/Anna', source: 'xmp' }]);
  });

  it('warns about a malformed sidecar and still returns the embedded metadata', async () => {
    const path = write(
      'broken.jpg',
      await jpeg({ exif: { IFD2: { DateTimeOriginal: '2020:05:06 07:08:09' } } }),
    );
    write('broken.jpg.xmp', '<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description <<< truncated');
    write('broken.xmp', Buffer.from([0, 1, 2, 0xff, 0xfe]));
    const m = await readPhotoMetadata(path, UTC);
    expect(m.takenAt).toBe(Date.UTC(2020, 4, 6, 7, 8, 9));
    expect(m.warnings).toHaveLength(2);
    expect(m.warnings.join('\n')).toMatch(/broken\.xmp: not an XMP file/);
    expect(m.warnings.join('\n')).toMatch(/broken\.jpg\.xmp: XMP is malformed or truncated/);
  });
});

describe('readPhotoMetadata: character references and placeholders', () => {
  it('decodes XML references in every value of a sidecar: description, title, keywords, hierarchies', async () => {
    const path = write('ref.jpg', await jpeg());
    // Written as Lightroom and darktable write them: apostrophes and ampersands escaped.
    write(
      'ref.jpg.xmp',
      xmpPacket(
        'photoshop:City="Fish &amp; Chips Town"',
        alt('dc:description', [['x-default', 'Grandma&#39;s kitchen &amp; garden, &lt;1987&gt; &#x263A;']]) +
          alt('dc:title', [['x-default', 'Tom &amp; Jerry&apos;s &quot;den&quot;']]) +
          bag('dc:subject', ['R&amp;D', 'caf&#233;']) +
          bag('lr:hierarchicalSubject', ['Places|Fish &amp; Chips']),
      ),
    );
    const m = await readPhotoMetadata(path);
    expect(m.warnings).toEqual([]);
    expect(m.description).toBe("Grandma's kitchen & garden, <1987> ☺");
    expect(m.title).toBe('Tom & Jerry\'s "den"');
    expect(m.keywords.map((k) => k.name)).toEqual(['R&D', 'café', 'Places/Fish & Chips']);
  });

  it('decodes XML references in embedded XMP too', async () => {
    const path = write(
      'ref-embedded.jpg',
      await jpeg({ xmp: xmpPacket('', alt('dc:description', [['x-default', 'Anna &amp; Rex']])) }),
    );
    expect((await readPhotoMetadata(path)).description).toBe('Anna & Rex');
  });

  it.runIf(existsSync(EXIFTOOL))(
    'decodes HTML references in IPTC written by exiftool, and leaves a bare "&" alone',
    async () => {
      const path = write('iptc-ref.jpg', await jpeg());
      execFileSync(EXIFTOOL, [
        '-q',
        '-overwrite_original',
        '-charset',
        'iptc=UTF8',
        '-IPTC:CodedCharacterSet=UTF8',
        '-IPTC:Caption-Abstract=Grandma&#39;s kitchen &amp; caf&eacute; (AT&T)',
        '-IPTC:ObjectName=Fish &notes',
        '-IPTC:Keywords=R&amp;D',
        '-IPTC:Keywords=Zürich',
        path,
      ]);
      const m = await readPhotoMetadata(path);
      expect(m.warnings).toEqual([]);
      expect(m.description).toBe("Grandma's kitchen & café (AT&T)");
      expect(m.title).toBe('Fish &notes');
      expect(m.keywords).toEqual([
        { name: 'R&D', source: 'iptc' },
        { name: 'Zürich', source: 'iptc' },
      ]);
    },
  );

  it.runIf(existsSync(EXIFTOOL))(
    'ignores "AppleMark" in a TIFF ImageDescription (written by exiftool), and reads a real one',
    async () => {
      const tiff = async (name: string, description: string): Promise<string> => {
        const path = write(
          name,
          await sharp({ create: { width: 8, height: 8, channels: 3, background: '#456' } })
            .tiff()
            .toBuffer(),
        );
        execFileSync(EXIFTOOL, ['-q', '-overwrite_original', `-IFD0:ImageDescription=${description}`, path]);
        return path;
      };
      const apple = await readPhotoMetadata(await tiff('apple.tif', 'AppleMark'));
      expect(apple.warnings).toEqual([]);
      expect(apple.description).toBeUndefined();
      const real = await readPhotoMetadata(await tiff('plan.tif', 'Kitchen plan &amp; garden'));
      expect(real.description).toBe('Kitchen plan & garden');
    },
  );

  it('ignores placeholders in every description field', async () => {
    // A placeholder in every source at once: none of them becomes the description.
    const path = write(
      'placeholders.jpg',
      withIptc(await jpeg({ exif: { IFD0: { ImageDescription: 'AppleMark' } } }), [
        [120, Buffer.from('  OLYMPUS   digital camera ')],
        [5, Buffer.from('IMG_1234.JPG')],
      ]),
    );
    write('placeholders.xmp', xmpPacket('', alt('dc:description', [['x-default', 'DCIM\\100APPLE']])));
    const m = await readPhotoMetadata(path);
    expect(m.description).toBeUndefined();
    expect(m.title).toBeUndefined();
  });

  it('keeps a real caption that merely mentions a placeholder', async () => {
    const path = write(
      'real.jpg',
      await jpeg({ exif: { IFD0: { ImageDescription: 'SONY DSC at the lake, IMG_1234' } } }),
    );
    expect((await readPhotoMetadata(path)).description).toBe('SONY DSC at the lake, IMG_1234');
  });
});

describe('readPhotoMetadata: files that are not what they claim', () => {
  it('warns for a text file named .jpg, and for a vanished file, without throwing', async () => {
    const fake = write('fake.jpg', 'this is not a photo');
    const m = await readPhotoMetadata(fake);
    expect(m.keywords).toEqual([]);
    expect(m.warnings).toEqual([
      'fake.jpg: embedded metadata could not be read (not a JPEG, PNG, TIFF or HEIF file).',
    ]);
    const gone = await readPhotoMetadata(join(dir, 'gone.jpg'));
    expect(gone.warnings).toEqual(['gone.jpg: embedded metadata could not be read (the file is gone).']);
  });

  it('returns nothing and no warnings for a WebP (no embedded metadata read) and a non-image without sidecars', async () => {
    const webp = write(
      'x.webp',
      await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } })
        .webp()
        .toBuffer(),
    );
    expect(await readPhotoMetadata(webp)).toEqual({ keywords: [], warnings: [] });
    expect(await readPhotoMetadata(write('notes.txt', 'hello'))).toEqual({ keywords: [], warnings: [] });
  });
});

describe.skipIf(!existsSync(PHOTOS))('readPhotoMetadata: the real COCO photos', () => {
  it('reads all of them without warnings; one carries the IPTC keywords its Flickr author gave it', async () => {
    const names = readdirSync(PHOTOS).filter((n) => n.endsWith('.jpg'));
    expect(names.length).toBeGreaterThan(40);
    const withKeywords: Record<string, string[]> = {};
    for (const name of names) {
      const m = await readPhotoMetadata(join(PHOTOS, name));
      expect(m.warnings, name).toEqual([]);
      expect(m.takenAt, name).toBeUndefined(); // COCO stripped EXIF
      if (m.keywords.length > 0) withKeywords[name] = m.keywords.map((k) => `${k.source}:${k.name}`);
    }
    expect(withKeywords).toEqual({
      '000000433998.jpg': [
        'iptc:baseball',
        'iptc:Citizens Bank Park',
        'iptc:Philadelphia',
        'iptc:Philadelphia Phillies',
        'iptc:Phillies',
        'iptc:roy halladay',
      ],
    });
  });
});
