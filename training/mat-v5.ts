/**
 * A reader for MATLAB Level 5 MAT-files (the format `save -v7` and `-v6` write), enough for benchmark data
 * sets: numeric and logical arrays (real, optionally complex) and char arrays; cells, structs, objects and
 * sparse arrays are listed in `skipped` rather than read.
 *
 * Layout (MathWorks "MAT-File Format", Level 5):
 * - 128-byte header: 116 bytes of text, 8 bytes subsystem offset, 2 bytes version (0x0100), 2 bytes endian
 *   indicator "IM" read as written → little-endian file, "MI" → big-endian.
 * - Then data elements, each an 8-byte tag (u32 type, u32 byte count) + data padded to 8 bytes; or the
 *   "small element" form: when the upper 16 bits of the first tag word are nonzero, they hold the byte
 *   count (≤ 4), the lower 16 the type, and the data sits in the tag's second 4 bytes.
 * - miCOMPRESSED (15): zlib stream holding one further element (not padded); miMATRIX (14): sub-elements
 *   array flags (u32: class in the low byte; in the next byte 0x08 complex, 0x04 global, 0x02 logical),
 *   dimensions (int32),
 *   name (int8), then the real part and, when complex, the imaginary part. The stored numeric type may be
 *   narrower than the class (MATLAB saves doubles holding small integers as miUINT8): values are converted
 *   to the class's type.
 * - Data is column-major: element (r, c) of an R×C matrix is data[r + c·R]. `toRowMajor` converts.
 * Version 7.3 files are HDF5 containers and are refused with a clear message.
 */
import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { GlintError, errorMessage } from '../src/engine/errors.ts';

/** MATLAB array classes this reader returns data for. */
export type MatNumericClass =
  | 'double'
  | 'single'
  | 'int8'
  | 'uint8'
  | 'int16'
  | 'uint16'
  | 'int32'
  | 'uint32'
  | 'int64'
  | 'uint64'
  | 'logical';

/** The typed array a variable's values come in (BigInt arrays for 64-bit integers). */
export type MatData =
  | Float64Array
  | Float32Array
  | Int8Array
  | Uint8Array
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | BigInt64Array
  | BigUint64Array;

/** One numeric/logical variable, values column-major. */
export interface MatNumeric {
  kind: 'numeric';
  name: string;
  class: MatNumericClass;
  dims: number[];
  data: MatData;
  /** Imaginary part, for complex arrays only. */
  imag?: MatData;
  global: boolean;
}

/** A char array: `text` is its characters in column-major order (a row vector reads as a string). */
export interface MatChar {
  kind: 'char';
  name: string;
  class: 'char';
  dims: number[];
  text: string;
  global: boolean;
}

/** A variable this reader recognised but does not decode. */
export interface MatSkipped {
  name: string;
  class: string;
}

/** A parsed MAT-file. */
export interface MatFile {
  /** The header's descriptive text (trimmed). */
  description: string;
  littleEndian: boolean;
  variables: Map<string, MatNumeric | MatChar>;
  skipped: MatSkipped[];
}

const MI = {
  INT8: 1,
  UINT8: 2,
  INT16: 3,
  UINT16: 4,
  INT32: 5,
  UINT32: 6,
  SINGLE: 7,
  DOUBLE: 9,
  INT64: 12,
  UINT64: 13,
  MATRIX: 14,
  COMPRESSED: 15,
  UTF8: 16,
  UTF16: 17,
  UTF32: 18,
} as const;

const ELEMENT_SIZE: Record<number, number> = {
  1: 1,
  2: 1,
  3: 2,
  4: 2,
  5: 4,
  6: 4,
  7: 4,
  9: 8,
  12: 8,
  13: 8,
  16: 1,
  17: 2,
  18: 4,
};

const CLASS_NAMES: Record<number, string> = {
  1: 'cell',
  2: 'struct',
  3: 'object',
  4: 'char',
  5: 'sparse',
  6: 'double',
  7: 'single',
  8: 'int8',
  9: 'uint8',
  10: 'int16',
  11: 'uint16',
  12: 'int32',
  13: 'uint32',
  14: 'int64',
  15: 'uint64',
  16: 'function',
  17: 'opaque',
};

