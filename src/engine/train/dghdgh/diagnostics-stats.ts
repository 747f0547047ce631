/**
 * Per-epoch diagnostics of a DGHDGH run from the raw per-triplet tensors of the diagnostics graph
 * (diagnostics.ts): what λ looks like, how much of the interpolation point r the generator decides, and how
 * hard the synthetic negatives are compared with the real ones. Plain JS, so it can be checked by hand.
 */

/** Per-triplet tensors of some batches (rows of T triplets over all four graphs, K channels). */
export interface RawDiagnostics {
  K: number;
  /**
   * Anchor, positive, real negative and synthetic negative codes [T×K] in the synthesis space; λ [T×K].
   * `hs` and `lambda` are empty when the model has no synthesis (no-DGS).
   */
  ha: Float64Array;
  hp: Float64Array;
  hn: Float64Array;
  hs: Float64Array;
  lambda: Float64Array;
  /** 1 = real triplet, 0 = padding [T]. */
  w: Float64Array;
}

/** What the diagnostics report (fractions in [0, 1]; NaN where there is nothing to average). */
export interface DiagnosticStats {
  /** Real triplets summarised. */
  triplets: number;
  /** Mean of λ over triplets and channels. */
  lambdaMean: number;
  /** Standard deviation between triplets of each triplet's channel-mean λ. */
  lambdaSdTriplets: number;
  /** Mean over triplets of the standard deviation of λ across channels. */
  lambdaSdChannels: number;
  /** Share of triplets interpolated (d_ap < d_an); the others keep h′ = h̃_n. */
  interpolated: number;
  /**
   * Generator's share of r over interpolated triplets: Σ λτ(d_an − d_ap)/d_an ÷ Σ r (over triplets and
   * channels). 0 means r = d_ap/d_an whatever λ is: the generator cannot change the synthetic negative.
   */
  generatorShare: number;
  /** Synthetic negative more similar to the anchor than the real negative: cosine, Hamming (of signs, strictly fewer bits). */
  harderThanRealCos: number;
  harderThanRealHam: number;
  /** Synthetic negative more similar to the anchor than the positive: cosine, Hamming. */
  closerThanPosCos: number;
  closerThanPosHam: number;
  /** Triplets with a positive cosine triplet loss at `margin`: real, synthetic. */
  realViolating: number;
  synViolating: number;
}

function cos(x: Float64Array, y: Float64Array, o: number, K: number): number {
  let xy = 0;
  let xx = 0;
  let yy = 0;
  for (let k = 0; k < K; k++) {
    const a = x[o + k] as number;
    const b = y[o + k] as number;
    xy += a * b;
    xx += a * a;
    yy += b * b;
  }
  // NOTE: the same ε as the graphs' l2Normalize, so a zero row gives 0, not NaN.
  return xy / (Math.sqrt(xx + 1e-12) * Math.sqrt(yy + 1e-12));
}

function hamming(x: Float64Array, y: Float64Array, o: number, K: number): number {
  let d = 0;
  for (let k = 0; k < K; k++) if ((x[o + k] as number) > 0 !== (y[o + k] as number) > 0) d++;
  return d;
}

function dist(x: Float64Array, y: Float64Array, o: number, K: number): number {
  let s = 0;
  for (let k = 0; k < K; k++) s += ((x[o + k] as number) - (y[o + k] as number)) ** 2;
  return Math.sqrt(s + 1e-12);
}

/** Summarises raw diagnostics for the τ and cosine margin they were computed with. */
export function diagnosticStats(raw: RawDiagnostics, tau: number, margin: number): DiagnosticStats {
  const { K, ha, hp, hn, w } = raw;
  const synth = raw.hs.length > 0;
  // NOTE: without synthesis the synthetic-negative fields come out NaN (nothing to describe), not 0.
  const hs = synth ? raw.hs : new Float64Array(ha.length).fill(NaN);
  const lambda = synth ? raw.lambda : new Float64Array(ha.length).fill(NaN);
  let n = 0;
  let lamRowSum = 0;
  let lamRowSq = 0;
  let lamChanSd = 0;
  let interp = 0;
  let gen = 0;
  let rSum = 0;
  const c = { hrC: 0, hrH: 0, cpC: 0, cpH: 0, rv: 0, sv: 0 };
  for (let t = 0; t < w.length; t++) {
    if (!((w[t] as number) > 0)) continue;
    n++;
    const o = t * K;
    let m = 0;
    let m2 = 0;
    for (let k = 0; k < K; k++) {
      const l = lambda[o + k] as number;
      m += l / K;
      m2 += (l * l) / K;
    }
    lamRowSum += m;
    lamRowSq += m * m;
    lamChanSd += Math.sqrt(Math.max(0, m2 - m * m));
    const dap = dist(ha, hp, o, K);
    const dan = dist(ha, hn, o, K);
    if (synth && dap < dan) {
      interp++;
      const d = Math.max(dan, 1e-6);
      for (let k = 0; k < K; k++) {
        const g = ((lambda[o + k] as number) * tau * (dan - dap)) / d;
        gen += g;
        rSum += dap / d + g;
      }
    }
    const cp = cos(ha, hp, o, K);
    const cn = cos(ha, hn, o, K);
    const cs = cos(ha, hs, o, K);
    const hpD = hamming(ha, hp, o, K);
    const hnD = hamming(ha, hn, o, K);
    const hsD = hamming(ha, hs, o, K);
    if (cs > cn) c.hrC++;
    if (hsD < hnD) c.hrH++;
    if (cs > cp) c.cpC++;
    if (hsD < hpD) c.cpH++;
    if (margin - cp + cn > 0) c.rv++;
    if (margin - cp + cs > 0) c.sv++;
  }
  const frac = (x: number) => (n ? x / n : NaN);
  const sfrac = (x: number) => (synth ? frac(x) : NaN);
  const rowMean = n ? lamRowSum / n : NaN;
  return {
    triplets: n,
    lambdaMean: rowMean,
    // NOTE: population standard deviation (n, not n − 1): a description of these triplets, not an estimate.
    lambdaSdTriplets: n ? Math.sqrt(Math.max(0, lamRowSq / n - rowMean * rowMean)) : NaN,
    lambdaSdChannels: sfrac(lamChanSd),
    interpolated: sfrac(interp),
    generatorShare: rSum > 0 ? gen / rSum : NaN,
    harderThanRealCos: sfrac(c.hrC),
    harderThanRealHam: sfrac(c.hrH),
    closerThanPosCos: sfrac(c.cpC),
    closerThanPosHam: sfrac(c.cpH),
    realViolating: frac(c.rv),
    synViolating: sfrac(c.sv),
  };
}

/** Concatenates raw diagnostics of several batches (same K). */
export function concatRaw(parts: RawDiagnostics[]): RawDiagnostics {
  const cat = (k: 'ha' | 'hp' | 'hn' | 'hs' | 'lambda' | 'w'): Float64Array => {
    const out = new Float64Array(parts.reduce((s, p) => s + p[k].length, 0));
    let o = 0;
    for (const p of parts) {
      out.set(p[k], o);
      o += p[k].length;
    }
    return out;
  };
  return {
    K: parts[0]?.K ?? 0,
    ha: cat('ha'),
    hp: cat('hp'),
    hn: cat('hn'),
    hs: cat('hs'),
    lambda: cat('lambda'),
    w: cat('w'),
  };
}
