import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { parse as exifrParse, sidecar as exifrSidecar } from 'exifr/dist/full.esm.mjs';
import { errorMessage } from '../errors.ts';
import { extensionOf } from './file-kinds.ts';
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
  parseXmpCoordinate,
  parseXmpDate,
  stringList,
  validPosition,
  type ZonelessTime,
} from './metadata-values.ts';
import { sidecarCandidates } from './xmp-sidecar.ts';

/** A keyword found in a photo's metadata, with where it came from. */
export interface MetadataKeyword {
  name: string;
  source: 'xmp' | 'iptc';
}

/** What Glint reads from a photo's embedded metadata and XMP sidecars. */
export interface PhotoMetadata {
  /** Capture time, ms since the epoch (see `ReadMetadataOptions.zoneless` for dates without a zone). */
  takenAt?: number;
  /** Where `takenAt` came from: embedded EXIF (or IPTC) metadata, or an XMP packet (embedded or a sidecar). */
  takenSource?: 'exif' | 'xmp';
  lat?: number;
  lon?: number;
  /** EXIF orientation 1–8. */
  orientation?: number;
  /** Keywords, deduplicated case-insensitively; XMP ones first. */
  keywords: MetadataKeyword[];
  description?: string;
  title?: string;
  /** Problems met on the way (unreadable file, malformed sidecar, impossible date); the rest is still returned. */
  warnings: string[];
}

/** Options of `readPhotoMetadata`. */
export interface ReadMetadataOptions {
  /**
   * How to read capture times without a time zone (EXIF DateTimeOriginal has none unless
   * OffsetTimeOriginal is set): 'local' (default) takes them as this machine's local time, which is
   * what a camera clock set to home time means; 'utc' takes them as UTC.
   */
  zoneless?: ZonelessTime;
  /** The photo's bytes, already read (so the file is read once); default: read from `path`. */
  bytes?: Uint8Array;
}

/** Extensions whose embedded EXIF/IPTC/XMP exifr can read (GIF and WebP carry none it understands). */
const EMBEDDED_READABLE = new Set(['jpg', 'jpeg', 'tif', 'tiff', 'png', 'heic', 'heif', 'avif']);

type Block = Record<string, unknown>;
/** exifr's output with `mergeOutput: false`: one object per segment, block or XMP namespace. */
type Segments = Record<string, Block | undefined> & { errors?: unknown };

/** One parsed XMP packet (embedded or a sidecar), split by namespace. */
interface XmpPacket {
  origin: string;
  ns: Segments;
}

/**
 * Reads capture date, GPS position, orientation, keywords, description and title of the photo at
 * `path` from its embedded EXIF, IPTC and XMP and from its XMP sidecars (`photo.xmp`,
 * `photo.jpg.xmp`). Sidecars win for description and title; keywords are the union of all sources.
 * Text comes with its character references decoded (XML ones in every XMP value, HTML ones in IPTC
 * and EXIF text), and placeholder descriptions and titles (placeholder-captions.ts) are left out.
 * Never throws: whatever cannot be read becomes a line in `warnings`.
 *
 * Capture date, first found: EXIF DateTimeOriginal, EXIF CreateDate (each with its OffsetTime* when
 * present), XMP exif:DateTimeOriginal / photoshop:DateCreated / xmp:CreateDate (sidecars first),
 * IPTC DateCreated+TimeCreated.
 */
