import { describe, expect, it } from 'vitest';
import { keywordsBySource } from '../../../src/engine/ingest/photo-tags.ts';

describe('keywordsBySource', () => {
  it('splits keywords into their xmp and iptc lists, keeping order', () => {
    expect(
      keywordsBySource({
        keywords: [
          { name: 'Dog', source: 'xmp' },
          { name: 'Paris', source: 'iptc' },
          { name: 'Beach', source: 'xmp' },
          { name: 'Öl', source: 'iptc' },
        ],
        warnings: [],
      }),
    ).toEqual({ xmp: ['Dog', 'Beach'], iptc: ['Paris', 'Öl'] });
  });

  it('gives two empty lists for a photo without keywords', () => {
    expect(keywordsBySource({ keywords: [], warnings: ['no metadata'] })).toEqual({ xmp: [], iptc: [] });
  });
});
