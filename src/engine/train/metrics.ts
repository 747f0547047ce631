/**
 * Retrieval metrics of the DGHDGH protocol (DGHDGH.md §6, paper Appendix B): mAP@all, P@H≤r, Fisher ratio,
 * and a precision–recall curve over Hamming radii.
 *
 * Conventions (fixed here, used by every caller):
 * - Codes are `PackedCodes` (metrics-codes.ts): sign bits in 32-bit words; distance = Hamming distance.
 * - Ranking: database items by Hamming distance ascending; TIES BROKEN BY DATABASE INDEX ASCENDING (stable).
 *   Because distances lie in 0..K, a counting pass gives every item's rank in O(n + K) per query with that
 *   tie order built in — no sort.
 * - mAP@all: AP = (1/R)·Σ_j (r_j / j)·rel_j over the full ranking (r_j = relevant items in the top j, R = all
 *   relevant database items). Queries with R = 0 have no AP (NaN in `ap`) and are EXCLUDED from the mean.
 * - P@H≤r: a query that retrieves nothing within radius r has precision 0 and stays in the mean (the paper's
 *   convention); `emptyQueries` says how many, `meanOverNonEmpty` gives the alternative.
 * - Fisher ratio: population (ddof = 0) standard deviations, both for the distances and across seeds.
 */
import { GlintError } from '../errors.ts';
import { checkCompatible, hamming, hammingRow, type PackedCodes } from './metrics-codes.ts';
import { createRng, randomInt } from './metrics-random.ts';
import { compileRelevance, type Relevance, type RelevanceRows } from './metrics-relevance.ts';

export { byClass, byMultiHot, type Relevance } from './metrics-relevance.ts';
export { packCodes, packCodeWords, type PackedCodes } from './metrics-codes.ts';

/** Per-query scan buffers: distances, relevance, and per-distance histograms of all / relevant items. */
class QueryScan {
  readonly dist: Uint16Array;
  readonly rel: Uint8Array;
  /** count[k]: database items at distance k; relCount[k]: relevant ones among them. */
  readonly count: Int32Array;
  readonly relCount: Int32Array;
  private readonly query: PackedCodes;
  private readonly db: PackedCodes;
  private readonly rows: RelevanceRows;

  constructor(query: PackedCodes, db: PackedCodes, relevance: Relevance) {
    checkCompatible(query, db);
    this.query = query;
    this.db = db;
    this.rows = compileRelevance(relevance, query.n, db.n);
    this.dist = new Uint16Array(db.n);
    this.rel = new Uint8Array(db.n);
    this.count = new Int32Array(db.bits + 1);
    this.relCount = new Int32Array(db.bits + 1);
  }

  /** Scans query `qi` against the whole database; returns R, its number of relevant items. */
  scan(qi: number): number {
    const { dist, rel, count, relCount } = this;
    hammingRow(this.query, qi, this.db, dist);
    this.rows.fillRow(qi, rel);
    count.fill(0);
    relCount.fill(0);
    let R = 0;
    for (let i = 0; i < dist.length; i++) {
      const k = dist[i] as number;
      count[k] = (count[k] as number) + 1;
      if (rel[i]) {
        relCount[k] = (relCount[k] as number) + 1;
        R++;
      }
    }
    return R;
  }
}

/** Result of `mapAtAll`. */
export interface MapResult {
  /** Mean AP over the queries with at least one relevant database item (NaN when there are none). */
  map: number;
  /** AP per query; NaN for a query with no relevant database item. */
  ap: Float64Array;
  /** Queries in the mean. */
  evaluated: number;
  /** Queries left out because they have no relevant database item. */
  excluded: number;
}

/** mAP@all over the full Hamming ranking (ties by database index ascending; R = 0 queries excluded). */
export function mapAtAll(query: PackedCodes, db: PackedCodes, relevance: Relevance): MapResult {
  const scan = new QueryScan(query, db, relevance);
  const K = db.bits;
  const start = new Int32Array(K + 1);
  const relStart = new Int32Array(K + 1);
  const seen = new Int32Array(K + 1);
  const relSeen = new Int32Array(K + 1);
  const ap = new Float64Array(query.n);
  let sum = 0;
  let evaluated = 0;
  for (let qi = 0; qi < query.n; qi++) {
    const R = scan.scan(qi);
    if (R === 0) {
      ap[qi] = NaN;
      continue;
    }
    // start[k]: items ranked before the first item at distance k (likewise relStart for relevant ones).
    let acc = 0;
    let relAcc = 0;
    for (let k = 0; k <= K; k++) {
      start[k] = acc;
      relStart[k] = relAcc;
      acc += scan.count[k] as number;
      relAcc += scan.relCount[k] as number;
    }
    seen.fill(0);
    relSeen.fill(0);
    const { dist, rel } = scan;
    let s = 0;
    // NOTE: walking the database in index order visits each distance bucket in index order too, so the
    // item's 1-based rank is start[k] + (items of bucket k seen so far) — exactly the stable tie order.
    for (let di = 0; di < dist.length; di++) {
      const k = dist[di] as number;
      const pos = (start[k] as number) + (seen[k] = (seen[k] as number) + 1);
      if (rel[di]) s += ((relStart[k] as number) + (relSeen[k] = (relSeen[k] as number) + 1)) / pos;
    }
    ap[qi] = s / R;
    sum += s / R;
    evaluated++;
  }
  return { map: evaluated ? sum / evaluated : NaN, ap, evaluated, excluded: query.n - evaluated };
}

