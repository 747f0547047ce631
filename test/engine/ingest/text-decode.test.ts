import { describe, expect, it } from 'vitest';
import { decodeNoteBytes, firstInvalidUtf8 } from '../../../src/engine/ingest/text-decode.ts';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

function utf16(s: string, littleEndian: boolean): Uint8Array {
  const out = new Uint8Array(2 + s.length * 2);
  const view = new DataView(out.buffer);
  view.setUint16(0, 0xfeff, littleEndian);
  for (let i = 0; i < s.length; i++) view.setUint16(2 + i * 2, s.charCodeAt(i), littleEndian);
  return out;
}

describe('decodeNoteBytes', () => {
  const sample = 'Café at the beach 🏖️\r\nsecond line 日本';

  it('decodes plain UTF-8 and keeps CRLF as written', () => {
    expect(decodeNoteBytes(utf8(sample))).toEqual({ ok: true, text: sample, encoding: 'utf-8' });
  });

  it('drops a UTF-8 BOM and decodes UTF-16 LE/BE by their BOMs', () => {
    expect(decodeNoteBytes(Uint8Array.of(0xef, 0xbb, 0xbf, ...utf8(sample)))).toEqual({
      ok: true,
      text: sample,
      encoding: 'utf-8-bom',
    });
    expect(decodeNoteBytes(utf16(sample, true))).toEqual({ ok: true, text: sample, encoding: 'utf-16le' });
    expect(decodeNoteBytes(utf16(sample, false))).toEqual({ ok: true, text: sample, encoding: 'utf-16be' });
  });

  it('refuses Latin-1 with the byte, its offset and the fix', () => {
    const latin1 = Uint8Array.from([...'Caf'].map((c) => c.charCodeAt(0)).concat([0xe9, 0x20, 0x6f, 0x6b]));
    expect(decodeNoteBytes(latin1, 'notes/paris.txt')).toEqual({
      ok: false,
      error: 'notes/paris.txt is not UTF-8 text (invalid byte 0xE9 at offset 3); save it as UTF-8',
    });
    const deep = new Uint8Array([...utf8('x'.repeat(123)), 0xe9]);
    expect(decodeNoteBytes(deep)).toMatchObject({
      ok: false,
      error: expect.stringContaining('0xE9 at offset 123'),
    });
  });

  it('calls a file with NUL bytes (binary, or UTF-16 without BOM) not a text file', () => {
    const result = decodeNoteBytes(Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 0x00, 0x01));
    expect(result).toMatchObject({ ok: false, error: expect.stringContaining('is not a text file') });
    expect(decodeNoteBytes(utf16('hi', true).subarray(2))).toMatchObject({ ok: false });
  });

  it('reports a UTF-16 file that is cut mid-character', () => {
    const odd = utf16('hello', true).subarray(0, 7);
    expect(decodeNoteBytes(odd)).toMatchObject({
      ok: false,
      error: expect.stringContaining('UTF-16LE byte-order mark'),
    });
  });

  it('decodes an empty file to empty text', () => {
    expect(decodeNoteBytes(new Uint8Array())).toEqual({ ok: true, text: '', encoding: 'utf-8' });
  });
});

describe('firstInvalidUtf8 agrees with the WHATWG decoder', () => {
  const cases: Array<[number[], number]> = [
    [[0x41, 0xc3, 0xa9], -1],
    [[0xc0, 0x80], 0], // overlong NUL
    [[0xe0, 0x80, 0x80], 0], // overlong
    [[0xed, 0xa0, 0x80], 0], // surrogate
    [[0xf4, 0x90, 0x80, 0x80], 0], // > U+10FFFF
    [[0x41, 0xe2, 0x82], 1], // truncated at the end
    [[0x41, 0x80], 1], // stray continuation
    [[0xf0, 0x9f, 0x98, 0x80, 0xff], 4],
  ];
  it.each(cases)('%j → %i', (bytes, expected) => {
    const buf = Uint8Array.from(bytes);
    expect(firstInvalidUtf8(buf)).toBe(expected);
    let valid = true;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(buf);
    } catch {
      valid = false;
    }
    expect(valid).toBe(expected === -1);
  });

  it('on random byte strings', () => {
    let state = 7;
    for (let n = 0; n < 2000; n++) {
      const buf = new Uint8Array(8);
      for (let i = 0; i < buf.length; i++) {
        state = (Math.imul(state, 1103515245) + 12345) >>> 0;
        buf[i] = state >>> 24;
      }
      let valid = true;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(buf);
      } catch {
        valid = false;
      }
      expect(firstInvalidUtf8(buf) === -1).toBe(valid);
    }
  });
});
