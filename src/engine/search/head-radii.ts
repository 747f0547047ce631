import { z } from 'zod';
import type { ActiveHead } from '../hash/active-head.ts';
import { wordCount } from '../hash/bits.ts';
import { createRng } from '../onnx/random.ts';
import { readCodes } from '../store/codes.ts';
import type { Store } from '../store/db.ts';
import { getHead, setHeadMetrics } from '../store/heads.ts';
import type { Modality } from '../types.ts';
import {
  NULL_ALPHA,
  NULL_PAIRS,
  binomialRadius,
  nullDistances,
  quantileRadius,
  type HeadRadii,
  type PackedCodes,
} from './radius.ts';

// NOTE: fewer codes than this on a side and its random pairs say little: the binomial radius stands in.
const MIN_CODES = 8;

const radiiSchema = z.object({
  radius: z.object({
    'image-image': z.number().int(),
    'image-text': z.number().int(),
    'text-image': z.number().int(),
    'text-text': z.number().int(),
  }),
  codes: z.number().int().nonnegative(),
  alpha: z.number().positive(),
});

/** The radii stored with a head (in its metrics), if they were measured. */
export function readHeadRadii(store: Store, headId: string): HeadRadii | undefined {
  const metrics = getHead(store, headId)?.metrics as { radii?: unknown } | undefined;
  const parsed = radiiSchema.safeParse(metrics?.radii);
  return parsed.success ? parsed.data : undefined;
}

/** Stores radii with a head, keeping its other metrics. */
export function saveHeadRadii(store: Store, headId: string, radii: HeadRadii): void {
  const metrics = getHead(store, headId)?.metrics;
  const kept = metrics && typeof metrics === 'object' ? metrics : {};
  setHeadMetrics(store, headId, { ...kept, radii });
}

/** Measures a head's radii from the library's stored codes (seeded, so the same library gives the same radii). */
export function calibrateHeadRadii(store: Store, head: ActiveHead): HeadRadii {
  const perCode = wordCount(head.bits);
  const packed = (m: Modality): PackedCodes => {
    const batch = readCodes(store, head.id, m, perCode);
    return { words: batch.words, wordsPerCode: perCode, count: batch.itemIds.length };
  };
  const codes = { image: packed('image'), text: packed('text') };
  const rng = createRng(head.bits, `radius:${head.id}`);
  const measure = (q: Modality, t: Modality): number =>
    codes[q].count < MIN_CODES || codes[t].count < MIN_CODES
      ? binomialRadius(head.bits, NULL_ALPHA)
      : quantileRadius(nullDistances(codes[q], codes[t], head.bits, NULL_PAIRS, rng), head.bits, NULL_ALPHA);
  return {
    radius: {
      'image-image': measure('image', 'image'),
      'image-text': measure('image', 'text'),
      'text-image': measure('text', 'image'),
      'text-text': measure('text', 'text'),
    },
    codes: codes.image.count + codes.text.count,
    alpha: NULL_ALPHA,
  };
}

/** Whether radii measured on `measured` codes are stale for a library that now has `now` codes. */
export function radiiStale(measured: number, now: number): boolean {
  return Math.abs(now - measured) > Math.max(20, 0.25 * measured);
}
