/**
 * The Hamming scan kernels behind `HammingIndex`: a hand-assembled WebAssembly module (scalar
 * `i64.popcnt`, 5 functions, under 1 KB) and a pure-JS twin with identical results, used as the
 * reference in tests and as a fallback where WebAssembly is unavailable.
 *
 * Both work on one `WebAssembly.Memory` laid out by the caller:
 *   codes  n × wordsPerCode little-endian 64-bit words, item-major (8-byte aligned)
 *   dist   n bytes (region padded to a multiple of 8): the distance of each code to the query
 *   hist   (bits + 1) × u32: how many codes lie at each distance (the caller zeroes it)
 *   out    n × u32: slot numbers written by `collect`
 */
import { hammingDistance } from './bits.ts';

/** Which kernel implementation to use. */
export type KernelKind = 'wasm' | 'js';

/** A scan kernel bound to one memory. All pointers are byte offsets into that memory. */
export interface HammingKernel {
  readonly kind: KernelKind;
  readonly memory: WebAssembly.Memory;
  /** dist[i] = popcount(code[i] ^ q) and hist[dist[i]]++ for i < n (q1 is ignored for one-word codes). */
  scan(
    codesPtr: number,
    n: number,
    wordsPerCode: 1 | 2,
    q0: bigint,
    q1: bigint,
    distPtr: number,
    histPtr: number,
  ): void;
  /** Writes every i < n with dist[i] <= cut to out (u32, ascending) and returns how many. */
  collect(distPtr: number, n: number, cut: number, outPtr: number): number;
  /** One fused pass: writes every i < n with popcount(code[i] ^ q) <= cut to out and returns how many. */
  within(
    codesPtr: number,
    n: number,
    wordsPerCode: 1 | 2,
    q0: bigint,
    q1: bigint,
    cut: number,
    outPtr: number,
  ): number;
}

// --- WebAssembly module, assembled by hand --------------------------------------------------------
// NOTE: opcodes from the WebAssembly core spec §5.4; every immediate used below fits one LEB byte.
const I32 = 0x7f;
const I64 = 0x7e;
const OP = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  brIf: 0x0d,
  void: 0x40,
  get: 0x20,
  set: 0x21,
  tee: 0x22,
  i32Load: 0x28,
  i64Load: 0x29,
  i32Load8U: 0x2d,
  i32Store: 0x36,
  i32Store8: 0x3a,
  i32Const: 0x41,
  i32Eqz: 0x45,
  i32Ne: 0x47,
  i32LtU: 0x49,
  i32LeU: 0x4d,
  i64Eqz: 0x50,
  i64Const: 0x42,
  i64Sub: 0x7d,
  i64And: 0x83,
  i32Add: 0x6a,
  i32Shl: 0x74,
  i32Or: 0x72,
  i64Popcnt: 0x7b,
  i64Add: 0x7c,
  i64Xor: 0x85,
  i32WrapI64: 0xa7,
} as const;

function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

function name(s: string): number[] {
  return [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];
}

/** One function body: local declarations as [count, type] runs, then the code (without the final `end`). */
function body(locals: Array<[number, number]>, code: number[]): number[] {
  const b = [...vec(locals.map(([n, t]) => [...uleb(n), t])), ...code, OP.end];
  return [...uleb(b.length), ...b];
}

const { get, set, tee } = OP;
// hist[d]++ where d is in local `d`, hist base in local `hist`, scratch address in local `addr`.
// prettier-ignore
const bumpHist = (hist: number, d: number, addr: number): number[] => [
  get, hist, get, d, OP.i32Const, 2, OP.i32Shl, OP.i32Add, tee, addr,
  get, addr, OP.i32Load, 2, 0, OP.i32Const, 1, OP.i32Add, OP.i32Store, 2, 0,
];

// scan1(codes, n, q0: i64, dist, hist); locals: 5 end, 6 d, 7 addr
// prettier-ignore
const SCAN1 = body([[3, I32]], [
  OP.block, OP.void,
  get, 1, OP.i32Eqz, OP.brIf, 0,
  get, 3, get, 1, OP.i32Add, set, 5,
  OP.loop, OP.void,
  get, 0, OP.i64Load, 3, 0, get, 2, OP.i64Xor, OP.i64Popcnt, OP.i32WrapI64, set, 6,
  get, 3, get, 6, OP.i32Store8, 0, 0,
  ...bumpHist(4, 6, 7),
  get, 0, OP.i32Const, 8, OP.i32Add, set, 0,
  get, 3, OP.i32Const, 1, OP.i32Add, tee, 3, get, 5, OP.i32Ne, OP.brIf, 0,
  OP.end,
  OP.end,
]);

