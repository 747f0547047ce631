import type { ItemFilter } from '../store/item-filter.ts';
import type { ItemRecord } from '../store/index.ts';
import type { MonthCount } from '../store/timeline.ts';

/** One term of a query: a phrase or an image file, with a weight (1 unless given; negative: unlike it). */
export type QueryTerm = { text: string; weight?: number } | { image: string; weight?: number };

/** One search, for every client: text and/or image terms, filters, and how many of each kind to return. */
export interface SearchQuery {
  terms: readonly QueryTerm[];
  /** Date range, tags and folder restrict the photos; the folder also restricts the notes and captions. */
  filters?: ItemFilter;
  /** How many photos (default 20). */
  photos?: number;
  /** How many notes and captions (default 20). */
  notes?: number;
  /**
   * Which results: 'all' (default: the nearest `photos`/`notes`), 'matches' (those within the head's
   * calibrated radius; the nearest NEAREST_WHEN_NONE when none are), or a radius in bits.
   */
  reach?: 'all' | 'matches' | number;
  /**
   * Photo order: by relevance (default: the nearest `photos`), or by capture date, newest or oldest first
   * (then the results are every match within the radius, `photos` of them from `offset` on, in date order).
   */
  order?: SearchOrder;
  /** In date order: how many photos of the ordered matches to skip (a later page). */
  offset?: number;
}

/** How photo results are ordered. */
export type SearchOrder = 'relevance' | 'newest' | 'oldest';

/**
 * A ranked hit with its item, read in one bulk query (no tags or thumbnails, so 100,000 stay cheap);
 * `literal` when its file name, folder, tags or text contain the query's words exactly (shown first).
 */
export type SearchHit = ItemRecord & { distance: number; score: number; literal?: true };

/** What one search found: photos, and notes and captions, each best first, with the radius used. */
export interface SearchHits {
  photos: SearchHit[];
  notes: SearchHit[];
  /** The radius matches are taken within, per kind (the head's calibrated one unless the query named one). */
  radius: { photos: number; notes: number };
  /** Per kind: nothing was within the radius, so these are the nearest few instead. */
  nearestOnly: { photos: boolean; notes: boolean };
  /** Photos a date filter left out for having no date at all (0 without a date filter). */
  undated: number;
  /** In date order: how many photos match in all (the pages hold them), and their months in order. */
  total?: number;
  months?: MonthCount[];
}

/** How many of the nearest results a 'matches' search shows when nothing is within the radius. */
export const NEAREST_WHEN_NONE = 20;

/** Default number of results of each kind. */
export const DEFAULT_K = 20;

/**
 * Combines the terms' continuous codes into one query code (n terms × `bits`, row-major):
 * q = Σᵢ wᵢ · cᵢ / ‖cᵢ‖, so each term counts by its weight whatever its code's scale, and a negative
 * weight pulls the query away from that term. The Hamming query is sign(q). One term with weight ≥ 0 is
 * its own code unchanged.
 */
export function combineCodes(codes: Float32Array, weights: readonly number[], bits: number): Float32Array {
  if (weights.length === 1 && (weights[0] as number) >= 0) return codes.subarray(0, bits);
  const out = new Float32Array(bits);
  weights.forEach((w, t) => {
    const row = codes.subarray(t * bits, (t + 1) * bits);
    let norm = 0;
    for (const v of row) norm += v * v;
    const scale = norm > 0 ? w / Math.sqrt(norm) : 0;
    for (let i = 0; i < bits; i++) out[i] = (out[i] as number) + scale * (row[i] as number);
  });
  return out;
}
