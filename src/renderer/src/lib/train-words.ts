/**
 * Retraining in a photographer's words: the measured quality as "finds your tagged photos: 57 % → 76 %",
 * each stage's decision as a sentence, and each version of the search by what it is rather than its kind.
 */
import type { GlintEvent, HeadView, TrainPhaseView, TrainStageView } from '../../../contract/api.ts';

/** A 0–1 quality as a whole percentage ("57 %"), or an em dash when it was not measured. */
export function percent(x: number | undefined): string {
  return x === undefined || !Number.isFinite(x) ? '—' : `${Math.round(100 * x)} %`;
}

/** "finds your tagged photos: 57 % → 76 %". */
export function findsLine(before: number, after: number): string {
  return `finds your tagged photos: ${percent(before)} → ${percent(after)}`;
}

/** What the quick first stage did, in one sentence. */
export function quickSentence(q: TrainStageView, running: boolean): string {
  const what = q.activated
    ? 'It was better than the search you had, so search uses it already.'
    : 'It was not better than the search you had, so search kept what it had.';
  const next = running ? ' The full training now continues from it.' : '';
  return `Step 1, quick training: ${findsLine(q.before, q.after)}. ${what}${next}`;
}

/** What the full (second) stage did, in one sentence; `quick` is the first stage when it ran. */
export function finalSentence(f: TrainStageView, quick: TrainStageView | undefined): string {
  const label = quick ? 'Step 2, full training' : 'Training';
  if (f.activated) return `${label}: ${findsLine(f.before, f.after)}. Search now uses this new version.`;
  const kept = quick?.activated ? 'the step 1 version' : 'the version it had';
  return `${label}: ${findsLine(f.before, f.after)}. That is not better, so search keeps ${kept}; you can still switch to the new one below.`;
}

/** A version of the search by what it is: which step of a run made it, or the one Glint starts with. */
export function versionLabel(h: HeadView): string {
  const stage = h.metrics?.['stage'];
  if (stage === 'quick') return 'Quick training (step 1)';
  if (stage === 'dghdgh') return 'Full training (step 2)';
  return h.quality === undefined ? 'Starting version (not trained on your tags)' : 'Trained on your tags';
}

const STAGES = { quick: 'Step 1 of 2, quick training', dghdgh: 'Step 2 of 2, full training' } as const;

/** A phase as the Retrain view's "now" line: which step of the run, then what it does. */
export function phaseText(p: TrainPhaseView): string {
  return `${p.stage ? STAGES[p.stage] : 'Preparing'} · ${p.message}`;
}

/** A training step, or the end of an epoch with its measured quality, as the "now" line. */
export function progressText(p: Extract<GlintEvent, { type: 'train-progress' }>): string {
  if (p.valMap !== undefined)
    return `Training · epoch ${p.epoch} of ${p.epochs} done · finds your tagged photos: ${percent(p.valMap)}`;
  return `Training · epoch ${p.epoch} of ${p.epochs} · step ${p.step} of ${p.steps}`;
}