// scan2(codes, n, q0: i64, q1: i64, dist, hist); locals: 6 end, 7 d, 8 addr
// prettier-ignore
const SCAN2 = body([[3, I32]], [
  OP.block, OP.void,
  get, 1, OP.i32Eqz, OP.brIf, 0,
  get, 4, get, 1, OP.i32Add, set, 6,
  OP.loop, OP.void,
  get, 0, OP.i64Load, 3, 0, get, 2, OP.i64Xor, OP.i64Popcnt,
  get, 0, OP.i64Load, 3, 8, get, 3, OP.i64Xor, OP.i64Popcnt,
  OP.i64Add, OP.i32WrapI64, set, 7,
  get, 4, get, 7, OP.i32Store8, 0, 0,
  ...bumpHist(5, 7, 8),
  get, 0, OP.i32Const, 16, OP.i32Add, set, 0,
  get, 4, OP.i32Const, 1, OP.i32Add, tee, 4, get, 6, OP.i32Ne, OP.brIf, 0,
  OP.end,
  OP.end,
]);

// collect(dist, n, cut, out, ln: i64, h: i64) -> count; locals: 6 j, 7 count, 8 b (i32), 9 x (i64).
// NOTE: reads the distances 8 at a time and looks at single bytes only when the SWAR test
// (x - ln) & ~x & h != 0, with ln = 0x0101…01 × (cut + 1) and h = 0x8080…80, says that some byte of x
// is < cut + 1 (exact for cut + 1 <= 128). The dist region is padded to a multiple of 8 bytes;
// bytes at or past n are skipped by the b < n test.
// prettier-ignore
const COLLECT = body([[3, I32], [1, I64]], [
  OP.block, OP.void,
  get, 1, OP.i32Eqz, OP.brIf, 0,
  OP.loop, OP.void,
  get, 0, get, 6, OP.i32Add, OP.i64Load, 3, 0, tee, 9,
  get, 4, OP.i64Sub, get, 9, OP.i64Const, 0x7f, OP.i64Xor, OP.i64And, get, 5, OP.i64And, OP.i64Eqz, OP.i32Eqz,
  OP.if, OP.void,
  get, 6, set, 8,
  OP.loop, OP.void,
  get, 8, get, 1, OP.i32LtU,
  OP.if, OP.void,
  get, 0, get, 8, OP.i32Add, OP.i32Load8U, 0, 0, get, 2, OP.i32LeU,
  OP.if, OP.void,
  get, 3, get, 7, OP.i32Const, 2, OP.i32Shl, OP.i32Add, get, 8, OP.i32Store, 2, 0,
  get, 7, OP.i32Const, 1, OP.i32Add, set, 7,
  OP.end,
  OP.end,
  get, 8, OP.i32Const, 1, OP.i32Add, tee, 8, get, 6, OP.i32Const, 8, OP.i32Add, OP.i32Ne, OP.brIf, 0,
  OP.end,
  OP.end,
  get, 6, OP.i32Const, 8, OP.i32Add, tee, 6, get, 1, OP.i32LtU, OP.brIf, 0,
  OP.end,
  OP.end,
  get, 7,
]);

/** Signed LEB128 of a small non-negative i32 immediate. */
function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && !(b & 0x40)) || (n === -1 && b & 0x40)) return [...out, b];
    out.push(b | 0x80);
  }
}

/** How many codes one iteration of the fused `within` kernels handles. */
export const WITHIN_UNROLL = 4;

/**
 * within{W}(codes, n, q0 [, q1], cut, out) -> count: one fused pass writing the slots whose
 * distance is <= cut, without storing distances. n must be a multiple of WITHIN_UNROLL (the caller
 * does the tail). Each iteration computes 4 distances, ORs their `<= cut` tests and takes the
 * (rare) branch that appends the matching slots only when one of them is in.
 */