function truncated(what: string, source: string): GlintError {
  return new GlintError(
    'mat-truncated',
    `${source}: the MAT-file ends inside ${what}; it is truncated or damaged — copy or save it again`,
  );
}

function corrupt(what: string, source: string): GlintError {
  return new GlintError('mat-corrupt', `${source}: not a valid MAT v5 file (${what})`);
}

/** A bounds-checked reader over one byte range with the file's endianness. */
class Cursor {
  readonly bytes: Uint8Array;
  readonly le: boolean;
  readonly source: string;
  readonly view: DataView;
  pos = 0;
  constructor(bytes: Uint8Array, le: boolean, source: string) {
    this.bytes = bytes;
    this.le = le;
    this.source = source;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }
  need(n: number, what: string): void {
    if (this.pos + n > this.bytes.byteLength) throw truncated(what, this.source);
  }
  u32(): number {
    const v = this.view.getUint32(this.pos, this.le);
    this.pos += 4;
    return v;
  }
}

interface Element {
  type: number;
  /** The element's payload bytes. */
  data: Uint8Array;
}

/** Reads one data element (regular or small) at the cursor; advances past its padding. */
function readElement(c: Cursor, what: string, pad = true): Element {
  c.need(8, `the tag of ${what}`);
  const first = c.u32();
  if (first >>> 16 !== 0) {
    // Small data element: type in the low 16 bits, byte count in the high 16, data in the next 4 bytes.
    const type = first & 0xffff;
    const n = first >>> 16;
    if (n > 4) throw corrupt(`small element of ${what} claims ${n} bytes`, c.source);
    const data = c.bytes.subarray(c.pos, c.pos + n);
    c.pos += 4;
    return { type, data };
  }
  const type = first;
  const n = c.u32();
  c.need(n, what);
  const data = c.bytes.subarray(c.pos, c.pos + n);
  c.pos += n;
  if (pad) c.pos = Math.min(c.bytes.byteLength, c.pos + ((8 - (n % 8)) % 8));
  return { type, data };
}

/** Decodes a numeric element's payload into plain numbers or bigints (one per stored value). */
function readValues(
  el: Element,
  le: boolean,
  source: string,
): { get: (i: number) => number | bigint; n: number } {
  const size = ELEMENT_SIZE[el.type];
  if (size === undefined || el.type === MI.UTF8 || el.type === MI.UTF16 || el.type === MI.UTF32) {
    throw corrupt(`data element type ${el.type} where numbers were expected`, source);
  }
  if (el.data.byteLength % size)
    throw corrupt(`${el.data.byteLength} bytes is not a whole number of values`, source);
  const v = new DataView(el.data.buffer, el.data.byteOffset, el.data.byteLength);
  const n = el.data.byteLength / size;
  const getters: Record<number, (i: number) => number | bigint> = {
    [MI.INT8]: (i) => v.getInt8(i),
    [MI.UINT8]: (i) => v.getUint8(i),
    [MI.INT16]: (i) => v.getInt16(i * 2, le),
    [MI.UINT16]: (i) => v.getUint16(i * 2, le),
    [MI.INT32]: (i) => v.getInt32(i * 4, le),
    [MI.UINT32]: (i) => v.getUint32(i * 4, le),
    [MI.SINGLE]: (i) => v.getFloat32(i * 4, le),
    [MI.DOUBLE]: (i) => v.getFloat64(i * 8, le),
    [MI.INT64]: (i) => v.getBigInt64(i * 8, le),
    [MI.UINT64]: (i) => v.getBigUint64(i * 8, le),
  };
  return { get: getters[el.type] as (i: number) => number | bigint, n };
}

function allocate(cls: MatNumericClass, n: number): MatData {
  switch (cls) {
    case 'double':
      return new Float64Array(n);
    case 'single':
      return new Float32Array(n);
    case 'int8':
      return new Int8Array(n);
    case 'uint8':
    case 'logical':
      return new Uint8Array(n);
    case 'int16':
      return new Int16Array(n);
    case 'uint16':
      return new Uint16Array(n);
    case 'int32':
      return new Int32Array(n);
    case 'uint32':
      return new Uint32Array(n);
    case 'int64':
      return new BigInt64Array(n);
    case 'uint64':
      return new BigUint64Array(n);
  }
}

