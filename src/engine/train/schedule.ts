/**
 * The DGHDGH per-epoch schedule (DGHDGH.md §3–4): the hardness factor τ = exp(−α / L̄_hl) and the weight of
 * the synthetic-negative loss γ_syn = clamp(1 − exp(−β / L̄_go), 0.1, 0.9), where L̄ are the running means of
 * the hash-learning and generation losses over the PREVIOUS epoch.
 *
 * First epoch (no previous mean yet): L̄ is taken as +∞, which gives τ = 1 (the synthetic negative may lie as
 * far as the real one: easiest) and γ_syn = clamp(0, …) = 0.1 (the untrained generator counts least). Under
 * no-HAP τ is fixed at 1.
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

/** γ_syn = clamp(1 − exp(−β / L̄_go), 0.1, 0.9); L̄ undefined (first epoch) → 0.1. */
export function syntheticWeight(beta: number, meanGo: number | undefined): number {
  if (meanGo === undefined) return GAMMA_SYN_MIN;
  const raw = meanGo <= 0 ? 1 : 1 - Math.exp(-beta / meanGo);
  return Math.min(GAMMA_SYN_MAX, Math.max(GAMMA_SYN_MIN, raw));
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
}

/** τ and γ_syn for an epoch from the previous epoch's means. */
export function epochSchedule(
  p: { alpha: number; beta: number; hap: boolean },
  prev: ScheduleInputs,
): { tau: number; gammaSyn: number } {
  return { tau: hardnessTau(p.alpha, prev.meanHl, p.hap), gammaSyn: syntheticWeight(p.beta, prev.meanGo) };
}
