/**
 * Decodes a note file's bytes to text, strictly: a byte-order mark selects UTF-8 or UTF-16, anything
 * else must be valid UTF-8. Nothing is guessed, so a Latin-1 or Windows-1252 file is refused with the
 * offending byte and the fix, instead of being indexed as mojibake.
 *
 * The text is returned exactly as decoded (only a BOM is dropped): line ends are NOT normalised
 * (CRLF stays CRLF), because chunk character ranges must point into this very string.
 */

/** Encodings a note can arrive in. */
export type NoteEncoding = 'utf-8' | 'utf-8-bom' | 'utf-16le' | 'utf-16be';

/** Decoded text, or a message that says what is wrong and how to fix it. */
export type DecodedNote = { ok: true; text: string; encoding: NoteEncoding } | { ok: false; error: string };

const BOMS: Array<[NoteEncoding, number[]]> = [
  ['utf-8-bom', [0xef, 0xbb, 0xbf]],
  ['utf-16le', [0xff, 0xfe]],
  ['utf-16be', [0xfe, 0xff]],
];

/** Decodes note bytes; `name` (e.g. the file name) is used in the error message. */
export function decodeNoteBytes(bytes: Uint8Array, name = 'the file'): DecodedNote {
  for (const [encoding, bom] of BOMS) {
    if (bom.every((b, i) => bytes[i] === b)) {
      const label = encoding === 'utf-8-bom' ? 'utf-8' : encoding;
      try {
        // The BOM is consumed by the decoder (ignoreBOM: false).
        const text = new TextDecoder(label, { fatal: true }).decode(bytes);
        return { ok: true, text, encoding };
      } catch {
        return {
          ok: false,
          error: `${name} starts with a ${label.toUpperCase()} byte-order mark but is not valid ${label.toUpperCase()} text; save it again as UTF-8`,
        };
      }
    }
  }
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    return {
      ok: false,
      error: `${name} is not a text file (it contains a NUL byte at offset ${nul}); notes must be plain UTF-8 text (.txt, .md)`,
    };
  }
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    const hex = (bytes[bad] as number).toString(16).toUpperCase().padStart(2, '0');
    return {
      ok: false,
      error: `${name} is not UTF-8 text (invalid byte 0x${hex} at offset ${bad}); save it as UTF-8`,
    };
  }
  return {
    ok: true,
    text: new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes),
    encoding: 'utf-8',
  };
}

/**
 * Offset of the first byte that makes `bytes` invalid UTF-8 (the lead byte of a bad or truncated
 * sequence, or the stray byte itself), or −1 when all of it is valid. Rejects overlong forms,
 * surrogates and code points above U+10FFFF, as the WHATWG decoder does.
 */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] as number;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let lo = 0x80;
    let hi = 0xbf;
    if (b >= 0xc2 && b <= 0xdf) need = 1;
    else if (b >= 0xe0 && b <= 0xef) {
      need = 2;
      if (b === 0xe0) lo = 0xa0; // overlong
      if (b === 0xed) hi = 0x9f; // surrogates
    } else if (b >= 0xf0 && b <= 0xf4) {
      need = 3;
      if (b === 0xf0) lo = 0x90; // overlong
      if (b === 0xf4) hi = 0x8f; // > U+10FFFF
    } else return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined) return i;
      if (k === 1 ? c < lo || c > hi : c < 0x80 || c > 0xbf) return i;
    }
    i += need + 1;
  }
  return -1;
}
