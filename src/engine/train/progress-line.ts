/**
 * How a training run's progress reads on a terminal, shared by `glint train` and the research scripts in
 * `training/` so that a library run and a benchmark run report the same figures the same way.
 */
import type { TrainProgress } from './trainer.ts';

/** A fraction as a percentage with two decimals ('—' when not finite). */
export function pct(x: number): string {
  return Number.isFinite(x) ? (100 * x).toFixed(2) : '—';
}

/** One progress event as a line: epoch and step, the two phases' losses, τ, γ_syn and (per epoch) val mAP. */
export function progressLine(p: TrainProgress, prefix: string): string {
  const l = p.losses;
  const val = p.valMap === undefined ? '' : ` val mAP ${pct(p.valMap)}`;
  return `${prefix} epoch ${p.epoch}/${p.epochs} step ${p.step}/${p.steps} hl ${l.hl.toFixed(4)} go ${l.go.toFixed(4)} τ ${p.tau.toFixed(3)} γ ${p.gammaSyn.toFixed(2)}${val}`;
}
