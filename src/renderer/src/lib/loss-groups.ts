/** Training losses grouped for display: one chart per DGHDGH phase, silent terms left out. */
import type { Point } from './chart.ts';

/** One chart's lines. */
export interface LossGroup {
  title: string;
  series: Array<{ name: string; points: Point[] }>;
}

// DGHDGH's phases (trainer LOSS_KEYS): hashing (L_hl + L_sp1 + L_sp2) and the generator (go, is, sp, cd).
// `real` and `syn` are the two parts of `hl`, so they would only repeat it.
const PHASES: ReadonlyArray<{ title: string; keys: readonly string[] }> = [
  { title: 'Hash losses', keys: ['hl', 'sp1', 'sp2'] },
  { title: 'Generator losses', keys: ['go', 'is', 'sp', 'cd'] },
];
const PARTS = new Set(['real', 'syn']);

/** The groups to draw; unknown loss names join the first group; all-zero series (a phase that is off) are dropped. */
export function groupLosses(losses: Readonly<Record<string, Point[]>>): LossGroup[] {
  const known = new Set(PHASES.flatMap((p) => p.keys));
  const unknown = Object.keys(losses).filter((k) => !known.has(k) && !PARTS.has(k));
  return PHASES.map((phase, i) => ({
    title: phase.title,
    series: [...phase.keys, ...(i === 0 ? unknown : [])]
      .filter((k) => losses[k]?.some((p) => p.y !== 0 && Number.isFinite(p.y)))
      .map((name) => ({ name, points: losses[name] ?? [] })),
  })).filter((g) => g.series.length > 0);
}
