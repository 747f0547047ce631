import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { GlintError } from '../../src/engine/errors.ts';
import {
  getNumeric,
  readMat,
  readMatFile,
  toRowMajor,
  type MatChar,
  type MatNumeric,
} from '../../training/mat-v5.ts';

const WIKI = join(dirname(fileURLToPath(import.meta.url)), '../../../shared/data/wiki/wiki_data.mat');

// ---- A tiny MAT v5 writer for the tests (layout per the MathWorks Level 5 spec) ----
// header (128 B): text padded with spaces to 116 B | 8 B subsystem offset (0) | u16 version 0x0100 | "IM"
// element: u32 type | u32 byte count | payload | zero padding to a multiple of 8
// small element (payload ≤ 4 B): u16 type | u16 byte count (as one u32: count << 16 | type) | 4 B payload
// miMATRIX (14) payload: flags element (miUINT32 ×2: class | flag bits << 8, 0) | dims (miINT32) |
//   name (miINT8) | real part | [imaginary part]
const T = {
  INT8: 1,
  UINT8: 2,
  INT16: 3,
  UINT16: 4,
  INT32: 5,
  UINT32: 6,
  DOUBLE: 9,
  MATRIX: 14,
  COMPRESSED: 15,
};

function u32(v: number, le: boolean): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v, le);
  return b;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function header(le: boolean, text = 'MATLAB 5.0 MAT-file, Glint test'): Uint8Array {
  const h = new Uint8Array(128).fill(0x20);
  h.set(new TextEncoder().encode(text), 0);
  h.fill(0, 116, 124);
  new DataView(h.buffer).setUint16(124, 0x0100, le);
  h.set(new TextEncoder().encode(le ? 'IM' : 'MI'), 126);
  return h;
}

function element(type: number, payload: Uint8Array, le: boolean, allowSmall = true): Uint8Array {
  if (allowSmall && payload.length <= 4) {
    const data = new Uint8Array(4);
    data.set(payload);
    return concat([u32((payload.length << 16) | type, le), data]);
  }
  const pad = (8 - (payload.length % 8)) % 8;
  return concat([u32(type, le), u32(payload.length, le), payload, new Uint8Array(pad)]);
}

function values(type: number, xs: number[], le: boolean): Uint8Array {
  const size = { 1: 1, 2: 1, 3: 2, 4: 2, 5: 4, 6: 4, 9: 8 }[type] as number;
  const b = new Uint8Array(xs.length * size);
  const v = new DataView(b.buffer);
  xs.forEach((x, i) => {
    if (type === T.INT8) v.setInt8(i, x);
    else if (type === T.UINT8) v.setUint8(i, x);
    else if (type === T.INT16) v.setInt16(i * 2, x, le);
    else if (type === T.UINT16) v.setUint16(i * 2, x, le);
    else if (type === T.INT32) v.setInt32(i * 4, x, le);
    else if (type === T.UINT32) v.setUint32(i * 4, x, le);
    else v.setFloat64(i * 8, x, le);
  });
  return b;
}

/** miCOMPRESSED: tag with the exact zlib stream length, then the stream, NOT padded. */
function compressedElement(inner: Uint8Array, le: boolean): Uint8Array {
  const z = deflateSync(inner);
  return concat([u32(T.COMPRESSED, le), u32(z.length, le), z]);
}

interface VarSpec {
  name: string;
  cls: number;
  flagBits?: number;
  dims: number[];
  type: number;
  real: number[];
  imag?: number[];
}

function matrix(s: VarSpec, le: boolean): Uint8Array {
  const body = concat([
    element(T.UINT32, values(T.UINT32, [s.cls | ((s.flagBits ?? 0) << 8), 0], le), le),
    element(T.INT32, values(T.INT32, s.dims, le), le),
    element(T.INT8, new TextEncoder().encode(s.name), le),
    element(s.type, values(s.type, s.real, le), le),
    ...(s.imag ? [element(s.type, values(s.type, s.imag, le), le)] : []),
  ]);
  return element(T.MATRIX, body, le, false);
}

const VARS: VarSpec[] = [
  // A = [1 3 5; 2 4 6] (2×3 double, column-major 1..6)
  { name: 'A', cls: 6, dims: [2, 3], type: T.DOUBLE, real: [1, 2, 3, 4, 5, 6] },
  // d: class double stored compactly as miUINT8 (as MATLAB does for small integers)
  { name: 'd', cls: 6, dims: [1, 4], type: T.UINT8, real: [1, 2, 3, 250] },
  { name: 'b', cls: 9, dims: [1, 3], type: T.UINT8, real: [7, 8, 9] },
  { name: 'L', cls: 9, flagBits: 0x02, dims: [1, 2], type: T.UINT8, real: [1, 0] },
  { name: 'i16', cls: 10, dims: [2, 1], type: T.INT16, real: [-5, 300] },
  { name: 'z', cls: 6, flagBits: 0x08, dims: [1, 1], type: T.DOUBLE, real: [1.5], imag: [-2] },
  { name: 's', cls: 4, dims: [1, 2], type: T.UINT16, real: [104, 105] },
];

