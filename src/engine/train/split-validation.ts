/**
 * The held-out validation split every training run chooses its best epoch on: the library trainer splits the
 * user's tagged photos with it, and the research scripts in `training/` split a benchmark's training rows.
 */
import { GlintError } from '../errors.ts';
import { createRng, shuffleInPlace } from './metrics-random.ts';

/**
 * A seeded random split of `n` training rows into train and validation index sets (each ascending).
 * round(n · fraction) rows go to validation; both parts must be non-empty. Pass only TRAINING-set sizes:
 * validation never comes from a benchmark's query set.
 */
export function splitValidation(
  n: number,
  fraction: number,
  seed: number,
): { train: Uint32Array; validation: Uint32Array } {
  if (!(fraction > 0 && fraction < 1)) {
    throw new GlintError('dataset-bad-split', `validation fraction must be in (0, 1), got ${fraction}`);
  }
  const nVal = Math.round(n * fraction);
  if (!Number.isInteger(n) || nVal < 1 || nVal >= n) {
    throw new GlintError(
      'dataset-bad-split',
      `cannot split ${n} rows with fraction ${fraction} into two non-empty parts`,
    );
  }
  const order = shuffleInPlace(
    Uint32Array.from({ length: n }, (_, i) => i),
    createRng(seed),
  );
  return { train: order.slice(nVal).sort(), validation: order.slice(0, nVal).sort() };
}
