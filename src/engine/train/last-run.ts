/**
 * The outcome of the last retraining run that finished, kept in the library's settings table
 * (`training.lastRun`, JSON) so the Retrain view still shows it after a reload or a restart. Only a finished
 * run replaces it: a cancelled or failed run leaves the previous result in place.
 */
import { getJsonSetting, setJsonSetting, type Store } from '../store/index.ts';

/** The settings key the record lives under. */
export const LAST_RUN_KEY = 'training.lastRun';

/** How one stage's head compared with the head active when it finished (validation mAP, 0–1). */
export interface LastRunStage {
  headId: string;
  activated: boolean;
  before: number;
  after: number;
}

/** The stored record of a finished run. */
export interface LastRunRecord {
  finishedAt: number;
  epochs: number;
  photos: number;
  heldOut: number;
  quick?: LastRunStage;
  final: LastRunStage;
}

/** Saves `record` as the last run. */
export function saveLastRun(store: Store, record: LastRunRecord): void {
  setJsonSetting(store, LAST_RUN_KEY, record);
}

const isStage = (v: unknown): v is LastRunStage => {
  const s = v as Partial<LastRunStage> | null;
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.headId === 'string' &&
    typeof s.activated === 'boolean' &&
    typeof s.before === 'number' &&
    typeof s.after === 'number'
  );
};

/** The last run, or undefined when none finished yet (or the stored value is not a record of this shape). */
export function readLastRun(store: Store): LastRunRecord | undefined {
  const r = getJsonSetting<Partial<LastRunRecord> | null>(store, LAST_RUN_KEY, null);
  if (typeof r !== 'object' || r === null || !isStage(r.final)) return undefined;
  if (r.quick !== undefined && !isStage(r.quick)) return undefined;
  const nums = [r.finishedAt, r.epochs, r.photos, r.heldOut];
  if (!nums.every((n) => typeof n === 'number' && Number.isFinite(n))) return undefined;
  return r as LastRunRecord;
}
