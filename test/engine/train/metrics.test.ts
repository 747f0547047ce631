import { describe, expect, it } from 'vitest';
import {
  byClass,
  byMultiHot,
  fisherFromDistances,
  fisherRatio,
  fisherTable,
  mapAtAll,
  meanStd,
  packCodes,
  precisionAtHammingRadius,
  precisionRecallCurve,
  type PackedCodes,
  type Relevance,
} from '../../../src/engine/train/metrics.ts';
import { hamming } from '../../../src/engine/train/metrics-codes.ts';
import { compileRelevance } from '../../../src/engine/train/metrics-relevance.ts';
import { createRng, randomInt } from '../../../src/engine/train/metrics-random.ts';
import { GlintError } from '../../../src/engine/errors.ts';

/** Codes from bit strings "b0b1b2…" ('1' → +1, '0' → −1). */
function codes(...rows: string[]): PackedCodes {
  const bits = (rows[0] as string).length;
  const values = rows.flatMap((r) => [...r].map((c) => (c === '1' ? 1 : -1)));
  return packCodes(Int8Array.from(values), rows.length, bits);
}

// The hand-computed case: K = 4 bits, 6 database items, codes written b0b1b2b3.
//   d0 1111 (class 2)   d1 0000 (class 1)   d2 1110 (class 1)
//   d3 1111 (class 1)   d4 1100 (class 2)   d5 1101 (class 2)
// q0 = 1111, class 1 → relevant {d1, d2, d3}, R = 3.
//   distances: d0 0, d1 4, d2 1, d3 0, d4 2, d5 1
//   ranking (distance ↑, then index ↑): d0(0) d3(0) d2(1) d5(1) d4(2) d1(4)
//   rel:                                  0     1     1     0     0     1
//   AP = (1/2 + 2/3 + 3/6) / 3 = 5/9          (had the 0-tie gone d3 before d0, AP would differ)
// q1 = 0011, class 2 → relevant {d0, d4, d5}, R = 3.
//   distances: d0 2, d1 2, d2 3, d3 2, d4 4, d5 3
//   ranking: d0(2) d1(2) d3(2) d2(3) d5(3) d4(4)
//   rel:      1     0     0     0     1     1
//   AP = (1/1 + 2/5 + 3/6) / 3 = 19/30
// mAP = (5/9 + 19/30) / 2 = 107/180.
const DB = codes('1111', '0000', '1110', '1111', '1100', '1101');
const DB_CLASS = [2, 1, 1, 1, 2, 2];
const Q = codes('1111', '0011');
const Q_CLASS = [1, 2];