/** Result of `precisionAtHammingRadius`. */
export interface RadiusPrecisionResult {
  radius: number;
  /** Mean precision over ALL queries; a query that retrieves nothing counts as 0. */
  precision: number;
  /** Mean precision over the queries that retrieved at least one item (NaN when none did). */
  meanOverNonEmpty: number;
  /** Queries that retrieved nothing within the radius. */
  emptyQueries: number;
  /** Mean recall within the radius over queries with ≥ 1 relevant item (NaN when none have one). */
  recall: number;
  /** Precision per query (0 for an empty retrieval). */
  perQuery: Float64Array;
}

/** P@H≤radius: precision among database items within Hamming `radius` of each query (default 2). */
export function precisionAtHammingRadius(
  query: PackedCodes,
  db: PackedCodes,
  relevance: Relevance,
  opts: { radius?: number } = {},
): RadiusPrecisionResult {
  const radius = opts.radius ?? 2;
  if (!Number.isInteger(radius) || radius < 0) {
    throw new GlintError('metrics-bad-input', `radius must be an integer ≥ 0, got ${radius}`);
  }
  const scan = new QueryScan(query, db, relevance);
  const top = Math.min(radius, db.bits);
  const perQuery = new Float64Array(query.n);
  let sum = 0;
  let empty = 0;
  let recallSum = 0;
  let recallN = 0;
  for (let qi = 0; qi < query.n; qi++) {
    const R = scan.scan(qi);
    let got = 0;
    let hit = 0;
    for (let k = 0; k <= top; k++) {
      got += scan.count[k] as number;
      hit += scan.relCount[k] as number;
    }
    const p = got ? hit / got : 0;
    if (!got) empty++;
    perQuery[qi] = p;
    sum += p;
    if (R) {
      recallSum += hit / R;
      recallN++;
    }
  }
  const n = query.n;
  return {
    radius,
    precision: n ? sum / n : NaN,
    meanOverNonEmpty: n - empty ? sum / (n - empty) : NaN,
    emptyQueries: empty,
    recall: recallN ? recallSum / recallN : NaN,
    perQuery,
  };
}

/** One point of a precision–recall curve: everything within Hamming distance `radius` is retrieved. */
export interface PrPoint {
  radius: number;
  /** Mean precision over the evaluated queries that retrieved ≥ 1 item at this radius (NaN if none did). */
  precision: number;
  /** Mean recall over the evaluated queries. */
  recall: number;
  /** Evaluated queries that retrieved nothing at this radius (left out of `precision`). */
  emptyQueries: number;
}

/**
 * Precision–recall points for radius 0..K, averaged over queries with ≥ 1 relevant item (the mAP set);
 * at each radius, precision averages only over those queries that retrieved something (so small radii are
 * not dragged to 0 by empty retrievals; `emptyQueries` reports them). At radius K every query retrieves
 * the whole database: recall 1.
 */
export function precisionRecallCurve(query: PackedCodes, db: PackedCodes, relevance: Relevance): PrPoint[] {
  const scan = new QueryScan(query, db, relevance);
  const K = db.bits;
  const pSum = new Float64Array(K + 1);
  const pN = new Int32Array(K + 1);
  const rSum = new Float64Array(K + 1);
  let evaluated = 0;
  for (let qi = 0; qi < query.n; qi++) {
    const R = scan.scan(qi);
    if (!R) continue;
    evaluated++;
    let got = 0;
    let hit = 0;
    for (let k = 0; k <= K; k++) {
      got += scan.count[k] as number;
      hit += scan.relCount[k] as number;
      if (got) {
        pSum[k] = (pSum[k] as number) + hit / got;
        pN[k] = (pN[k] as number) + 1;
      }
      rSum[k] = (rSum[k] as number) + hit / R;
    }
  }
  const points: PrPoint[] = [];
  for (let k = 0; k <= K; k++) {
    const n = pN[k] as number;
    points.push({
      radius: k,
      precision: n ? (pSum[k] as number) / n : NaN,
      recall: evaluated ? (rSum[k] as number) / evaluated : NaN,
      emptyQueries: evaluated - n,
    });
  }
  return points;
}

