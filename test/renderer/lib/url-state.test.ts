import { describe, expect, it } from 'vitest';
import { fromHash, historyStep, toHash, type UrlState } from '../../../src/renderer/src/lib/url-state.ts';

const VIEWS = ['search', 'library', 'tags'];

describe('url state (hash routing)', () => {
  it('round-trips a full search: words, photos with weights, filters and radius', () => {
    const state: UrlState = {
      view: 'search',
      q: 'beach -dog & "sun"',
      like: [
        { id: 12, weight: 1 },
        { id: 34, weight: -1 },
        { id: 5, weight: 0.5 },
      ],
      from: '2019-01-01',
      to: '2019-12-31',
      tags: ['Max', 'Places/Lisbon'],
      folder: 3,
      place: 'Lisbon, Portugal',
      radius: 24,
      order: 'newest',
    };
    const hash = toHash(state);
    expect(hash.startsWith('#/search?')).toBe(true);
    expect(fromHash(hash, VIEWS, 'search')).toEqual(state);
    expect(fromHash(toHash({ view: 'tags', radius: 'all' }), VIEWS, 'search')).toEqual({
      view: 'tags',
      radius: 'all',
    });
    expect(toHash({ view: 'library' })).toBe('#/library');
  });

  it('opens a malformed or unknown address on what it can read', () => {
    expect(fromHash('', VIEWS, 'search')).toEqual({ view: 'search' });
    expect(fromHash('#/nowhere?q=x', VIEWS, 'search')).toEqual({ view: 'search', q: 'x' });
    expect(
      fromHash('#/search?like=1,x,-2,0,7*2&from=2019-1-1&folder=-4&radius=999&tags=%20', VIEWS, 'search'),
    ).toEqual({
      view: 'search',
      like: [
        { id: 1, weight: 1 },
        { id: 7, weight: 2 },
      ],
    });
  });
});

describe('historyStep', () => {
  it('pushes a new search or view, replaces while typing on, and skips no change', () => {
    expect(historyStep({ view: 'search' }, { view: 'library' })).toBe('push');
    expect(historyStep({ view: 'search', q: 'do' }, { view: 'search', q: 'dog' })).toBe('replace');
    expect(historyStep({ view: 'search', q: 'dog' }, { view: 'search', q: 'do' })).toBe('replace');
    expect(historyStep({ view: 'search', q: 'dog' }, { view: 'search', q: 'cat' })).toBe('push');
    expect(historyStep({ view: 'search', q: 'dog' }, { view: 'search', q: 'dog', tags: ['x'] })).toBe('push');
    expect(historyStep({ view: 'search' }, { view: 'search', q: 'd' })).toBe('push');
    expect(historyStep({ view: 'search', q: 'dog' }, { view: 'search', q: 'dog' })).toBe('none');
  });
});