describe('mapAtAll', () => {
  it('matches the hand-computed rankings with index-ascending ties', () => {
    const r = mapAtAll(Q, DB, byClass(Q_CLASS, DB_CLASS));
    expect(r.ap[0]).toBeCloseTo(5 / 9, 12);
    expect(r.ap[1]).toBeCloseTo(19 / 30, 12);
    expect(Math.abs(r.map - 107 / 180)).toBeLessThan(1e-12);
    expect(r.evaluated).toBe(2);
    expect(r.excluded).toBe(0);
  });

  it('gives the same numbers for multi-hot and predicate relevance', () => {
    const oneHot = (ids: number[]): number[] => ids.flatMap((c) => [1, 2, 3].map((k) => (k === c ? 1 : 0)));
    const a = mapAtAll(Q, DB, byMultiHot(oneHot(Q_CLASS), oneHot(DB_CLASS), 3));
    const b = mapAtAll(Q, DB, { kind: 'fn', fn: (qi, di) => Q_CLASS[qi] === DB_CLASS[di] });
    expect(Math.abs(a.map - 107 / 180)).toBeLessThan(1e-12);
    expect(Math.abs(b.map - 107 / 180)).toBeLessThan(1e-12);
  });

  it('excludes queries with no relevant item from the mean (AP NaN)', () => {
    // q2 = 0000 with class 3, which no database item has.
    const q = codes('1111', '0011', '0000');
    const r = mapAtAll(q, DB, byClass([1, 2, 3], DB_CLASS));
    expect(Number.isNaN(r.ap[2])).toBe(true);
    expect(r.evaluated).toBe(2);
    expect(r.excluded).toBe(1);
    expect(Math.abs(r.map - 107 / 180)).toBeLessThan(1e-12);
    const none = mapAtAll(codes('0000'), DB, byClass([9], DB_CLASS));
    expect(Number.isNaN(none.map)).toBe(true);
  });

  it('is exactly 1 when every database item is relevant, whatever the codes', () => {
    const rng = createRng(3);
    const q = packCodes(
      Float32Array.from({ length: 7 * 32 }, () => rng.next() - 0.5),
      7,
      32,
    );
    const db = packCodes(
      Float32Array.from({ length: 50 * 32 }, () => rng.next() - 0.5),
      50,
      32,
    );
    const r = mapAtAll(q, db, byClass(new Array(7).fill(4), new Array(50).fill(4)));
    expect(Math.abs(r.map - 1)).toBeLessThan(1e-12);
  });

  it('agrees with a naive sort-based reference on random data (1e-12)', () => {
    const rng = createRng(42);
    for (const [bits, C] of [
      [16, 5],
      [32, 3],
      [64, 8],
      [128, 40],
      [7, 4],
      [100, 2],
    ] as const) {
      const nq = 40;
      const nd = 257;
      // Few distinct sign patterns on some bits so ties are frequent.
      const rnd = (n: number): Float32Array =>
        Float32Array.from({ length: n * bits }, () => rng.next() - 0.3);
      const q = packCodes(rnd(nq), nq, bits);
      const db = packCodes(rnd(nd), nd, bits);
      const lab = (n: number): Uint8Array =>
        Uint8Array.from({ length: n * C }, () => (rng.next() < 0.25 ? 1 : 0));
      const rel = byMultiHot(lab(nq), lab(nd), C);
      const fast = mapAtAll(q, db, rel);
      const ref = naiveMap(q, db, rel);
      expect(fast.evaluated).toBe(ref.evaluated);
      expect(Math.abs(fast.map - ref.map)).toBeLessThan(1e-12);
      for (let i = 0; i < nq; i++) {
        const a = fast.ap[i] as number;
        const b = ref.ap[i] as number;
        if (Number.isNaN(b)) expect(Number.isNaN(a)).toBe(true);
        else expect(Math.abs(a - b)).toBeLessThan(1e-12);
      }
    }
  });

  it('rejects codes of different lengths and mis-sized labels', () => {
    expect(() => mapAtAll(codes('11'), DB, byClass([1], DB_CLASS))).toThrow(GlintError);
    expect(() => mapAtAll(Q, DB, byClass([1], DB_CLASS))).toThrow(/class labels/);
  });
});

/** Reference AP: sort by (distance, index), then apply the definition literally. */
function naiveMap(
  q: PackedCodes,
  db: PackedCodes,
  rel: Relevance,
): { map: number; ap: number[]; evaluated: number } {
  const rows = compileRelevance(rel, q.n, db.n);
  const ap: number[] = [];
  let sum = 0;
  let evaluated = 0;
  for (let qi = 0; qi < q.n; qi++) {
    const order = Array.from({ length: db.n }, (_, i) => i);
    const dist = order.map((di) => hamming(q, qi, db, di));
    order.sort((a, b) => (dist[a] as number) - (dist[b] as number) || a - b);
    const R = order.filter((di) => rows.pair(qi, di)).length;
    if (!R) {
      ap.push(NaN);
      continue;
    }
    let r = 0;
    let s = 0;
    order.forEach((di, j) => {
      if (rows.pair(qi, di)) s += ++r / (j + 1);
    });
    ap.push(s / R);
    sum += s / R;
    evaluated++;
  }
  return { map: sum / evaluated, ap, evaluated };
}

describe('precisionAtHammingRadius', () => {
  // Radius 2: q0 retrieves d0 d3 d2 d5 d4 (2 relevant of 5) → 2/5; q1 retrieves d0 d1 d3 (1 of 3) → 1/3.
  it('matches the hand-computed case at radius 2', () => {
    const r = precisionAtHammingRadius(Q, DB, byClass(Q_CLASS, DB_CLASS));
    expect(r.radius).toBe(2);
    expect(Math.abs(r.precision - (2 / 5 + 1 / 3) / 2)).toBeLessThan(1e-12);
    expect(r.emptyQueries).toBe(0);
    // Recall within radius 2: q0 2/3, q1 1/3.
    expect(Math.abs(r.recall - 0.5)).toBeLessThan(1e-12);
  });

  // Radius 0: q0 retrieves d0 d3 (1 of 2) → 1/2; q1 retrieves nothing → counts as 0.
  it('counts an empty retrieval as precision 0 and reports it', () => {
    const r = precisionAtHammingRadius(Q, DB, byClass(Q_CLASS, DB_CLASS), { radius: 0 });
    expect(r.emptyQueries).toBe(1);
    expect(r.perQuery[1]).toBe(0);
    expect(Math.abs(r.precision - 0.25)).toBeLessThan(1e-12);
    expect(Math.abs(r.meanOverNonEmpty - 0.5)).toBeLessThan(1e-12);
  });
});

