import { describe, expect, it } from 'vitest';
import { mergeTerms, tagTerms, termsOfTags } from '../../../src/engine/sidecar/xmp-terms.ts';

describe('XMP keyword terms of Glint tags', () => {
  it('writes a flat tag as itself and a tag path as its leaf plus the Lightroom path', () => {
    expect(tagTerms('dog')).toEqual({ subject: 'dog' });
    expect(tagTerms(' Places / France /Paris ')).toEqual({
      subject: 'Paris',
      hierarchical: 'Places|France|Paris',
    });
    expect(termsOfTags(['dog', 'Dog', 'Places/Paris', 'Trips/Paris'])).toEqual({
      subjects: ['dog', 'Paris'],
      hierarchical: ['Places|Paris', 'Trips|Paris'],
    });
  });

  it("adds what is wanted, takes away only Glint's own terms, and keeps everyone else's", () => {
    const none = { subjects: [], hierarchical: [] };
    const first = mergeTerms(
      { subjects: ['cat', 'sunset'], hierarchical: [] },
      { subjects: ['Cat', 'max'], hierarchical: ['Pets|max'] },
      none,
    );
    // 'cat' was there before Glint: it stays and is not Glint's.
    expect(first.terms).toEqual({ subjects: ['cat', 'sunset', 'max'], hierarchical: ['Pets|max'] });
    expect(first.owned).toEqual({ subjects: ['max'], hierarchical: ['Pets|max'] });
    // The user untags 'cat' and 'max' in Glint: only 'max' (Glint's) goes.
    const second = mergeTerms(first.terms, none, first.owned);
    expect(second.terms).toEqual({ subjects: ['cat', 'sunset'], hierarchical: [] });
    expect(second.owned).toEqual(none);
  });
});
