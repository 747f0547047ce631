/**
 * A head's measured quality, read from the metrics its training run recorded (library-training.ts writes
 * `validation.trained.map`: the validation mAP on the photos held back from that run). Metrics are JSON of
 * any shape (older heads, the default head), so every level is checked.
 */

const field = (v: unknown, key: string): unknown =>
  typeof v === 'object' && v !== null ? Object.entries(v).find(([k]) => k === key)?.[1] : undefined;

/** The validation mAP (0–1) a head's metrics hold, or undefined when it was never measured. */
export function recordedQuality(metrics: unknown): number | undefined {
  const v = field(field(field(metrics, 'validation'), 'trained'), 'map');
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}