describe('precisionRecallCurve', () => {
  it('matches the hand-computed points for radius 0..4', () => {
    // radius: (q0 precision, recall) (q1 precision, recall) → mean precision over non-empty, mean recall
    // 0: (1/2, 1/3) (—, 0)     → 1/2, 1/6, one empty
    // 1: (2/4, 2/3) (—, 0)     → 1/2, 1/3, one empty
    // 2: (2/5, 2/3) (1/3, 1/3) → 11/30, 1/2
    // 3: (2/5, 2/3) (2/5, 2/3) → 2/5, 2/3
    // 4: (3/6, 1)   (3/6, 1)   → 1/2, 1
    const want = [
      [1 / 2, 1 / 6, 1],
      [1 / 2, 1 / 3, 1],
      [11 / 30, 1 / 2, 0],
      [2 / 5, 2 / 3, 0],
      [1 / 2, 1, 0],
    ];
    const pts = precisionRecallCurve(Q, DB, byClass(Q_CLASS, DB_CLASS));
    expect(pts).toHaveLength(5);
    pts.forEach((p, k) => {
      const [prec, rec, empty] = want[k] as number[];
      expect(p.radius).toBe(k);
      expect(Math.abs(p.precision - (prec as number))).toBeLessThan(1e-12);
      expect(Math.abs(p.recall - (rec as number))).toBeLessThan(1e-12);
      expect(p.emptyQueries).toBe(empty);
    });
  });
});

describe('Fisher ratio', () => {
  it('matches a hand-computed value from distances', () => {
    // pos {1,2,3}: μ 2, σ² 2/3; neg {4,6,8}: μ 6, σ² 8/3; σ' = sqrt((2/3 + 8/3)/2) = sqrt(5/3)
    // Fisher = (6 − 2) / sqrt(5/3) = 4·sqrt(3/5)
    expect(Math.abs(fisherFromDistances([1, 2, 3], [4, 6, 8]) - 4 * Math.sqrt(3 / 5))).toBeLessThan(1e-12);
    expect(meanStd([1, 2, 3, 4])).toEqual({ mean: 2.5, std: Math.sqrt(1.25) });
    expect(fisherFromDistances([2, 2], [3, 3])).toBe(Infinity);
  });

  it('is seeded, reproducible, and near the all-pairs value', () => {
    // 64-bit codes: class c items have bits drawn with P(bit=1) depending on c, so distances vary.
    const rng = createRng(7);
    const bits = 64;
    const make = (n: number): { codes: PackedCodes; cls: number[] } => {
      const cls = Array.from({ length: n }, () => randomInt(rng, 3));
      const v = new Float32Array(n * bits);
      cls.forEach((c, i) => {
        for (let b = 0; b < bits; b++) v[i * bits + b] = rng.next() < (b % 3 === c ? 0.85 : 0.3) ? 1 : -1;
      });
      return { codes: packCodes(v, n, bits), cls };
    };
    const q = make(80);
    const db = make(300);
    const rel = byClass(q.cls, db.cls);
    const a = fisherRatio(q.codes, db.codes, rel, { pairs: 400, seeds: 5, seed: 11 });
    const b = fisherRatio(q.codes, db.codes, rel, { pairs: 400, seeds: 5, seed: 11 });
    expect(a).toEqual(b);
    expect(a.perSeed).toHaveLength(5);
    expect(a.seeds).toEqual([11, 12, 13, 14, 15]);
    expect(new Set(a.perSeed).size).toBeGreaterThan(1);
    expect(meanStd(a.perSeed)).toEqual({ mean: a.mean, std: a.std });
    // Population value over all 80 × 300 pairs.
    const pos: number[] = [];
    const neg: number[] = [];
    for (let i = 0; i < 80; i++) {
      for (let j = 0; j < 300; j++)
        (q.cls[i] === db.cls[j] ? pos : neg).push(hamming(q.codes, i, db.codes, j));
    }
    const all = fisherFromDistances(pos, neg);
    expect(all).toBeGreaterThan(1);
    expect(Math.abs(a.mean - all)).toBeLessThan(0.15 * all);
    const table = fisherTable(q.codes, db.codes, rel);
    expect(table.map((t) => t.pairs)).toEqual([50, 100, 200, 400]);
  });

  it('fails clearly when no irrelevant pair exists', () => {
    const f = (): unknown =>
      fisherRatio(Q, DB, byClass([1, 1], [1, 1, 1, 1, 1, 1]), { pairs: 5, maxDraws: 1000 });
    expect(f).toThrow(GlintError);
    expect(f).toThrow(/irrelevant/);
  });
});