function buildFile(le: boolean, compressed: boolean): Uint8Array {
  const parts: Uint8Array[] = [header(le)];
  for (const v of VARS) {
    const m = matrix(v, le);
    parts.push(compressed ? compressedElement(m, le) : m);
  }
  // A cell array (class 1): recognised, listed as skipped.
  const cell = element(
    T.MATRIX,
    concat([
      element(T.UINT32, values(T.UINT32, [1, 0], le), le),
      element(T.INT32, values(T.INT32, [1, 1], le), le),
      element(T.INT8, new TextEncoder().encode('cellvar'), le),
      element(T.MATRIX, new Uint8Array(0), le, false),
    ]),
    le,
    false,
  );
  parts.push(cell);
  return concat(parts);
}

function checkVars(file: ReturnType<typeof readMat>): void {
  const A = getNumeric(file, 'A');
  expect(A.class).toBe('double');
  expect(A.dims).toEqual([2, 3]);
  expect(A.data).toBeInstanceOf(Float64Array);
  expect([...A.data]).toEqual([1, 2, 3, 4, 5, 6]);
  const rm = toRowMajor(A);
  expect([...rm.data]).toEqual([1, 3, 5, 2, 4, 6]);
  expect([rm.rows, rm.cols]).toEqual([2, 3]);
  const d = getNumeric(file, 'd');
  expect(d.data).toBeInstanceOf(Float64Array);
  expect([...d.data]).toEqual([1, 2, 3, 250]);
  const b = getNumeric(file, 'b');
  expect(b.class).toBe('uint8');
  expect(b.data).toBeInstanceOf(Uint8Array);
  expect([...b.data]).toEqual([7, 8, 9]);
  const L = getNumeric(file, 'L');
  expect(L.class).toBe('logical');
  expect([...L.data]).toEqual([1, 0]);
  const i16 = getNumeric(file, 'i16');
  expect(i16.data).toBeInstanceOf(Int16Array);
  expect([...i16.data]).toEqual([-5, 300]);
  const z = getNumeric(file, 'z');
  expect([...z.data]).toEqual([1.5]);
  expect([...(z.imag as Float64Array)]).toEqual([-2]);
  const s = file.variables.get('s') as MatChar;
  expect(s.kind).toBe('char');
  expect(s.text).toBe('hi');
  expect(file.skipped).toEqual([{ name: 'cellvar', class: 'cell' }]);
}

