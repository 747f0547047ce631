import { describe, expect, it } from 'vitest';
import {
  UNKNOWN,
  batchRelevance,
  relevance,
  sampleTriplets,
  withKnownNegatives,
} from '../../../../src/engine/train/dghdgh/triplets.ts';

// Rows: 0, 1 carry tag 0 ("max"); 2 carries tag 1 ("beach"); 3 carries no tag and was rejected for tag 0;
// 4 carries no tag and was rejected for tag 1.
const labels = Float32Array.from([1, 0, 1, 0, 0, 1, 0, 0, 0, 0]);
const negatives = Float32Array.from([0, 0, 0, 0, 0, 0, 1, 0, 0, 1]);

describe('known negatives in triplet sampling', () => {
  it('makes a tagless row a negative only for anchors of the tags it was rejected for', () => {
    const rel = withKnownNegatives(relevance(labels, 5, 2), labels, negatives, 5, 2);
    const row = (i: number) => Array.from(rel.subarray(i * 5, i * 5 + 5));
    expect(row(3)).toEqual([0, 0, UNKNOWN, 1, UNKNOWN]);
    expect(row(4)).toEqual([UNKNOWN, UNKNOWN, 0, UNKNOWN, 1]);
    // Symmetric, and tagged rows keep shared-tag relevance between themselves.
    expect(row(0)).toEqual([1, 1, 0, 0, UNKNOWN]);
  });

  it('never samples an unknown pair, and uses the rejected photo as a negative of its tag', () => {
    const rel = batchRelevance({ n: 5, labels, negatives }, 2);
    const t = sampleTriplets(rel, 5, true, 1000, { state: 1 });
    const triples = t.a.map((a, k) => [a, t.p[k], t.n[k]]);
    // Anchor 0 (max): positive 1, negatives 2 (beach) and 3 (rejected for max), never 4.
    expect(triples.filter(([a]) => a === 0)).toEqual([
      [0, 1, 2],
      [0, 1, 3],
    ]);
    expect(triples.some(([, p]) => p === 3 || p === 4)).toBe(false);
    expect(triples.some(([a, , n]) => a === 2 && n === 3)).toBe(false);
    // Cross-modal: the rejected photo's own text is its positive, the max photos its negatives.
    const x = sampleTriplets(rel, 5, false, 1000, { state: 1 });
    expect(x.a.flatMap((a, k) => (a === 3 ? [[x.p[k], x.n[k]]] : []))).toEqual([
      [3, 0],
      [3, 1],
    ]);
  });

  it('leaves relevance as it was for a batch without known negatives', () => {
    expect(batchRelevance({ n: 5, labels }, 2)).toEqual(relevance(labels, 5, 2));
  });
});