function withinBody(W: 1 | 2): number[] {
  const U = WITHIN_UNROLL;
  const q = (w: number): number => 2 + w;
  const CUT = 2 + W;
  const OUT = 3 + W;
  const I = 4 + W;
  const CNT = 5 + W;
  const D = (j: number): number => 6 + W + j;
  const dist = (j: number): number[] => {
    const code: number[] = [];
    for (let w = 0; w < W; w++) {
      code.push(get, 0, OP.i64Load, 3, (j * W + w) * 8, get, q(w), OP.i64Xor, OP.i64Popcnt);
      if (w > 0) code.push(OP.i64Add);
    }
    return [...code, OP.i32WrapI64, tee, D(j), get, CUT, OP.i32LeU];
  };
  const code: number[] = [OP.block, OP.void, get, 1, OP.i32Eqz, OP.brIf, 0, OP.loop, OP.void];
  for (let j = 0; j < U; j++) code.push(...dist(j), ...(j > 0 ? [OP.i32Or] : []));
  code.push(OP.if, OP.void);
  for (let j = 0; j < U; j++) {
    // prettier-ignore
    code.push(
      get, D(j), get, CUT, OP.i32LeU, OP.if, OP.void,
      get, OUT, get, CNT, OP.i32Const, 2, OP.i32Shl, OP.i32Add,
      get, I, ...(j > 0 ? [OP.i32Const, ...sleb(j), OP.i32Add] : []), OP.i32Store, 2, 0,
      get, CNT, OP.i32Const, 1, OP.i32Add, set, CNT,
      OP.end,
    );
  }
  // prettier-ignore
  code.push(
    OP.end,
    get, 0, OP.i32Const, ...sleb(U * W * 8), OP.i32Add, set, 0,
    get, I, OP.i32Const, ...sleb(U), OP.i32Add, tee, I, get, 1, OP.i32Ne, OP.brIf, 0,
    OP.end,
    OP.end,
    get, CNT,
  );
  return body([[2 + U, I32]], code);
}

/** The kernel module's bytes (exported for inspection and tests). */
// prettier-ignore
export const KERNEL_WASM = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version 1
  ...section(1, vec([
    [0x60, ...vec([[I32], [I32], [I64], [I32], [I32]]), 0], // scan1
    [0x60, ...vec([[I32], [I32], [I64], [I64], [I32], [I32]]), 0], // scan2
    [0x60, ...vec([[I32], [I32], [I32], [I32], [I64], [I64]]), 1, I32], // collect
    [0x60, ...vec([[I32], [I32], [I64], [I32], [I32]]), 1, I32], // within1
    [0x60, ...vec([[I32], [I32], [I64], [I64], [I32], [I32]]), 1, I32], // within2
  ])),
  ...section(2, vec([[...name('env'), ...name('memory'), 0x02, 0x00, 0x00]])), // import memory, min 0 pages
  ...section(3, vec([[0], [1], [2], [3], [4]])),
  ...section(7, vec([
    [...name('scan1'), 0x00, 0],
    [...name('scan2'), 0x00, 1],
    [...name('collect'), 0x00, 2],
    [...name('within1'), 0x00, 3],
    [...name('within2'), 0x00, 4],
  ])),
  ...section(10, vec([SCAN1, SCAN2, COLLECT, withinBody(1), withinBody(2)])),
]);

let compiled: WebAssembly.Module | null | undefined;

function wasmModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(KERNEL_WASM);
    } catch {
      compiled = null;
    }
  }
  return compiled;
}

interface WasmExports {
  scan1(codes: number, n: number, q0: bigint, dist: number, hist: number): void;
  scan2(codes: number, n: number, q0: bigint, q1: bigint, dist: number, hist: number): void;
  collect(dist: number, n: number, cut: number, out: number, ln: bigint, h: bigint): number;
  within1(codes: number, n: number, q0: bigint, cut: number, out: number): number;
  within2(codes: number, n: number, q0: bigint, q1: bigint, cut: number, out: number): number;
}

const LOW_BYTES = 0x0101010101010101n;
const HIGH_BITS = BigInt.asIntN(64, 0x8080808080808080n);

