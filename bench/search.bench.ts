/**
 * Search benchmark: top-10 queries over N random codes (default 1,000,000) at 64 and 128 bits.
 *
 *   - Glint's HammingIndex (wasm kernel, and the pure-JS kernel for reference)
 *   - sqlite-vec's bit-vector KNN (`vec0` table with a `bit[B]` column, `MATCH … AND k = 10`), same
 *     codes and queries, in an in-memory better-sqlite3 database
 *   - a brute-force float32 cosine scan over 512-d embeddings (100,000 rows, or N if smaller), the
 *     per-query time scaled linearly to N and labelled as scaled
 *
 * Prints median and p90 latency per query and the ratio to Glint, and checks that Glint's top-10
 * distances equal sqlite-vec's for every query.
 *
 *   npm run bench:search [-- --n 1000000 --queries 100 --bits 64,128 --cosine-rows 100000]
 */
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import * as sqliteVec from 'sqlite-vec';
import { HammingIndex } from '../src/engine/hash/hamming-index.ts';
import { createRng } from '../src/engine/onnx/random.ts';

const { values: args } = parseArgs({
  options: {
    n: { type: 'string', default: '1000000' },
    queries: { type: 'string', default: '100' },
    bits: { type: 'string', default: '64,128' },
    'cosine-rows': { type: 'string', default: '100000' },
    'no-js': { type: 'boolean', default: false },
  },
});
const N = Number(args.n);
const Q = Number(args.queries);
const BITS = String(args.bits)
  .split(',')
  .map(Number)
  .filter((b) => b === 64 || b === 128);
const COS_ROWS = Math.min(Number(args['cosine-rows']), N);
const DIM = 512;
const K = 10;

/** Seeded uint32 values (the project's generator): the same data on every run. */
function rng(seed: number): () => number {
  const g = createRng(seed);
  return () => Math.floor(g.next() * 2 ** 32);
}

function randomWords(count: number, seed: number): BigInt64Array {
  const out = new BigInt64Array(count);
  const u32 = new Uint32Array(out.buffer);
  const r = rng(seed);
  for (let i = 0; i < u32.length; i++) u32[i] = r();
  return out;
}

interface Stats {
  median: number;
  p90: number;
}

function stats(ms: number[]): Stats {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number): number => s[Math.min(s.length - 1, Math.floor(p * s.length))] as number;
  return { median: at(0.5), p90: at(0.9) };
}

function time<T>(fn: () => T): [T, number] {
  const t0 = performance.now();
  const v = fn();
  return [v, performance.now() - t0];
}

const fmt = (ms: number): string => (ms < 10 ? ms.toFixed(2) : ms < 100 ? ms.toFixed(1) : ms.toFixed(0));

interface Row {
  bits: number | string;
  method: string;
  stats: Stats;
  note?: string;
}

const rows: Row[] = [];
const notes: string[] = [];
const started = performance.now();
console.log(
  `search bench: N=${N.toLocaleString('en')} codes, ${Q} queries, top-${K}, bits ${BITS.join(',')}`,
);

for (const bits of BITS) {
  const W = bits / 64;
  const ids = Array.from({ length: N }, (_, i) => i + 1);
  const codes = randomWords(N * W, bits);
  const queries = randomWords(Q * W, bits + 1);
  const query = (q: number): bigint[] => Array.from(queries.subarray(q * W, q * W + W));

  // --- Glint -----------------------------------------------------------------------------------
  const [index, buildMs] = time(() => {
    const ix = new HammingIndex(bits, { capacity: N });
    ix.load(ids, codes);
    return ix;
  });
  notes.push(`${bits}-bit: Glint index built from packed codes in ${fmt(buildMs)} ms`);

  // --- sqlite-vec --------------------------------------------------------------------------------
  const db = new Database(':memory:');
  sqliteVec.load(db);
  const version = db.prepare('SELECT vec_version()').pluck().get() as string;
  db.exec(`CREATE VIRTUAL TABLE v USING vec0(id INTEGER PRIMARY KEY, code bit[${bits}])`);
  const bytes = new Uint8Array(codes.buffer);
  const insert = db.prepare('INSERT INTO v(id, code) VALUES (?, vec_bit(?))');
  const [, insertMs] = time(() =>
    db.transaction(() => {
      // NOTE: the blob is the code's little-endian bytes; Hamming distance does not depend on the
      // bit order inside the blob as long as queries use the same layout.
      for (let i = 0; i < N; i++) insert.run(BigInt(i + 1), bytes.subarray(i * 8 * W, (i + 1) * 8 * W));
    })(),
  );
  notes.push(`${bits}-bit: sqlite-vec ${version} vec0 table filled in ${(insertMs / 1000).toFixed(1)} s`);
  const knn = db.prepare(
    `SELECT id, distance FROM v WHERE code MATCH vec_bit(?) AND k = ${K} ORDER BY distance`,
  );
  const qbytes = new Uint8Array(queries.buffer);
  const qblob = (q: number): Uint8Array => qbytes.subarray(q * 8 * W, (q + 1) * 8 * W);

  // --- the same queries, interleaved so machine noise hits both alike -----------------------------
  for (let q = 0; q < Math.min(Q, 10); q++) index.search({ words: query(q) }, K); // warm up
  knn.all(qblob(0));
  const glintTimes: number[] = [];
  const glintDists: number[][] = [];
  const vecTimes: number[] = [];
  let agree = 0;
  for (let q = 0; q < Q; q++) {
    const [hits, ms] = time(() => index.search({ words: query(q) }, K));
    glintTimes.push(ms);
    glintDists.push(hits.map((h) => h.distance));
    const [res, vms] = time(() => knn.all(qblob(q)) as Array<{ id: number; distance: number }>);
    vecTimes.push(vms);
    if (res.map((r) => r.distance).join() === hits.map((h) => h.distance).join()) agree++;
  }
  db.close();
  rows.push({ bits, method: `Glint HammingIndex (${index.kernel})`, stats: stats(glintTimes) });
  rows.push({ bits, method: `sqlite-vec ${version} bit[${bits}] KNN`, stats: stats(vecTimes) });
  notes.push(`${bits}-bit: top-${K} distances agree with sqlite-vec on ${agree}/${Q} queries`);
  if (agree !== Q) process.exitCode = 1;

  if (!args['no-js']) {
    const js = new HammingIndex(bits, { kernel: 'js', capacity: N });
    js.load(ids, codes);
    for (let q = 0; q < Math.min(Q, 5); q++) js.search({ words: query(q) }, K);
    const jsTimes: number[] = [];
    for (let q = 0; q < Q; q++) {
      const [hits, ms] = time(() => js.search({ words: query(q) }, K));
      jsTimes.push(ms);
      if (hits.map((h) => h.distance).join() !== (glintDists[q] as number[]).join()) {
        throw new Error(`js kernel disagrees with wasm on query ${q}`);
      }
    }
    rows.push({ bits, method: 'Glint HammingIndex (js kernel, reference)', stats: stats(jsTimes) });
  }
}

