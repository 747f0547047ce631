/** Training losses grouped for display: one chart per DGHDGH phase, silent terms left out. */
import type { Point } from './chart.ts';

/** One chart's lines. */
export interface LossGroup {
  title: string;
  series: Array<{ name: string; label: string; points: Point[] }>;
}

// DGHDGH's phases (trainer LOSS_KEYS): hashing (L_hl + L_sp1 + L_sp2) and the generator (go, is, sp, cd).
// `real` and `syn` are the two parts of `hl`, so they would only repeat it.
const PHASES: ReadonlyArray<{ title: string; keys: readonly string[] }> = [
  { title: 'Hash losses', keys: ['hl', 'sp1', 'sp2'] },
  { title: 'Generator losses', keys: ['go', 'is', 'sp', 'cd'] },
];
const PARTS = new Set(['real', 'syn']);
// What each term measures (DGHDGH.md §4), for the legend.
const MEANING: Readonly<Record<string, string>> = {
  hl: 'triplet',
  sp1: 'labels, codes',
  sp2: 'labels, graph',
  go: 'generator',
  is: 'hardness',
  sp: 'class kept',
  cd: 'diversity',
};

/** The groups to draw; unknown loss names join the first group; all-zero series (a phase that is off) are dropped. */
export function groupLosses(losses: Readonly<Record<string, Point[]>>): LossGroup[] {
  const known = new Set(PHASES.flatMap((p) => p.keys));
  const unknown = Object.keys(losses).filter((k) => !known.has(k) && !PARTS.has(k));
  return PHASES.map((phase, i) => ({
    title: phase.title,
    series: [...phase.keys, ...(i === 0 ? unknown : [])]
      .filter((k) => losses[k]?.some((p) => p.y !== 0 && Number.isFinite(p.y)))
      .map((name) => ({
        name,
        label: MEANING[name] ? `${name} (${MEANING[name]})` : name,
        points: losses[name] ?? [],
      })),
  })).filter((g) => g.series.length > 0);
}
