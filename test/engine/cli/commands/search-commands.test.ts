import { describe, expect, it } from 'vitest';
import {
  orderOf,
  reachOf,
  searchTerms,
  weighted,
} from '../../../../src/engine/cli/commands/search-commands.ts';

describe('glint search arguments', () => {
  it('reads WEIGHT:TERM, and leaves other colons alone', () => {
    expect(weighted('2:beach')).toEqual({ weight: 2, value: 'beach' });
    expect(weighted('0.5:./a.jpg')).toEqual({ weight: 0.5, value: './a.jpg' });
    expect(weighted('C:\\photos\\a.jpg')).toEqual({ weight: 1, value: 'C:\\photos\\a.jpg' });
    expect(weighted('time: 10:30')).toEqual({ weight: 1, value: 'time: 10:30' });
    expect(weighted('3:')).toEqual({ weight: 1, value: '3:' });
  });

  it('makes the phrase, --like images and --not phrases one composite query', () => {
    expect(searchTerms('beach', ['a.jpg', '2:b.jpg'], ['people', '0.5:cars'])).toEqual([
      { text: 'beach', weight: 1 },
      { image: 'a.jpg', weight: 1 },
      { image: 'b.jpg', weight: 2 },
      { text: 'people', weight: -1 },
      { text: 'cars', weight: -0.5 },
    ]);
    expect(searchTerms(undefined, ['a.jpg'], [])).toEqual([{ image: 'a.jpg', weight: 1 }]);
    expect(searchTerms('2:beach -dog', [], [])).toEqual([
      { text: 'beach', weight: 2 },
      { text: 'dog', weight: -1 },
    ]);
    expect(() => searchTerms('  ', [], [])).toThrow(/Nothing to search for/);
  });

  it('turns --radius and --all into the reach, refusing a radius that is not whole bits', () => {
    expect(reachOf(undefined, false)).toBe('matches');
    expect(reachOf('12', false)).toBe(12);
    expect(reachOf('12', true)).toBe('all');
    expect(() => reachOf('-1', false)).toThrow(/0 to 128/);
    expect(() => reachOf('1.5', false)).toThrow(/whole number/);
  });
});

describe('glint search --order', () => {
  it('takes relevance, newest or oldest and refuses anything else', () => {
    expect(orderOf('newest')).toBe('newest');
    expect(orderOf('relevance')).toBe('relevance');
    expect(() => orderOf('date')).toThrow(/relevance, newest or oldest/);
  });
});