/** Converts a stored numeric element to the class's typed array of `count` values. */
function toClassArray(
  el: Element,
  cls: MatNumericClass,
  count: number,
  le: boolean,
  source: string,
): MatData {
  const { get, n } = readValues(el, le, source);
  if (n !== count) throw corrupt(`dimensions say ${count} values but ${n} are stored`, source);
  const out = allocate(cls, count);
  if (out instanceof BigInt64Array || out instanceof BigUint64Array) {
    for (let i = 0; i < n; i++) {
      const x = get(i);
      out[i] = typeof x === 'bigint' ? x : BigInt(Math.trunc(x));
    }
  } else {
    for (let i = 0; i < n; i++) out[i] = Number(get(i));
  }
  return out;
}

function decodeChars(el: Element, count: number, le: boolean, source: string): string {
  if (el.type === MI.UTF8) return new TextDecoder('utf-8').decode(el.data);
  if (el.type === MI.UTF32) {
    const v = new DataView(el.data.buffer, el.data.byteOffset, el.data.byteLength);
    let s = '';
    for (let i = 0; i + 4 <= el.data.byteLength; i += 4) s += String.fromCodePoint(v.getUint32(i, le));
    return s;
  }
  const { get, n } = readValues(el, le, source);
  if (n !== count) throw corrupt(`char dimensions say ${count} characters but ${n} are stored`, source);
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(Number(get(i)));
  return s;
}

/** Parses one miMATRIX payload. */
function readMatrix(payload: Uint8Array, le: boolean, source: string): MatNumeric | MatChar | MatSkipped {
  const c = new Cursor(payload, le, source);
  if (payload.byteLength === 0) return { name: '', class: 'empty' };
  const flagsEl = readElement(c, 'the array flags');
  if (flagsEl.type !== MI.UINT32 || flagsEl.data.byteLength < 4) throw corrupt('array flags missing', source);
  const flags = new DataView(flagsEl.data.buffer, flagsEl.data.byteOffset, 8).getUint32(0, le);
  const classId = flags & 0xff;
  const complex = (flags & 0x800) !== 0;
  const global = (flags & 0x400) !== 0;
  const logical = (flags & 0x200) !== 0;
  const className = CLASS_NAMES[classId] ?? `class ${classId}`;
  if (classId === 3) {
    // Objects carry a class name before the array name; nothing further is read.
    return { name: '(object)', class: className };
  }
  const dimsEl = readElement(c, 'the dimensions');
  const { get: getDim, n: nDims } = readValues(dimsEl, le, source);
  const dims = Array.from({ length: nDims }, (_, i) => Number(getDim(i)));
  if (dims.some((d) => !Number.isInteger(d) || d < 0))
    throw corrupt(`bad dimensions [${dims.join(', ')}]`, source);
  const nameEl = readElement(c, 'the array name');
  const name = new TextDecoder('latin1').decode(nameEl.data);
  const count = dims.reduce((a, b) => a * b, 1);
  if (classId === 4) {
    const el = readElement(c, `the characters of ${name}`);
    return { kind: 'char', name, class: 'char', dims, text: decodeChars(el, count, le, source), global };
  }
  if (classId < 6 || classId > 15) return { name, class: className };
  const cls: MatNumericClass = logical ? 'logical' : (className as MatNumericClass);
  const real = toClassArray(readElement(c, `the values of ${name}`), cls, count, le, source);
  const out: MatNumeric = { kind: 'numeric', name, class: cls, dims, data: real, global };
  if (complex)
    out.imag = toClassArray(readElement(c, `the imaginary values of ${name}`), cls, count, le, source);
  return out;
}

/**
 * Parses a MAT v5 file from bytes. `source` names it in error messages. Throws GlintError
 * `mat-not-mat`, `mat-v73` (HDF5-based v7.3), `mat-truncated` or `mat-corrupt`.
 */
