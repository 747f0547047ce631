/**
 * The one rule for how many epochs a retraining run may ask for, shared by the Retrain view, the API schema,
 * `glint train --epochs` and library training itself, so each refuses the same values in the same words.
 */
import { MAX_EPOCHS, MIN_EPOCHS } from './limits.ts';

/** What is wrong with `value` as an epoch count, as words that follow "Epochs" or "--epochs"; undefined when fine. */
export function epochsProblem(value: unknown): string | undefined {
  const shown =
    value === undefined || value === null || value === ''
      ? 'nothing'
      : typeof value === 'string'
        ? `"${value}"`
        : String(value);
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < MIN_EPOCHS || n > MAX_EPOCHS)
    return `must be a whole number from ${MIN_EPOCHS} to ${MAX_EPOCHS} (each epoch is one pass over your tagged photos); you gave ${shown}`;
  return undefined;
}
