/**
 * The DGHDGH schedule (DGHDGH.md §3–4, §6): the hardness factor τ and the weight of the synthetic-negative loss
 * γ_syn = clamp(1 − exp(−β / L̄_go), 0.1, 0.9), L̄_go the mean generation loss of the PREVIOUS epoch.
 * τ has two forms (DghdghConfig.tau): the reference code's exp(−α / L̄_real), L̄_real the running mean of the
 * real triplet loss over the CURRENT epoch's earlier steps (so it changes every step), and the paper's
 * exp(−1 / l_avg), l_avg the previous epoch's mean phase-1 loss.
 *
 * Without a mean yet (an epoch's first step for 'reference', the first epoch for 'paper') L̄ is taken as +∞,
 * which gives τ = 1 (the synthetic negative may lie as far as the real one: easiest); γ_syn starts at 0.1
 * (the untrained generator counts least). Under no-HAP τ is fixed at 1.
 */

/** Bounds of γ_syn (DGHDGH.md §4). */
export const GAMMA_SYN_MIN = 0.1;
/** Upper bound of γ_syn. */
export const GAMMA_SYN_MAX = 0.9;

/** τ = exp(−α / L̄_hl); L̄ undefined (first epoch) or +∞ → 1, L̄ ≤ 0 → 0; `hap: false` → 1. */
export function hardnessTau(alpha: number, meanHl: number | undefined, hap = true): number {
  if (!hap || meanHl === undefined) return 1;
  // NOTE: L̄ = 0 gives −α/0 = −∞ and exp(−∞) = 0 (hardest), the limit of a perfectly fitted model.
  return meanHl <= 0 ? 0 : Math.exp(-alpha / meanHl);
}

/**
 * γ_syn = clamp(1 − exp(−β / L̄_go), 0.1, 0.9); L̄ undefined (first epoch) → 0.1. Rule 'reference': a value
 * strictly inside (0.1, 0.9) is reset to 0.1, as the reference code does (so only 0.1 or 0.9 occur).
 */
export function syntheticWeight(
  beta: number,
  meanGo: number | undefined,
  rule: 'clamp' | 'reference' = 'clamp',
): number {
  if (meanGo === undefined) return GAMMA_SYN_MIN;
  const raw = meanGo <= 0 ? 1 : 1 - Math.exp(-beta / meanGo);
  const clamped = Math.min(GAMMA_SYN_MAX, Math.max(GAMMA_SYN_MIN, raw));
  return rule === 'reference' && clamped < GAMMA_SYN_MAX ? GAMMA_SYN_MIN : clamped;
}

/** A running mean of finite values (non-finite values are skipped and counted). */
export class RunningMean {
  private sum = 0;
  private n = 0;
  /** Values that were not finite (NaN/±∞) and so left out. */
  skipped = 0;

  /** Adds one value. */
  add(x: number): void {
    if (!Number.isFinite(x)) {
      this.skipped++;
      return;
    }
    this.sum += x;
    this.n++;
  }

  /** The mean so far, or undefined before any finite value. */
  get mean(): number | undefined {
    return this.n ? this.sum / this.n : undefined;
  }

  /** Number of values in the mean. */
  get count(): number {
    return this.n;
  }
}

/** The previous epoch's loss means that drive the schedule (undefined before the first epoch ends). */
export interface ScheduleInputs {
  meanHl?: number;
  meanGo?: number;
  /** Mean phase-1 loss L_hl + L_sp1 + L_sp2 (the paper's l_avg). */
  meanTotal?: number;
}

/** The schedule's settings (a DghdghConfig has them all). */
export interface ScheduleConfig {
  tau: 'reference' | 'paper';
  alpha: number;
  beta: number;
  gammaSynRule: 'clamp' | 'reference';
  hap: boolean;
}

/** γ_syn for an epoch, from the previous epoch's means. */
export function epochGammaSyn(p: ScheduleConfig, prev: ScheduleInputs): number {
  return syntheticWeight(p.beta, prev.meanGo, p.gammaSynRule);
}

/**
 * τ for one step: 'paper' from the previous epoch's mean phase-1 loss (constant over the epoch), 'reference'
 * from `realSoFar`, the mean real triplet loss of this epoch's earlier steps (undefined on its first step).
 */
export function stepTau(p: ScheduleConfig, prev: ScheduleInputs, realSoFar: number | undefined): number {
  return p.tau === 'paper' ? hardnessTau(1, prev.meanTotal, p.hap) : hardnessTau(p.alpha, realSoFar, p.hap);
}
