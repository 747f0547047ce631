/**
 * A packed in-memory Hamming index for one (head, modality): exact top-k by Hamming distance, ties
 * refined by the asymmetric score, then by item id.
 *
 * Codes live item-major in a WebAssembly memory (8 or 16 bytes each). A search is one kernel pass
 * that writes every distance (one byte) and a histogram of distances, a walk of the histogram to
 * find the k-th distance (the cut), a second pass that collects the slots at or under the cut, and
 * a ranking of only those few candidates. Removal swaps the last code into the hole.
 */
import type { CodeWords, Hit, Modality } from '../types.ts';
import type { Store } from '../store/db.ts';
import { readCodes } from '../store/codes.ts';
import { createKernel } from './hamming-kernel.ts';
import type { HammingKernel, KernelKind } from './hamming-kernel.ts';
import { hammingDistance, wordCount } from './bits.ts';

/** A query: its packed code, and optionally its continuous (pre-sign) code for tie refinement. */
export interface HammingQuery {
  words: CodeWords;
  /** The query's continuous code (length `bits`); without it, ties at a distance go by item id. */
  continuous?: ArrayLike<number>;
}

/** Restricts a search to some items: a predicate, or a set of allowed item ids. */
export type HammingFilter = ((itemId: number) => boolean) | ReadonlySet<number>;

/** Options for `HammingIndex.search`. */
export interface HammingSearchOptions {
  allow?: HammingFilter;
}

/** Options for `new HammingIndex`. */
export interface HammingIndexOptions {
  /** Scan kernel: 'wasm' (default; falls back to 'js' where WebAssembly is unavailable) or 'js'. */
  kernel?: KernelKind;
  /** Initial capacity in codes. */
  capacity?: number;
  /** Above this many codes, unfiltered searches use the sampled-cut fused pass (default 32,768). */
  sampleAbove?: number;
  /** How many codes the cut estimate samples (default 4,096). */
  sampleSize?: number;
}

const PAGE = 65536;
const HIST_BYTES = 1024; // (128 + 1) × u32, rounded up
const MIN_CAPACITY = 1024;

interface Candidate {
  slot: number;
  id: number;
  distance: number;
  score: number;
}

/** Exact top-k Hamming search over the codes of one (head, modality). */
export class HammingIndex {
  /** Code length in bits (1–128). */
  readonly bits: number;
  /** 64-bit words per code (1 or 2). */
  readonly wordsPerCode: 1 | 2;
  readonly #memory: WebAssembly.Memory;
  readonly #kernel: HammingKernel;
  readonly #slotOf = new SlotMap();
  readonly #mask0: bigint;
  readonly #mask1: bigint;
  #ids: Float64Array;
  #n = 0;
  #cap = 0;
  #codes = new BigInt64Array(0);
  #bytes = new Uint8Array(0);
  #u32 = new Uint32Array(0);
  readonly #sampleAbove: number;
  readonly #sampleSize: number;
  #distPtr = 0;
  #histPtr = 0;
  #outPtr = 0;

  constructor(bits: number, opts: HammingIndexOptions = {}) {
    if (!Number.isInteger(bits) || bits < 1 || bits > 128)
      throw new RangeError(`code bits must be 1..128, got ${bits}`);
    this.bits = bits;
    this.wordsPerCode = wordCount(bits) as 1 | 2;
    this.#mask0 = bits >= 64 ? -1n : (1n << BigInt(bits)) - 1n;
    this.#mask1 = bits >= 128 ? -1n : bits > 64 ? (1n << BigInt(bits - 64)) - 1n : 0n;
    this.#sampleAbove = opts.sampleAbove ?? 32_768;
    this.#sampleSize = Math.max(1, opts.sampleSize ?? 4096);
    this.#memory = new WebAssembly.Memory({ initial: 1 });
    this.#kernel = createKernel(this.#memory, opts.kernel ?? 'wasm');
    this.#ids = new Float64Array(0);
    this.#reserve(Math.max(opts.capacity ?? 0, MIN_CAPACITY));
  }