export async function readPhotoMetadata(
  path: string,
  options: ReadMetadataOptions = {},
): Promise<PhotoMetadata> {
  const zoneless = options.zoneless ?? 'local';
  const warnings: string[] = [];
  const name = basename(path);

  let embedded: Segments = {};
  const packets: XmpPacket[] = [];
  if (EMBEDDED_READABLE.has(extensionOf(path))) {
    try {
      const out = (await exifrParse(options.bytes ?? path, {
        tiff: true,
        exif: true,
        gps: true,
        iptc: true,
        xmp: { parse: false },
        mergeOutput: false,
        reviveValues: false,
        translateValues: false,
      })) as Segments | undefined;
      embedded = out ?? {};
      collectErrors(embedded.errors, `${name}: embedded metadata`, warnings);
      const rawXmp = embedded.xmp as unknown;
      if (typeof rawXmp === 'string' && rawXmp.trim() !== '') {
        const packet = await parseXmp(rawXmp, `${name} (embedded XMP)`, warnings);
        if (packet !== undefined) packets.push(packet);
      }
    } catch (err) {
      warnings.push(`${name}: embedded metadata could not be read (${describeReadError(err)}).`);
    }
  }

  // Sidecars, least specific first, so that later packets win.
  const sidecarPackets: XmpPacket[] = [];
  const seen: Buffer[] = [];
  for (const candidate of sidecarCandidates(path)) {
    let bytes: Buffer;
    try {
      bytes = await readFile(candidate);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR')
        warnings.push(`${basename(candidate)}: sidecar could not be read (${describeReadError(err)}).`);
      continue;
    }
    // NOTE: on a case-insensitive disk `photo.xmp` and `photo.XMP` are one file: read it once.
    if (seen.some((b) => b.equals(bytes))) continue;
    seen.push(bytes);
    const packet = await parseXmp(bytes.toString('utf8'), basename(candidate), warnings);
    if (packet !== undefined) sidecarPackets.push(packet);
  }
  // Embedded first, then sidecars least specific first; reversed, the packet that wins comes first.
  const xmpNewestFirst = [...packets, ...sidecarPackets].reverse();

  const ifd0 = embedded.ifd0 ?? {};
  const exif = embedded.exif ?? {};
  const gps = embedded.gps ?? {};
  // IPTC text arrives byte-per-char; decoded once here, character encoding first, then references.
  const iptc = mapStrings(embedded.iptc ?? {}, (s) => decodeHtmlText(decodeIptcText(s)));
  const result: PhotoMetadata = { keywords: [], warnings };

  const taken = captureTime(exif, iptc, xmpNewestFirst, zoneless, name, warnings);
  if (taken !== undefined) {
    result.takenAt = taken.at;
    result.takenSource = taken.source;
  }

  const position =
    validPosition(gps.latitude, gps.longitude) ??
    firstDefined(xmpNewestFirst, (p) =>
      validPosition(parseXmpCoordinate(p.ns.exif?.GPSLatitude), parseXmpCoordinate(p.ns.exif?.GPSLongitude)),
    );
  if (position !== undefined) {
    result.lat = position.lat;
    result.lon = position.lon;
  }

  const orientation = ifd0.Orientation ?? firstDefined(xmpNewestFirst, (p) => p.ns.tiff?.Orientation);
  if (orientation !== undefined) {
    const n = Number(orientation);
    if (Number.isInteger(n) && n >= 1 && n <= 8) result.orientation = n;
    else warnings.push(`${name}: orientation ${String(orientation)} is not one of 1–8; ignored.`);
  }

  const keywords = new KeywordSet();
  for (const p of [...packets, ...sidecarPackets]) {
    // Lightroom and digiKam also write each level of a hierarchical keyword flat in dc:subject; the
    // hierarchy says where it belongs, so a flat keyword naming one of its levels is left out.
    const paths = [
      ...stringList(p.ns.lr?.hierarchicalSubject).map((h) => hierarchyPath(h, '|')),
      ...stringList(p.ns.digiKam?.TagsList).map((h) => hierarchyPath(h, '/')),
    ].filter((h) => h !== undefined);
    const levels = new Set(paths.flatMap((h) => h.toLowerCase().split('/')));
    for (const k of stringList(p.ns.dc?.subject)) if (!levels.has(k.toLowerCase())) keywords.add(k, 'xmp');
    for (const h of paths) keywords.add(h, 'xmp');
  }
  for (const k of stringList(iptc.Keywords)) keywords.add(k, 'iptc');
  result.keywords = keywords.list();

  const description =
    firstDefined(xmpNewestFirst, (p) => cleanDescription(langAltText(p.ns.dc?.description))) ??
    cleanDescription(iptcText(iptc.Caption)) ??
    cleanDescription(
      typeof ifd0.ImageDescription === 'string' ? decodeHtmlText(ifd0.ImageDescription) : undefined,
    );
  if (description !== undefined) result.description = description;

  const title =
    firstDefined(xmpNewestFirst, (p) => cleanDescription(langAltText(p.ns.dc?.title))) ??
    cleanDescription(iptcText(iptc.ObjectName));
  if (title !== undefined) result.title = title;

  return result;
}

