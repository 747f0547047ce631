import type { MonthBucket } from '../../../contract/api.ts';

/**
 * Month headers for photos already in date order (either way): one bucket per run of photos taken in the
 * same local month, with how many there are.
 */
export function monthBuckets(photos: ReadonlyArray<{ takenAt?: number }>): MonthBucket[] {
  const out: MonthBucket[] = [];
  for (const p of photos) {
    if (p.takenAt === undefined) continue;
    const d = new Date(p.takenAt);
    const last = out.at(-1);
    if (last && last.year === d.getFullYear() && last.month === d.getMonth() + 1) last.count++;
    else out.push({ year: d.getFullYear(), month: d.getMonth() + 1, count: 1 });
  }
  return out;
}
