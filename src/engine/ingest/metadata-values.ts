/**
 * Pure parsers for the values photo metadata carries: EXIF/XMP/IPTC dates, GPS, IPTC text
 * encodings, XML and HTML character references, XMP lang-alt and bags, and placeholder
 * descriptions. No I/O here.
 */
import { decodeHTMLStrict, decodeXML } from 'entities/decode';
import { isPlaceholderCaption } from './placeholder-captions.ts';

/** How to read a capture time that carries no time zone: as the local time of this machine, or as UTC. */
export type ZonelessTime = 'local' | 'utc';

/** Minutes east of UTC for an offset such as `+05:30`, `-0800`, `Z`; undefined when it is not one. */
export function parseOffset(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const t = text.trim();
  if (t === 'Z' || t === 'z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(t);
  if (m === null) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3]);
  if (minutes > 14 * 60) return undefined;
  return m[1] === '-' ? -minutes : minutes;
}

/**
 * Epoch ms of a wall-clock time. With a known `offsetMinutes` the result is exact; without one it is
 * read per `zoneless` ('local': the machine's zone at that date, what cameras set their clock to).
 * Undefined for impossible dates (month 13, day 0, Feb 30, year 0 as cameras write for "unset").
 */
export function wallClockToEpoch(
  parts: {
    year: number;
    month: number;
    day: number;
    hour?: number;
    minute?: number;
    second?: number;
    ms?: number;
  },
  offsetMinutes: number | undefined,
  zoneless: ZonelessTime,
): number | undefined {
  const { year, month, day, hour = 0, minute = 0, second = 0, ms = 0 } = parts;
  if (year < 1 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60)
    return undefined;
  const utc = Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), ms);
  // Reject day overflow (Feb 30 would silently become Mar 2).
  if (new Date(utc).getUTCDate() !== day) return undefined;
  if (offsetMinutes !== undefined) return utc - offsetMinutes * 60_000;
  if (zoneless === 'utc') return utc;
  const local = new Date(year, month - 1, day, hour, minute, Math.min(second, 59), ms);
  // NOTE: `new Date(y, …)` maps years 0–99 to 1900–1999; setFullYear puts them back.
  local.setFullYear(year);
  return local.getTime();
}

/**
 * Epoch ms of an EXIF date `YYYY:MM:DD HH:MM:SS` (dashes and a fractional second tolerated).
 * EXIF dates have no zone: `offset` (OffsetTimeOriginal etc.) applies when given, else `zoneless`.
 */
export function parseExifDate(
  text: string | undefined,
  offset: string | undefined,
  zoneless: ZonelessTime,
): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m =
    /^\s*(\d{4})[:-](\d{2})[:-](\d{2})[ T](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?\s*$/.exec(
      text.replace(/\0/g, ''),
    );
  if (m === null) return undefined;
  const inline = parseOffset(m[8]);
  return wallClockToEpoch(
    {
      year: Number(m[1]),
      month: Number(m[2]),
      day: Number(m[3]),
      hour: Number(m[4]),
      minute: Number(m[5]),
      second: Number(m[6] ?? 0),
      ms: fractionToMs(m[7]),
    },
    inline ?? parseOffset(offset),
    zoneless,
  );
}

/**
 * Epoch ms of an XMP (ISO 8601 subset) date: `YYYY`, `YYYY-MM`, `YYYY-MM-DD`, then optional
 * `Thh:mm[:ss[.s]]` and a zone (`Z`, `±hh:mm`). No zone: read per `zoneless`. Missing parts are
 * the start of the period (a date-only value is its midnight).
 */
export function parseXmpDate(text: string | undefined, zoneless: ZonelessTime): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m =
    /^\s*(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?)?)?\s*$/.exec(
      text,
    );
  if (m === null) return undefined;
  return wallClockToEpoch(
    {
      year: Number(m[1]),
      month: Number(m[2] ?? 1),
      day: Number(m[3] ?? 1),
      hour: Number(m[4] ?? 0),
      minute: Number(m[5] ?? 0),
      second: Number(m[6] ?? 0),
      ms: fractionToMs(m[7]),
    },
    parseOffset(m[8]),
    zoneless,
  );
}

/** Epoch ms of IPTC DateCreated `YYYYMMDD` with optional TimeCreated `HHMMSS±HHMM`. */
export function parseIptcDate(
  date: string | undefined,
  time: string | undefined,
  zoneless: ZonelessTime,
): number | undefined {
  if (typeof date !== 'string') return undefined;
  const d = /^\s*(\d{4})(\d{2})(\d{2})\s*$/.exec(date);
  if (d === null) return undefined;
  const t = typeof time === 'string' ? /^\s*(\d{2})(\d{2})(\d{2})([+-]\d{4})?\s*$/.exec(time) : null;
  return wallClockToEpoch(
    {
      year: Number(d[1]),
      month: Number(d[2]),
      day: Number(d[3]),
      hour: Number(t?.[1] ?? 0),
      minute: Number(t?.[2] ?? 0),
      second: Number(t?.[3] ?? 0),
    },
    parseOffset(t?.[4]),
    zoneless,
  );
}

function fractionToMs(fraction: string | undefined): number {
  return fraction === undefined ? 0 : Math.round(Number(`0.${fraction}`) * 1000);
}

/**
 * Decimal degrees of an XMP GPS coordinate (`DDD,MM.mmk` or `DDD,MM,SSk`, k one of N S E W), or a
 * plain decimal number; undefined when unreadable.
 */
