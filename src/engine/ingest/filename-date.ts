/**
 * Capture dates written into file names by phones, cameras and apps: `IMG_20190714_153012.jpg`,
 * `PXL_20190714_153012345.jpg`, `VID_20190714_153012.mp4`, `2019-07-14 15.30.12.jpg`,
 * `Screenshot_2019-07-14-15-30-12.png`, `WhatsApp Image 2019-07-14 at 15.30.12.jpeg`,
 * `IMG-20190714-WA0001.jpg`. Pure: no I/O.
 */
import { wallClockToEpoch, type ZonelessTime } from './metadata-values.ts';

// A date (YYYY MM DD, one separator or none, the same one twice), then optionally a time (HH MM SS, one
// separator or none) after a space, `_`, `T`, `-` or " at ", with up to 3 digits of milliseconds after it.
// NOTE: digit runs must start and end at the date (or time) itself, so ids such as `000000062554` never match.
const DATE_IN_NAME =
  /(?<!\d)(\d{4})([-_.]?)(\d{2})\2(\d{2})(?:(?:[ _T-]|\s+at\s+)?(\d{2})([-.:_]?)(\d{2})\6(\d{2})(\d{0,3})(?!\d)|(?!\d))/g;

// NOTE: a bare 8-digit run is only taken for a date from 1970 on (older ones are more often counters);
// a separated date is taken from 1900 (scans of old prints are named so).
const FIRST_YEAR_SEPARATED = 1900;
const FIRST_YEAR_BARE = 1970;
const LAST_YEAR = 2099;
/** A file-name date more than a day ahead of the clock is not a capture date. */
const FUTURE_SLACK_MS = 24 * 3600 * 1000;

/** Options of `dateFromFileName`. */
export interface FileNameDateOptions {
  /** How to read the wall-clock time in the name (default 'local', as cameras and phones name files). */
  zoneless?: ZonelessTime;
  /** The clock: dates after it (plus a day) are refused. Default: no upper bound beyond the year 2099. */
  now?: number;
}

/**
 * The capture time in a file name (ms since the epoch), or undefined when it has none or only an
 * impossible one (month 13, 30 February, 25 o'clock, the future). A date without a time is that day's
 * midnight. The first plausible date in the name wins.
 */
export function dateFromFileName(name: string, options: FileNameDateOptions = {}): number | undefined {
  const zoneless = options.zoneless ?? 'local';
  const base = name.replace(/^.*[\\/]/, '');
  for (const m of base.matchAll(DATE_IN_NAME)) {
    const year = Number(m[1]);
    const first = m[2] === '' ? FIRST_YEAR_BARE : FIRST_YEAR_SEPARATED;
    if (year < first || year > LAST_YEAR) continue;
    const hasTime = m[5] !== undefined;
    const t = wallClockToEpoch(
      {
        year,
        month: Number(m[3]),
        day: Number(m[4]),
        ...(hasTime
          ? {
              hour: Number(m[5]),
              minute: Number(m[7]),
              second: Number(m[8]),
              ms: m[9] ? Number(m[9].padEnd(3, '0')) : 0,
            }
          : {}),
      },
      undefined,
      zoneless,
    );
    // NOTE: a leap second (60) is fine in EXIF, but in a name it is more likely a counter: refuse it.
    if (t === undefined || (hasTime && Number(m[8]) > 59)) continue;
    if (options.now !== undefined && t > options.now + FUTURE_SLACK_MS) continue;
    return t;
  }
  return undefined;
}