// --- brute-force float32 cosine ------------------------------------------------------------------
{
  const r = rng(512);
  const emb = new Float32Array(COS_ROWS * DIM);
  for (let i = 0; i < emb.length; i++) emb[i] = r() / 2 ** 31 - 1;
  for (let i = 0; i < COS_ROWS; i++) {
    let s = 0;
    for (let j = 0; j < DIM; j++) s += (emb[i * DIM + j] as number) ** 2;
    const inv = 1 / Math.sqrt(s);
    for (let j = 0; j < DIM; j++) emb[i * DIM + j] = (emb[i * DIM + j] as number) * inv;
  }
  const cosQ = Math.min(Q, 30);
  const scan = (q: Float32Array): number[] => {
    const best = new Float64Array(K).fill(-Infinity);
    const bestId = new Int32Array(K).fill(-1);
    for (let i = 0; i < COS_ROWS; i++) {
      let dot = 0;
      const base = i * DIM;
      for (let j = 0; j < DIM; j++) dot += (emb[base + j] as number) * (q[j] as number);
      if (dot > (best[K - 1] as number)) {
        let p = K - 1;
        while (p > 0 && dot > (best[p - 1] as number)) {
          best[p] = best[p - 1] as number;
          bestId[p] = bestId[p - 1] as number;
          p--;
        }
        best[p] = dot;
        bestId[p] = i;
      }
    }
    return [...bestId];
  };
  const qs = Array.from({ length: cosQ }, (_, q) =>
    emb.slice(((q * 7919) % COS_ROWS) * DIM, (((q * 7919) % COS_ROWS) + 1) * DIM),
  );
  scan(qs[0] as Float32Array);
  const times = qs.map((q) => time(() => scan(q))[1]);
  const st = stats(times);
  const scale = N / COS_ROWS;
  const label = scale === 1 ? '' : ` (scaled ×${scale} from ${COS_ROWS.toLocaleString('en')} rows)`;
  rows.push({
    bits: 'f32',
    method: `brute-force cosine, ${DIM}-d float32${label}`,
    stats: { median: st.median * scale, p90: st.p90 * scale },
  });
  notes.push(
    `cosine: ${cosQ} queries over ${COS_ROWS.toLocaleString('en')} × ${DIM} float32, measured median ${fmt(st.median)} ms`,
  );
}

// --- report ----------------------------------------------------------------------------------------
const glintOf = (bits: number | string): Stats | undefined =>
  rows.find((r) => r.bits === bits && r.method.startsWith('Glint') && !r.method.includes('(js'))?.stats;
const ref64 = glintOf(64) ?? glintOf(128);
console.log('');
console.log(`| bits | method | median ms | p90 ms | median × Glint |`);
console.log(`|---|---|---:|---:|---:|`);
for (const r of rows) {
  const g = typeof r.bits === 'number' ? glintOf(r.bits) : ref64;
  const ratio = g ? (r.stats.median / g.median).toFixed(1) : '-';
  console.log(`| ${r.bits} | ${r.method} | ${fmt(r.stats.median)} | ${fmt(r.stats.p90)} | ${ratio} |`);
}
console.log('');
for (const n of notes) console.log(`- ${n}`);
console.log(`- cosine ratio is against Glint at ${BITS.includes(64) ? 64 : BITS[0]} bits`);
console.log(`- node ${process.version}, ${((performance.now() - started) / 1000).toFixed(0)} s total`);