/** The capture time from the first source that has a valid one, and that source; invalid ones become warnings. */
function captureTime(
  exif: Block,
  iptc: Block,
  xmpNewestFirst: readonly XmpPacket[],
  zoneless: ZonelessTime,
  name: string,
  warnings: string[],
): { at: number; source: 'exif' | 'xmp' } | undefined {
  const tried: string[] = [];
  const attempt = (
    raw: unknown,
    parse: (s: string) => number | undefined,
    label: string,
  ): number | undefined => {
    if (raw === undefined || raw === null || raw === '') return undefined;
    const value = typeof raw === 'string' ? parse(raw) : undefined;
    if (value === undefined) tried.push(`${label} "${String(raw)}"`);
    return value;
  };
  const exifTime =
    attempt(
      exif.DateTimeOriginal,
      (s) => parseExifDate(s, str(exif.OffsetTimeOriginal) ?? str(exif.OffsetTime), zoneless),
      'EXIF DateTimeOriginal',
    ) ??
    attempt(
      exif.CreateDate,
      (s) => parseExifDate(s, str(exif.OffsetTimeDigitized) ?? str(exif.OffsetTime), zoneless),
      'EXIF CreateDate',
    );
  const xmpTime =
    exifTime ??
    firstDefined(
      xmpNewestFirst,
      (p) =>
        attempt(p.ns.exif?.DateTimeOriginal, (s) => parseXmpDate(s, zoneless), 'XMP exif:DateTimeOriginal') ??
        attempt(p.ns.photoshop?.DateCreated, (s) => parseXmpDate(s, zoneless), 'XMP photoshop:DateCreated') ??
        attempt(p.ns.xmp?.CreateDate, (s) => parseXmpDate(s, zoneless), 'XMP xmp:CreateDate'),
    );
  const iptcTime =
    xmpTime ??
    attempt(iptc.DateCreated, (s) => parseIptcDate(s, str(iptc.TimeCreated), zoneless), 'IPTC DateCreated');
  if (tried.length > 0)
    warnings.push(`${name}: ignored capture dates that are not valid dates: ${tried.join(', ')}.`);
  // IPTC is embedded metadata like EXIF, and is reported as such.
  if (exifTime !== undefined) return { at: exifTime, source: 'exif' };
  if (xmpTime !== undefined) return { at: xmpTime, source: 'xmp' };
  return iptcTime === undefined ? undefined : { at: iptcTime, source: 'exif' };
}

/**
 * Parses one XMP packet with exifr. A packet that is not XMP at all, or whose `x:xmpmeta` element
 * is not closed (a truncated or hand-broken file), adds a warning; what could be read is still used.
 */
async function parseXmp(text: string, origin: string, warnings: string[]): Promise<XmpPacket | undefined> {
  const hasXmp = /<x:xmpmeta[\s>]|<rdf:RDF[\s>]/.test(text);
  if (!hasXmp) {
    warnings.push(`${origin}: not an XMP file (no x:xmpmeta or rdf:RDF element); ignored.`);
    return undefined;
  }
  const opens = (text.match(/<x:xmpmeta[\s>]/g) ?? []).length + (text.match(/<rdf:RDF[\s>]/g) ?? []).length;
  const closes =
    (text.match(/<\/x:xmpmeta\s*>/g) ?? []).length + (text.match(/<\/rdf:RDF\s*>/g) ?? []).length;
  if (opens !== closes)
    warnings.push(
      `${origin}: XMP is malformed or truncated (unclosed elements); whatever could be read was used.`,
    );
  let ns: Segments | undefined;
  try {
    ns = (await exifrSidecar(
      Buffer.from(text, 'utf8'),
      { mergeOutput: false, reviveValues: false },
      'xmp',
    )) as Segments | undefined;
  } catch (err) {
    warnings.push(`${origin}: XMP could not be parsed (${errorMessage(err)}).`);
    return undefined;
  }
  if (ns === undefined) {
    if (opens === closes) warnings.push(`${origin}: XMP could not be parsed; ignored.`);
    return undefined;
  }
  collectErrors(ns.errors, origin, warnings);
  // Every value, not only the ones read today: a reference left in would be stored and shown as written.
  return { origin, ns: mapStrings(ns, decodeXmpText) };
}

/** Case-insensitive keyword union that keeps the first spelling and source seen. */
class KeywordSet {
  private readonly byKey = new Map<string, MetadataKeyword>();
  add(name: string, source: MetadataKeyword['source']): void {
    const clean = name.normalize('NFC').replace(/\s+/g, ' ').trim();
    if (clean === '') return;
    const key = clean.toLowerCase();
    if (!this.byKey.has(key)) this.byKey.set(key, { name: clean, source });
  }
  list(): MetadataKeyword[] {
    return [...this.byKey.values()];
  }
}

function firstDefined<T, R>(items: readonly T[], pick: (item: T) => R | undefined): R | undefined {
  for (const item of items) {
    const value = pick(item);
    if (value !== undefined) return value;
  }
  return undefined;
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** An IPTC text field, already decoded (repeated fields come as an array: the first one wins). */
function iptcText(value: unknown): string | undefined {
  return stringList(value)[0];
}

function collectErrors(errors: unknown, origin: string, warnings: string[]): void {
  for (const e of stringList(errors)) warnings.push(`${origin}: ${e}`);
}

function describeReadError(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOENT') return 'the file is gone';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  if (code === 'EISDIR') return 'it is a folder';
  const message = errorMessage(err);
  if (message === 'Unknown file format') return 'not a JPEG, PNG, TIFF or HEIF file';
  return message;
}