export function readMat(bytes: Uint8Array, source = 'MAT-file'): MatFile {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(116, bytes.byteLength)));
  if (head.startsWith('MATLAB 7.3')) {
    throw new GlintError(
      'mat-v73',
      `${source} is a MATLAB v7.3 (HDF5) file, which Glint cannot read; re-save it in MATLAB with ` +
        `save(..., '-v7') or in Python with scipy.io.savemat`,
    );
  }
  if (!head.startsWith('MATLAB')) {
    if (bytes.byteLength >= 8 && bytes[0] === 0x89 && head.startsWith('\x89HDF')) {
      throw new GlintError(
        'mat-v73',
        `${source} is an HDF5 file (MAT v7.3?); re-save it as a MAT v5/v7 file`,
      );
    }
    throw new GlintError('mat-not-mat', `${source} is not a MATLAB MAT-file (no "MATLAB" header text)`);
  }
  if (bytes.byteLength < 128) throw truncated('the 128-byte header', source);
  const ind = String.fromCharCode(bytes[126] as number, bytes[127] as number);
  if (ind !== 'IM' && ind !== 'MI')
    throw corrupt(`endian indicator "${ind}" is neither "IM" nor "MI"`, source);
  const le = ind === 'IM';
  const version = new DataView(bytes.buffer, bytes.byteOffset + 124, 2).getUint16(0, le);
  if (version === 0x0200) {
    throw new GlintError(
      'mat-v73',
      `${source} is a MATLAB v7.3 (HDF5) file; re-save it with save(..., '-v7')`,
    );
  }
  if (version !== 0x0100) throw corrupt(`header version 0x${version.toString(16)}, expected 0x0100`, source);
  const file: MatFile = {
    description: head.replace(/[\s\0]+$/, ''),
    littleEndian: le,
    variables: new Map(),
    skipped: [],
  };
  const c = new Cursor(bytes, le, source);
  c.pos = 128;
  while (c.pos < bytes.byteLength) {
    // NOTE: compressed elements are not padded: their byte count is the exact zlib stream length.
    let el = readElement(c, `data element ${file.variables.size + file.skipped.length + 1}`, false);
    if (el.type === MI.COMPRESSED) {
      let inflated: Uint8Array;
      try {
        inflated = inflateSync(el.data);
      } catch (err) {
        const msg = errorMessage(err);
        if (/unexpected end/i.test(msg)) throw truncated('a compressed variable', source);
        throw corrupt(`a compressed variable does not inflate: ${msg}`, source);
      }
      el = readElement(new Cursor(inflated, le, source), 'a compressed variable');
    } else {
      c.pos = Math.min(bytes.byteLength, c.pos + ((8 - (el.data.byteLength % 8)) % 8));
    }
    if (el.type !== MI.MATRIX) continue; // NOTE: other top-level element types carry no variables.
    const v = readMatrix(el.data, le, source);
    if ('kind' in v) file.variables.set(v.name, v);
    else file.skipped.push(v);
  }
  return file;
}

/** Reads and parses a MAT v5 file from disk (GlintError `mat-unreadable` when it cannot be read). */
export function readMatFile(path: string): MatFile {
  let bytes: Uint8Array;
  try {
    bytes = readFileSync(path);
  } catch (err) {
    throw new GlintError('mat-unreadable', `cannot read ${path}: ${errorMessage(err)}`, { cause: err });
  }
  return readMat(bytes, path);
}

/** The numeric variable `name`, or a GlintError `mat-missing-variable` naming what the file holds. */
export function getNumeric(file: MatFile, name: string, source = 'MAT-file'): MatNumeric {
  const v = file.variables.get(name);
  if (!v || v.kind !== 'numeric') {
    const have = [...file.variables.keys()].join(', ') || 'none';
    throw new GlintError(
      'mat-missing-variable',
      `${source} has no numeric variable "${name}" (it has: ${have})`,
    );
  }
  return v;
}

/** A 2-D numeric variable as a row-major Float64Array (rows = dims[0], cols = dims[1]). */
export function toRowMajor(v: MatNumeric): { rows: number; cols: number; data: Float64Array } {
  if (v.dims.length !== 2) {
    throw new GlintError('mat-bad-shape', `variable "${v.name}" has ${v.dims.length} dimensions, expected 2`);
  }
  const [rows, cols] = v.dims as [number, number];
  const out = new Float64Array(rows * cols);
  const src = v.data;
  for (let c = 0; c < cols; c++) {
    for (let r = 0; r < rows; r++) out[r * cols + c] = Number(src[r + c * rows]);
  }
  return { rows, cols, data: out };
}