export function parseXmpCoordinate(text: unknown): number | undefined {
  if (typeof text === 'number') return Number.isFinite(text) ? text : undefined;
  if (typeof text !== 'string') return undefined;
  const t = text.trim();
  if (/^[+-]?\d+(\.\d+)?$/.test(t)) return Number(t);
  const m = /^(\d{1,3}),(\d{1,2}(?:\.\d+)?)(?:,(\d{1,2}(?:\.\d+)?))?\s*([NSEW])$/i.exec(t);
  if (m === null) return undefined;
  const value = Number(m[1]) + Number(m[2]) / 60 + Number(m[3] ?? 0) / 3600;
  return /[SW]/i.test(m[4] as string) ? -value : value;
}

/**
 * A latitude/longitude pair if it is a real position: finite, in range, and not exactly (0, 0),
 * which cameras without a GPS fix write as a placeholder.
 */
export function validPosition(lat: unknown, lon: unknown): { lat: number; lon: number } | undefined {
  if (typeof lat !== 'number' || typeof lon !== 'number') return undefined;
  if (!Number.isFinite(lat) || !Number.isFinite(lon) || Math.abs(lat) > 90 || Math.abs(lon) > 180)
    return undefined;
  if (lat === 0 && lon === 0) return undefined;
  return { lat, lon };
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Text of an IPTC dataset that was decoded byte-per-char (Latin-1). IPTC has no fixed encoding: modern
 * writers use UTF-8 (announced by dataset 1:90, which not every reader keeps), older ones Latin-1.
 * The bytes are taken as UTF-8 when they are valid UTF-8, else as Latin-1; NOTE: Latin-1 text that
 * happens to be valid UTF-8 needs two or more accented capitals in a row, which real words rarely do.
 */
export function decodeIptcText(latin1: string): string {
  let ascii = true;
  for (let i = 0; i < latin1.length; i++) {
    if (latin1.charCodeAt(i) > 0x7f) {
      ascii = false;
      break;
    }
  }
  if (ascii) return latin1;
  const bytes = Buffer.from(latin1, 'latin1');
  try {
    return utf8.decode(bytes);
  } catch {
    return latin1;
  }
}

/** The strings in a value that may be one string, an array of them, or missing; trimmed, empties dropped. */
export function stringList(value: unknown): string[] {
  const items = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  const out: string[] = [];
  for (const item of items) {
    if (typeof item === 'string' || typeof item === 'number') {
      const s = String(item).replace(/\0/g, '').trim();
      if (s !== '') out.push(s);
    }
  }
  return out;
}

/**
 * A hierarchical keyword as Glint stores it, levels joined by '/': Lightroom's lr:hierarchicalSubject
 * separates levels with '|' (`Animals|Dogs|Rex`), digiKam's TagsList with '/' (`Animals/Dogs/Rex`); a
 * level that contains '/' in Lightroom has it replaced by a space, as Glint's '/' always means a level.
 * Undefined when no level has text.
 */
export function hierarchyPath(path: string, separator: '|' | '/'): string | undefined {
  const parts = path
    .split(separator)
    .map((p) => p.replace(/\//g, ' ').replace(/\s+/g, ' ').trim())
    .filter(Boolean);
  return parts.length ? parts.join('/') : undefined;
}

/**
 * The text of an XMP lang-alt value as exifr returns it: a string, `{lang, value}`, or an array of
 * those. The `x-default` entry wins, then the first entry with text.
 */
export function langAltText(value: unknown): string | undefined {
  const items = Array.isArray(value) ? value : [value];
  let first: string | undefined;
  for (const item of items) {
    let lang: unknown;
    let text: unknown = item;
    if (item !== null && typeof item === 'object') {
      lang = (item as { lang?: unknown }).lang;
      text = (item as { value?: unknown }).value;
    }
    if (typeof text !== 'string' && typeof text !== 'number') continue;
    const s = String(text).trim();
    if (s === '') continue;
    if (lang === 'x-default') return s;
    first ??= s;
  }
  return first;
}

/**
 * A description worth keeping: trimmed, NULs removed, or undefined for placeholders (whitespace-only
 * text and what cameras and tools write when nobody wrote a caption; see placeholder-captions.ts).
 */
export function cleanDescription(text: unknown): string | undefined {
  if (typeof text !== 'string') return undefined;
  const s = text.replace(/\0/g, '').trim();
  if (s === '' || isPlaceholderCaption(s)) return undefined;
  return s;
}

/**
 * An XMP value with its XML character and entity references decoded (`&amp;` → `&`, `&#39;` → `'`):
 * exifr hands XMP text over as it stands in the XML, references included.
 */
export function decodeXmpText(text: string): string {
  return text.includes('&') ? decodeXML(text) : text;
}

/**
 * IPTC (or EXIF) text with HTML character references decoded. IIM and EXIF have no escaping of their
 * own, yet web tools write captions HTML-escaped (`Grandma&#39;s kitchen`). Strict: a reference
 * counts only with its `;`, so "AT&T" and "Fish &notes" stay as written.
 */
export function decodeHtmlText(text: string): string {
  return text.includes('&') ? decodeHTMLStrict(text) : text;
}

/** `value` with every string in it (nested in arrays and plain objects) passed through `decode`. */
export function mapStrings<T>(value: T, decode: (s: string) => string): T {
  if (typeof value === 'string') return decode(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => mapStrings(v, decode)) as T;
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = mapStrings(v, decode);
    return out as T;
  }
  return value;
}
