import { describe, expect, it } from 'vitest';
import { FilterState } from '../../../src/renderer/src/state/filters.svelte.ts';

describe('FilterState', () => {
  it('turns the inputs into the contract filters, counting the active ones', () => {
    const f = new FilterState();
    expect([f.filters, f.active, f.dated, f.error]).toEqual([{}, 0, false, '']);
    f.fromDay = '2019-07-14';
    f.toDay = '2019-07-14';
    f.addTag('dog');
    f.addTag('dog');
    f.folderId = 3;
    expect(f.filters).toEqual({
      from: new Date(2019, 6, 14).getTime(),
      to: new Date(2019, 6, 14, 23, 59, 59, 999).getTime(),
      tags: ['dog'],
      folderId: 3,
    });
    expect([f.active, f.dated, f.error]).toEqual([4, true, '']);
    f.removeTag('dog');
    f.clear();
    expect([f.filters, f.active]).toEqual([{}, 0]);
  });

  it('says why a From date after the To date cannot be used', () => {
    const f = new FilterState();
    f.fromDay = '2020-01-02';
    f.toDay = '2020-01-01';
    expect(f.error).toBe('The From date is after the To date: choose a From date on or before it.');
  });

  it('puts the place in the filters and takes all of them to and from the address', () => {
    const f = new FilterState();
    f.fromDay = '2019-07-14';
    f.addTag('dog');
    f.folderId = 3;
    f.place = 'Lisbon, Portugal';
    expect(f.filters.place).toBe('Lisbon, Portugal');
    expect(f.active).toBe(4);
    const url = f.toUrl();
    expect(url).toEqual({ from: '2019-07-14', tags: ['dog'], folder: 3, place: 'Lisbon, Portugal' });
    const g = new FilterState();
    g.toDay = '2020-01-01';
    g.fromUrl({ view: 'timeline', ...url });
    expect(g.toUrl()).toEqual(url);
    expect(g.toDay).toBe('');
    f.clear();
    expect(f.place).toBe('');
  });

  it('names the photo-only filters set, for the notes column (notes follow the folder filter alone)', () => {
    const f = new FilterState();
    f.folderId = 3;
    expect(f.photoOnly).toBe('');
    f.place = 'Lisbon, Portugal';
    expect(f.photoOnly).toBe('places');
    f.addTag('dog');
    expect(f.photoOnly).toBe('tags and places');
    f.toDay = '2020-01-01';
    expect(f.photoOnly).toBe('dates, tags and places');
    f.clear();
    expect(f.photoOnly).toBe('');
  });
});