/** Mean and population (ddof = 0) standard deviation. */
export function meanStd(values: ArrayLike<number>): { mean: number; std: number } {
  const n = values.length;
  if (!n) return { mean: NaN, std: NaN };
  let m = 0;
  for (let i = 0; i < n; i++) m += values[i] as number;
  m /= n;
  let v = 0;
  for (let i = 0; i < n; i++) v += ((values[i] as number) - m) ** 2;
  return { mean: m, std: Math.sqrt(v / n) };
}

/**
 * Fisher ratio of two samples of distances: (μ_neg − μ_pos) / sqrt((σ_pos² + σ_neg²) / 2), σ with ddof = 0.
 * NOTE: when both samples are constant the pooled σ is 0: the ratio is ±Infinity (or NaN if the means agree).
 */
export function fisherFromDistances(pos: ArrayLike<number>, neg: ArrayLike<number>): number {
  const p = meanStd(pos);
  const q = meanStd(neg);
  return (q.mean - p.mean) / Math.sqrt((p.std * p.std + q.std * q.std) / 2);
}

/** Result of `fisherRatio`. */
export interface FisherResult {
  pairs: number;
  /** Mean over seeds. */
  mean: number;
  /** Population standard deviation over seeds. */
  std: number;
  /** The ratio for each seed, in seed order. */
  perSeed: number[];
  /** The seeds used: seed, seed + 1, … */
  seeds: number[];
}

/**
 * Fisher ratio of Hamming distances of `pairs` sampled relevant and `pairs` sampled irrelevant
 * (query, database) pairs, repeated for `seeds` seeds (default 5, seeds `seed`..`seed + seeds − 1`).
 * Sampling: (query, database item) pairs drawn uniformly from all nQuery × nDb pairs, each kept for the
 * positive or negative sample by its relevance until both hold `pairs` items (so, like the pair population,
 * queries with more relevant items contribute more positives). Throws a GlintError when `maxDraws` draws
 * (default 1000 × pairs + 10^6) do not find enough pairs of one kind.
 */
export function fisherRatio(
  query: PackedCodes,
  db: PackedCodes,
  relevance: Relevance,
  opts: { pairs: number; seeds?: number; seed?: number; maxDraws?: number },
): FisherResult {
  checkCompatible(query, db);
  const { pairs } = opts;
  const nSeeds = opts.seeds ?? 5;
  const seed0 = opts.seed ?? 0;
  if (!Number.isInteger(pairs) || pairs < 1)
    throw new GlintError('metrics-bad-input', `pairs must be ≥ 1, got ${pairs}`);
  if (!query.n || !db.n)
    throw new GlintError('metrics-bad-input', 'Fisher ratio needs at least one query and one database item');
  const rows = compileRelevance(relevance, query.n, db.n);
  const maxDraws = opts.maxDraws ?? 1000 * pairs + 1_000_000;
  const perSeed: number[] = [];
  const seeds: number[] = [];
  const pos = new Float64Array(pairs);
  const neg = new Float64Array(pairs);
  for (let s = 0; s < nSeeds; s++) {
    const rng = createRng(seed0 + s);
    let np = 0;
    let nn = 0;
    let draws = 0;
    while (np < pairs || nn < pairs) {
      if (++draws > maxDraws) {
        throw new GlintError(
          'metrics-too-few-pairs',
          `Fisher ratio: found only ${np} relevant and ${nn} irrelevant pairs in ${maxDraws} random draws; ` +
            `ask for fewer pairs or check the labels`,
        );
      }
      const qi = randomInt(rng, query.n);
      const di = randomInt(rng, db.n);
      if (rows.pair(qi, di)) {
        if (np < pairs) pos[np++] = hamming(query, qi, db, di);
      } else if (nn < pairs) {
        neg[nn++] = hamming(query, qi, db, di);
      }
    }
    perSeed.push(fisherFromDistances(pos, neg));
    seeds.push(seed0 + s);
  }
  const { mean, std } = meanStd(perSeed);
  return { pairs, mean, std, perSeed, seeds };
}

/** The paper's Fisher table row: `fisherRatio` for each pair count (default 50, 100, 200, 400). */
export function fisherTable(
  query: PackedCodes,
  db: PackedCodes,
  relevance: Relevance,
  opts: { pairs?: readonly number[]; seeds?: number; seed?: number } = {},
): FisherResult[] {
  return (opts.pairs ?? [50, 100, 200, 400]).map((pairs) =>
    fisherRatio(query, db, relevance, { pairs, seeds: opts.seeds ?? 5, seed: opts.seed ?? 0 }),
  );
}