  /** Builds an index from the codes of `headId` for items of `modality` in the store. */
  static fromStore(
    store: Store,
    headId: string,
    modality: Modality,
    bits: number,
    opts: HammingIndexOptions = {},
  ): HammingIndex {
    const batch = readCodes(store, headId, modality, wordCount(bits));
    const index = new HammingIndex(bits, {
      ...opts,
      capacity: Math.max(opts.capacity ?? 0, batch.itemIds.length),
    });
    index.load(batch.itemIds, batch.words);
    return index;
  }

  /** Which scan kernel this index uses. */
  get kernel(): KernelKind {
    return this.#kernel.kind;
  }

  /** Number of codes held. */
  get size(): number {
    return this.#n;
  }

  /** Whether the item has a code here. */
  has(itemId: number): boolean {
    return this.#slotOf.has(itemId);
  }

  /** The item's stored code (masked to `bits`), if held. */
  get(itemId: number): bigint[] | undefined {
    const slot = this.#slotOf.get(itemId);
    if (slot === undefined) return undefined;
    const out: bigint[] = [];
    for (let w = 0; w < this.wordsPerCode; w++) out.push(this.#codes[slot * this.wordsPerCode + w] as bigint);
    return out;
  }

  /** Inserts or replaces an item's code. */
  upsert(itemId: number, words: CodeWords): void {
    let slot = this.#slotOf.get(itemId);
    if (slot === undefined) {
      this.#reserve(this.#n + 1);
      slot = this.#n++;
      this.#slotOf.set(itemId, slot);
      this.#ids[slot] = itemId;
    }
    this.#write(slot, words[0] ?? 0n, words[1] ?? 0n);
  }

  /** Removes an item's code; false if it was not held. */
  remove(itemId: number): boolean {
    const slot = this.#slotOf.get(itemId);
    if (slot === undefined) return false;
    this.#slotOf.delete(itemId);
    const last = --this.#n;
    if (slot !== last) {
      const W = this.wordsPerCode;
      this.#codes.copyWithin(slot * W, last * W, last * W + W);
      const moved = this.#ids[last] as number;
      this.#ids[slot] = moved;
      this.#slotOf.set(moved, slot);
    }
    return true;
  }

  /** Removes every code. */
  clear(): void {
    this.#slotOf.clear();
    this.#n = 0;
  }

  /**
   * Bulk insert/replace: `words` is either one CodeWords per item or a flat BigInt64Array of
   * itemIds.length × wordsPerCode words (as `readCodes` returns).
   */
  load(itemIds: ArrayLike<number>, words: BigInt64Array | readonly CodeWords[]): void {
    const n = itemIds.length;
    const flat = words instanceof BigInt64Array;
    if (flat ? words.length !== n * this.wordsPerCode : words.length !== n) {
      throw new RangeError(`load: ${n} item ids but ${words.length} code entries`);
    }
    this.#reserve(this.#n + n);
    const W = this.wordsPerCode;
    if (flat && this.#n === 0 && this.#loadFresh(itemIds, words)) return;
    for (let i = 0; i < n; i++) {
      const id = itemIds[i] as number;
      let slot = this.#slotOf.get(id);
      if (slot === undefined) {
        slot = this.#n++;
        this.#slotOf.set(id, slot);
        this.#ids[slot] = id;
      }
      if (flat) this.#write(slot, words[i * W] as bigint, W > 1 ? (words[i * W + 1] as bigint) : 0n);
      else {
        const c = words[i] as CodeWords;
        this.#write(slot, c[0] ?? 0n, c[1] ?? 0n);
      }
    }
  }

  /**
   * The k nearest items to `query` by Hamming distance (exact), nearest first; within a distance,
   * higher asymmetric score first (inner product of `query.continuous` with the item's ±1 code),
   * then lower item id. Without `continuous`, `score` is bits − 2·distance.
   */
  search(query: HammingQuery, k: number, opts: HammingSearchOptions = {}): Hit[] {
    k = Math.floor(k);
    if (!(k > 0) || this.#n === 0) return [];
    const q0 = BigInt.asIntN(64, (query.words[0] ?? 0n) & this.#mask0);
    const q1 = BigInt.asIntN(64, (query.words[1] ?? 0n) & this.#mask1);
    const allow = opts.allow;
    let candidates: Candidate[];
    if (allow === undefined) candidates = this.#scanAll(q0, q1, k);
    else if (typeof allow !== 'function' && allow.size * 8 < this.#n)
      candidates = this.#scanSubset(allow, q0, q1);
    else {
      const pred = typeof allow === 'function' ? allow : (id: number) => allow.has(id);
      candidates = this.#scanFiltered(pred, q0, q1, k);
    }
    return this.#rank(candidates, k, query.continuous);
  }

  /**
   * The ids of every item within `radius` bits of `query` (and allowed), in no particular order: one
   * kernel pass, for results ordered by something other than distance (a date-ordered search pages
   * through all of its matches and measures distances for the page alone).
   */
  within(query: HammingQuery, radius: number, opts: HammingSearchOptions = {}): Float64Array {
    const n = this.#n;
    if (n === 0 || !(radius >= 0)) return new Float64Array(0);
    const q0 = BigInt.asIntN(64, (query.words[0] ?? 0n) & this.#mask0);
    const q1 = BigInt.asIntN(64, (query.words[1] ?? 0n) & this.#mask1);
    const cut = Math.min(Math.floor(radius), this.bits);
    const count = this.#kernel.within(0, n, this.wordsPerCode, q0, q1, cut, this.#outPtr);
    const slots = new Uint32Array(this.#memory.buffer, this.#outPtr, count);
    const allow = opts.allow;
    const pred =
      allow === undefined ? undefined : typeof allow === 'function' ? allow : (id: number) => allow.has(id);
    const ids = new Float64Array(count);
    let kept = 0;
    for (let i = 0; i < count; i++) {
      const id = this.#ids[slots[i] as number] as number;
      if (!pred || pred(id)) ids[kept++] = id;
    }
    return ids.subarray(0, kept);
  }

  // --- internals --------------------------------------------------------------------------------

  /** Fast path of `load` into an empty index: one block copy; false (nothing kept) on duplicate ids. */
  #loadFresh(itemIds: ArrayLike<number>, words: BigInt64Array): boolean {
    const n = itemIds.length;
    for (let i = 0; i < n; i++) {
      const id = itemIds[i] as number;
      if (this.#slotOf.has(id)) {
        this.#slotOf.clear();
        return false;
      }
      this.#slotOf.set(id, i);
      this.#ids[i] = id;
    }
    this.#codes.set(words, 0);
    this.#n = n;
    if (this.bits % 64 !== 0) {
      for (let slot = 0; slot < n; slot++)
        this.#write(
          slot,
          words[slot * this.wordsPerCode] as bigint,
          words[slot * this.wordsPerCode + 1] ?? 0n,
        );
    }
    return true;
  }

  #write(slot: number, w0: bigint, w1: bigint): void {
    const base = slot * this.wordsPerCode;
    this.#codes[base] = BigInt.asIntN(64, w0 & this.#mask0);
    if (this.wordsPerCode > 1) this.#codes[base + 1] = BigInt.asIntN(64, w1 & this.#mask1);
  }

  /** Grows capacity (codes stay at offset 0; the scratch regions after them are re-laid out). */
  #reserve(needed: number): void {
    if (needed <= this.#cap) return;
    const cap = Math.max(needed, this.#cap * 2, MIN_CAPACITY);
    const codeBytes = cap * this.wordsPerCode * 8;
    const distPtr = codeBytes;
    const histPtr = distPtr + Math.ceil(cap / 8) * 8 + 8;
    const outPtr = histPtr + HIST_BYTES;
    const total = outPtr + cap * 4;
    const pages = Math.ceil(total / PAGE);
    const have = this.#memory.buffer.byteLength / PAGE;
    if (pages > have) this.#memory.grow(pages - have);
    const ids = new Float64Array(cap);
    ids.set(this.#ids.subarray(0, this.#n));
    this.#ids = ids;
    this.#cap = cap;
    this.#distPtr = distPtr;
    this.#histPtr = histPtr;
    this.#outPtr = outPtr;
    this.#codes = new BigInt64Array(this.#memory.buffer, 0, cap * this.wordsPerCode);
    this.#bytes = new Uint8Array(this.#memory.buffer, 0, codeBytes);
    this.#u32 = new Uint32Array(this.#memory.buffer, 0, codeBytes / 4);
  }

  #scan(q0: bigint, q1: bigint): Uint32Array {
    const hist = new Uint32Array(this.#memory.buffer, this.#histPtr, this.bits + 1);
    hist.fill(0);
    this.#kernel.scan(0, this.#n, this.wordsPerCode, q0, q1, this.#distPtr, this.#histPtr);
    return hist;
  }

  #candidate(slot: number, distance: number): Candidate {
    return { slot, id: this.#ids[slot] as number, distance, score: 0 };
  }

  /**
   * Unfiltered. Large index: estimate a cut from a strided sample, then ONE fused kernel pass
   * collects the slots within it (no distance array, no histogram); if fewer than k come back
   * the estimate was too tight and the exact path runs. Exact path (and small indexes): kernel
   * pass writing distances + histogram → exact cut → collect.
   */
  #scanAll(q0: bigint, q1: bigint, k: number): Candidate[] {
    const n = this.#n;
    if (n > this.#sampleAbove && k * 16 < n) {
      const halves = this.#queryHalves(q0, q1);
      const cut = this.#sampleCut(halves, k);
      if (cut < this.bits) {
        const count = this.#kernel.within(0, n, this.wordsPerCode, q0, q1, cut, this.#outPtr);
        if (count >= k)
          return this.#refine(new Uint32Array(this.#memory.buffer, this.#outPtr, count), halves, k);
      }
    }
    const hist = this.#scan(q0, q1);
    const cut = kthCut(hist, k, this.bits);
    const count = this.#kernel.collect(this.#distPtr, n, cut, this.#outPtr);
    const out = new Uint32Array(this.#memory.buffer, this.#outPtr, count);
    const dist = new Uint8Array(this.#memory.buffer, this.#distPtr, n);
    const cands = new Array<Candidate>(count);
    for (let i = 0; i < count; i++) {
      const slot = out[i] as number;
      cands[i] = this.#candidate(slot, dist[slot] as number);
    }
    return cands;
  }

  /**
   * A cut that should leave a few × k codes within it, from the distances of `sampleSize` evenly
   * strided codes. NOTE: it only has to be a good guess: too tight is caught by the count < k
   * check, too loose only costs a larger candidate set (refined exactly by `#refine`).
   */
  #sampleCut(halves: Uint32Array, k: number): number {
    const n = this.#n;
    const samples = Math.min(this.#sampleSize, n);
    const stride = Math.floor(n / samples);
    const hist = new Uint32Array(this.bits + 1);
    for (let i = 0; i < samples; i++) {
      const d = this.#distance(i * stride, halves);
      hist[d] = (hist[d] as number) + 1;
    }
    return kthCut(hist, Math.ceil((2 * k * samples) / n) + 2, this.bits);
  }

  /** Exact distances of candidate slots, then only those at or under the k-th distance. */
  #refine(slots: Uint32Array, halves: Uint32Array, k: number): Candidate[] {
    const count = slots.length;
    const dist = new Uint8Array(count);
    const hist = new Uint32Array(this.bits + 1);
    for (let i = 0; i < count; i++) {
      const d = this.#distance(slots[i] as number, halves);
      dist[i] = d;
      hist[d] = (hist[d] as number) + 1;
    }
    const cut = kthCut(hist, k, this.bits);
    const cands: Candidate[] = [];
    for (let i = 0; i < count; i++) {
      if ((dist[i] as number) <= cut) cands.push(this.#candidate(slots[i] as number, dist[i] as number));
    }
    return cands;
  }

  /** The query as 32-bit halves (low first), for JS-side distances. */
  #queryHalves(q0: bigint, q1: bigint): Uint32Array {
    return Uint32Array.from(
      [q0 & 0xffffffffn, (q0 >> 32n) & 0xffffffffn, q1 & 0xffffffffn, (q1 >> 32n) & 0xffffffffn]
        .slice(0, this.wordsPerCode * 2)
        .map(Number),
    );
  }

  /** Hamming distance of one stored code to the query (JS; for a few slots at a time). */
  #distance(slot: number, halves: Uint32Array): number {
    const h = halves.length;
    return hammingDistance(this.#u32, slot * h, halves, 0, h);
  }

  /**
   * Predicate filter: one kernel pass for all distances and their histogram, then widening cuts:
   * collect the slots within a cut that holds `target` codes, ask the predicate about just those,
   * and stop once k are allowed (every allowed item beyond the cut is farther than all of them);
   * otherwise grow the target by the observed pass rate and collect again.
   */
  #scanFiltered(allow: (itemId: number) => boolean, q0: bigint, q1: bigint, k: number): Candidate[] {
    const n = this.#n;
    const hist = this.#scan(q0, q1);
    const dist = new Uint8Array(this.#memory.buffer, this.#distPtr, n);
    let target = k;
    for (;;) {
      const cut = kthCut(hist, target, this.bits);
      const count = this.#kernel.collect(this.#distPtr, n, cut, this.#outPtr);
      const out = new Uint32Array(this.#memory.buffer, this.#outPtr, count);
      const cands: Candidate[] = [];
      for (let i = 0; i < count; i++) {
        const slot = out[i] as number;
        if (allow(this.#ids[slot] as number)) cands.push(this.#candidate(slot, dist[slot] as number));
      }
      if (cands.length >= k || cut >= this.bits) return cands;
      // NOTE: aim for ~2k allowed next time at the pass rate seen so far (at least 4× wider).
      target = Math.max(target * 4, Math.ceil((2 * k * count) / Math.max(cands.length, 1)));
    }
  }

  /** Small id set: compute distances for just those items. */
  #scanSubset(ids: ReadonlySet<number>, q0: bigint, q1: bigint): Candidate[] {
    const halves = this.#queryHalves(q0, q1);
    const cands: Candidate[] = [];
    for (const id of ids) {
      const slot = this.#slotOf.get(id);
      if (slot !== undefined) cands.push(this.#candidate(slot, this.#distance(slot, halves)));
    }
    return cands;
  }

  /** Scores the candidates and returns the best k by (distance ↑, score ↓, id ↑). */
  #rank(cands: Candidate[], k: number, continuous: ArrayLike<number> | undefined): Hit[] {
    if (continuous) {
      const score = this.#scorer(continuous);
      for (const c of cands) c.score = score(c.slot);
    } else {
      for (const c of cands) c.score = this.bits - 2 * c.distance;
    }
    const better = (a: Candidate, b: Candidate): boolean =>
      a.distance !== b.distance
        ? a.distance < b.distance
        : a.score !== b.score
          ? a.score > b.score
          : a.id < b.id;
    const top = selectBest(cands, k, better);
    return top.map((c) => ({ itemId: c.id, distance: c.distance, score: c.score }));
  }

  /**
   * score(slot) = Σ_i q_i·s_i with s_i = +1 where bit i is set, −1 otherwise
   *             = 2·Σ_{i set} q_i − Σ_i q_i, summed per code byte through 256-entry tables.
   */
  #scorer(q: ArrayLike<number>): (slot: number) => number {
    const bits = this.bits;
    const nBytes = Math.ceil(bits / 8);
    const tables = new Float64Array(nBytes * 256);
    let total = 0;
    for (let i = 0; i < bits; i++) total += Number(q[i] ?? 0) || 0;
    for (let j = 0; j < nBytes; j++) {
      const t = j * 256;
      for (let b = 1; b < 256; b++) {
        const low = b & -b; // lowest set bit of b
        const bit = 31 - Math.clz32(low);
        const i = j * 8 + bit;
        tables[t + b] = (tables[t + (b ^ low)] as number) + (i < bits ? Number(q[i] ?? 0) || 0 : 0);
      }
    }
    const bytes = this.#bytes;
    const stride = this.wordsPerCode * 8;
    return (slot: number) => {
      let s = 0;
      const base = slot * stride;
      for (let j = 0; j < nBytes; j++) s += tables[j * 256 + (bytes[base + j] as number)] as number;
      return 2 * s - total;
    };
  }
}

/**
 * item id → slot. Item ids are SQLite rowids: non-negative and mostly dense, so they go in a typed
 * array (≈100× faster to fill than a Map for a million ids) that grows up to 8 × the count held;
 * an id beyond that goes in a Map. A miss in the array falls through to the Map.
 */
class SlotMap {
  #dense = new Int32Array(0).fill(-1);
  readonly #sparse = new Map<number, number>();
  #count = 0;

  get(id: number): number | undefined {
    const s = id >= 0 && id < this.#dense.length ? (this.#dense[id] as number) : -1;
    return s >= 0 ? s : this.#sparse.get(id);
  }

  has(id: number): boolean {
    return this.get(id) !== undefined;
  }

  set(id: number, slot: number): void {
    if (Number.isInteger(id) && id >= 0) {
      if (id >= this.#dense.length && id < Math.max(1 << 16, 8 * (this.#count + 1))) this.#grow(id + 1);
      if (id < this.#dense.length) {
        if ((this.#dense[id] as number) < 0 && !this.#sparse.delete(id)) this.#count++;
        this.#dense[id] = slot;
        return;
      }
    }
    if (!this.#sparse.has(id)) this.#count++;
    this.#sparse.set(id, slot);
  }

  delete(id: number): boolean {
    if (id >= 0 && id < this.#dense.length && (this.#dense[id] as number) >= 0) {
      this.#dense[id] = -1;
      this.#count--;
      return true;
    }
    if (this.#sparse.delete(id)) {
      this.#count--;
      return true;
    }
    return false;
  }

  clear(): void {
    this.#dense.fill(-1);
    this.#sparse.clear();
    this.#count = 0;
  }

  #grow(min: number): void {
    let len = Math.max(1024, this.#dense.length);
    while (len < min) len *= 2;
    const next = new Int32Array(len).fill(-1);
    next.set(this.#dense);
    this.#dense = next;
  }
}

/** The smallest distance d with hist[0..d] summing to at least k (bits when there are fewer). */
function kthCut(hist: Uint32Array, k: number, bits: number): number {
  let seen = 0;
  for (let d = 0; d < bits; d++) {
    seen += hist[d] as number;
    if (seen >= k) return d;
  }
  return bits;
}

/** The best k items of `items` under `better`, best first (a bounded heap: O(n log k)). */
function selectBest<T>(items: T[], k: number, better: (a: T, b: T) => boolean): T[] {
  if (items.length <= k) return items.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
  // Max-heap by "worse": the root is the worst of the kept k.
  const heap: T[] = [];
  const worse = (a: T, b: T): boolean => better(b, a);
  const up = (i: number): void => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!worse(heap[i] as T, heap[p] as T)) break;
      [heap[i], heap[p]] = [heap[p] as T, heap[i] as T];
      i = p;
    }
  };
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && worse(heap[l] as T, heap[m] as T)) m = l;
      if (r < heap.length && worse(heap[r] as T, heap[m] as T)) m = r;
      if (m === i) return;
      [heap[i], heap[m]] = [heap[m] as T, heap[i] as T];
      i = m;
    }
  };
  for (const it of items) {
    if (heap.length < k) {
      heap.push(it);
      up(heap.length - 1);
    } else if (better(it, heap[0] as T)) {
      heap[0] = it;
      down(0);
    }
  }
  return heap.sort((a, b) => (better(a, b) ? -1 : better(b, a) ? 1 : 0));
}