/** Creates a kernel over `memory`; 'wasm' falls back to 'js' where WebAssembly is unavailable. */
export function createKernel(memory: WebAssembly.Memory, kind: KernelKind = 'wasm'): HammingKernel {
  const mod = kind === 'wasm' ? wasmModule() : null;
  if (!mod) return jsKernel(memory);
  const fallback = jsKernel(memory);
  const ex = new WebAssembly.Instance(mod, { env: { memory } }).exports as unknown as WasmExports;
  return {
    kind: 'wasm',
    memory,
    scan(codesPtr, n, wordsPerCode, q0, q1, distPtr, histPtr) {
      if (wordsPerCode === 1) ex.scan1(codesPtr, n, BigInt.asIntN(64, q0), distPtr, histPtr);
      else ex.scan2(codesPtr, n, BigInt.asIntN(64, q0), BigInt.asIntN(64, q1), distPtr, histPtr);
    },
    collect(distPtr, n, cut, outPtr) {
      if (cut >= 127) return fallback.collect(distPtr, n, cut, outPtr);
      return ex.collect(distPtr, n, cut, outPtr, BigInt.asIntN(64, LOW_BYTES * BigInt(cut + 1)), HIGH_BITS);
    },
    within(codesPtr, n, wordsPerCode, q0, q1, cut, outPtr) {
      const body = n - (n % WITHIN_UNROLL);
      const count =
        wordsPerCode === 1
          ? ex.within1(codesPtr, body, BigInt.asIntN(64, q0), cut, outPtr)
          : ex.within2(codesPtr, body, BigInt.asIntN(64, q0), BigInt.asIntN(64, q1), cut, outPtr);
      if (body === n) return count;
      // The last n % 4 codes, in JS; their slots come back relative to `body`.
      const tailPtr = outPtr + 4 * count;
      const tail = fallback.within(
        codesPtr + body * wordsPerCode * 8,
        n - body,
        wordsPerCode,
        q0,
        q1,
        cut,
        tailPtr,
      );
      const out = new Uint32Array(memory.buffer, tailPtr, tail);
      for (let i = 0; i < tail; i++) out[i] = (out[i] as number) + body;
      return count + tail;
    },
  };
}

/** The query's two 64-bit words as four 32-bit halves, low first (the layout of the codes in memory). */
function queryHalves(q0: bigint, q1: bigint): Uint32Array {
  return Uint32Array.of(
    Number(BigInt.asUintN(32, q0)),
    Number(BigInt.asUintN(32, q0 >> 32n)),
    Number(BigInt.asUintN(32, q1)),
    Number(BigInt.asUintN(32, q1 >> 32n)),
  );
}

function jsKernel(memory: WebAssembly.Memory): HammingKernel {
  return {
    kind: 'js',
    memory,
    scan(codesPtr, n, wordsPerCode, q0, q1, distPtr, histPtr) {
      // NOTE: wasm memory is little-endian, and so is every platform we run on, so the low half of
      // a 64-bit word is the u32 at the lower index.
      const u32 = new Uint32Array(memory.buffer);
      const dist = new Uint8Array(memory.buffer, distPtr, n);
      const hist = new Uint32Array(memory.buffer, histPtr, 129);
      const q = queryHalves(q0, q1);
      const stride = wordsPerCode * 2;
      for (let i = 0, p = codesPtr >>> 2; i < n; i++, p += stride) {
        const d = hammingDistance(u32, p, q, 0, stride);
        dist[i] = d;
        hist[d] = (hist[d] as number) + 1;
      }
    },
    within(codesPtr, n, wordsPerCode, q0, q1, cut, outPtr) {
      const u32 = new Uint32Array(memory.buffer);
      const out = new Uint32Array(memory.buffer, outPtr, n);
      const q = queryHalves(q0, q1);
      const stride = wordsPerCode * 2;
      let count = 0;
      for (let i = 0, p = codesPtr >>> 2; i < n; i++, p += stride) {
        if (hammingDistance(u32, p, q, 0, stride) <= cut) out[count++] = i;
      }
      return count;
    },
    collect(distPtr, n, cut, outPtr) {
      const dist = new Uint8Array(memory.buffer, distPtr, n);
      const out = new Uint32Array(memory.buffer, outPtr, n);
      let count = 0;
      for (let i = 0; i < n; i++) if ((dist[i] as number) <= cut) out[count++] = i;
      return count;
    },
  };
}