describe('readMat (hand-built files)', () => {
  it('reads a scalar from literal bytes', () => {
    const body = Uint8Array.from([
      // miMATRIX tag: type 14, 56 bytes
      0x0e, 0, 0, 0, 0x38, 0, 0, 0,
      // array flags: miUINT32, 8 bytes: class 6 (double), no flags | 0
      0x06, 0, 0, 0, 0x08, 0, 0, 0, 0x06, 0, 0, 0, 0, 0, 0, 0,
      // dimensions: miINT32, 8 bytes: 1, 1
      0x05, 0, 0, 0, 0x08, 0, 0, 0, 0x01, 0, 0, 0, 0x01, 0, 0, 0,
      // name, small element: type 1 (miINT8), 1 byte, 'x' + 3 padding bytes
      0x01, 0, 0x01, 0, 0x78, 0, 0, 0,
      // real part: miDOUBLE, 8 bytes: 42.0 = 0x4045000000000000 little-endian
      0x09, 0, 0, 0, 0x08, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x45, 0x40,
    ]); // prettier-ignore
    const file = readMat(concat([header(true), body]));
    expect(file.littleEndian).toBe(true);
    expect(file.description).toBe('MATLAB 5.0 MAT-file, Glint test');
    const x = file.variables.get('x') as MatNumeric;
    expect(x.dims).toEqual([1, 1]);
    expect([...x.data]).toEqual([42]);
  });

  it('reads an uncompressed little-endian file with every supported class', () => {
    checkVars(readMat(buildFile(true, false)));
  });

  it('reads a big-endian file', () => {
    const file = readMat(buildFile(false, false));
    expect(file.littleEndian).toBe(false);
    checkVars(file);
  });

  it('reads miCOMPRESSED (zlib) variables', () => {
    checkVars(readMat(buildFile(true, true)));
  });

  it('refuses a non-MAT file, a v7.3 (HDF5) file and a damaged header', () => {
    const bad = (bytes: Uint8Array, code: string): void => {
      try {
        readMat(bytes, 'x.mat');
        expect.unreachable();
      } catch (err) {
        expect(err).toBeInstanceOf(GlintError);
        expect((err as GlintError).code).toBe(code);
        expect((err as GlintError).message).toContain('x.mat');
      }
    };
    bad(new TextEncoder().encode('hello, world'), 'mat-not-mat');
    bad(new Uint8Array(0), 'mat-not-mat');
    bad(header(true, 'MATLAB 7.3 MAT-file, Platform: GLNXA64, HDF5 schema 1.00 .'), 'mat-v73');
    const v2 = header(true);
    new DataView(v2.buffer).setUint16(124, 0x0200, true);
    bad(v2, 'mat-v73');
    bad(header(true).subarray(0, 100), 'mat-truncated');
    const badInd = header(true);
    badInd[126] = 0x58;
    bad(badInd, 'mat-corrupt');
  });

  it('refuses truncated files, plain and compressed', () => {
    const plain = buildFile(true, false);
    for (const cut of [129, 140, 200, plain.length - 3]) {
      expect(() => readMat(plain.subarray(0, cut))).toThrow(
        expect.objectContaining({ code: 'mat-truncated' }),
      );
    }
    const z = buildFile(true, true);
    // Cut inside the first compressed stream, with its tag claiming the full length.
    expect(() => readMat(z.subarray(0, 150))).toThrow(expect.objectContaining({ code: 'mat-truncated' }));
    // A compressed element whose own byte count is honest but whose zlib stream is cut short.
    const zz = deflateSync(matrix(VARS[0] as VarSpec, true));
    const short = concat([header(true), u32(T.COMPRESSED, true), u32(20, true), zz.subarray(0, 20)]);
    expect(() => readMat(short)).toThrow(expect.objectContaining({ code: 'mat-truncated' }));
  });

  it('names what is there when a variable is missing, and refuses non-2-D shapes', () => {
    const file = readMat(buildFile(true, false));
    expect(() => getNumeric(file, 'nope', 'f.mat')).toThrow(
      /f\.mat has no numeric variable "nope" \(it has: A, d/,
    );
    const cube: MatNumeric = { ...getNumeric(file, 'A'), dims: [1, 2, 3] };
    expect(() => toRowMajor(cube)).toThrow(GlintError);
    expect(() => readMatFile('/nonexistent/file.mat')).toThrow(
      expect.objectContaining({ code: 'mat-unreadable' }),
    );
  });
});

describe.skipIf(!existsSync(WIKI))('readMatFile (real Wikipedia benchmark, ../shared/data/wiki)', () => {
  it('reads the features and labels with the documented shapes', () => {
    const file = readMatFile(WIKI);
    const shape = (name: string): number[] => getNumeric(file, name).dims;
    expect(shape('I_tr')).toEqual([2173, 128]);
    expect(shape('I_te')).toEqual([693, 128]);
    expect(shape('T_tr')).toEqual([2173, 10]);
    expect(shape('T_te')).toEqual([693, 10]);
    expect(shape('L_tr')).toEqual([2173, 1]);
    expect(shape('L_te')).toEqual([693, 1]);
    expect(shape('L_train')).toEqual([2173, 10]);
    expect(shape('L_test')).toEqual([693, 10]);
    for (const [ids, onehot, n] of [
      ['L_tr', 'L_train', 2173],
      ['L_te', 'L_test', 693],
    ] as const) {
      const L = getNumeric(file, ids).data;
      const H = toRowMajor(getNumeric(file, onehot)).data;
      let bad = 0;
      for (let i = 0; i < n; i++) {
        const c = Number(L[i]);
        if (!(Number.isInteger(c) && c >= 1 && c <= 10)) bad++;
        for (let k = 0; k < 10; k++) if (H[i * 10 + k] !== (k === c - 1 ? 1 : 0)) bad++;
      }
      expect(bad).toBe(0);
    }
    // Values cross-checked against scipy.io.loadmat when this test was written.
    const Itr = getNumeric(file, 'I_tr').data;
    expect(Itr[0]).toBe(0.03732303902506828);
    expect(Itr[1]).toBe(0.020370369777083397);
    expect(getNumeric(file, 'T_te').data[0]).toBe(0.054705003734129926);
    expect([...getNumeric(file, 'L_tr').data.subarray(0, 2)]).toEqual([6, 9]);
  });
});
