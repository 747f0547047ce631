/** The HTTP transport's JSON: bytes as base64 strings, no argument as {}. */
import { describe, expect, it } from 'vitest';
import { bytesToBase64, toWireJson } from '../../../src/renderer/src/api/wire.ts';

describe('wire format', () => {
  it('encodes bytes as the same base64 as Node, across the 32 KiB chunk boundary', () => {
    const bytes = new Uint8Array(100_003).map((_, i) => (i * 7919) & 0xff);
    expect(bytesToBase64(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    for (const n of [1, 2, 3, 0x8000, 0x8001])
      expect(bytesToBase64(bytes.subarray(0, n)), String(n)).toBe(
        Buffer.from(bytes.subarray(0, n)).toString('base64'),
      );
    expect(bytesToBase64(new Uint8Array())).toBe('');
  });

  it('encodes a view of a larger buffer as its own bytes only', () => {
    const whole = new Uint8Array([9, 9, 1, 2, 3, 9]);
    expect(bytesToBase64(whole.subarray(2, 5))).toBe('AQID');
  });

  it('puts base64 strings where Uint8Arrays were and sends {} for no argument', () => {
    const json = toWireJson({ query: { bytes: new Uint8Array([1, 2, 255]), name: 'a.jpg' }, limit: 5 });
    expect(JSON.parse(json)).toEqual({ query: { bytes: 'AQL/', name: 'a.jpg' }, limit: 5 });
    expect(toWireJson(undefined)).toBe('{}');
    expect(toWireJson(null)).toBe('{}');
    expect(JSON.parse(toWireJson({ ids: [1, 2], tag: 'é"' }))).toEqual({ ids: [1, 2], tag: 'é"' });
  });
});
